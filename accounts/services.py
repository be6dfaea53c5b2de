"""Writes to who may sign in as what: the organiser allow-list."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower

from .models import AllowListedEmail, Role, User
from .roles import sync_roles


@dataclass(frozen=True)
class AllowListed:
    email: str
    was: str | None  # the role before (None: not on the list)
    role: str  # the role now


def _addresses(emails):
    """Normalised addresses, each once, in order; ValidationError naming every bad one."""
    addresses, bad = [], []
    for raw in emails:
        address = (raw or "").strip().lower()
        try:
            validate_email(address)
        except ValidationError:
            bad.append(repr(raw))
            continue
        if address not in addresses:
            addresses.append(address)
    if bad:
        raise ValidationError(f"Not a valid email address: {', '.join(bad)}. Nothing was changed.")
    return addresses


@transaction.atomic
def add_organisers(*, emails, lead=False):
    """Put each email on the allow-list as an organiser, or a lead organiser with `lead`.

    All or nothing: one invalid address raises ValidationError before anything is written.
    Idempotent, and never demotes: a lead organiser stays one without `lead`; a sponsor
    becomes an organiser. Anyone who already has an account gets the role at once
    (sync_roles); everyone else gets it when they first sign in. Locks the existing entries.
    Returns an AllowListed per address.
    """
    addresses = _addresses(emails)
    existing = {
        entry.lower_email: entry
        for entry in AllowListedEmail.objects.select_for_update()
        .annotate(lower_email=Lower("email"))
        .filter(lower_email__in=addresses)
    }
    done = []
    for address in addresses:
        entry = existing.get(address)
        was = entry.role if entry else None
        role = Role.LEAD_ORGANISER if lead or was == Role.LEAD_ORGANISER else Role.ORGANISER
        if entry is None:
            AllowListedEmail.objects.create(
                email=address, role=role, note="added with manage.py add_organiser"
            )
        elif was != role:
            entry.role = role
            entry.save(update_fields=["role"])
        done.append(AllowListed(email=address, was=was, role=role))
    for user in User.objects.filter(email__in=addresses):
        sync_roles(user)
    return done
