"""Change counters for live pages, shared by every app server through the database.

Each write that affects the desk or a participant's page bumps a version token after its
transaction commits. Live fragments poll with If-None-Match; an unchanged scope costs one
query and answers 304. No broker is needed, and several app servers behind a load balancer
see the same versions.
"""

import secrets

from django.core import signing
from django.db import transaction

from .models import ChangeCounter

DESK = "desk"
SALT = "cog.live"


def user_scope(user_id):
    return f"user:{user_id}"


def bump(*scopes):
    """Give each scope a new version token (one upsert). Reads nothing."""
    token = secrets.token_hex(8)
    ChangeCounter.objects.bulk_create(
        [ChangeCounter(scope=scope, version=token) for scope in sorted(set(scopes))],
        update_conflicts=True,
        unique_fields=["scope"],
        update_fields=["version"],
    )


def changed(*user_ids):
    """After the current transaction commits, bump the desk and these participants' pages."""
    scopes = [DESK, *(user_scope(user_id) for user_id in user_ids if user_id)]
    transaction.on_commit(lambda: bump(*scopes))


def version(scope):
    """The scope's current token: one query."""
    return (
        ChangeCounter.objects.filter(scope=scope).values_list("version", flat=True).first() or "0"
    )


def poll_token(scope):
    """A signed, opaque name for a scope, so a poll URL cannot be pointed at another scope."""
    return signing.dumps(scope, salt=SALT, compress=True)


def scope_from_token(token):
    try:
        return signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
