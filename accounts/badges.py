"""Badge codes: what a participant shows at the desk (a QR on My hardware and on a printed badge).

A code is "CB" followed by 26 base32 letters and digits: the user's id, the badge version and a
MAC over both, keyed by SECRET_KEY. It names nobody in clear, cannot be made up without the
key, and stops working when a new code is issued (the version moves on). Only A-Z and 2-7, so a
USB scanner types it the same on any keyboard layout.
"""

import base64
import re

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils.crypto import constant_time_compare, salted_hmac

PREFIX = "CB"
BADGE = re.compile(rf"^{PREFIX}[A-Z2-7]{{26}}$")
_SALT = "cog.accounts.badge"


class BadBadge(ValueError):
    """A code in the badge format that no current badge has (forged, mistyped or revoked)."""


def _mac(payload):
    return salted_hmac(_SALT, payload, algorithm="sha256").digest()[:10]


def badge_code(user):
    payload = user.pk.to_bytes(4, "big") + user.badge_version.to_bytes(2, "big")
    raw = base64.b32encode(payload + _mac(payload)).decode().rstrip("=")
    return PREFIX + raw


def looks_like_badge(code):
    return bool(BADGE.match(code.upper()))


def user_for_badge(code, users=None):
    """The user a badge code belongs to (one query), or BadBadge. `users` may be an annotated
    queryset (the desk asks for holdings in the same query)."""
    code = code.upper()
    if not BADGE.match(code):
        raise BadBadge("That is not a badge code.")
    raw = base64.b32decode(code[len(PREFIX) :] + "======")
    payload, mac = raw[:6], raw[6:]
    if not constant_time_compare(mac, _mac(payload)):
        raise BadBadge("That badge code is not one of ours: it was mistyped or forged.")
    pk, version = int.from_bytes(payload[:4], "big"), int.from_bytes(payload[4:], "big")
    users = get_user_model().objects.all() if users is None else users
    user = users.filter(pk=pk, is_active=True).first()
    if user is None or user.badge_version != version:
        raise BadBadge("That badge code was replaced by a newer one: ask for their current badge.")
    return user


def issue_new_badges(users):
    """Revoke the badge codes of every user in a queryset, in one statement."""
    return users.update(badge_version=F("badge_version") + 1)


def issue_new_badge(user):
    """Revoke the user's badge code: the next code shown or printed is a new one."""
    get_user_model().objects.filter(pk=user.pk).update(badge_version=F("badge_version") + 1)
    user.refresh_from_db(fields=["badge_version"])
    return badge_code(user)


def badge_qr(user):
    """The badge code as an inline SVG QR code."""
    from core.qr import qr_svg

    return qr_svg(badge_code(user), title=f"Desk badge for {user}")
