"""The desk's reads on PostgreSQL, where its queues are three index-bounded slices in a UNION
(SQLite takes the ORed-IN path): the same queries, whatever the number of open requests."""

import pytest
from django.urls import reverse

from checkout import services
from checkout.desk.queue import QUEUE_LIMIT, desk_queues
from checkout.models import Status
from checkout.tests.factories import HardwareRequestFactory, stocked_entry

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
DESK = reverse("admin:desk")


def open_requests(organiser, n):
    """n waiting, n ready for pickup and n on a waitlist."""
    entry = stocked_entry(units=n)
    for request in [HardwareRequestFactory(entry=entry) for _ in range(n)]:
        services.approve_request(hardware_request=request, by=organiser)
    HardwareRequestFactory.create_batch(n, entry=stocked_entry(units=n))
    HardwareRequestFactory.create_batch(n, entry=entry, status=Status.WAITLISTED)


def test_the_desk_page_runs_the_same_queries_at_3_and_60_open_requests_a_queue(
    organiser_client, organiser, named_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        open_requests(organiser, 3)
    _, few = named_queries(organiser_client.get, DESK)
    with django_capture_on_commit_callbacks(execute=True):
        open_requests(organiser, QUEUE_LIMIT + 10)

    response, many = named_queries(organiser_client.get, DESK)

    assert response.status_code == 200
    # The user, their permissions, the stats with the version (a cached rendering is keyed on
    # it); then, the version being new, the three queues (one query) and the lotteries.
    assert (
        many
        == few
        == [
            "SELECT accounts_user",
            "SELECT auth_permission",
            "SELECT core_eventsettings",
            "SELECT checkout_hardwarerequest",
            "SELECT inventory_entry",
        ]
    )
    queues = desk_queues()
    assert [len(queues[status]) for status in queues] == [QUEUE_LIMIT] * 3
