"""Version tokens for live pages and cached fragments, shared by every app server through the
database.

Two kinds of scope: SHARED (anything the catalogue or the desk shows: entries, units, stock,
requests, loans, IDs, settings) and one per participant ("user:42", their "My hardware"). Each
write bumps the scopes it affects after its transaction commits. Live fragments poll with
If-None-Match: an unchanged scope costs one query and answers 304. Rendered fragments are cached
under the SHARED token, so an unchanged catalogue or desk is served from memory. No broker is
needed, and several app servers behind a load balancer see the same tokens.
"""

import secrets

from django.core import signing
from django.db import transaction
from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce

from .models import ChangeCounter

SHARED = "shared"
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
    """After the current transaction commits, bump the shared scope and these participants'."""
    scopes = [SHARED, *(user_scope(user_id) for user_id in user_ids if user_id)]
    transaction.on_commit(lambda: bump(*scopes))


def inventory_changed(**kwargs):
    """Receiver for saves and deletes of inventory rows: the catalogue and desk change."""
    changed()


def version(scope):
    """The scope's current token: one query."""
    return (
        ChangeCounter.objects.filter(scope=scope).values_list("version", flat=True).first() or "0"
    )


def shared_version_expression():
    """The SHARED token as a subquery, to fetch along with another row in the same query."""
    return Coalesce(
        Subquery(ChangeCounter.objects.filter(scope=SHARED).values("version")[:1]), Value("0")
    )


def poll_token(scope):
    """A signed, opaque name for a scope, so a poll URL cannot be pointed at another scope."""
    return signing.dumps(scope, salt=SALT, compress=True)


def scope_from_token(token):
    try:
        return signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
