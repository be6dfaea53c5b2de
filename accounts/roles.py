"""Roles by email allow-list: the Organisers, Lead organisers and Sponsors groups and who is in
them.

A user signing in with an allow-listed email (ORGANISER_EMAILS, SPONSOR_EMAILS, or the list
in the admin) joins that group; someone taken off the list leaves it at their next sign-in.
Organisers become staff (the admin and the desk), never superusers. A lead organiser is an
organiser who may also edit the allow-list (only the admin's list: the environment's lists
stay with whoever deploys). Superusers are left alone.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import AllowListedEmail, Role

ORGANISERS = "Organisers"
LEAD_ORGANISERS = "Lead organisers"  # also made by migration accounts/0004
SPONSORS = "Sponsors"

# Organisers run the desk and the inventory, look people up and see CVs; they manage no
# accounts, and may read the allow-list but not change it.
ORGANISER_APPS = ["core", "inventory", "checkout"]
ORGANISER_EXTRA = [
    ("accounts", "view_user"),
    ("accounts", "download_cv"),
    ("accounts", "view_allowlistedemail"),
]
# ...except closing the event, which archives everything and starts the next.
ORGANISER_EXCLUDED = [("checkout", "close_event")]
# Lead organisers (in Organisers too) decide who else gets in, when the event closes, and who
# gets an API token (issued and revoked in the admin; never deleted, so no delete permission).
LEAD_ORGANISER_PERMISSIONS = [
    *[("accounts", f"{action}_allowlistedemail") for action in ("add", "change", "delete", "view")],
    ("checkout", "close_event"),
    *[("api", f"{action}_apitoken") for action in ("add", "change", "view")],
]
# Sponsors see the CVs of consenting participants, and nothing else.
SPONSOR_PERMISSIONS = [("accounts", "download_cv")]


def _permissions(pairs):
    return [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in pairs
    ]


def organisers_group():
    """The Organisers group with every inventory and checkout permission. Idempotent."""
    group, _ = Group.objects.get_or_create(name=ORGANISERS)
    permissions = Permission.objects.filter(content_type__app_label__in=ORGANISER_APPS).exclude(
        codename__in=[codename for _, codename in ORGANISER_EXCLUDED]
    )
    group.permissions.set([*permissions, *_permissions(ORGANISER_EXTRA)])
    return group


def lead_organisers_group():
    """The Lead organisers group, allowed to manage the allow-list. Idempotent."""
    group, _ = Group.objects.get_or_create(name=LEAD_ORGANISERS)
    group.permissions.set(_permissions(LEAD_ORGANISER_PERMISSIONS))
    return group


def sponsors_group():
    group, _ = Group.objects.get_or_create(name=SPONSORS)
    group.permissions.set(_permissions(SPONSOR_PERMISSIONS))
    return group


def roles_for_email(email):
    """The roles an email address has: from the environment and from the admin's list."""
    email = (email or "").strip().lower()
    roles = set(AllowListedEmail.objects.filter(email__iexact=email).values_list("role", flat=True))
    if email in {e.lower() for e in settings.ORGANISER_EMAILS}:
        roles.add(Role.ORGANISER)
    if email in {e.lower() for e in settings.SPONSOR_EMAILS}:
        roles.add(Role.SPONSOR)
    if Role.LEAD_ORGANISER in roles:
        roles.add(Role.ORGANISER)
    return roles


@transaction.atomic
def sync_roles(user):
    """Bring a user's groups and staff flag in line with the allow-list. Called at sign-in."""
    if user.is_superuser:
        return
    roles = roles_for_email(user.email)
    by_role = {
        Role.ORGANISER: organisers_group(),
        Role.LEAD_ORGANISER: lead_organisers_group(),
        Role.SPONSOR: sponsors_group(),
    }
    organisers = by_role[Role.ORGANISER]
    in_groups = set(
        user.groups.filter(pk__in=[g.pk for g in by_role.values()]).values_list("pk", flat=True)
    )
    for role, group in by_role.items():
        if role in roles and group.pk not in in_groups:
            user.groups.add(group)
        elif role not in roles and group.pk in in_groups:
            user.groups.remove(group)
    staff = Role.ORGANISER in roles or (user.is_staff and organisers.pk not in in_groups)
    if staff != user.is_staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
