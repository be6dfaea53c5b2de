import datetime
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from checkout import services
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from core.models import EventSettings
from inventory.models import Entry, Kind
from inventory.tests.factories import CategoryFactory, EntryFactory, UnitFactory, make_inventory

pytestmark = pytest.mark.django_db
URL = reverse("checkout:catalogue")


def test_the_root_redirects_to_the_catalogue(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == URL


def test_it_shows_entries_in_sections_with_stock(client):
    arduino = EntryFactory(name="Arduino Uno", kind=Kind.CHECKOUT)
    UnitFactory.create_batch(3, entry=arduino)
    EntryFactory(name="Oculus", kind=Kind.LOTTERY)
    EntryFactory(name="Jumper wires", kind=Kind.FREE, counted_stock=40)

    response = client.get(URL)

    assert response.status_code == 200
    sections = {section["kind"]: section for section in response.context["sections"]}
    assert [e.name for e in sections[Kind.CHECKOUT]["entries"]] == ["Arduino Uno"]
    assert [e.name for e in sections[Kind.LOTTERY]["entries"]] == ["Oculus"]
    # What most people came for first, then the scarce draws, then what is free to take.
    assert [s["kind"] for s in response.context["sections"]] == [
        Kind.CHECKOUT,
        Kind.LOTTERY,
        Kind.FREE,
    ]
    body = response.content.decode()
    assert "3 of 3 left" in body
    assert "Free: just take" in body and ", 40 left<" in body
    assert EventSettings.load().checkout_text in body


def test_it_hides_hidden_entries_from_participants_only(participant_client, organiser, client):
    EntryFactory(name="Secret prototype", is_visible=False)
    EntryFactory(name="Public board")

    body = participant_client.get(URL).content.decode()
    assert "Secret prototype" not in body
    assert "Public board" in body

    client.force_login(organiser)
    body = client.get(URL).content.decode()
    assert "Secret prototype" in body
    assert "Hidden from participants" in body


def test_it_hides_stock_figures_when_organisers_say_so(client, organiser):
    entry = EntryFactory(kind=Kind.LOTTERY)
    UnitFactory.create_batch(2, entry=entry)
    EventSettings.objects.update_or_create(pk=1, defaults={"show_lottery_quantities": False})

    assert "0 entered for 2 of 2" not in client.get(URL).content.decode()
    client.force_login(organiser)
    assert "0 entered for 2 of 2" in client.get(URL).content.decode()


def test_it_searches_by_name_and_filters_by_category(client):
    sensors = CategoryFactory(name="Sensors")
    EntryFactory(name="Ultrasonic sensor", category=sensors)
    EntryFactory(name="Ultrasonic cleaner")
    EntryFactory(name="Light sensor", category=sensors)

    response = client.get(URL, {"q": "ultrasonic"})
    names = {e.name for s in response.context["sections"] for e in s["entries"]}
    assert names == {"Ultrasonic sensor", "Ultrasonic cleaner"}

    response = client.get(URL, {"q": "ultrasonic", "category": sensors.pk})
    names = {e.name for s in response.context["sections"] for e in s["entries"]}
    assert names == {"Ultrasonic sensor"}


@pytest.mark.parametrize(
    "params",
    [
        {"category": "abc"},
        {"category": "999999"},
        {"category": "1 OR 1=1"},
        {"q": "x" * 500},
        {"category": ["1", "2"], "q": "%%%"},
    ],
)
def test_it_answers_garbage_parameters_with_a_400_and_no_results(client, params):
    EntryFactory(name="Arduino")
    response = client.get(URL, params)
    assert response.status_code == 400
    assert all(not s["entries"] for s in response.context["sections"])
    assert "could not be used" in response.content.decode()


@pytest.mark.parametrize("text", ["%", "_", "'; drop table", "ü∂ƒ", "   "])
def test_it_treats_odd_search_text_as_text(client, text):
    EntryFactory(name="Arduino")
    response = client.get(URL, {"q": text})
    assert response.status_code == 200


def catalogue_queries(client, named_queries):
    response, queries = named_queries(client.get, URL)
    assert response.status_code == 200
    return queries


@pytest.mark.parametrize("who", ["anonymous", "participant", "organiser"])
def test_its_query_count_does_not_grow_with_the_inventory(
    client, participant, organiser, named_queries, snapshot_clock, who
):
    signed_in = who != "anonymous"
    if signed_in:
        client.force_login(participant if who == "participant" else organiser)
    make_inventory(entries=3, units=2)
    small_miss = catalogue_queries(client, named_queries)
    small_hit = catalogue_queries(client, named_queries)
    make_inventory_more(entries=200, units=10)
    cache.clear()
    snapshot_clock.advance(1)  # the snapshot of the versions is due for its refresh
    large_miss = catalogue_queries(client, named_queries)
    large_hit = catalogue_queries(client, named_queries)

    user = ["SELECT accounts_user"] if signed_in else []
    # The header asks whether an organiser may use the desk: their permissions, once.
    desk_link = ["SELECT auth_permission"] if who == "organiser" else []
    # Their own open requests and loans, shown on their cards: two queries, whatever the size.
    mine = ["SELECT checkout_hardwarerequest", "SELECT checkout_loan"] if signed_in else []
    assert (
        small_miss
        == large_miss
        == [
            *user,
            # The snapshot of the versions refreshing (LIVE_SNAPSHOT_SECONDS had passed): at
            # most one query per process per interval, whatever the number of requests.
            "SELECT core_changecounter",
            "SELECT core_eventsettings",  # section texts, which figures to show
            "SELECT inventory_category",  # the filter's choices
            "SELECT inventory_entry",  # how many entries each section has
            # each section's first cards with their category and stock (LIMIT): three kinds
            *["SELECT inventory_entry"] * 3,
            *mine,
            *desk_link,
        ]
    )
    # Nothing changed since: the version from the snapshot, the body from the cache.
    assert small_hit == large_hit == [*user, *mine, *desk_link]


def make_inventory_more(*, entries, units):
    Entry.objects.all().delete()
    make_inventory(entries=entries, units=units)
    assert Entry.objects.count() == entries


def test_a_change_to_stock_shows_at_once(client, organiser, django_capture_on_commit_callbacks):
    from checkout import services
    from checkout.tests.factories import HardwareRequestFactory

    entry = EntryFactory(name="Pico")
    UnitFactory.create_batch(3, entry=entry)
    assert "3 of 3 left" in client.get(URL).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_request(hardware_request=HardwareRequestFactory(entry=entry), by=organiser)
    assert "2 of 3 left" in client.get(URL).content.decode()


def test_an_admin_edit_shows_at_once(organiser_client, django_capture_on_commit_callbacks):
    entry = EntryFactory(name="Old name")
    assert "Old name" in organiser_client.get(URL).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        entry.name = "New name"
        entry.save()
    body = organiser_client.get(URL).content.decode()
    assert "New name" in body and "Old name" not in body


def test_a_lapsed_pickup_frees_its_unit_in_the_cached_catalogue(client, organiser):
    # The approval's deadline passes with no write at all: the cached catalogue must not keep
    # saying the unit is taken while the entry page (uncached) says it is free.
    entry = stocked_entry(units=1, name="Pico")
    reservation = HardwareRequestFactory(entry=entry)
    services.approve_request(hardware_request=reservation, by=organiser)
    soon = timezone.now() + datetime.timedelta(seconds=1)
    with connection.cursor() as cursor:  # set up the deadline behind the app's back
        cursor.execute(
            "UPDATE checkout_hardwarerequest SET pickup_deadline = %s WHERE id = %s",
            [soon, reservation.pk],
        )
    assert "0 of 1 left" in client.get(URL).content.decode()

    time.sleep(1.2)  # only time passes

    assert "1 of 1 left" in client.get(URL).content.decode()
    assert "1 of 1 left" in client.get(entry.get_absolute_url()).content.decode()


def test_a_big_inventory_is_shown_a_bounded_page_at_a_time(client):
    """20x the preview in one section: the landing page shows the preview and a link to see
    all; the section's own pages show a page each and link the next, until the last."""
    from checkout.views.catalogue import PAGE_SIZE, SECTION_PREVIEW

    total = PAGE_SIZE * 2 + 5
    make_inventory(entries=total, units=1, kinds=(Kind.CHECKOUT,))
    landing = client.get(URL)
    assert len(landing.context["sections"][0]["entries"]) == SECTION_PREVIEW
    assert f"See all {total} in Borrow" in landing.content.decode()

    names, page, url = [], 1, f"{URL}?kind=checkout"
    while url:
        response = client.get(url)
        assert response.status_code == 200
        section = response.context["sections"][0]
        assert len(section["entries"]) == (PAGE_SIZE if page < 3 else 5)
        names += [entry.name for entry in section["entries"]]
        url, page = section["more_url"], page + 1
    # Every entry once, in catalogue order, over three pages.
    assert names == list(
        Entry.objects.order_by("category__name", "name").values_list("name", flat=True)
    )
    assert page == 4


@pytest.mark.parametrize("params", [{"kind": "robots"}, {"page": "0"}, {"page": "x"}])
def test_a_bad_section_or_page_is_a_400(client, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert "could not be used" in response.content.decode()


def test_a_page_past_the_end_is_empty_not_an_error(client):
    make_inventory(entries=3, units=1, kinds=(Kind.CHECKOUT,))
    response = client.get(URL, {"kind": "checkout", "page": "50"})
    assert response.status_code == 200
    assert response.context["sections"][0]["entries"] == []
