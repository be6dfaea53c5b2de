"""No GET changes state: not a page, not an admin action asked for by link, not bad input.

Every route from the URL resolver is requested with GET as anonymous, participant, sponsor,
organiser and superuser: as is, with bad query strings, and, for each admin changelist, with
every admin action named in the query (?action=…&post=yes&_selected_action=…), the shape of a
confirmed action that only a POST may carry. Every statement each GET runs is captured: none
may write, except to the session table. Row counts of every table are compared before and
after as a second witness.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection

from .conftest import signed_in
from .sweep import Walker, routes

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label != "sessions.Session"
    }


def action_queries(valid):
    """(changelist path, query) for every action of every registered admin."""
    for model, model_admin in admin.site._registry.items():
        key = model._meta.label_lower
        names = {"delete_selected", *(getattr(a, "__name__", a) for a in model_admin.actions or ())}
        path = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for name in sorted(names):
            yield path, {"action": name, "post": "yes", "_selected_action": valid.get(key, 1)}
            yield path, {"action": name, "post": "yes", "select_across": "1", "index": "0"}


def test_no_get_changes_state(running_event, capsys):
    users, valid = running_event
    clients = {role: (signed_in(user), signed_in(user)) for role, user in users.items()}
    walker = Walker(clients, users, valid, connection)
    before = row_counts()

    every_route = routes()
    for route in every_route:
        walker.sweep_route(route, users, bad_paths=False, bad_bodies=False)
    actions = list(action_queries(valid))
    for role in users:
        for path, query in actions:
            walker.send(role, "get", path, query, sent=f"?action={query['action']}")
    report = walker.report

    with capsys.disabled():
        print(f"\nGET sweep: {report.requests} GETs over {len(every_route)} routes")
        for line in sorted(set(report.writes_on_get)):
            print(line)
    assert len(actions) > 20 and report.requests > 3000  # the walk really walked
    assert report.writes_on_get == []
    assert row_counts() == before
