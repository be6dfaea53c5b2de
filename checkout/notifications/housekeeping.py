"""What desk_housekeeping does for emails: overdue loans, and sends to try again."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import Loan, Notification
from ..models import NotificationKind as Kind
from .collect import enqueue, notify

# A participant's pending emails are queued again this long after their last try.
RETRY_AFTER = timedelta(minutes=5)


def notify_overdue_loans():
    """Email everyone holding a loan past its due time, once per loan: the ledger's unique
    (loan, kind) keeps a second run (or two at once) from adding another. Returned loans are
    never picked; one returned before its email goes out is skipped. Returns how many loans.
    """
    return _notify_once(Kind.OVERDUE, Loan.objects.overdue())


def notify_loans_due_soon(now=None):
    """Remind everyone holding a loan due within DUE_REMINDER_MINUTES, once per loan, before
    it is overdue (the overdue email follows at the due time). Returns how many loans."""
    now = now or timezone.now()
    soon = now + timedelta(minutes=settings.DUE_REMINDER_MINUTES)
    return _notify_once(Kind.DUE_SOON, Loan.objects.open().filter(due_at__gt=now, due_at__lte=soon))


def _notify_once(kind, loans):
    told = Notification.objects.filter(loan=OuterRef("pk"), kind=kind)
    with transaction.atomic():
        loans = list(loans.exclude(Exists(told)).only("pk", "user_id"))
        notify(kind, loans)
    return len(loans)


def retry_failed(now=None):
    """Queue again every participant with emails still pending RETRY_AFTER after their last
    try (a failed send), or after they were recorded (a queue that failed, a worker that was
    down). Marks them tried now, so each is queued at most once per RETRY_AFTER. Returns how
    many participants."""
    now = now or timezone.now()
    due = now - RETRY_AFTER - timedelta(seconds=settings.EMAIL_BATCH_SECONDS)
    waiting = Notification.objects.pending().alias(last=Coalesce("tried_at", "created_at"))
    rows = list(waiting.filter(last__lt=due).values_list("pk", "user_id"))
    Notification.objects.filter(pk__in=[pk for pk, _ in rows]).update(tried_at=now)
    user_ids = {user_id for _, user_id in rows}
    enqueue(user_ids)
    return len(user_ids)
