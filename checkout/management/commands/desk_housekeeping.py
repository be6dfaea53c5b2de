from django.core.management.base import BaseCommand

from checkout import services


class Command(BaseCommand):
    help = (
        "Expire approved requests not picked up in time, move waitlists up, email whoever "
        "holds a loan due back soon or newly overdue and retry emails that failed. Run it every "
        "minute (cron, systemd timer); the desk also has a button for it."
    )

    def handle(self, *args, **options):
        done = services.housekeeping()
        self.stdout.write(
            f"{done.expired} expired, {len(done.promoted)} moved up from waitlists, "
            f"{done.overdue} newly overdue loan(s), {done.due_soon} reminded due back soon, "
            "emails retried for "
            f"{done.emails_retried} participant(s)."
        )
