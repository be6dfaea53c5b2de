import factory

from accounts.tests.factories import UserFactory
from checkout.models import HardwareRequest, Status
from inventory.models import Kind
from inventory.tests.factories import EntryFactory, UnitFactory


class HardwareRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HardwareRequest

    user = factory.SubFactory(UserFactory)
    entry = factory.SubFactory(EntryFactory)
    quantity = 1
    status = Status.SUBMITTED


def stocked_entry(units=5, kind=Kind.CHECKOUT, **kwargs):
    """An entry with `units` units in OK condition."""
    entry = EntryFactory(kind=kind, **kwargs)
    for n in range(units):
        UnitFactory(entry=entry, asset_tag=f"{entry.tag_prefix}-{n + 1:03d}")
    return entry
