from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role
from accounts.services import add_organisers


class Command(BaseCommand):
    help = (
        "Allow-list these emails as organisers (with --lead, lead organisers, who may also edit "
        "the allow-list in the admin). They get the role when they sign in, or at once if they "
        "already have an account. How the first organiser of an event gets in."
    )

    def add_arguments(self, parser):
        parser.add_argument("emails", nargs="+", metavar="EMAIL")
        parser.add_argument(
            "--lead", action="store_true", help="Lead organisers: may manage the allow-list."
        )

    def handle(self, *args, **options):
        try:
            done = add_organisers(emails=options["emails"], lead=options["lead"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        for item in done:
            role = Role(item.role).label.lower()
            if item.was is None:
                self.stdout.write(f"{item.email}: added as {role}")
            elif item.was == item.role:
                self.stdout.write(f"{item.email}: already {role}")
            else:
                self.stdout.write(f"{item.email}: {Role(item.was).label.lower()}, now {role}")
