"""The waitlist moves on: after returns, cancellations, denials and expired pickups."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.teams import lock_members
from core.models import EventSettings

from ..models import HardwareRequest, NotificationKind, Status
from ..notifications import (
    notify,
    notify_loans_due_soon,
    notify_overdue_loans,
    one_email_each,
    retry_failed,
)
from ..teams import team_usages
from .transitions import approve_locked, lock_entry, lock_request, move, stock_of


def promote_waitlist(entry, *, by):
    """Move waitlisted requests up, first come first served, while the shelf covers them.

    Call with the entry locked. With auto-approve on they become ready for pickup at once
    (and their participants are emailed). A request whose team is over the entry's per-team
    limit stays waitlisted (it takes no room, so the next in line may pass it); the
    waitlisted participants' rows and teams are locked first, in id order.
    """
    event = EventSettings.load()
    if not event.waitlist_enabled:
        return []
    # What is available less what requests awaiting approval ask for (they are ahead).
    room = stock_of(entry.pk, F("stock_available") - F("units_requested"))
    promoted = []
    queue = HardwareRequest.objects.filter(entry=entry, status=Status.WAITLISTED).order_by("pk")
    queue = list(queue.select_for_update())
    over = set()
    if queue and entry.max_per_team is not None:
        teams = lock_members([r.user_id for r in queue])
        usages = team_usages([t for t in set(teams.values()) if t], entry.pk)
        over = {t for t, used in usages.items() if used > entry.max_per_team}
        over = {r.pk for r in queue if teams.get(r.user_id) in over}
    for hardware_request in queue:
        if hardware_request.pk in over:
            continue  # their team is over its limit: the desk decides
        if hardware_request.quantity > room:
            break  # first come, first served: nobody overtakes the head of the queue
        if event.waitlist_auto_approve:
            approve_locked(hardware_request, by=by, event=event, note="approved from the waitlist")
        else:
            move(hardware_request, Status.SUBMITTED, by=by, note="moved up from the waitlist")
        room -= hardware_request.quantity
        promoted.append(hardware_request)
    return promoted


@dataclass
class Housekeeping:
    expired: int
    promoted: list
    overdue: int
    emails_retried: int
    due_soon: int = 0


def housekeeping(*, by=None, now=None):
    """Expire missed pickups, then move every waitlist up as far as stock allows. Counts every
    request moved up, including those an expiry made room for. Then email whoever holds a
    loan newly overdue or due back soon, and queue again emails that could not be sent."""
    promoted = []
    with one_email_each():
        expired = expire_overdue_pickups(by=by, now=now, promoted=promoted)
        promoted += promote_all_waitlists(by=by)
        overdue = notify_overdue_loans()
        due_soon = notify_loans_due_soon(now=now)
    return Housekeeping(
        expired=expired,
        promoted=promoted,
        overdue=overdue,
        emails_retried=retry_failed(now=now),
        due_soon=due_soon,
    )


def expire_overdue_pickups(*, by=None, now=None, promoted=None):
    """Expire approved requests not picked up in time and offer their units to the next in line.

    Stock already ignores lapsed reservations; this records the change and moves the queue
    (the requests moved up are appended to `promoted`, when given). Returns how many expired.
    """
    promoted = [] if promoted is None else promoted
    now = now or timezone.now()
    overdue = HardwareRequest.objects.filter(status=Status.APPROVED, pickup_deadline__lt=now)
    expired = 0
    for request_id in overdue.values_list("pk", flat=True):
        with transaction.atomic():
            hardware_request = lock_request(request_id)
            if (
                hardware_request.status != Status.APPROVED
                or hardware_request.pickup_deadline >= now
            ):
                continue  # picked up or changed meanwhile
            move(hardware_request, Status.EXPIRED, by=by, note="not picked up in time")
            notify(NotificationKind.EXPIRED, [hardware_request])
            promoted += promote_waitlist(hardware_request.entry, by=by)
            expired += 1
    return expired


def promote_all_waitlists(*, by=None):
    """Move every waitlist up as far as stock allows (after units are added, say)."""
    promoted = []
    entry_ids = (
        HardwareRequest.objects.filter(status=Status.WAITLISTED)
        .values_list("entry_id", flat=True)
        .distinct()
    )
    for entry_id in list(entry_ids):
        with transaction.atomic():
            promoted += promote_waitlist(lock_entry(entry_id), by=by)
    return promoted
