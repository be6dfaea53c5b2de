import pytest
from django.core.exceptions import ValidationError

from checkout import services
from checkout.models import Handout
from checkout.tests.factories import stocked_entry
from inventory.models import Condition, Entry, Kind
from inventory.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


def test_a_counted_handout_lowers_the_stock(organiser, participant):
    entry = EntryFactory(kind=Kind.FREE, counted_stock=50)
    services.record_handout(entry=entry, quantity=12, by=organiser, user=participant)
    assert Entry.objects.with_stock().get(pk=entry.pk).stock_available == 38
    handout = Handout.objects.get()
    assert (handout.quantity, handout.user, handout.by) == (12, participant, organiser)


def test_a_tagged_free_handout_retires_units(organiser):
    entry = stocked_entry(units=4, kind=Kind.FREE)
    services.record_handout(entry=entry, quantity=3, by=organiser)
    assert entry.units.filter(condition=Condition.RETIRED).count() == 3
    assert Entry.objects.with_stock().get(pk=entry.pk).stock_available == 1


@pytest.mark.parametrize("quantity", [0, -2, 51])
def test_it_refuses_bad_quantities_and_changes_nothing(organiser, quantity):
    entry = EntryFactory(kind=Kind.FREE, counted_stock=50)
    with pytest.raises(ValidationError):
        services.record_handout(entry=entry, quantity=quantity, by=organiser)
    entry.refresh_from_db()
    assert entry.counted_stock == 50
    assert not Handout.objects.exists()


def test_checkout_items_are_not_handed_out_this_way(organiser):
    with pytest.raises(ValidationError, match="not a free item"):
        services.record_handout(entry=stocked_entry(), quantity=1, by=organiser)
