"""The standard benchmark dataset loads as bench/README.md describes it."""

import pytest
from django.core.management import call_command

from accounts.models import User
from checkout import services
from checkout.models import Handout, HardwareRequest, IDCollateral, Loan, LotteryDraw, Status
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Entry, Kind, Unit

pytestmark = pytest.mark.django_db


def test_it_loads_the_dataset_consistently():
    call_command("load_bench_dataset", verbosity=0)

    assert Entry.objects.count() == 200
    assert Unit.objects.count() == 2000
    assert User.objects.count() == 300
    assert Entry.objects.filter(is_visible=False).count() == 18
    assert Entry.objects.filter(kind=Kind.LOTTERY).count() == 40
    statuses = {s: HardwareRequest.objects.filter(status=s).count() for s in Status.values}
    assert statuses[Status.SUBMITTED] == 240
    assert statuses[Status.APPROVED] == 120
    assert statuses[Status.FULFILLED] == 150
    assert statuses[Status.DENIED] == 90
    assert Loan.objects.open().count() == 150
    assert Loan.objects.filter(request__isnull=True).count() == 0
    assert IDCollateral.objects.held().count() == 118
    for entry in Entry.objects.with_stock():
        assert 0 <= entry.units_lent + entry.units_reserved <= entry.units_in_service
    assert User.objects.get(email="user0226@example.com").hardware_requests.count() == 7
    organiser = User.objects.get(email="user0001@example.com")
    assert organiser.is_staff and organiser.has_perm("checkout.change_hardwarerequest")


def test_it_replaces_an_event_that_has_run_draws_and_hand_outs(organiser):
    lottery = stocked_entry(kind=Kind.LOTTERY, units=1)
    HardwareRequestFactory(entry=lottery, proposal="x")
    services.run_lottery(entry=lottery, by=organiser)
    services.record_handout(entry=stocked_entry(kind=Kind.FREE), quantity=2, by=organiser)

    call_command("load_bench_dataset", verbosity=0)

    assert not LotteryDraw.objects.exists() and not Handout.objects.exists()
    assert Entry.objects.count() == 200 and User.objects.count() == 300
