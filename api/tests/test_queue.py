"""GET /api/v1/queue: the desk's queues for an organiser's token; 401 for anyone else."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import TeamFactory, UserFactory
from api import services
from checkout import services as desk
from checkout.models import Status
from checkout.tests.factories import HardwareRequestFactory, stocked_entry

from .conftest import desk_activity

pytestmark = pytest.mark.django_db
URL = "/api/v1/queue"


def test_it_lists_the_queues_as_the_desk_does(client, bearer, organiser):
    entry = stocked_entry(units=0, name="Oscilloscope")
    first = HardwareRequestFactory(entry=stocked_entry(units=1, name="Pico"))
    second = HardwareRequestFactory(entry=stocked_entry(units=1, name="Uno"))
    ready = HardwareRequestFactory(entry=stocked_entry(units=1))
    desk.approve_request(hardware_request=ready, by=organiser)
    waiting = [
        HardwareRequestFactory(entry=entry, status=Status.WAITLISTED, user=UserFactory(name=n))
        for n in ("Ada", "Bo")
    ]

    response = client.get(URL, **bearer)

    assert response.status_code == 200
    body = response.json()
    assert [r["id"] for r in body["pending"]] == [first.pk, second.pk]  # oldest first
    assert [r["id"] for r in body["pickup"]] == [ready.pk]
    assert body["pickup"][0]["pickup_deadline"] is not None
    assert [(r["participant"]["name"], r["waitlist_position"]) for r in body["waitlist"]] == [
        ("Ada", 1),
        ("Bo", 2),
    ]
    assert body["counts"] == {
        "pending": 2,
        "pickup": 1,
        "waitlisted": 2,
        "ids_held": 0,
        "overdue": 0,
    }
    assert body["per_queue"] == 50
    assert response["Cache-Control"] == "private, no-cache"
    assert waiting[0].user.email not in response.content.decode()


def test_its_counts_are_exact_where_the_desk_shows_1000_plus(client, bearer, monkeypatch):
    from checkout.desk import queue

    monkeypatch.setattr(queue, "COUNT_LIMIT", 2)
    entry = stocked_entry(units=10, name="Pico")
    for _ in range(4):
        HardwareRequestFactory(entry=entry)
    assert queue.desk_stats()["pending"] == 3  # the desk counts up to its limit and says "2+"
    assert client.get(URL, **bearer).json()["counts"]["pending"] == 4


def test_it_names_participants_by_name_table_and_team_only(client, bearer):
    user = UserFactory(
        name="Pat", phone="+44 7700 900123", location="T12", team=TeamFactory(name="Bots")
    )
    HardwareRequestFactory(user=user)
    body = client.get(URL, **bearer).json()
    (queued,) = body["pending"]
    assert queued["participant"] == {"id": user.pk, "name": "Pat", "table": "T12", "team": "Bots"}
    text = json.dumps(body)
    assert user.email not in text and user.phone not in text


def test_without_a_token_it_is_a_401_asking_for_one(client):
    response = client.get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "Authorization: Bearer" in response.json()["detail"]


@pytest.mark.parametrize(
    "header", ["Bearer cog_not-a-token", "Basic b2xpdmU6cHc=", "Bearer", "Bearer " + "x" * 5000]
)
def test_a_wrong_token_is_a_401(client, token, header):
    response = client.get(URL, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_revoked_token_is_a_401(client, token, bearer, organiser):
    services.revoke_token(token=token[0], by=organiser)
    assert client.get(URL, **bearer).status_code == 401


def test_a_token_whose_owner_lost_desk_access_is_a_401(client, bearer, organiser):
    organiser.groups.clear()
    assert client.get(URL, **bearer).status_code == 401


def test_a_token_whose_owner_was_deactivated_is_a_401(client, bearer, organiser):
    organiser.is_active = False
    organiser.save(update_fields=["is_active"])
    assert client.get(URL, **bearer).status_code == 401


def test_a_token_works_on_the_public_endpoints_too_but_must_be_valid(client, bearer):
    assert client.get("/api/v1/catalogue", **bearer).status_code == 200
    bad = client.get("/api/v1/catalogue", HTTP_AUTHORIZATION="Bearer cog_wrong")
    assert bad.status_code == 401


def test_it_costs_five_queries_at_2_requests_per_queue_and_at_30(
    client, bearer, organiser, named_queries
):
    desk_activity(organiser, 2)
    _, few = named_queries(client.get, URL, **bearer)
    desk_activity(organiser, 28)
    response, many = named_queries(client.get, URL, **bearer)
    body = response.json()
    assert len(body["pending"]) == len(body["pickup"]) == len(body["waitlist"]) == 30
    assert (
        few
        == many
        == [
            "SELECT api_apitoken",  # the token with its owner
            "SELECT auth_permission",  # whether the owner may use the desk
            "SELECT core_changecounter",  # the SHARED version, for the ETag
            "SELECT core_eventsettings",  # the desk's counts (desk_stats)
            "SELECT checkout_hardwarerequest",  # the three queues, one window query
        ]
    )


def test_an_unchanged_queue_is_a_304_after_the_token_and_the_version(client, bearer, named_queries):
    HardwareRequestFactory()
    etag = client.get(URL, **bearer)["ETag"]
    response, queries = named_queries(client.get, URL, HTTP_IF_NONE_MATCH=etag, **bearer)
    assert response.status_code == 304
    assert queries == ["SELECT api_apitoken", "SELECT auth_permission", "SELECT core_changecounter"]


def test_a_request_notes_the_tokens_use_at_most_once_a_minute(client, token, bearer):
    row, _ = token
    type(row).objects.filter(pk=row.pk).update(last_used_at=None)
    client.get(URL, **bearer)
    row.refresh_from_db()
    noted = row.last_used_at
    assert noted is not None and (timezone.now() - noted).total_seconds() < 60

    client.get(URL, **bearer)
    row.refresh_from_db()
    assert row.last_used_at == noted

    type(row).objects.filter(pk=row.pk).update(last_used_at=noted - timedelta(minutes=2))
    client.get(URL, **bearer)
    row.refresh_from_db()
    assert row.last_used_at > noted
