"""Sending a participant's pending notifications, in the worker."""

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from ..models import Notification, NotificationState, Status
from ..models import NotificationKind as Kind
from . import emails

# A notification about a request is sent only while the request is still in this state: a
# ready request picked up (or cancelled) before its email went out needs no email.
STILL = {
    Kind.READY: Status.APPROVED,
    Kind.MOVED_UP: Status.APPROVED,
    Kind.WON: Status.APPROVED,
    Kind.NOT_DRAWN: Status.DENIED,
    Kind.DENIED: Status.DENIED,
    Kind.EXPIRED: Status.EXPIRED,
}
# Failed sends before a notification is given up on (housekeeping retries every few minutes).
MAX_ATTEMPTS = 5


def still_true(notification):
    if notification.kind == Kind.RETURNED:
        return True
    if notification.kind == Kind.OVERDUE:
        return notification.loan.is_overdue  # not returned, nor given more time, since
    if notification.kind == Kind.DUE_SOON:  # still out and not yet late (then: overdue email)
        return notification.loan.is_open and not notification.loan.is_overdue
    return notification.request.status == STILL[notification.kind]


def send_pending(user_id):
    """Send everything pending for one participant as one email. Returns how many
    notifications it carried.

    The pending rows stay locked while the email goes out, and another run skips locked
    rows, so two workers never send the same notification twice. What is no longer true is
    marked skipped. A failed send is recorded on the rows (attempts, when, the error) and
    raised, so the task shows as failed; housekeeping tries again later, up to MAX_ATTEMPTS.
    Each participant is their own task: one bad address does not stop the others' emails.
    """
    failure = None
    with transaction.atomic():
        pending = list(
            Notification.objects.pending()
            .filter(user_id=user_id)
            .for_email()
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("created_at", "pk")
        )
        current = [n for n in pending if still_true(n)]
        stale = {n.pk for n in pending} - {n.pk for n in current}
        if stale:
            Notification.objects.filter(pk__in=stale).update(state=NotificationState.SKIPPED)
        if not current:
            return 0
        message = emails.update_for(current[0].user, current)
        carried = Notification.objects.filter(pk__in=[n.pk for n in current])
        try:
            message.send()
        except Exception as exc:  # the mail server's error, whatever its class
            failure = exc
            carried.update(
                attempts=F("attempts") + 1,
                state=Case(
                    When(attempts__gte=MAX_ATTEMPTS - 1, then=Value(NotificationState.FAILED)),
                    default=Value(NotificationState.PENDING),
                ),
                tried_at=timezone.now(),
                last_error=f"{type(exc).__name__}: {exc}"[:300],
            )
        else:
            carried.update(state=NotificationState.SENT, sent_at=timezone.now())
    if failure is not None:
        raise failure
    return len(current)
