"""GET /api/v1/loans: units out now, or only overdue ones, for an organiser's token."""

from datetime import timedelta

import pytest

from checkout import services

from .conftest import desk_activity, lend

pytestmark = pytest.mark.django_db
URL = "/api/v1/loans"


def test_it_lists_open_loans_soonest_due_first(client, bearer, organiser):
    later = lend(organiser, due_in=timedelta(hours=3))
    overdue = lend(organiser, due_in=-timedelta(hours=1))
    soon = lend(organiser, due_in=timedelta(minutes=30))
    services.return_loan(loan=lend(organiser, due_in=-timedelta(hours=2)), by=organiser)

    body = client.get(URL, **bearer).json()

    assert body["count"] == 3
    assert [item["id"] for item in body["items"]] == [overdue.pk, soon.pk, later.pk]
    first = body["items"][0]
    assert first["overdue"] is True
    assert first["unit"] == {"id": overdue.unit.pk, "asset_tag": overdue.unit.asset_tag}
    assert first["entry"]["name"] == overdue.unit.entry.name
    assert first["participant"]["name"] == overdue.user.name
    assert [item["overdue"] for item in body["items"][1:]] == [False, False]


def test_overdue_true_keeps_only_loans_past_their_due_time_longest_overdue_first(
    client, bearer, organiser
):
    lend(organiser, due_in=timedelta(hours=1))
    recent = lend(organiser, due_in=-timedelta(minutes=5))
    oldest = lend(organiser, due_in=-timedelta(hours=5))

    body = client.get(URL, {"overdue": "true"}, **bearer).json()

    assert body["count"] == 2
    assert [item["id"] for item in body["items"]] == [oldest.pk, recent.pk]


def test_it_pages_and_refuses_bad_filters(client, bearer, organiser):
    for hours in range(3):
        lend(organiser, due_in=timedelta(hours=hours + 1))
    page = client.get(URL, {"limit": 1, "offset": 2}, **bearer).json()
    assert (page["count"], len(page["items"])) == (3, 1)
    assert client.get(URL, {"overdue": "maybe"}, **bearer).status_code == 400
    assert client.get(URL, {"limit": 10**6}, **bearer).status_code == 400
    misspelt = client.get(URL, {"overdu": "true"}, **bearer)
    assert misspelt.status_code == 400
    assert misspelt.json()["detail"] == "Invalid input. overdu: Unknown parameter."


def test_without_a_token_it_is_a_401(client):
    assert client.get(URL, {"overdue": "true"}).status_code == 401


@pytest.mark.parametrize("params", [{}, {"overdue": "true"}])
def test_it_costs_five_queries_at_2_loans_and_at_30(
    client, bearer, organiser, named_queries, params
):
    desk_activity(organiser, 2)
    _, few = named_queries(client.get, URL, {**params, "limit": 100}, **bearer)
    desk_activity(organiser, 28)
    response, many = named_queries(client.get, URL, {**params, "limit": 100}, **bearer)
    assert len(response.json()["items"]) == (30 if params else 60)
    assert (
        few
        == many
        == [
            "SELECT api_apitoken",  # the token with its owner
            "SELECT auth_permission",  # whether the owner may use the desk
            "SELECT core_changecounter",  # the SHARED version, for the ETag
            "SELECT checkout_loan",  # how many match
            "SELECT checkout_loan",  # the page, with unit, entry and participant
        ]
    )


def test_an_unchanged_list_is_a_304_and_a_loan_falling_due_changes_it(
    client, bearer, organiser, named_queries
):
    loan = lend(organiser, due_in=timedelta(hours=1))
    etag = client.get(URL, {"overdue": "true"}, **bearer)["ETag"]
    assert client.get(URL, **bearer)["ETag"] != etag  # the filter is part of it
    response, queries = named_queries(
        client.get, URL, {"overdue": "true"}, HTTP_IF_NONE_MATCH=etag, **bearer
    )
    assert response.status_code == 304
    assert len(queries) == 3

    # Falling due is no write: the version's overdue term changes by itself. (This update's
    # own bump waits for a commit that never comes in a test's transaction.)
    type(loan).objects.filter(pk=loan.pk).update(due_at=loan.due_at - timedelta(hours=2))
    response = client.get(URL, {"overdue": "true"}, HTTP_IF_NONE_MATCH=etag, **bearer)
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [loan.pk]
