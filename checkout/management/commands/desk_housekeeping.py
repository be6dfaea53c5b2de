from django.core.management.base import BaseCommand

from checkout import services


class Command(BaseCommand):
    help = (
        "Expire approved requests not picked up in time and move waitlists up. Run it every "
        "minute (cron, systemd timer); the desk also has a button for it."
    )

    def handle(self, *args, **options):
        done = services.housekeeping()
        self.stdout.write(f"{done.expired} expired, {len(done.promoted)} moved up from waitlists.")
