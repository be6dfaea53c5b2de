"""GET /api/v1/entries/{id}: one visible entry with its stock; a JSON 404 or 400 otherwise."""

import pytest

from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Kind
from inventory.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


def url(pk):
    return f"/api/v1/entries/{pk}"


def test_it_shows_an_entry_with_its_stock(client):
    drone = stocked_entry(units=1, kind=Kind.LOTTERY, name="Drone", link="https://example.com/d")
    HardwareRequestFactory.create_batch(2, entry=drone, proposal="fly")

    body = client.get(url(drone.pk)).json()

    assert body["name"] == "Drone"
    assert body["link"] == "https://example.com/d"
    assert body["category"]["id"] == drone.category_id
    assert (body["stock"]["left"], body["stock"]["entrants"]) == (1, 2)


@pytest.mark.parametrize("pk", ["hidden", "missing"])
def test_a_hidden_or_missing_entry_is_a_json_404(client, pk):
    hidden = EntryFactory(is_visible=False)
    response = client.get(url(hidden.pk if pk == "hidden" else hidden.pk + 1))
    assert response.status_code == 404
    assert response.json()["detail"].startswith("No entry")


@pytest.mark.parametrize("pk", ["abc", "0", "-3", str(2**63), "1.5"])
def test_a_bad_id_is_a_json_400(client, pk):
    response = client.get(url(pk))
    assert response.status_code == 400
    assert response.json()["errors"][0]["loc"] == ["path", "entry_id"]


def test_it_costs_three_queries_whatever_the_entry_has(client, named_queries):
    entry = stocked_entry(units=2, kind=Kind.LOTTERY)
    HardwareRequestFactory.create_batch(2, entry=entry, proposal="x")
    _, few = named_queries(client.get, url(entry.pk))
    HardwareRequestFactory.create_batch(28, entry=entry, proposal="x")
    response, many = named_queries(client.get, url(entry.pk))
    assert response.json()["stock"]["entrants"] == 30
    assert (
        few
        == many
        == [
            "SELECT core_changecounter",  # the SHARED version, for the ETag
            "SELECT inventory_entry",  # the entry with category, stock and entrants
            "SELECT core_eventsettings",  # whether its kind shows quantities
        ]
    )


def test_an_unchanged_entry_is_a_304_after_one_query(client, named_queries):
    entry = stocked_entry(units=1)
    first = client.get(url(entry.pk))
    other = client.get(url(stocked_entry(units=1).pk))
    assert other["ETag"] != first["ETag"]  # the path is part of it

    again, queries = named_queries(client.get, url(entry.pk), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert queries == ["SELECT core_changecounter"]
