import pytest
from django.urls import reverse

from inventory.models import Entry, EventSettings, Kind, Unit
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


def test_the_changelist_query_count_does_not_grow(organiser_client, count_queries):
    # Expected: session, user, the organiser's permissions (group and user), the filtered count,
    # the full count, the page of entries with category and stock, categories for the filter.
    make_inventory(entries=3, units=2)
    _, few = count_queries(organiser_client.get, CHANGELIST)
    Entry.objects.all().delete()
    make_inventory(entries=200, units=10)
    response, many = count_queries(organiser_client.get, CHANGELIST)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 100
    assert len(few) == len(many)


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


def test_event_settings_changelist_goes_to_the_one_row(admin_client):
    response = admin_client.get(reverse("admin:inventory_eventsettings_changelist"))
    assert response.status_code == 302
    assert response["Location"].endswith("/inventory/eventsettings/1/change/")


def test_organisers_edit_every_event_setting(organiser_client):
    from django.forms.models import model_to_dict

    url = reverse("admin:inventory_eventsettings_change", args=[1])
    page = organiser_client.get(url)
    assert page.status_code == 200
    editable = set(page.context["adminform"].form.fields)
    every_setting = {f.name for f in EventSettings._meta.fields if f.name != "id"}
    assert editable == every_setting

    data = {k: v for k, v in model_to_dict(EventSettings.load()).items() if v is not None}
    data.update(
        waitlist_enabled="",
        pickup_expiry_minutes=15,
        proposal_max_length=200,
        lottery_deny_losers="",
    )
    for flag in (
        "show_lottery_quantities",
        "show_checkout_quantities",
        "show_free_quantities",
        "proposal_required",
        "waitlist_auto_approve",
        "lottery_close_when_run",
        "lottery_multiple_entries",
    ):
        data[flag] = "on" if data.get(flag) else ""
    data = {k: v for k, v in data.items() if v != ""}
    assert organiser_client.post(url, data).status_code == 302
    saved = EventSettings.load()
    assert (saved.waitlist_enabled, saved.pickup_expiry_minutes, saved.proposal_max_length) == (
        False,
        15,
        200,
    )
    assert not saved.lottery_deny_losers
