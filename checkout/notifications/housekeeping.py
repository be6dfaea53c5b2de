"""What desk_housekeeping does for emails: queue again the sends that failed."""

from datetime import timedelta

from django.conf import settings
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import Notification
from .collect import enqueue

# A participant's pending emails are queued again this long after their last try.
RETRY_AFTER = timedelta(minutes=5)


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
