"""The profile step after signing in: who is sent through it, and how they get back.

A participant without a name, phone or table cannot be served at the desk, and used to learn
so only when their first request failed. So whoever signs in (or signs up, with a password or
MyMLH) with one of those missing goes to the profile step first, carrying the `next` they came
with; the step sends them on to it. Organisers and sponsors collect no hardware: never asked.
"""

from django.urls import reverse
from django.utils.http import urlencode

from .roles import SPONSORS


def needs_profile_step(user):
    """Whether `user` is sent to the profile step at sign-in. Queries: none, or one (whether
    they are a sponsor) for a non-staff user whose profile is incomplete."""
    if user.is_staff or user.is_superuser or user.has_complete_profile:
        return False
    return not user.groups.filter(name=SPONSORS).exists()


def profile_step_url(next_url):
    """The profile step, then `next_url` (already checked by core.redirects.safe_next)."""
    url = reverse("accounts:profile_step")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url
