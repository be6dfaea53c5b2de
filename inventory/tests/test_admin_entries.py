import pytest
from django.urls import reverse

from inventory.models import Entry, Kind, Unit
from inventory.tests.factories import EntryFactory, UnitFactory, make_inventory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:inventory_entry_changelist")


def test_the_demo_organiser_reaches_the_entry_changelist(organiser_client):
    EntryFactory(name="Arduino Uno")
    response = organiser_client.get(CHANGELIST)
    assert response.status_code == 200
    assert "Arduino Uno" in response.content.decode()


def test_participants_cannot_open_the_back_office(participant_client):
    response = participant_client.get(CHANGELIST)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_changelist_shows_stock_columns(organiser_client):
    entry = EntryFactory(name="Pico")
    UnitFactory.create_batch(6, entry=entry)
    UnitFactory(entry=entry, condition="retired")
    response = organiser_client.get(CHANGELIST)
    row = response.context["cl"].result_list.get(pk=entry.pk)
    assert (row.units_total, row.stock_total, row.stock_available) == (7, 6, 6)


def test_the_changelist_query_count_does_not_grow(organiser_client, named_queries):
    # Expected: session, user, the organiser's permissions (group and user), the filtered count,
    # the full count, the page of entries with category and stock, categories for the filter.
    make_inventory(entries=3, units=2)
    _, few = named_queries(organiser_client.get, CHANGELIST)
    Entry.objects.all().delete()
    make_inventory(entries=200, units=10)
    response, many = named_queries(organiser_client.get, CHANGELIST)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 100
    assert (
        few
        == many
        == [
            "SELECT accounts_user",
            "SELECT auth_permission",
            "SELECT inventory_category",  # the category filter's choices
            "SELECT inventory_entry",  # the page's count
            "SELECT inventory_entry",  # one page of entries with category and stock
        ]
    )


def test_actions_hide_show_and_change_kind(organiser_client):
    first, second = EntryFactory(kind=Kind.CHECKOUT), EntryFactory(kind=Kind.FREE)
    ids = [first.pk, second.pk]

    def act(action):
        return organiser_client.post(
            CHANGELIST, {"action": action, "_selected_action": ids}, follow=True
        )

    act("hide")
    assert not Entry.objects.filter(pk__in=ids, is_visible=True).exists()
    act("show")
    assert Entry.objects.filter(pk__in=ids, is_visible=True).count() == 2
    act("make_lottery")
    assert set(Entry.objects.filter(pk__in=ids).values_list("kind", flat=True)) == {Kind.LOTTERY}


def test_add_units_generates_tags(organiser_client):
    entry = EntryFactory(name="Arduino Uno")
    url = reverse("admin:inventory_entry_add_units", args=[entry.pk])
    assert "ARDUINO-UNO-001" in organiser_client.get(url).content.decode()

    response = organiser_client.post(url, {"count": 3})

    assert response.status_code == 302
    assert list(entry.units.values_list("asset_tag", flat=True)) == [
        "ARDUINO-UNO-001",
        "ARDUINO-UNO-002",
        "ARDUINO-UNO-003",
    ]


@pytest.mark.parametrize("count", ["0", "-4", "abc", "100000", ""])
def test_add_units_rejects_bad_counts(organiser_client, count):
    entry = EntryFactory()
    url = reverse("admin:inventory_entry_add_units", args=[entry.pk])
    response = organiser_client.post(url, {"count": count})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Unit.objects.count() == 0
