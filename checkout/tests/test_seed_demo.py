import pytest
from django.core.management import call_command

from accounts.models import User
from checkout.management.commands.seed_demo import DEMO_ORGANISER, DEMO_PARTICIPANT
from checkout.models import (
    HardwareRequest,
    IDCollateral,
    Loan,
    LotteryCommitment,
    RequestEvent,
    Status,
)
from inventory.models import Entry, Unit

pytestmark = pytest.mark.django_db


def fingerprint():
    return (
        list(
            Entry.objects.order_by("name").values_list(
                "name", "kind", "is_visible", "counted_stock"
            )
        ),
        list(Unit.objects.order_by("asset_tag").values_list("asset_tag", "condition")),
        list(User.objects.order_by("email").values_list("email", "location", "team_name")),
        list(
            HardwareRequest.objects.order_by("user__email", "entry__name", "status").values_list(
                "user__email", "entry__name", "status"
            )
        ),
        list(
            Loan.objects.order_by("unit__asset_tag").values_list("unit__asset_tag", "user__email")
        ),
    )


def wipe():
    for model in (Loan, IDCollateral, RequestEvent, HardwareRequest, Entry, User):
        model.objects.all().delete()


def test_it_is_deterministic():
    call_command("seed_demo", entries=30, units=3, participants=10, requests=40, verbosity=0)
    first = fingerprint()
    wipe()
    call_command("seed_demo", entries=30, units=3, participants=10, requests=40, verbosity=0)
    assert fingerprint() == first
    assert len(first[0]) == 30
    assert len(first[2]) == 12  # participants plus the two demo accounts
    assert len(first[3]) == 40


def test_it_scales_and_skips_when_not_empty():
    call_command("seed_demo", entries=120, units=4, participants=0, verbosity=0)
    assert Entry.objects.count() == 120
    counted = Entry.objects.filter(counted_stock__isnull=False).count()
    assert Unit.objects.count() == (120 - counted) * 4
    call_command("seed_demo", entries=5, if_empty=True, verbosity=0)
    assert Entry.objects.count() == 120


def test_the_demo_organiser_can_sign_in_to_the_admin(client):
    call_command("seed_demo", entries=5, units=1, participants=1, verbosity=0)
    assert client.login(username=DEMO_ORGANISER[0], password=DEMO_ORGANISER[1])
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/inventory/entry/").status_code == 200
    organiser = User.objects.get(email=DEMO_ORGANISER[0])
    assert organiser.is_staff and not organiser.is_superuser


def test_the_demo_participant_can_sign_in_but_not_to_the_admin(client):
    call_command("seed_demo", entries=5, units=1, participants=1, verbosity=0)
    response = client.post(
        "/accounts/login/", {"login": DEMO_PARTICIPANT[0], "password": DEMO_PARTICIPANT[1]}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302


def test_seeded_requests_are_consistent_with_stock():
    call_command("seed_demo", entries=60, units=3, participants=40, requests=300, verbosity=0)
    assert HardwareRequest.objects.count() == 300
    for entry in Entry.objects.with_stock():
        assert entry.units_lent + entry.units_reserved <= entry.units_in_service
    fulfilled = HardwareRequest.objects.filter(status=Status.FULFILLED)
    assert Loan.objects.open().count() == fulfilled.count()
    holders = set(Loan.objects.open().values_list("user_id", flat=True))
    assert holders == set(IDCollateral.objects.held().values_list("user_id", flat=True))


def test_every_lottery_with_entrants_can_be_drawn():
    call_command("seed_demo", entries=60, units=2, participants=20, requests=80, verbosity=0)
    waiting = set(
        HardwareRequest.objects.lottery_entrants().values_list("entry_id", flat=True).distinct()
    )
    assert waiting
    assert set(LotteryCommitment.objects.values_list("entry_id", flat=True)) == waiting
