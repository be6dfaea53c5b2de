"""The desk's live queue: its figures, its three queues and the lotteries with entrants."""

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

from ..models import HardwareRequest, IDCollateral, Status

QUEUE_LIMIT = 50


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
    )
    fields = ["version", "pending", "pickup", "waitlisted", "ids_held"]
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


def desk_queue_context(stats):
    """Everything the live queue shows. Queries: the queues (1) and lottery entries (1)."""
    entrants = count_of(HardwareRequest.objects.lottery_entrants().filter(entry=OuterRef("pk")))
    queues = desk_queues()
    return {
        "counts": stats,
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


def render_queue(stats):
    """The queue's HTML, cached under the SHARED version: an unchanged desk renders nothing.

    It holds no CSRF token (its buttons submit forms outside it), so one rendering serves
    every organiser.
    """
    key = f"desk-queue:{stats['version']}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("admin/desk/includes/_queue_body.html", desk_queue_context(stats))
        cache.set(key, html, settings.FRAGMENT_CACHE_SECONDS)
    return mark_safe(html)  # rendered from our template, escaped at render time


def live_queue_context(stats):
    return {
        "live_url": reverse("checkout:live", args=[live.poll_token(live.SHARED)]),
        "live_version": stats["version"],
        "queue": render_queue(stats),
    }
