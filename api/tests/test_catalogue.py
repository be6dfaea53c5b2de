"""GET /api/v1/catalogue: visible entries with stock in their kind's terms, filtered and paged,
for anyone, at a fixed query count, with an ETag."""

import pytest

from checkout import services
from checkout.models import Status
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from core.models import EventSettings
from inventory.models import Kind
from inventory.tests.factories import CategoryFactory, EntryFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/catalogue"


def by_name(response):
    return {item["name"]: item for item in response.json()["items"]}


def test_it_shows_checkout_stock_as_the_catalogue_does(client, organiser):
    arduino = stocked_entry(units=4, name="Arduino Uno", max_request_quantity=2)
    HardwareRequestFactory(entry=arduino, quantity=1)  # awaiting approval
    ready = HardwareRequestFactory(entry=arduino, quantity=2)
    services.approve_request(hardware_request=ready, by=organiser)
    HardwareRequestFactory(entry=arduino, status=Status.WAITLISTED)

    item = by_name(client.get(URL))["Arduino Uno"]

    assert item["kind"] == "checkout"
    assert item["max_request_quantity"] == 2
    assert item["url"] == f"http://testserver/inventory/{arduino.pk}/"
    # 4 units, 2 promised to the approved request, 1 asked for, 1 waited for: 0 left.
    assert item["stock"] == {
        "available": False,
        "quantities_shown": True,
        "left": 0,
        "total": 4,
        "requested": 1,
        "waitlisted": 1,
        "entrants": None,
    }


def test_it_shows_lottery_entrants_and_free_counts(client):
    drone = stocked_entry(units=2, kind=Kind.LOTTERY, name="Drone")
    HardwareRequestFactory.create_batch(3, entry=drone, proposal="fly")
    EntryFactory(kind=Kind.FREE, name="Resistors", counted_stock=0)
    EntryFactory(kind=Kind.FREE, name="Stickers")

    items = by_name(client.get(URL))

    assert items["Drone"]["stock"] == {
        "available": True,
        "quantities_shown": True,
        "left": 2,
        "total": 2,
        "requested": None,
        "waitlisted": None,
        "entrants": 3,
    }
    assert items["Resistors"]["stock"]["available"] is False
    assert items["Resistors"]["stock"]["left"] == 0
    assert items["Stickers"]["stock"]["available"] is True  # uncounted: just take one
    assert items["Stickers"]["stock"]["left"] is None


def test_it_hides_figures_where_the_event_hides_them_but_says_if_any_are_left(client):
    EventSettings.objects.update_or_create(pk=1, defaults={"show_checkout_quantities": False})
    stocked_entry(units=2, name="Soldering iron")

    stock = by_name(client.get(URL))["Soldering iron"]["stock"]

    assert stock["available"] is True
    assert stock["quantities_shown"] is False
    assert stock["left"] is stock["total"] is stock["requested"] is None


def test_it_lists_visible_entries_only_in_catalogue_order(client):
    sensors, boards = CategoryFactory(name="Sensors"), CategoryFactory(name="Boards")
    stocked_entry(units=1, name="Ultrasonic", category=sensors)
    stocked_entry(units=1, name="Pico", category=boards)
    stocked_entry(units=1, name="Drone", kind=Kind.LOTTERY, category=boards)
    EntryFactory(name="Secret prototype", is_visible=False)

    names = [item["name"] for item in client.get(URL).json()["items"]]

    assert names == ["Pico", "Ultrasonic", "Drone"]  # borrow by category, then lottery


def test_it_filters_by_words_category_and_kind(client):
    sensors = CategoryFactory(name="Sensors")
    stocked_entry(units=1, name="Arduino Uno", description="A board")
    stocked_entry(units=1, name="Arduino Nano", category=sensors)
    stocked_entry(units=1, name="Drone", kind=Kind.LOTTERY, description="arduino inside")

    def names(**params):
        return sorted(item["name"] for item in client.get(URL, params).json()["items"])

    assert names(q="arduino") == ["Arduino Nano", "Arduino Uno", "Drone"]
    assert names(q="arduino", kind="lottery") == ["Drone"]
    assert names(category=sensors.pk) == ["Arduino Nano"]
    assert names(category=sensors.pk + 1000) == []


def test_it_pages_with_limit_and_offset_and_counts_every_match(client):
    for n in range(5):
        stocked_entry(units=1, name=f"Board {n}")

    body = client.get(URL, {"limit": 2, "offset": 3}).json()

    assert (body["count"], body["limit"], body["offset"]) == (5, 2, 3)
    assert [item["name"] for item in body["items"]] == ["Board 3", "Board 4"]


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 101},
        {"limit": 0},
        {"offset": -1},
        {"offset": 10**7},
        {"category": "sensors"},
        {"category": 2**63},
        {"kind": "gadget"},
        {"q": "x" * 101},
        {"sort": "name"},  # unknown: refused, not ignored
    ],
)
def test_it_answers_bad_filters_with_a_400_saying_what_was_wrong(client, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    (name,) = params
    assert response.json()["errors"][0]["loc"] == ["query", name]
    assert name in response.json()["detail"]


def test_a_nul_byte_is_a_json_400(client):
    response = client.get(URL, {"q": "a\x00b"})
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_it_shows_no_participant_data(client, participant):
    entry = stocked_entry(units=1, name="Pico")
    HardwareRequestFactory(entry=entry, user=participant)
    body = client.get(URL).content.decode()
    assert "Pat" not in body and "pat@example.com" not in body


def add_entries(count):
    """count borrowable entries and count lotteries with an entrant, in their own categories."""
    for _ in range(count):
        stocked_entry(units=2, category=CategoryFactory())
        HardwareRequestFactory(entry=stocked_entry(units=1, kind=Kind.LOTTERY), proposal="x")


def test_it_costs_four_queries_at_2_entries_and_at_30(client, named_queries):
    add_entries(1)
    response, few = named_queries(client.get, URL)
    assert len(response.json()["items"]) == 2
    add_entries(14)
    response, many = named_queries(client.get, URL)
    assert len(response.json()["items"]) == 30
    assert (
        few
        == many
        == [
            "SELECT core_changecounter",  # the SHARED version, for the ETag
            "SELECT core_eventsettings",  # which kinds show quantities
            "SELECT inventory_entry",  # how many match
            "SELECT inventory_entry",  # the page, with category, stock and entrants
        ]
    )


def test_an_unchanged_catalogue_is_a_304_after_one_query(client, named_queries):
    stocked_entry(units=1)
    first = client.get(URL, {"kind": "checkout"})
    assert first["Cache-Control"] == "no-cache"

    again, queries = named_queries(
        client.get, URL, {"kind": "checkout"}, HTTP_IF_NONE_MATCH=first["ETag"]
    )

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert queries == ["SELECT core_changecounter"]


def test_the_etag_changes_with_the_parameters_and_with_any_change(
    client, django_capture_on_commit_callbacks
):
    stocked_entry(units=1)
    etag = client.get(URL)["ETag"]
    assert client.get(URL, {"limit": 5})["ETag"] != etag
    assert client.get(URL, {"limit": 30})["ETag"] == etag  # the default, spelled out

    with django_capture_on_commit_callbacks(execute=True):
        HardwareRequestFactory()

    response = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
