"""Deterministic demo data: a real hackathon inventory (checkout/demo/catalogue.py), a demo
organiser and participant, more participants with real-looking names, and their requests."""

import random
import re
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, AllowListedEmail, Role, Team
from accounts.roles import lead_organisers_group, organisers_group
from checkout.demo.catalogue import catalogue
from checkout.demo.people import email_part, participant_name
from checkout.lottery import commitment_of, new_seed
from checkout.models import (
    HardwareRequest,
    IDCollateral,
    Loan,
    LotteryCommitment,
    RequestEvent,
    Status,
)
from core.models import EventSettings
from inventory.models import Category, Condition, Entry, Kind, Unit

DEMO_ORGANISER = ("organiser@example.com", "cog-organiser", "Olive Organiser")
DEMO_PARTICIPANT = ("participant@example.com", "cog-participant", "Pat Participant")

TABLES = [f"Table {letter}{number}" for letter in "ABCDEFGH" for number in range(1, 13)]


class Command(BaseCommand):
    help = "Create deterministic demo data (same options, same data) and the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--entries",
            type=int,
            default=len(catalogue()),
            help="Catalogue entries (default: the whole demo catalogue, %(default)s); past "
            "its end, the same items again as Mk2, Mk3, ...",
        )
        parser.add_argument("--units", type=int, default=5, help="Tagged units per entry.")
        parser.add_argument("--participants", type=int, default=30)
        parser.add_argument(
            "--requests",
            type=int,
            default=60,
            help="Requests in mixed states (40%% submitted, 20%% approved, 25%% handed out, "
            "15%% denied), with loans and IDs held for those handed out.",
        )
        parser.add_argument("--seed", type=int, default=20180426)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when entries already exist."
        )

    def handle(self, *args, **options):
        for name in ("entries", "units", "participants", "requests"):
            if options[name] < 0:
                raise CommandError(f"--{name} cannot be negative.")
        with transaction.atomic():
            organiser, participant = self.create_demo_accounts()
            if options["if_empty"] and Entry.objects.exists():
                self.stdout.write("The inventory is not empty; leaving it as it is.")
            else:
                rng = random.Random(options["seed"])
                entries = self.create_inventory(rng, options["entries"], options["units"])
                users = self.create_participants(rng, options["participants"])
                made = seed_requests(
                    rng, options["requests"], users=[participant, *users], by=organiser
                )
                self.stdout.write(
                    f"Created {len(entries)} entries with units, {len(users)} participants and "
                    f"{made} requests."
                )
        self.stdout.write(
            self.style.SUCCESS(
                "Demo accounts (sign in at /accounts/login/):\n"
                f"  organiser: {DEMO_ORGANISER[0]} / {DEMO_ORGANISER[1]}  (back office: /admin/)\n"
                f"  participant: {DEMO_PARTICIPANT[0]} / {DEMO_PARTICIPANT[1]}"
            )
        )

    def create_inventory(self, rng, count, units_per_entry):
        EventSettings.load()
        items = catalogue()
        categories = {
            name: Category.objects.get_or_create(name=name, defaults={"icon": icon})[0]
            for name, icon, _ in items
        }
        taken = set(Entry.objects.values_list("name", flat=True))
        entries = []
        for index in range(count):
            category, _, item = items[index % len(items)]
            batch = index // len(items)
            name = item.name if batch == 0 else f"{item.name} Mk{batch + 1}"
            if name in taken:
                continue
            entries.append(
                Entry(
                    name=name,
                    category=categories[category],
                    kind=item.kind,
                    description=item.description,
                    link=item.link,
                    is_visible=rng.random() > 0.09,
                    max_request_quantity=item.max_per_request,
                    counted_stock=item.counted,
                )
            )
        entries = Entry.objects.bulk_create(entries, batch_size=500)
        units = []
        for entry in entries:
            if entry.counted_stock is not None:
                continue
            for number in range(1, units_per_entry + 1):
                roll = rng.random()
                condition = (
                    Condition.DAMAGED
                    if roll < 0.03
                    else Condition.RETIRED
                    if roll < 0.05
                    else Condition.OK
                )
                units.append(
                    Unit(
                        entry=entry,
                        asset_tag=f"{entry.tag_prefix}-{number:03d}",
                        condition=condition,
                    )
                )
        Unit.objects.bulk_create(units, batch_size=2000)
        return entries

    def create_participants(self, rng, count):
        User = get_user_model()
        password = make_password(None)  # unusable: they exist to hold requests, not to sign in
        existing = set(User.objects.values_list("email", flat=True))
        users, used, teams = [], set(), {}
        for number in range(1, count + 1):
            given, family = participant_name(number)
            local = f"{email_part(given)}.{email_part(family)}"
            if local in used:  # the same name again, past the first round of each region
                local = f"{local}{number}"
            used.add(local)
            email = f"{local}@example.com"
            phone = f"+1 555 {rng.randint(1000000, 9999999)}"
            table, team = rng.choice(TABLES), f"Team {rng.randint(1, max(1, count // 4))}"
            if email in existing:
                continue
            if team not in teams:
                teams[team] = self.team_called(team)
            users.append(
                User(
                    email=email,
                    name=f"{given} {family}",
                    phone=phone,
                    location=table,
                    team=teams[team],
                    password=password,
                )
            )
        return User.objects.bulk_create(users, batch_size=1000)

    def team_called(self, name):
        """The team of that name, made if new with a join code drawn from its name (its own
        random stream: whether the team existed changes nothing else that is drawn)."""
        team = Team.objects.filter(name__iexact=name).first()
        if team is None:
            rng = random.Random(f"team:{name}")
            code = "".join(rng.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
            while Team.objects.filter(join_code=code).exists():
                code = "".join(rng.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
            team = Team.objects.create(name=name, join_code=code)
        return team

    def create_demo_accounts(self):
        """The demo organiser (staff, in Organisers and Lead organisers, so the demo shows
        closing the event too; not a superuser) and participant."""
        User = get_user_model()
        groups = [organisers_group(), lead_organisers_group()]
        accounts = []
        for (email, password, name), staff in ((DEMO_ORGANISER, True), (DEMO_PARTICIPANT, False)):
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email,
                    password,
                    name=name,
                    phone="+1 555 0100000",
                    location="Table A1",
                    is_staff=staff,
                )
            if staff:
                user.groups.add(*groups)
                # On the allow-list, so signing in keeps the demo organiser an organiser.
                AllowListedEmail.objects.get_or_create(
                    email=email, defaults={"role": Role.ORGANISER, "note": "demo organiser"}
                )
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            accounts.append(user)
        return accounts


def seed_requests(rng, count, *, users, by):
    """Requests in the benchmark dataset's proportions, consistent with stock: approved and
    handed-out requests never exceed an entry's units, each handed-out unit has an open loan,
    and the desk holds the ID of everyone holding something. Written in bulk."""
    if not count or not users:
        return 0
    entries = list(
        Entry.objects.filter(is_visible=True, counted_stock__isnull=True)
        .exclude(kind=Kind.FREE)
        .order_by("pk")
    )
    if not entries:
        return 0
    shelf = {entry.pk: [] for entry in entries}
    for unit in Unit.objects.filter(entry__in=entries, condition=Condition.OK).order_by("pk"):
        shelf[unit.entry_id].append(unit)
    now = timezone.now()
    taken, requests, plan = set(), [], []
    for index in range(count):
        roll = rng.random()
        status = (
            Status.SUBMITTED
            if roll < 0.40
            else Status.APPROVED
            if roll < 0.60
            else Status.FULFILLED
            if roll < 0.85
            else Status.DENIED
        )
        for _ in range(20):
            user, entry = rng.choice(users), rng.choice(entries)
            if (user.pk, entry.pk) not in taken:
                break
        else:
            continue
        if status in (Status.APPROVED, Status.FULFILLED) and not shelf[entry.pk]:
            status = Status.SUBMITTED
        if status in (Status.SUBMITTED, Status.APPROVED):
            taken.add((user.pk, entry.pk))
        units = [shelf[entry.pk].pop()] if status in (Status.APPROVED, Status.FULFILLED) else []
        created = now - timedelta(minutes=count - index)
        requests.append(
            HardwareRequest(
                user=user,
                entry=entry,
                quantity=1,
                status=status,
                proposal=rng.choice(proposals_for(entry)) if entry.kind == Kind.LOTTERY else "",
                created_at=created,
                updated_at=created,
                approved_at=created if units else None,
                pickup_deadline=now + timedelta(minutes=30) if status == Status.APPROVED else None,
            )
        )
        plan.append(units if status == Status.FULFILLED else [])
    requests = HardwareRequest.objects.bulk_create(requests, batch_size=1000)
    commit_lottery_seeds(
        {
            r.entry_id
            for r in requests
            if r.status == Status.SUBMITTED and r.entry.kind == Kind.LOTTERY
        }
    )
    RequestEvent.objects.bulk_create(
        [RequestEvent(request=r, to_status=r.status, by=by, at=r.created_at) for r in requests],
        batch_size=1000,
    )
    loans = [
        Loan(
            unit=unit,
            user_id=r.user_id,
            request=r,
            lent_by=by,
            lent_at=r.created_at,
            due_at=now + timedelta(hours=24),
        )
        for r, units in zip(requests, plan, strict=True)
        for unit in units
    ]
    Loan.objects.bulk_create(loans, batch_size=1000)
    holders = sorted({loan.user_id for loan in loans})
    IDCollateral.objects.bulk_create(
        [
            IDCollateral(
                user_id=pk, storage_label=f"Box {n // 50 + 1}-{n % 50 + 1:02d}", taken_by=by
            )
            for n, pk in enumerate(holders)
        ],
        batch_size=1000,
    )
    return len(requests)


# For lottery entries that are not from the demo catalogue.
GENERAL_PROPOSALS = (
    "We're a team of four building an accessibility tool; this is the one piece of hardware "
    "we can't borrow anywhere else this weekend.",
    "Our prototype works on a laptop; we want to show it running on the real thing at the demo.",
    "First hackathon for two of us. We have a plan for every hour and would return it early.",
)


def proposals_for(entry):
    """What entrants wrote for this lottery: its demo item's proposals (Mk2 and later too)."""
    item = re.sub(r" Mk\d+$", "", entry.name)
    return _PROPOSALS.get(item) or GENERAL_PROPOSALS


_PROPOSALS = {item.name: item.proposals for _, _, item in catalogue()}


def commit_lottery_seeds(entry_ids):
    """What each lottery's first entrant does (submit_request): commit a random seed for its
    next draw, so the desk can run it. Lotteries already committed keep theirs."""
    commitments = []
    for pk in sorted(entry_ids):
        seed = new_seed()
        commitments.append(
            LotteryCommitment(entry_id=pk, seed=seed, commitment=commitment_of(seed))
        )
    LotteryCommitment.objects.bulk_create(commitments, ignore_conflicts=True)
