"""The application gunicorn serves: unchanged live polls answered in front of Django."""

import pytest

from cogproject.wsgi import application as served
from core import live, live_snapshot
from core.tests.test_live_wsgi import call, poll_environ, poll_path

pytestmark = pytest.mark.django_db


def test_the_served_application_answers_polls_in_front_and_django_behind():
    """cogproject.wsgi.application, as gunicorn serves it: the unchanged poll is the wrapper's
    304; the stale one is Django's view, which refuses a poll without a session (403)."""
    scope = live.user_scope(42)
    current = live_snapshot.version(scope)
    path = poll_path(scope)
    unchanged = call(served, poll_environ(path, f'"{current}"'))
    assert unchanged["status"] == "304 Not Modified"
    stale = call(served, poll_environ(path, '"0.0"'))
    assert stale["status"].startswith("403")
    assert stale["headers"]["ETag"] == f'"{current}"'


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_polls_survive_the_database_dropping_the_connection_twice(monkeypatch, snapshot_clock):
    """PostgreSQL ends the app's connection (a restart, a failover, a pooler's idle timeout)
    while a process serves nothing but unchanged polls, twice: each time the next refresh of
    the snapshot finds the connection dead and reconnects, and the poll is still a 304.
    (Before the fast path did what Django's request signals do, the second time every poll
    was a 500 until the worker was replaced.)"""
    import psycopg2
    from django.db import connection

    # As in production: persistent connections, checked before reuse.
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", True)
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    scope = live.user_scope(42)
    path = poll_path(scope)
    etag = call(served, poll_environ(path))["headers"]["ETag"]  # through Django: a 403
    url = {key: connection.settings_dict[key] for key in ("HOST", "PORT", "USER", "NAME")}
    for _ in range(2):
        pid = connection.connection.get_backend_pid()
        with (
            psycopg2.connect(
                host=url["HOST"], port=url["PORT"], user=url["USER"], dbname=url["NAME"]
            ) as other,
            other.cursor() as cursor,
        ):
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        snapshot_clock.advance(1)  # the snapshot is due for its refresh
        assert call(served, poll_environ(path, etag))["status"] == "304 Not Modified"
        assert connection.connection.get_backend_pid() != pid
