import factory

from accounts.tests.factories import UserFactory
from checkout.lottery import commitment_of, new_seed
from checkout.models import HardwareRequest, LotteryCommitment, Status
from inventory.models import Kind
from inventory.tests.factories import EntryFactory, UnitFactory


class HardwareRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HardwareRequest
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    entry = factory.SubFactory(EntryFactory)
    quantity = 1
    status = Status.SUBMITTED

    @factory.post_generation
    def seed_committed(hardware_request, create, extracted, **kwargs):
        """As with submit_request, a lottery's entrant finds its next draw's seed committed
        (a random one, unless one is). `seed_committed=False` leaves the lottery without."""
        entry = hardware_request.entry
        if create and extracted is not False and entry.kind == Kind.LOTTERY:
            seed = new_seed()
            LotteryCommitment.objects.get_or_create(
                entry=entry, defaults={"seed": seed, "commitment": commitment_of(seed)}
            )


def stocked_entry(units=5, kind=Kind.CHECKOUT, **kwargs):
    """An entry with `units` units in OK condition."""
    entry = EntryFactory(kind=kind, **kwargs)
    for n in range(units):
        UnitFactory(entry=entry, asset_tag=f"{entry.tag_prefix}-{n + 1:03d}")
    return entry
