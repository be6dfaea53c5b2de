"""Overdue loans: the desk's live count and its Overdue filter, and the Loans changelist's."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.models import Loan
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from core import live

pytestmark = pytest.mark.django_db
DESK = reverse("admin:desk")
LOANS = reverse("admin:checkout_loan_changelist")


def lend(organiser, *, due_in, user=None):
    """One unit lent, due back `due_in` from now (negative: overdue)."""
    request = HardwareRequestFactory(entry=stocked_entry(units=1), user=user or UserFactory())
    services.approve_request(hardware_request=request, by=organiser)
    (loan,) = services.fulfil_request(
        hardware_request=request, by=organiser, id_storage_label=f"S{request.pk}"
    )
    Loan.objects.filter(pk=loan.pk).update(due_at=timezone.now() + due_in)
    loan.refresh_from_db()
    return loan


def some_loans(organiser, n):
    """n overdue (by 1 to n hours), n due later, and n returned after their due time."""
    overdue = [lend(organiser, due_in=-timedelta(hours=k + 1)) for k in range(n)]
    later = [lend(organiser, due_in=timedelta(hours=2)) for _ in range(n)]
    for _ in range(n):
        services.return_loan(loan=lend(organiser, due_in=-timedelta(hours=1)), by=organiser)
    return overdue, later


def tags(loans):
    return [loan.unit.asset_tag for loan in loans]


def test_the_desk_shows_the_overdue_count_with_the_queues(organiser_client, organiser):
    some_loans(organiser, 2)
    body = organiser_client.get(DESK).content.decode()
    overdue = sum(loan.is_overdue for loan in Loan.objects.all())
    assert f'Overdue loans: <span id="overdue-count">{overdue}</span>' in body
    assert "Waiting for approval" in body  # the queues, unfiltered


def test_the_overdue_filter_shows_only_overdue_loans_longest_overdue_first(
    organiser_client, organiser
):
    overdue, later = some_loans(organiser, 3)
    response = organiser_client.get(DESK, {"show": "overdue"})
    body = response.content.decode()
    shown = [tag for tag in tags(Loan.objects.all()) if tag in body]
    expected = sorted((loan for loan in Loan.objects.all() if loan.is_overdue), key=due)
    assert shown and sorted(shown) == sorted(tags(expected))
    assert [body.index(tag) for tag in tags(expected)] == sorted(
        body.index(tag) for tag in tags(expected)
    )
    assert "Waiting for approval" not in body
    assert 'aria-current="page"><span>Overdue loans' in body
    # Each has a one-click return, through the desk's own form (the fragment has no token).
    for loan in expected:
        assert f'formaction="{reverse("admin:desk_return_loan", args=[loan.pk])}"' in body
    # The live poll keeps the filter.
    assert "?show=overdue" in response.context["live_url"]


def due(loan):
    return loan.due_at


def test_a_returned_overdue_loan_leaves_the_list(organiser_client, organiser):
    (loan,), _ = some_loans(organiser, 1)
    next_url = f"{DESK}?show=overdue"
    response = organiser_client.post(
        reverse("admin:desk_return_loan", args=[loan.pk]), {"condition": "ok", "next": next_url}
    )
    assert response.status_code == 302 and response["Location"] == next_url
    queue = organiser_client.get(next_url).context["queue"]
    assert loan.unit.asset_tag not in queue and "Nothing is overdue." in queue


@pytest.mark.parametrize("show", ["", "nonsense", "OVERDUE", "x" * 500])
def test_an_unknown_filter_shows_the_queues(organiser_client, show):
    response = organiser_client.get(DESK, {"show": show})
    assert response.status_code == 200
    assert "Waiting for approval" in response.content.decode()


@pytest.mark.postgres  # the database's clock moves inside a test's transaction there
def test_a_loan_turning_overdue_reaches_the_live_desk_with_no_write(organiser_client, organiser):
    loan = lend(organiser, due_in=timedelta(seconds=1.5))
    poll = reverse("checkout:live", args=[live.poll_token(live.SHARED)]) + "?show=overdue"
    first = organiser_client.get(poll)
    assert first.status_code == 200 and loan.unit.asset_tag not in first.content.decode()
    assert organiser_client.get(poll, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    time.sleep(max(0, (loan.due_at - timezone.now()).total_seconds()) + 0.2)
    later = organiser_client.get(poll, HTTP_IF_NONE_MATCH=first["ETag"])
    assert later.status_code == 200  # nothing was written, but the version moved
    body = later.content.decode()
    assert loan.unit.asset_tag in body and '<span id="overdue-count">1</span>' in body


def test_the_overdue_view_query_count_does_not_grow(organiser_client, organiser, named_queries):
    some_loans(organiser, 2)
    _, few = named_queries(organiser_client.get, DESK, {"show": "overdue"})
    some_loans(organiser, 30)
    cache.clear()
    response, many = named_queries(organiser_client.get, DESK, {"show": "overdue"})
    _, hit = named_queries(organiser_client.get, DESK, {"show": "overdue"})
    assert len(response.context["queue"].split('data-label="Unit"')) - 1 == 32
    stats = ["SELECT accounts_user", "SELECT auth_permission", "SELECT core_eventsettings"]
    assert (
        few
        == many
        == [
            *stats,  # the user, their permissions, the counters (overdue too) and version
            "SELECT checkout_loan",  # the overdue loans with unit, item and participant
        ]
    )
    assert hit == stats  # nothing changed: the list comes from the cache


def test_the_loans_changelist_filters_overdue_loans(organiser_client, organiser, named_queries):
    some_loans(organiser, 2)
    _, few = named_queries(organiser_client.get, LOANS, {"overdue": "yes"})
    some_loans(organiser, 30)
    response, many = named_queries(organiser_client.get, LOANS, {"overdue": "yes"})
    listed = list(response.context["cl"].result_list)
    assert sorted(tags(listed)) == sorted(tags(x for x in Loan.objects.all() if x.is_overdue))
    assert (
        few
        == many
        == [
            "SELECT accounts_user",
            "SELECT auth_permission",
            "SELECT checkout_loan",  # how many match the filter
            "SELECT checkout_loan",  # one page of them, with unit, item and people
        ]
    )
    everything = organiser_client.get(LOANS).context["cl"].result_list
    assert len(everything) > len(listed)  # unfiltered, the rest are there
