"""The dashboard, the due-back page and the desk's Overdue filter are valid HTML (Nu checker)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from checkout.models import Loan

from .test_dashboard import build_event
from .test_desk_html import JAVA, nu_errors

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not JAVA, reason="the Nu HTML checker needs Java (apt-get install default-jre)"
    ),
]


def test_the_dashboard_and_overdue_pages_are_valid_html(organiser_client, organiser, tmp_path):
    from accounts.roles import lead_organisers_group

    organiser.groups.add(lead_organisers_group())  # who may close the event
    empty = organiser_client.get(reverse("admin:desk_dashboard"))
    build_event(organiser, timezone.now())
    assert Loan.objects.overdue().exists()
    due_back = reverse("admin:desk_due_back")
    past = f"{timezone.localtime() - timedelta(hours=1):%Y-%m-%dT%H:%M}"
    responses = {
        "dashboard-empty": empty,
        "dashboard": organiser_client.get(reverse("admin:desk_dashboard")),
        "desk-overdue": organiser_client.get(reverse("admin:desk") + "?show=overdue"),
        "due-back": organiser_client.get(due_back),
        "due-back-refused": organiser_client.post(due_back, {"due_at": past}),
        "close-event": organiser_client.get(reverse("admin:desk_close_event")),
        "close-event-refused": organiser_client.post(
            reverse("admin:desk_close_event"), {"next_name": "Spring", "confirm_name": "x"}
        ),
    }
    statuses = {name: response.status_code for name, response in responses.items()}
    assert statuses == {
        **dict.fromkeys(responses, 200),
        "due-back-refused": 400,
        "close-event-refused": 400,
    }
    pages = {name: response.content for name, response in responses.items()}
    assert nu_errors(pages, tmp_path) == []
