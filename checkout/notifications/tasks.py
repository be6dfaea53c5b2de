"""The background task the worker (`manage.py db_worker`) runs."""

from django_tasks import task

from .sending import send_pending


@task()
def email_participant(user_id):
    """Send one participant everything pending for them, as one email. Returns how many
    notifications it carried (0 when another run sent them first)."""
    return send_pending(user_id)
