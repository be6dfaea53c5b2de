"""Live pages and cached fragments: version tokens, and the one way they are invalidated.

A *scope* names what a page shows: SHARED (the catalogue and the desk: entries, units, stock,
requests, loans, IDs, people, settings) or one participant's own pages (`user:42`, "My
hardware", whose version also includes SHARED: it shows entry names and waitlist places).
Each scope has a random version token in the database, so every app server sees the same one
without a broker, and a *stamp*: a number that grows with every bump, in commit order. Live
fragments poll with If-None-Match and are answered from a per-process copy of the tokens
(core/live_snapshot.py), refreshed at most once per LIVE_SNAPSHOT_SECONDS by fetching only the
rows stamped since: an unchanged poll costs no query and a 304. Rendered fragments are cached
under the token.

Invalidation happens in one place. Models whose rows those pages show inherit `LiveModel` and
use a `LiveQuerySet` manager; their saves and deletes (signals) and their bulk writes
(`update`, `bulk_create`, `bulk_update`) declare the scopes they touch: SHARED, plus the
owning participant's scope (`live_owner`) or, for a bulk `update` whose rows are not known,
every participant's (`user:*`, which every user scope inherits). The scopes are collected per
transaction and bumped once, in one statement, when it commits; a rolled-back transaction
bumps nothing it touched.

What changes with no write at all (a pickup deadline passing) enters the version as a
*time term*: an SQL expression registered by the app that owns it, evaluated in the same query.
"""

import secrets

from django.core import signing
from django.db import connection, models, transaction
from django.db.models import CharField, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.db.models.signals import post_delete, post_save

SHARED = "shared"
ALL_USERS = "user:*"
# Saved alone, these change nothing a live page shows.
NOT_SHOWN_FIELDS = {"last_login"}
SALT = "cog.live"


def user_scope(user_id):
    return f"user:{user_id}"


class ChangeCounter(models.Model):
    """A version token per scope ("shared", "user:42", "user:*"), replaced after every
    committed write that touches the scope; `stamp` says which bump replaced it last."""

    scope = models.CharField(max_length=40, primary_key=True)
    version = models.CharField(max_length=32)
    # Grows with every bump, in commit order: a snapshot fetches the rows stamped after the
    # newest it has seen (the index makes that, and MAX(stamp), one index probe).
    stamp = models.BigIntegerField(default=0, db_index=True)

    class Meta:
        app_label = "core"

    def __str__(self):
        return f"{self.scope}@{self.version}"


# Declaring what a write touches -----------------------------------------------------------


class LiveModel(models.Model):
    """A model whose rows live pages or cached fragments show.

    `live_owner` names the attribute holding the participant whose own pages show a row
    ("user_id"; "pk" for the user model), or None when only SHARED pages show it.
    """

    live_owner = None

    class Meta:
        abstract = True


def scopes_of(model, rows=None):
    """The scopes a write to `rows` of `model` touches; rows=None means "some rows"."""
    if not issubclass(model, LiveModel):  # a migration's historical model: no live page reads it
        return set()
    scopes = {SHARED}
    owner_attribute = model.live_owner
    if owner_attribute:
        if rows is None:
            scopes.add(ALL_USERS)
        else:
            owners = (getattr(row, owner_attribute) for row in rows)
            scopes.update(user_scope(owner) for owner in owners if owner is not None)
    return scopes


class LiveQuerySet(models.QuerySet):
    """Bulk writes skip model signals; these declare their scopes instead."""

    def update(self, **kwargs):
        changed = super().update(**kwargs)
        touch(*scopes_of(self.model))  # after: outside a transaction this bumps at once
        return changed

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        touch(*scopes_of(self.model, created))
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        changed = super().bulk_update(objs, fields, *args, **kwargs)
        touch(*scopes_of(self.model, objs))
        return changed


def _row_written(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= NOT_SHOWN_FIELDS:
        return  # a sign-in's last_login: no page shows it
    touch(*scopes_of(sender, [instance]))


def connect_signals():
    """Saves and deletes of every LiveModel touch their scopes. Called once at start-up."""
    from django.apps import apps

    for model in apps.get_models():
        if issubclass(model, LiveModel):
            uid = f"live-{model._meta.label}"
            post_save.connect(_row_written, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(_row_written, sender=model, dispatch_uid=f"{uid}-delete")


# Collecting per transaction -----------------------------------------------------------------


class _Batch:
    """The scopes touched in one transaction, bumped once when it commits."""

    def __init__(self):
        self.scopes = set()
        self.done = False

    def flush(self):
        if not self.done:
            self.done = True
            bump(*self.scopes)


def touch(*scopes):
    """Bump these scopes once the current transaction commits (at once outside one).

    Scopes gather in one batch per connection until it is flushed; every call registers the
    batch's flush, so a savepoint rollback that discards one registration loses no scope. The
    first flush to run bumps them all in one statement; the others find nothing left to do.
    """
    if not scopes:
        return
    connection = transaction.get_connection()
    batch = getattr(connection, "cog_live_batch", None)
    if batch is None or batch.done:
        batch = connection.cog_live_batch = _Batch()
    batch.scopes.update(scopes)
    transaction.on_commit(batch.flush)


# Bumps made by this process since it started: a snapshot taken before one is out of date.
local_bumps = 0
# pg_advisory_xact_lock key serialising bumps ("cog.live" as an integer).
_STAMP_LOCK = 0x636F672E6C697665


def bump(*scopes):
    """Give each scope a new version token and the next stamp: one upsert, whatever the number
    of scopes.

    Stamps must follow commit order, or a snapshot that has seen stamp 8 would never fetch a
    7 committed after it. On PostgreSQL a transaction-scoped advisory lock, taken in a statement
    of its own (so the upsert's snapshot is taken once it is held), makes concurrent bumps wait
    for each other's commit; SQLite has one writer at a time. Bumps are one per committed write
    transaction, so the wait is short.
    """
    global local_bumps
    if not scopes:
        return
    token = secrets.token_hex(8)
    names = sorted(set(scopes))
    table = connection.ops.quote_name(ChangeCounter._meta.db_table)
    next_stamp = f"(SELECT COALESCE(MAX(stamp), 0) + 1 FROM {table})"
    values = ", ".join([f"(%s, %s, {next_stamp})"] * len(names))
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_STAMP_LOCK])
        cursor.execute(
            f"INSERT INTO {table} (scope, version, stamp) VALUES {values} "
            "ON CONFLICT (scope) DO UPDATE SET version = excluded.version, stamp = excluded.stamp",
            [value for name in names for value in (name, token)],
        )
    local_bumps += 1


# Reading versions -----------------------------------------------------------------------------

_time_terms = []


def register_time_term(expression_factory):
    """Make every version depend on an integer SQL expression that time alone can change
    (e.g. how many pickup deadlines have passed). Apps call this from their ready()."""
    _time_terms.append(expression_factory)


def inherited(scope):
    """A participant's pages show shared rows too (entry names, waitlist places): their
    version includes SHARED and every participant's `user:*` besides their own token."""
    if scope.startswith("user:") and scope != ALL_USERS:
        return [scope, ALL_USERS, SHARED]
    return [scope]


def _token(scope):
    return Coalesce(
        Subquery(ChangeCounter.objects.filter(scope=scope).values("version")[:1]), Value("0")
    )


def version_expression(scope):
    """The scope's version as one SQL string expression, to select along with any row."""
    parts = [_token(name) for name in inherited(scope)]
    parts += [Cast(term(), CharField()) for term in _time_terms]
    joined = []
    for part in parts:
        joined += [part, Value(".")]
    return Concat(*joined[:-1], output_field=CharField()) if len(parts) > 1 else parts[0]


def version(scope):
    """The scope's current version, read from the database: one query (on the SHARED counter
    row, which the core migration creates and any bump recreates). Polls read the per-process
    snapshot instead (core/live_snapshot.py)."""
    anchor = ChangeCounter.objects.filter(scope=SHARED)
    current = anchor.annotate(v=version_expression(scope)).values_list("v", flat=True).first()
    if current is None:  # a flushed test database: recreate the anchor row
        bump(SHARED)
        current = anchor.annotate(v=version_expression(scope)).values_list("v", flat=True).get()
    return current


def changes_since(stamp):
    """One query: the counter rows stamped after `stamp` (all of them for None), the SHARED row
    always, and the value of every time term. Returns (rows, terms); rows are (scope,
    version, stamp)."""
    rows = ChangeCounter.objects.all()
    if stamp is not None:
        rows = rows.filter(Q(stamp__gt=stamp) | Q(scope=SHARED))
    terms = [f"term_{n}" for n in range(len(_time_terms))]
    rows = rows.annotate(**{name: term() for name, term in zip(terms, _time_terms, strict=True)})
    fetched = list(rows.values_list("scope", "version", "stamp", *terms))
    if not any(row[0] == SHARED for row in fetched):  # a flushed test database
        bump(SHARED)
        return changes_since(stamp)
    shared = next(row for row in fetched if row[0] == SHARED)
    return [row[:3] for row in fetched], tuple(shared[3:])


def compose(scope, tokens, terms):
    """The scope's version from its tokens ({scope: token}) and the time terms' values: the
    string version_expression() computes in SQL, character for character."""
    parts = [tokens.get(name, "0") for name in inherited(scope)] + [str(t) for t in terms]
    return ".".join(parts)


def poll_token(scope):
    """A signed, opaque name for a scope, so a poll URL cannot be pointed at another scope."""
    return signing.dumps(scope, salt=SALT, compress=True)


def scope_from_token(token):
    try:
        return signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
