"""Emails to participants: what changed for them, one email per batch of changes.

Services call `notify()` inside the transaction that makes a change: it writes a
`Notification` row (the outbox), so a rollback leaves nothing to send. When the transaction
commits, one task per participant is queued (`tasks.email_participant`); the worker
(`manage.py db_worker`) runs it `EMAIL_BATCH_SECONDS` later and sends everything pending for
that participant as one email (`sending.py`, built by `emails.py`), so a slow or broken mail
server never slows the desk. `one_email_each()` holds the tasks of several transactions (a
batch action runs one per request) until the batch is done.

`desk_housekeeping` finds overdue loans and queues failed sends again (`housekeeping.py`).
"""

from .collect import notify, one_email_each
from .housekeeping import notify_loans_due_soon, notify_overdue_loans, retry_failed

__all__ = [
    "notify",
    "notify_loans_due_soon",
    "notify_overdue_loans",
    "one_email_each",
    "retry_failed",
]
