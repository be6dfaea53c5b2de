"""The desk's live queue: its figures, its three queues and the lotteries with entrants, or,
filtered (`?show=overdue`), the loans past their due time."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from core import live
from core.aggregates import count_of
from core.models import EventSettings
from inventory.models import Entry, Kind

from ..models import HardwareRequest, IDCollateral, Loan, Status

QUEUE_LIMIT = 50
# What the live queue can show: the queues, or only the overdue loans.
QUEUES, OVERDUE = "queues", "overdue"


def shown(value):
    """The view a `show` parameter asks for; anything unknown is the queues."""
    return OVERDUE if value == OVERDUE else QUEUES


def desk_stats():
    """One query: the SHARED version and the desk's counters (on the settings row).

    Read before the queues, so a change made meanwhile shows up at the next poll.
    """
    stats = EventSettings.objects.filter(pk=1).annotate(
        version=live.version_expression(live.SHARED),
        pending=count_of(HardwareRequest.objects.awaiting_approval()),
        pickup=count_of(HardwareRequest.objects.filter(status=Status.APPROVED)),
        waitlisted=count_of(HardwareRequest.objects.filter(status=Status.WAITLISTED)),
        ids_held=count_of(IDCollateral.objects.held()),
        overdue=count_of(Loan.objects.overdue()),
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
    entrants = count_of(HardwareRequest.objects.lottery_entrants().filter(entry=OuterRef("pk")))
    queues = desk_queues()
    return {
        "counts": stats,
        "show": QUEUES,
        "pending": queues[Status.SUBMITTED],
        "pickup": queues[Status.APPROVED],
        "waitlist": queues[Status.WAITLISTED],
        # Lotteries with entrants, most wanted first; "Run all lotteries" covers the rest.
        "lotteries": list(
            Entry.objects.filter(kind=Kind.LOTTERY)
            .select_related("lottery_commitment")  # its hash, never shown with its seed
            .annotate(entrants=entrants)
            .filter(entrants__gt=0)
            .with_stock()
            .order_by("-entrants", "name")[:QUEUE_LIMIT]
        ),
    }


def render_queue(stats, show=QUEUES):
    """The queue's HTML, cached under the SHARED version: an unchanged desk renders nothing.
    (A loan passing its due time changes the version by itself: see checkout/stock.py.)

    It holds no CSRF token (its buttons submit forms outside it), so one rendering serves
    every organiser.
    """
    key = f"desk-queue:{show}:{stats['version']}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "admin/desk/includes/_queue_body.html", desk_queue_context(stats, show)
        )
        cache.set(key, html, settings.FRAGMENT_CACHE_SECONDS)
    return mark_safe(html)  # rendered from our template, escaped at render time


def live_queue_context(stats, show=QUEUES):
    live_url = reverse("checkout:live", args=[live.poll_token(live.SHARED)])
    return {
        "live_url": f"{live_url}?show={OVERDUE}" if show == OVERDUE else live_url,
        "live_version": stats["version"],
        "queue": render_queue(stats, show),
    }
