"""An event at closing time, made through the services the desk uses: units still out (one
overdue), units returned OK, damaged and lost, IDs held and given back, hand-outs with and
without a recipient, and two participants with the same name at different tables."""

from datetime import timedelta

from django.utils import timezone

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.models import IDCollateral, Loan
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Condition, Kind
from inventory.tests.factories import EntryFactory


def lend(person, entry, *, by, slot=""):
    """Request, approve and hand out one unit of `entry` to `person`; returns the loan."""
    request = HardwareRequestFactory(user=person, entry=entry)
    services.approve_request(hardware_request=request, by=by)
    (loan,) = services.fulfil_request(hardware_request=request, by=by, id_storage_label=slot)
    return loan


def closing_event(organiser):
    """Returns the people by role, for tests that check what the report says about them."""
    uno = stocked_entry(units=4, name="Arduino Uno")
    scope = stocked_entry(units=3, name="Oscilloscope")
    stickers = stocked_entry(units=3, kind=Kind.FREE, name="Sticker sheet")
    wires = EntryFactory(kind=Kind.FREE, name="Jumper wires", counted_stock=100)

    # Same name, different people: only their accounts tell them apart.
    sam_a = UserFactory(
        name="Sam Lee", email="sam.a@example.com", phone="+1 555 0101", location="Table A2"
    )
    sam_b = UserFactory(
        name="Sam Lee", email="sam.b@example.com", phone="+1 555 0202", location="Table A10"
    )
    # Typed differently, the same table as Sam A.
    ana = UserFactory(name="Ana", email="ana@example.com", location=" table  a2")
    rui = UserFactory(name="Rui", email="rui@example.com", location="")

    overdue = lend(sam_a, uno, by=organiser, slot="S1")
    Loan.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - timedelta(hours=2))
    lend(sam_b, uno, by=organiser, slot="S2")
    damaged = lend(sam_b, scope, by=organiser)
    services.return_loan(loan=damaged, by=organiser, condition=Condition.DAMAGED)
    lost = lend(ana, scope, by=organiser, slot="S3")
    services.return_loan(loan=lost, by=organiser, condition=Condition.LOST)
    # Ana holds nothing now, and the desk still holds her ID: the report says give it back.
    returned = lend(rui, uno, by=organiser, slot="S4")
    services.return_loan(loan=returned, by=organiser)
    services.return_id(collateral=IDCollateral.objects.held().get(user=rui), by=organiser)

    services.record_handout(entry=stickers, quantity=2, by=organiser, user=sam_a)
    services.record_handout(entry=wires, quantity=5, by=organiser)
    services.record_handout(entry=wires, quantity=3, by=organiser, user=sam_b)
    return {"sam_a": sam_a, "sam_b": sam_b, "ana": ana, "rui": rui}


def rows_of_every_kind(organiser, n, serial):
    """`n` rows of every kind the report lists: open loans (and the IDs held with them),
    damaged and lost returns, and hand-outs, each for another participant."""
    entry = stocked_entry(units=2 * n, name=f"Board {serial}")
    free = EntryFactory(kind=Kind.FREE, counted_stock=n, name=f"Stickers {serial}")
    for number in range(n):
        person = UserFactory(location=f"Table {number % 7}")
        lend(person, entry, by=organiser, slot=f"{serial}-{number}")
        broken = lend(person, entry, by=organiser)
        condition = Condition.DAMAGED if number % 2 else Condition.LOST
        services.return_loan(loan=broken, by=organiser, condition=condition)
        services.record_handout(entry=free, quantity=1, by=organiser, user=person)
