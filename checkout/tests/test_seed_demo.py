import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from accounts.models import User
from checkout.demo.catalogue import CATEGORIES, catalogue
from checkout.management.commands.seed_demo import DEMO_ORGANISER, DEMO_PARTICIPANT
from checkout.models import (
    HardwareRequest,
    IDCollateral,
    Loan,
    LotteryCommitment,
    RequestEvent,
    Status,
)
from inventory.icons import Icon, guess_icon
from inventory.models import Category, Entry, Kind, Unit

pytestmark = pytest.mark.django_db


def fingerprint():
    return (
        list(
            Entry.objects.order_by("name").values_list(
                "name", "kind", "is_visible", "counted_stock", "description", "link"
            )
        ),
        list(Unit.objects.order_by("asset_tag").values_list("asset_tag", "condition")),
        list(User.objects.order_by("email").values_list("email", "name", "location", "team__name")),
        list(
            HardwareRequest.objects.order_by("user__email", "entry__name", "status").values_list(
                "user__email", "entry__name", "status", "proposal"
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


def test_by_default_it_lists_the_whole_demo_catalogue_once():
    call_command("seed_demo", participants=0, requests=0, verbosity=0)
    names = set(Entry.objects.values_list("name", flat=True))
    assert names == {item.name for _, _, item in catalogue()}


def test_past_the_catalogue_it_adds_mk2_variants_of_the_first_items():
    items = catalogue()
    call_command("seed_demo", entries=len(items) + 3, units=1, participants=0, verbosity=0)
    variants = Entry.objects.filter(name__endswith=" Mk2").order_by("pk")
    assert [entry.name for entry in variants] == [f"{item.name} Mk2" for _, _, item in items[:3]]
    original = Entry.objects.get(name=items[0][2].name)
    assert variants[0].description == original.description
    assert (variants[0].kind, variants[0].category) == (original.kind, original.category)


def test_variants_get_distinct_asset_tags_up_to_the_benchmarks_size():
    # The benchmark seeds 2000 entries (Mk21 of every item); tags are cut at 40 characters.
    names = [f"{item.name} Mk{n}" for _, _, item in catalogue() for n in range(2, 31)]
    prefixes = {Entry(name=name).tag_prefix for name in names}
    assert len(prefixes) == len(names)


def test_entries_have_real_descriptions_and_manufacturer_links():
    call_command("seed_demo", participants=0, requests=0, verbosity=0)
    entries = list(Entry.objects.select_related("category"))
    for entry in entries:
        sentences = re.findall(r"[.!?](?:\s|$)", entry.description)
        assert 1 <= len(sentences) <= 3, entry.name
        assert "for your hack" not in entry.description
        if entry.link:
            parts = urlsplit(entry.link)
            assert parts.scheme == "https" and "example" not in parts.netloc, entry.link
    # Boards and sensors are where teams need the docs: every one links to them.
    for entry in entries:
        if entry.category.name in ("Microcontrollers", "Single-board computers", "Sensors"):
            assert entry.link, entry.name


def test_kinds_suit_the_items():
    call_command("seed_demo", participants=0, requests=0, verbosity=0)
    by_category = {}
    for entry in Entry.objects.select_related("category"):
        by_category.setdefault(entry.category.name, []).append(entry)
    # Tools always come back; nothing but consumables, batteries and cables is given away.
    assert {entry.kind for entry in by_category["Tools"]} == {Kind.CHECKOUT}
    assert {entry.kind for entry in by_category["Consumables"]} == {Kind.FREE}
    free = [
        entry for entries in by_category.values() for entry in entries if entry.kind == Kind.FREE
    ]
    assert {entry.category.icon for entry in free} <= {Icon.CONSUMABLE, Icon.POWER, Icon.CABLE}
    assert all(entry.counted_stock for entry in free)
    # Headsets, drones and the Jetson go by lottery, one per request.
    lottery = {
        entry.name
        for entries in by_category.values()
        for entry in entries
        if entry.kind == Kind.LOTTERY
    }
    assert {"Meta Quest 3", "DJI Tello drone", "Jetson Orin Nano Dev Kit"} <= lottery
    assert set(
        Entry.objects.filter(kind=Kind.LOTTERY).values_list("max_request_quantity", flat=True)
    ) == {1}
    assert Entry.objects.get(name="Pinecil soldering iron").kind == Kind.CHECKOUT
    assert Entry.objects.get(name="Zip ties").kind == Kind.FREE


def test_categories_get_the_icon_their_name_suggests():
    call_command("seed_demo", entries=20, participants=0, requests=0, verbosity=0)
    icons = dict(Category.objects.values_list("name", "icon"))
    assert len(icons) == len(CATEGORIES)  # 20 entries reach every category
    assert all(icon == guess_icon(name) != Icon.GENERIC for name, icon in icons.items())


def test_lottery_proposals_vary_and_are_about_the_item():
    call_command("seed_demo", participants=40, requests=300, units=2, verbosity=0)
    items = {item.name: item for _, _, item in catalogue()}
    entered = HardwareRequest.objects.filter(entry__kind=Kind.LOTTERY).select_related("entry")
    assert entered.count() >= 10
    for request in entered:
        assert request.proposal in items[request.entry.name].proposals
    assert len({request.proposal for request in entered}) >= 10
    assert not HardwareRequest.objects.exclude(entry__kind=Kind.LOTTERY).exclude(proposal="")


def test_participants_have_varied_international_names():
    call_command("seed_demo", entries=5, participants=200, requests=0, verbosity=0)
    people = User.objects.exclude(email__in=[DEMO_ORGANISER[0], DEMO_PARTICIPANT[0]])
    names = list(people.values_list("name", flat=True))
    emails = list(people.values_list("email", flat=True))
    assert len(names) == 200 and len(set(names)) == 200
    assert not any(name.startswith("Hacker") for name in names)
    assert len({name.split(" ", 1)[1] for name in names}) >= 100  # family names
    assert sum(not name.isascii() for name in names) >= 20  # Nguyễn, Müller, Yılmaz...
    assert all(re.fullmatch(r"[a-z0-9]+\.[a-z0-9]+@example\.com", email) for email in emails)
    # The twelfth participant, first of the Vietnamese names: the email folds the accents.
    assert people.get(email="linh.nguyen@example.com").name == "Linh Nguyễn"
