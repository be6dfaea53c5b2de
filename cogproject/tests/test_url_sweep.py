"""No URL the project serves answers a server error, whoever asks and whatever they send.

Every route from the URL resolver (admin and allauth included) is requested as anonymous,
participant, sponsor, organiser and superuser, with bad path values, bad query strings (each
name the page itself uses, and a set of common ones), the page's own forms with one field at a
time replaced by a bad value, empty and junk bodies, wrong methods and a POST without its CSRF
token. See sweep.py for the values.
"""

import pytest
from django.db import connection

from .conftest import signed_in
from .sweep import Walker, routes

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_no_url_answers_a_server_error(running_event, capsys):
    users, valid = running_event
    clients = {
        role: (signed_in(user), signed_in(user, enforce_csrf_checks=True))
        for role, user in users.items()
    }
    walker = Walker(clients, users, valid, connection)
    every_route = routes()
    # Deleting comes last, so the objects other routes name still exist while they are swept.
    for route in sorted(every_route, key=lambda route: route.template.endswith("/delete/")):
        walker.sweep_route(route, users)
    report = walker.report

    with capsys.disabled():
        print(
            f"\nURL sweep: {report.requests} requests over {len(every_route)} routes, "
            f"answers by class {dict(sorted(report.by_status.items()))}"
        )
    unknown = sorted(set(report.unknown_slots))
    errors = report.server_error_kinds()
    with capsys.disabled():
        for line in [*map(str, unknown), *errors]:
            print(line)
    assert unknown == [], "say in running_event's VALID what these name"
    assert len(every_route) > 150 and report.requests > 5000  # the walk really walked
    assert errors == []
