import pytest

from inventory.models import Condition, Entry
from inventory.tests.factories import EntryFactory, UnitFactory, make_inventory

pytestmark = pytest.mark.django_db


def test_it_shows_an_entry_with_its_stock(client):
    entry = EntryFactory(name="ESP32", description="Wi-Fi board", link="https://example.com/esp")
    UnitFactory.create_batch(4, entry=entry)
    UnitFactory(entry=entry, condition=Condition.DAMAGED)

    response = client.get(entry.get_absolute_url())

    body = response.content.decode()
    assert response.status_code == 200
    assert "ESP32" in body and "Wi-Fi board" in body
    assert "4 of 4 left" in body
    assert "https://example.com/esp" in body
    assert "Units (" not in body  # tags are for organisers


def test_it_lists_units_for_organisers(organiser_client):
    entry = EntryFactory()
    UnitFactory(entry=entry, asset_tag="ESP-001", condition=Condition.DAMAGED)
    body = organiser_client.get(entry.get_absolute_url()).content.decode()
    assert "ESP-001" in body and "Damaged" in body


def test_organisers_see_who_holds_each_unit(organiser_client, organiser):
    from accounts.tests.factories import UserFactory
    from checkout import services
    from checkout.tests.factories import HardwareRequestFactory

    entry = EntryFactory()
    UnitFactory(entry=entry, asset_tag="PICO-001")
    UnitFactory(entry=entry, asset_tag="PICO-002")
    holder = UserFactory(name="Grace Hopper")
    request = HardwareRequestFactory(entry=entry, user=holder)
    services.approve_request(hardware_request=request, by=organiser)
    services.fulfil_request(hardware_request=request, by=organiser, id_storage_label="A1")

    units = organiser_client.get(entry.get_absolute_url()).context["units"]

    assert [(u.asset_tag, u.holder_name) for u in units] == [
        ("PICO-001", "Grace Hopper"),
        ("PICO-002", None),
    ]


def test_it_hides_hidden_entries_from_participants(participant_client):
    entry = EntryFactory(is_visible=False)
    assert participant_client.get(entry.get_absolute_url()).status_code == 404


def test_it_is_a_404_for_an_unknown_entry(client):
    assert client.get("/inventory/987654/").status_code == 404


@pytest.mark.parametrize("as_organiser", [False, True])
def test_its_query_count_does_not_grow_with_units(
    client, participant, organiser, named_queries, as_organiser
):
    client.force_login(organiser if as_organiser else participant)
    small = make_inventory(entries=3, units=2)[0]
    _, few = named_queries(client.get, small.get_absolute_url())
    Entry.objects.all().delete()
    big = make_inventory(entries=200, units=10)[0]
    response, many = named_queries(client.get, big.get_absolute_url())
    assert response.status_code == 200
    assert (
        few
        == many
        == [
            "SELECT accounts_user",
            "SELECT inventory_entry",  # the entry with its category and stock
            "SELECT core_eventsettings",
            # the signed-in user's open requests: this one's, and another lottery they are in
            "SELECT checkout_hardwarerequest",
            *(["SELECT inventory_unit"] if as_organiser else []),  # its units, with who holds them
            *(["SELECT auth_permission"] if as_organiser else []),  # the header's desk link
        ]
    )
