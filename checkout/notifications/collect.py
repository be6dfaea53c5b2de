"""Recording changes to tell participants about, and queueing one task per participant."""

import logging
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import LOAN_KINDS, ONCE_PER_LOAN, Notification

logger = logging.getLogger(__name__)


def notify(kind, records):
    """Tell the owners of `records` (requests, or loans for a loan kind) about `kind`.

    Call inside the transaction that makes the change: the rows are written with it (one
    INSERT) and each participant's email is queued once it commits. A once-per-loan kind
    already recorded for a loan is left as it was.
    """
    records = list(records)
    if not records:
        return
    about = "loan" if kind in LOAN_KINDS else "request"
    rows = [Notification(user_id=r.user_id, kind=kind, **{about: r}) for r in records]
    Notification.objects.bulk_create(rows, ignore_conflicts=kind in ONCE_PER_LOAN)
    email_after_commit({row.user_id for row in rows})


class _Batch:
    """The participants to email once the current transaction commits."""

    def __init__(self):
        self.user_ids = set()
        self.done = False

    def waiting_in(self, connection):
        """Whether a commit of the current transaction will still flush this batch (its
        transaction rolled back: no, and its participants are not to be emailed)."""
        return any(func == self.flush for _, func, _ in connection.run_on_commit)

    def flush(self):
        if self.done:
            return
        self.done = True
        held = getattr(transaction.get_connection(), "cog_emails_held", None)
        if held is not None:
            held.update(self.user_ids)
        else:
            enqueue(self.user_ids)


def email_after_commit(user_ids):
    """Queue an email to each of these participants when the current transaction commits.

    As with core.live.touch, they gather in one batch per connection and every call registers
    its flush, so a savepoint rolled back does not lose the others' registration; the first
    flush to run queues them all. A batch whose transaction rolled back is dropped.
    """
    connection = transaction.get_connection()
    batch = getattr(connection, "cog_email_batch", None)
    if batch is None or batch.done or not batch.waiting_in(connection):
        batch = connection.cog_email_batch = _Batch()
    batch.user_ids.update(user_ids)
    transaction.on_commit(batch.flush)


@contextmanager
def one_email_each():
    """Hold the emails of every transaction committed in this block, then queue one task
    per participant: a batch action (one transaction per request) sends each person one
    email. Nested blocks join the outer one."""
    connection = transaction.get_connection()
    if getattr(connection, "cog_emails_held", None) is not None:
        yield
        return
    held = connection.cog_emails_held = set()
    try:
        yield
    finally:
        connection.cog_emails_held = None
        enqueue(held)


def enqueue(user_ids):
    """One task per participant, to run EMAIL_BATCH_SECONDS from now (at once with 0).

    Runs after the change committed: a queue that fails must not turn the desk's action into
    an error page. The notifications stay pending, and housekeeping queues them again.
    """
    from .tasks import email_participant

    if not user_ids:
        return
    try:
        task = email_participant
        if settings.EMAIL_BATCH_SECONDS:
            later = timezone.now() + timedelta(seconds=settings.EMAIL_BATCH_SECONDS)
            task = task.using(run_after=later)
        for user_id in sorted(user_ids):
            task.enqueue(user_id)
    except Exception:
        logger.exception("Could not queue emails to users %s: housekeeping retries", user_ids)
