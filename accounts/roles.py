"""The groups that give organisers and sponsors their permissions."""

from django.contrib.auth.models import Group, Permission

ORGANISERS = "Organisers"

# Organisers run the desk and the inventory, and may look people up; they manage no accounts.
ORGANISER_APPS = ["inventory", "checkout"]
ORGANISER_EXTRA = [("accounts", "view_user")]


def organisers_group():
    """The Organisers group with every inventory and checkout permission. Idempotent."""
    group, _ = Group.objects.get_or_create(name=ORGANISERS)
    permissions = Permission.objects.filter(content_type__app_label__in=ORGANISER_APPS)
    extra = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in ORGANISER_EXTRA
    ]
    group.permissions.set([*permissions, *extra])
    return group
