"""Live pages and cached fragments: version tokens, and the one way they are invalidated.

A *scope* names what a page shows: SHARED (the catalogue and the desk: entries, units, stock,
requests, loans, IDs, people, settings) or one participant's own pages (`user:42`, "My
hardware"). Each scope has a random version token in the database, so every app server sees
the same one without a broker, and a *stamp*: a number that grows with every bump, in commit
order. Live fragments poll with If-None-Match and are answered from a per-process copy of the
tokens (core/live_snapshot.py), refreshed at most once per LIVE_SNAPSHOT_SECONDS by fetching
only the rows stamped since: an unchanged poll costs no query and a 304. Rendered fragments are
cached under the token.

Invalidation happens in one place. Models whose rows those pages show inherit `LiveModel` and
use a `LiveQuerySet` manager; their saves and deletes (signals) and their bulk writes
(`update`, `bulk_create`, `bulk_update`) declare the scopes they touch: SHARED, and of the
participants' scopes only those whose pages show the rows written, so that a desk busy with
one participant does not make three thousand other phones re-download their pages:
- the owning participant's (`live_owner`), or for a bulk `update` whose rows are not known,
  every participant's (`user:*`, which every user scope inherits);
- for rows no participant owns (entries, units, settings), `user:*` when a field that
  participants' own pages show was written (`live_participant_fields`; a hand-out's stock
  count or a returned unit's condition are not shown there);
- the participants whose pages show other people's rows (`live_neighbours`: a request
  leaving a waitlist moves everyone behind it), found in one query when the transaction
  commits.
The scopes are collected per transaction and bumped once, in one statement, when it commits;
a rolled-back transaction bumps nothing it touched.

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
    ("user_id"; "pk" for the user model), or None when no participant owns it.

    `live_participant_fields` applies to rows nobody owns: the fields (attribute names) that
    participants' own pages show, so that writing one changes every participant's version;
    None means any field, an empty set none (only SHARED pages show the model).

    `live_neighbours(rows)` returns the scopes of other participants whose pages show
    something these rows decide (a waitlist place); it may query, and runs once per model
    per transaction, after it commits.
    """

    live_owner = None
    live_participant_fields = None

    class Meta:
        abstract = True

    @classmethod
    def live_neighbours(cls, rows):
        return set()


def scopes_of(model, rows=None, fields=None, created=False):
    """The scopes a write to `rows` of `model` touches; rows=None means "some rows", and
    fields=None "any field" (a save without update_fields, a delete). A row nobody owns is on
    no participant's page when it is `created`: the owned row that comes to show it is."""
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
    elif not created and _shows_participants(model, fields):
        scopes.add(ALL_USERS)
    return scopes


def _shows_participants(model, fields):
    shown = model.live_participant_fields
    if shown is None or fields is None:
        return shown is None or bool(shown)
    names = {model._meta.get_field(name).attname for name in fields}
    return bool(names & {model._meta.get_field(name).attname for name in shown})


class LiveQuerySet(models.QuerySet):
    """Bulk writes skip model signals; these declare their scopes instead."""

    def update(self, **kwargs):
        changed = super().update(**kwargs)
        touch(*scopes_of(self.model, fields=kwargs))  # after: outside a transaction, at once
        return changed

    def bulk_create(self, objs, *args, **kwargs):
        made = super().bulk_create(objs, *args, **kwargs)
        # With update_conflicts, existing rows may be overwritten: not only created.
        fresh = not kwargs.get("update_conflicts")
        touch(*scopes_of(self.model, made, created=fresh), rows=(self.model, made))
        return made

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        changed = super().bulk_update(objs, fields, *args, **kwargs)
        touch(*scopes_of(self.model, objs, fields), rows=(self.model, objs))
        return changed


def _row_written(sender, instance, update_fields=None, created=False, **kwargs):
    if update_fields is not None and set(update_fields) <= NOT_SHOWN_FIELDS:
        return  # a sign-in's last_login: no page shows it
    scopes = scopes_of(sender, [instance], update_fields, created)
    touch(*scopes, rows=(sender, [instance]))


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
    """The scopes touched in one transaction, bumped once when it commits, and the rows
    written of models with neighbours, whose scopes are looked up then."""

    def __init__(self):
        self.scopes = set()
        self.rows = {}
        self.done = False

    def flush(self):
        if not self.done:
            self.done = True
            for model, rows in self.rows.items():
                self.scopes.update(model.live_neighbours(rows))
            bump(*self.scopes)


def _has_neighbours(model):
    return model.live_neighbours.__func__ is not LiveModel.live_neighbours.__func__


def touch(*scopes, rows=None):
    """Bump these scopes once the current transaction commits (at once outside one);
    `rows` = (model, rows written), for a model whose rows other participants' pages show.

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
    if rows is not None and _has_neighbours(rows[0]):
        batch.rows.setdefault(rows[0], []).extend(rows[1])
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
    """A participant's version is their own token and every participant's `user:*` (what
    changes everyone's page: an entry renamed, a bulk write to unknown rows)."""
    if scope.startswith("user:") and scope != ALL_USERS:
        return [scope, ALL_USERS]
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
