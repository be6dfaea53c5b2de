"""The per-process snapshot of live versions: no query within the refresh interval, one query
(rows stamped since, and the time terms) after it, and nothing missed."""

import threading

import pytest
from django.db import connection, connections, models
from django.test.utils import CaptureQueriesContext

from core import live
from core.live_snapshot import snapshot

INTERVAL = 0.5


@pytest.fixture(autouse=True)
def interval(settings):
    settings.LIVE_SNAPSHOT_SECONDS = INTERVAL


def bump_in_another_process(monkeypatch, *scopes):
    """Bump as another app server would: on a connection of its own (committed), and without
    this process's count of its own bumps, which expires its snapshot at once, noticing."""
    before = live.local_bumps

    def write():
        try:
            live.bump(*scopes)
        finally:
            connections.close_all()  # this thread's connection

    thread = threading.Thread(target=write)
    thread.start()
    thread.join()
    monkeypatch.setattr(live, "local_bumps", before)


@pytest.mark.django_db
def test_it_answers_from_memory_within_the_interval(snapshot_clock):
    first = snapshot.version(live.SHARED)
    snapshot_clock.advance(INTERVAL / 2)
    with CaptureQueriesContext(connection) as queries:
        again = snapshot.version(live.SHARED)
        user = snapshot.version(live.user_scope(5))
    assert len(queries) == 0
    assert again == first
    assert user.endswith(first)  # user:5, user:*, then SHARED's token and the time terms


@pytest.mark.django_db
def test_it_agrees_with_the_database_character_for_character(
    participant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        live.touch(live.user_scope(participant.pk))
    for scope in (live.SHARED, live.user_scope(participant.pk), live.user_scope(999)):
        assert snapshot.version(scope) == live.version(scope)


@pytest.mark.django_db(transaction=True)
def test_it_sees_another_process_write_after_the_interval(snapshot_clock, monkeypatch):
    live.version(live.SHARED)  # after an earlier test's flush, this bump recreates the SHARED row
    before = snapshot.version(live.SHARED)

    bump_in_another_process(monkeypatch, live.SHARED, live.user_scope(3))

    assert snapshot.version(live.SHARED) == before  # in memory until the interval passes
    snapshot_clock.advance(INTERVAL)
    with CaptureQueriesContext(connection) as queries:
        after = snapshot.version(live.SHARED)
    assert len(queries) == 1
    assert after != before
    assert after == live.version(live.SHARED)
    assert snapshot.version(live.user_scope(3)) == live.version(live.user_scope(3))


@pytest.mark.django_db
def test_this_process_writes_show_at_once(snapshot_clock, django_capture_on_commit_callbacks):
    before = snapshot.version(live.SHARED)
    with django_capture_on_commit_callbacks(execute=True):
        live.touch(live.SHARED)
    assert snapshot.version(live.SHARED) != before  # no time has passed
    assert snapshot.version(live.SHARED) == live.version(live.SHARED)


@pytest.mark.django_db
def test_a_refresh_fetches_only_the_rows_stamped_since(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        live.touch(*(live.user_scope(n) for n in range(10)))
    newest = live.ChangeCounter.objects.aggregate(models.Max("stamp"))["stamp__max"]
    with django_capture_on_commit_callbacks(execute=True):
        live.touch(live.user_scope(4))

    rows, terms = live.changes_since(newest)

    assert sorted(scope for scope, _, _ in rows) == [live.SHARED, live.user_scope(4)]
    assert len(terms) == 2  # lapsed pickups, overdue loans (checkout/stock.py)


@pytest.mark.django_db
def test_each_bump_stamps_after_the_last(django_capture_on_commit_callbacks):
    stamps = []
    for scope in ("user:1", "user:2", "user:1"):
        live.bump(scope)
        stamps.append(live.ChangeCounter.objects.get(scope=scope).stamp)
    assert stamps == sorted(stamps) and len(set(stamps)) == 3
