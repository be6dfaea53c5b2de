from django.core.management.base import BaseCommand

from accounts.cvs import purge_all
from accounts.models import CV


class Command(BaseCommand):
    help = "Delete every participant's CV (file and record). Run it after the event."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many would go; delete nothing."
        )

    def handle(self, *args, **options):
        if options["dry_run"]:
            self.stdout.write(f"{CV.objects.count()} CVs would be deleted.")
            return
        self.stdout.write(f"Deleted {purge_all()} CVs.")
