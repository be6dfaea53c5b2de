"""Load the standard benchmark dataset (Cog's tables as JSON) so Cog and this project are
measured on identical data. See bench/README.md."""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.roles import organisers_group
from checkout.models import (
    Handout,
    HardwareRequest,
    IDCollateral,
    Loan,
    LotteryCommitment,
    LotteryDraw,
    RequestEvent,
    Status,
)
from core.models import EventSettings
from inventory.models import Category, Entry, Unit

DEFAULT_PATH = Path(settings.BASE_DIR) / "bench" / "cog_dataset_seed20180426.json"
STATUSES = {
    "SUBMITTED": Status.SUBMITTED,
    "APPROVED": Status.APPROVED,
    "FULFILLED": Status.FULFILLED,
    "DENIED": Status.DENIED,
}


class Command(BaseCommand):
    help = "Replace all data with the standard benchmark dataset."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))

    def handle(self, *args, path, **options):
        try:
            data = json.loads(Path(path).read_text())
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        with transaction.atomic():
            ids = load(data)
        self.stdout.write(
            f"Loaded {Entry.objects.count()} entries, {Unit.objects.count()} units, "
            f"{get_user_model().objects.count()} users, "
            f"{HardwareRequest.objects.count()} requests, "
            f"{Loan.objects.count()} loans. Organiser: user {ids['admin']}, participant: "
            f"user {ids['participant']}."
        )


def load(data):
    """Write the dataset; returns the new ids of the organiser and participant to measure as."""
    User = get_user_model()
    # Children before what they protect: every model that points at an entry or a user.
    for model in (
        Loan,
        IDCollateral,
        RequestEvent,
        HardwareRequest,
        LotteryCommitment,
        LotteryDraw,
        Handout,
        Unit,
        Entry,
        Category,
    ):
        model.objects.all().delete()
    User.objects.all().delete()
    EventSettings.load()
    now = timezone.now()
    password = make_password(None)

    users = {}
    for row in data["user"]:
        users[row["id"]] = User(
            email=row["email"].lower(),
            name=row["name"],
            phone=row["phone"] or "",
            location=row["location"] or "",
            is_staff=row["is_admin"],
            password=password,
        )
    User.objects.bulk_create(users.values(), batch_size=1000)
    organisers_group().user_set.add(*[u for u in users.values() if u.is_staff])
    organiser = users[data["bench_users"]["admin"]["id"]]

    categories = {
        name: Category.objects.create(name=name)
        for name in sorted({row["category"] for row in data["inventory_entry"]})
    }
    entries = {
        row["id"]: Entry(
            name=row["name"],
            description=row["description"],
            category=categories[row["category"]],
            kind=row["item_type"].lower(),
            link=row["link"] or "",
            image_url=row["image_src"] or "",
            is_visible=row["is_visible"],
            max_request_quantity=row["max_request_quantity"],
        )
        for row in data["inventory_entry"]
    }
    Entry.objects.bulk_create(entries.values())
    units = {
        row["id"]: Unit(entry=entries[row["entry_id"]], asset_tag=row["item_id"])
        for row in data["item"]
    }
    Unit.objects.bulk_create(units.values(), batch_size=2000)

    lines = {row["request_id"]: row for row in data["request_item"]}
    requests = {}
    for row in data["request"]:
        line = lines[row["id"]]
        status = STATUSES[row["status"]]
        created = timezone.make_aware(
            datetime.datetime.fromisoformat(row["timestamp"]), datetime.UTC
        )
        requests[row["id"]] = HardwareRequest(
            user=users[row["user_id"]],
            entry=entries[line["entry_id"]],
            quantity=line["quantity"],
            proposal=row["proposal"] or "",
            status=status,
            created_at=created,
            updated_at=created,
            approved_at=created if status in (Status.APPROVED, Status.FULFILLED) else None,
            # Approved requests keep their reservation for the whole benchmark.
            pickup_deadline=now + datetime.timedelta(days=1) if status == Status.APPROVED else None,
        )
    HardwareRequest.objects.bulk_create(requests.values(), batch_size=1000)
    RequestEvent.objects.bulk_create(
        [
            RequestEvent(request=r, to_status=r.status, by=r.user, at=r.created_at)
            for r in requests.values()
        ],
        batch_size=1000,
    )

    # Each held unit belongs to the fulfilled request of its holder for that entry.
    fulfilled = {
        (r.user_id, r.entry_id): r for r in requests.values() if r.status == Status.FULFILLED
    }
    loans = []
    for row in data["item"]:
        if row["user_id"]:
            unit, holder = units[row["id"]], users[row["user_id"]]
            request = fulfilled.get((holder.pk, unit.entry_id))
            loans.append(
                Loan(
                    unit=unit,
                    user=holder,
                    request=request,
                    lent_by=organiser,
                    lent_at=request.created_at if request else now,
                )
            )
    Loan.objects.bulk_create(loans, batch_size=1000)
    IDCollateral.objects.bulk_create(
        [
            IDCollateral(
                user=users[row["id"]], storage_label=f"Box {row['id']:03d}", taken_by=organiser
            )
            for row in data["user"]
            if row["have_their_id"]
        ],
        batch_size=1000,
    )
    return {
        "admin": organiser.pk,
        "participant": users[data["bench_users"]["participant"]["id"]].pk,
    }
