"""A per-process copy of the live version tokens, so an unchanged poll costs no query.

Every open live page polls every 2 s. Reading its version from the database costs a query,
plus, as a request's first query, the connection health check's SELECT 1: two statements per
poll, for an answer that is almost always "unchanged". So each process keeps the tokens in
memory and refreshes them at most once per LIVE_SNAPSHOT_SECONDS, with one query that fetches
the counter rows stamped after the newest this process has seen (usually none), the SHARED row
and every time term (core.live.changes_since). A poll within the interval runs no query.

How stale it can be: a write through another process (or app server) shows here at the first
refresh after it commits, so a page sees it within its poll interval + LIVE_SNAPSHOT_SECONDS.
A write through this process expires the snapshot at once (core.live.bump counts them), so
an organiser sees their own action at the next poll. Nothing is missed between refreshes
because bumps are stamped in commit order (see core.live.bump).

Thread safety: runserver serves requests in threads; one lock guards the snapshot, refresh
included, so one thread queries while the others wait for its answer.
"""

import threading
import time

from django.conf import settings

from . import live


class Snapshot:
    def __init__(self, clock=time.monotonic):
        self.clock = clock  # injectable: tests move time on instead of sleeping
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        """Forget everything: the next read loads every counter row (tests call this, as the
        rows a rolled-back test wrote are gone)."""
        self._tokens = {}
        self._terms = ()
        self._stamp = None  # the newest stamp seen; None until the first load
        self._refreshed_at = None
        self._bumps_seen = None

    def version(self, scope):
        """The scope's version as of the last refresh, refreshing first if that was longer
        than LIVE_SNAPSHOT_SECONDS ago or this process has bumped since. May run one query."""
        with self._lock:
            now = self.clock()
            if (
                self._refreshed_at is None
                or now - self._refreshed_at >= settings.LIVE_SNAPSHOT_SECONDS
                or self._bumps_seen != live.local_bumps
            ):
                self._refresh(now)
            return live.compose(scope, self._tokens, self._terms)

    def _refresh(self, now):
        bumps = live.local_bumps  # read first: a bump during the query forces another refresh
        rows, self._terms = live.changes_since(self._stamp)
        for scope, token, stamp in rows:
            self._tokens[scope] = token
            self._stamp = stamp if self._stamp is None else max(self._stamp, stamp)
        self._refreshed_at = now
        self._bumps_seen = bumps


snapshot = Snapshot()


def version(scope):
    """The scope's version from this process's snapshot: see the module docstring."""
    return snapshot.version(scope)


def unchanged(token, if_none_match):
    """(scope, current version, whether the poll holding `if_none_match` is up to date) for a
    poll URL's signed token; scope is None for a token that does not verify."""
    scope = live.scope_from_token(token)
    if scope is None:
        return None, None, False
    current = snapshot.version(scope)
    return scope, current, if_none_match.strip('"') == current
