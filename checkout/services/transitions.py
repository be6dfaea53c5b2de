"""Locks and status changes that every desk service shares.

Lock order is always the entry row first, then request, loan and unit rows, so two desks
working at once cannot deadlock.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from inventory.models import Entry

from ..models import TRANSITIONS, HardwareRequest, NotificationKind, RequestEvent, Status
from ..notifications import notify


def lock_entry(entry_id):
    return Entry.objects.select_for_update().get(pk=entry_id)


def available(entry_id):
    """Units a new approval may still take (see Entry.objects.with_stock). One query."""
    return stock_of(entry_id, "stock_available")


def stock_of(entry_id, figure):
    """One of `Entry.objects.with_stock()`'s figures for one entry. One query."""
    return Entry.objects.with_stock().values_list(figure, flat=True).get(pk=entry_id)


def lock_request(request_id):
    """Lock the request's entry, then the request. Returns the request with `entry` set."""
    try:
        entry_id = HardwareRequest.objects.values_list("entry_id", flat=True).get(pk=request_id)
    except HardwareRequest.DoesNotExist:
        raise ValidationError("That request does not exist.") from None
    entry = lock_entry(entry_id)
    hardware_request = HardwareRequest.objects.select_for_update().get(pk=request_id)
    hardware_request.entry = entry
    return hardware_request


def refuse(hardware_request, to_status):
    raise ValidationError(
        f"Request #{hardware_request.pk} is {hardware_request.get_status_display().lower()}: "
        f"it cannot be {Status(to_status).label.lower()} now.",
        code="illegal_transition",
    )


def move(hardware_request, to_status, *, by, note="", **fields):
    """Change a locked request's status, or refuse an illegal transition without writing."""
    move_many([hardware_request], to_status, by=by, note=note, **fields)


def move_many(hardware_requests, to_status, *, by, note="", **fields):
    """Change locked requests' status in two statements (the rows and their audit events),
    whatever their number; refuses, writing nothing, if any transition is illegal."""
    for hardware_request in hardware_requests:
        if to_status not in TRANSITIONS[hardware_request.status]:
            refuse(hardware_request, to_status)
    if not hardware_requests:
        return
    now = timezone.now()
    events = []
    for hardware_request in hardware_requests:
        events.append(
            RequestEvent(
                request=hardware_request,
                from_status=hardware_request.status,
                to_status=to_status,
                by=by,
                at=now,
                note=note,
            )
        )
        hardware_request.status = to_status
        hardware_request.updated_at = now
        hardware_request.updated_by = by
        for name, value in fields.items():
            setattr(hardware_request, name, value)
    changed = ["status", "updated_at", "updated_by", *fields]
    if len(hardware_requests) == 1:
        hardware_requests[0].save(update_fields=changed)
    else:
        HardwareRequest.objects.bulk_update(hardware_requests, changed)
    RequestEvent.objects.bulk_create(events)


def pickup_deadline(event, now):
    return now + timedelta(minutes=event.pickup_expiry_minutes)


def approve_locked(hardware_request, *, by, event, note=""):
    """Approve a locked request: ready for pickup until its deadline. Emails the participant
    (saying they moved up, when it was waitlisted) after commit."""
    now = timezone.now()
    waited = hardware_request.status == Status.WAITLISTED
    move(
        hardware_request,
        Status.APPROVED,
        by=by,
        note=note,
        approved_at=now,
        pickup_deadline=pickup_deadline(event, now),
    )
    notify(NotificationKind.MOVED_UP if waited else NotificationKind.READY, [hardware_request])
