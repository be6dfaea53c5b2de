"""The desk's live queue: its figures, its three queues and the lotteries with entrants, or,
filtered (`?show=overdue`), the loans past their due time. A desk's poll gets only what changed
since the version it holds (queue_delta)."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from core import live
from core.aggregates import count_of, count_up_to
from core.models import EventSettings
from inventory.models import Entry, Kind

from ..models import HardwareRequest, IDCollateral, Loan, Status
from . import queue_delta

QUEUE_LIMIT = 50
# The desk's counters count this far and then say "1,000+" (see desk_stats).
COUNT_LIMIT = 1000
# What the live queue can show: the queues, or only the overdue loans.
QUEUES, OVERDUE = "queues", "overdue"


def shown(value):
    """The view a `show` parameter asks for; anything unknown is the queues."""
    return OVERDUE if value == OVERDUE else QUEUES


def desk_stats(*, exact=False):
    """One query: the SHARED version and the desk's counters (on the settings row).

    Read before the queues, so a change made meanwhile shows up at the next poll. Every desk
    poll that sees a change runs it, so each counter stops at COUNT_LIMIT + 1 rows (shown as
    "1,000+", templatetags/desk_counts.py): its cost is bounded by that, not by the tables
    (at 100x, counting 21,000 waiting requests took 12 ms of this query's 16). `exact` counts
    every row, for the read API, whose clients are owed the number.
    """

    def counted(queryset):
        return count_of(queryset) if exact else count_up_to(queryset, COUNT_LIMIT + 1)

    stats = EventSettings.objects.filter(pk=1).annotate(
        version=live.version_expression(live.SHARED),
        pending=counted(HardwareRequest.objects.awaiting_approval()),
        pickup=counted(HardwareRequest.objects.filter(status=Status.APPROVED)),
        waitlisted=counted(HardwareRequest.objects.filter(status=Status.WAITLISTED)),
        ids_held=counted(IDCollateral.objects.held()),
        overdue=counted(Loan.objects.overdue()),
    )
    fields = ["version", "pending", "pickup", "waitlisted", "ids_held", "overdue"]
    row = stats.values(*fields).first()
    if row is None:  # the settings row is made by a migration; a test flush removes it
        EventSettings.load()
        row = stats.values(*fields).get()
    return row


def desk_queues():
    """The oldest QUEUE_LIMIT requests of each queue, in one query."""
    queues = {Status.SUBMITTED: [], Status.APPROVED: [], Status.WAITLISTED: []}
    for hardware_request in HardwareRequest.objects.desk_queues(limit=QUEUE_LIMIT):
        queues[hardware_request.status].append(hardware_request)
    queues[Status.WAITLISTED].sort(key=lambda r: (r.entry.name, r.waitlist_position))
    return queues


def desk_queue_context(stats, show=QUEUES):
    """Everything the live queue shows. Queries: the queues (1) and lottery entries (1);
    filtered to overdue loans, those loans (1) instead."""
    if show == OVERDUE:
        return {
            "counts": stats,
            "show": OVERDUE,
            # Longest overdue first; the count in the heading is all of them.
            "overdue": list(
                Loan.objects.overdue()
                .select_related("unit__entry", "user__team")
                .order_by("due_at", "pk")[:QUEUE_LIMIT]
            ),
        }
    queues = desk_queues()
    return {
        "counts": stats,
        "show": QUEUES,
        "pending": queues[Status.SUBMITTED],
        "pickup": queues[Status.APPROVED],
        "waitlist": queues[Status.WAITLISTED],
        "lotteries": desk_lotteries(),
    }


def desk_lotteries():
    """Lotteries with entrants, most wanted first, at most QUEUE_LIMIT ("Run all lotteries"
    covers the rest), with their seed commitment: one query.

    The most wanted are picked in a subquery that only counts entrants (an index probe per
    lottery), and stock is computed for those QUEUE_LIMIT alone; computing it for every
    lottery with entrants before sorting took 17.7 ms at 100x (1,152 of them).
    """
    # The outer entries are lotteries, so their submitted requests are their entrants.
    entrants = count_of(
        HardwareRequest.objects.filter(entry=OuterRef("pk"), status=Status.SUBMITTED)
    )
    most_wanted = (
        Entry.objects.filter(kind=Kind.LOTTERY)
        .annotate(entrants=entrants)
        .filter(entrants__gt=0)
        .order_by("-entrants", "name")
        .values("pk")[:QUEUE_LIMIT]
    )
    return list(
        Entry.objects.filter(pk__in=Subquery(most_wanted))
        .select_related("lottery_commitment")  # its hash, never shown with its seed
        .annotate(entrants=entrants)
        .with_stock()
        .order_by("-entrants", "name")
    )


def rendering(stats, show=QUEUES):
    """The queue rendered at the stats' version and cut into parts (see queue_delta), cached
    under that version: an unchanged desk renders nothing, and a later poll compares its parts.
    (A loan passing its due time changes the version by itself: see checkout/stock.py.)

    It holds no CSRF token (its buttons submit forms outside it), so one rendering serves
    every organiser.
    """
    key = _rendering_key(show, stats["version"])
    cut = cache.get(key)
    if cut is None:
        html = render_to_string(
            "admin/desk/includes/_queue_body.html", desk_queue_context(stats, show)
        )
        cut = queue_delta.cut(html)
        cache.set(key, cut, settings.FRAGMENT_CACHE_SECONDS)
    return cut


def _rendering_key(show, version):
    return f"desk-queue:{show}:{version}"


def render_queue(stats, show=QUEUES):
    return mark_safe(rendering(stats, show)["html"])  # our template, escaped at render time


def queue_changes(stats, show, held_version):
    """Out-of-band swaps from the held version's rendering to the current one, or None when
    the desk needs the full queue (queue_delta says when). Queries: none beyond rendering()'s.
    """
    current = rendering(stats, show)
    held = cache.get(_rendering_key(show, held_version)) if held_version else None
    if held is None:
        return None
    return queue_delta.oob_swaps(held, current, stats["version"])


def live_queue_context(stats, show=QUEUES):
    live_url = reverse("checkout:live", args=[live.poll_token(live.SHARED)])
    return {
        "live_url": f"{live_url}?show={OVERDUE}" if show == OVERDUE else live_url,
        "live_version": stats["version"],
        "queue": render_queue(stats, show),
    }
