"""What the organisers' dashboard reads: the desk's figures now, activity hour by hour, the
most requested entries, stock-outs and waitlists.

Every figure is counted by the database (COUNT and SUM subqueries, GROUP BY an hour or an
entry), so the page runs the same six queries however big the event.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Count, F, OuterRef, Q, Sum
from django.db.models.functions import TruncHour
from django.utils import timezone

from core.aggregates import count_of, sum_of
from core.models import EventSettings
from inventory.models import Entry, Kind

from .models import Handout, HardwareRequest, IDCollateral, Loan, Status

# The most hours the activity charts go back: an event's length, and as many bars as a
# phone can show side by side.
HOURS_SHOWN = 48
TOP_ENTRIES = 10
STOCK_OUTS_SHOWN = 50

# Out of stock: a visible entry with nothing a new request could get (a new checkout request
# would be waitlisted; a free item's shelf is empty). Lottery entrants wait for the draw
# whatever the stock, so lotteries are never "out".
STOCK_OUT = Q(is_visible=True, stock_requestable=0) & ~Q(kind=Kind.LOTTERY)


def stock_outs():
    """Entries out of stock (STOCK_OUT), with their stock annotated."""
    return Entry.objects.with_stock().filter(STOCK_OUT)


FIGURES = [
    "units_out",
    "overdue",
    "ids_held",
    "pending",
    "pickup",
    "waitlisted",
    "stock_outs",
    "requests",
    "units_lent",
    "free_items",
]


def figures():
    """The headline figures, each a COUNT or SUM subquery, in one query (on the settings row,
    as `desk_stats` does)."""
    counted = EventSettings.objects.filter(pk=1).annotate(
        units_out=count_of(Loan.objects.open()),
        overdue=count_of(Loan.objects.overdue()),
        ids_held=count_of(IDCollateral.objects.held()),
        pending=count_of(HardwareRequest.objects.awaiting_approval()),
        pickup=count_of(HardwareRequest.objects.filter(status=Status.APPROVED)),
        waitlisted=count_of(HardwareRequest.objects.filter(status=Status.WAITLISTED)),
        stock_outs=count_of(stock_outs()),
        requests=count_of(HardwareRequest.objects.all()),
        units_lent=count_of(Loan.objects.all()),
        free_items=sum_of(Handout.objects.all(), "quantity"),
    )
    row = counted.values(*FIGURES).first()
    if row is None:  # the settings row is made by a migration; a test flush removes it
        EventSettings.load()
        row = counted.values(*FIGURES).get()
    return row


@dataclass
class Hour:
    start: datetime  # in the event's time zone
    requests: int
    units_lent: int
    free_items: int

    @property
    def handed_out(self):
        return self.units_lent + self.free_items


def _per_hour(queryset, field, value, until):
    """{hour (UTC): value} for every hour before `until` in which `queryset` has rows,
    grouped by the hour of `field` in the event's time zone. One query; a row per busy hour."""
    grouped = (
        queryset.filter(**{f"{field}__lt": until})
        .annotate(hour=TruncHour(field))
        .order_by()
        .values("hour")
        .annotate(value=value)
    )
    return {row["hour"].astimezone(UTC): row["value"] for row in grouped}


def activity_per_hour(*, now=None):
    """Requests made, units lent and free items handed out in each hour, from the first hour
    with any of them to the current one, the last HOURS_SHOWN at most. Hours with nothing in
    them are there, as zeros; no activity at all gives no hours. Three queries."""
    now = now or timezone.now()
    current = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    # Step in UTC: a day that changes the clocks has 23 or 25 hours, not 24 on the wall.
    current = current.astimezone(UTC)
    until = current + timedelta(hours=1)
    requests = _per_hour(HardwareRequest.objects.all(), "created_at", Count("pk"), until)
    lent = _per_hour(Loan.objects.all(), "lent_at", Count("pk"), until)
    free = _per_hour(Handout.objects.all(), "at", Sum("quantity"), until)
    busy = requests.keys() | lent.keys() | free.keys()
    if not busy:
        return []
    hour, hours = max(min(busy), current - timedelta(hours=HOURS_SHOWN - 1)), []
    while hour <= current:
        hours.append(
            Hour(
                start=timezone.localtime(hour),
                requests=requests.get(hour, 0),
                units_lent=lent.get(hour, 0),
                free_items=free.get(hour, 0),
            )
        )
        hour += timedelta(hours=1)
    return hours


def most_requested(limit=TOP_ENTRIES):
    """The entries asked for most, by requests made in any state (a denied or waitlisted
    request is demand too), with the units they asked for. One query."""
    return list(
        HardwareRequest.objects.order_by()
        .values("entry_id", "entry__name")
        .annotate(requests=Count("pk"), units=Sum("quantity"))
        .order_by("-requests", "entry__name")[:limit]
    )


def stock_outs_and_waitlists(limit=STOCK_OUTS_SHOWN):
    """Entries out of stock or with people waitlisted, longest waitlist first, each with its
    stock, `units_promised` (held for pickups or asked for by requests awaiting approval or
    a draw) and `waitlist_length` (people in line). One query."""
    waiting = count_of(
        HardwareRequest.objects.filter(entry=OuterRef("pk"), status=Status.WAITLISTED)
    )
    return list(
        Entry.objects.with_stock()
        .annotate(
            units_promised=F("units_reserved") + F("units_requested"), waitlist_length=waiting
        )
        .filter(STOCK_OUT | Q(waitlist_length__gt=0))
        .order_by("-waitlist_length", "name")[:limit]
    )
