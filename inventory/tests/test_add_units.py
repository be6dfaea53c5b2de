import pytest
from django.core.exceptions import ValidationError

from inventory import services
from inventory.models import Unit
from inventory.tests.factories import EntryFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_it_continues_after_the_highest_tag_in_use():
    entry = EntryFactory(name="Raspberry Pi 4")
    UnitFactory(entry=entry, asset_tag="RASPBERRY-PI-4-007")
    UnitFactory(entry=entry, asset_tag="custom-tag")

    units = services.add_units(entry=entry, count=2)

    assert [u.asset_tag for u in units] == ["RASPBERRY-PI-4-008", "RASPBERRY-PI-4-009"]


def test_it_widens_numbers_past_999():
    entry = EntryFactory(name="Resistor")
    UnitFactory(entry=entry, asset_tag="RESISTOR-999")
    assert [u.asset_tag for u in services.add_units(entry=entry, count=2)] == [
        "RESISTOR-1000",
        "RESISTOR-1001",
    ]


@pytest.mark.parametrize("count", [0, -1, services.MAX_UNITS_PER_BATCH + 1])
def test_it_rejects_a_count_out_of_range(count):
    entry = EntryFactory()
    with pytest.raises(ValidationError):
        services.add_units(entry=entry, count=count)
    assert Unit.objects.count() == 0


def test_it_refuses_units_for_a_counted_consumable():
    entry = EntryFactory(counted_stock=10)
    with pytest.raises(ValidationError, match="counted stock"):
        services.add_units(entry=entry, count=1)
    assert Unit.objects.count() == 0
