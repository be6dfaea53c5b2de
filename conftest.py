"""Shared fixtures. Tests marked `postgres` need PostgreSQL (set DATABASE_URL).

Without PostgreSQL they are skipped with a reason, unless REQUIRE_POSTGRES is set (CI sets it),
in which case running them on another database is an error rather than a silent skip.
"""

import os
import re
import socket

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    needs_pg = [item for item in items if item.get_closest_marker("postgres")]
    if not needs_pg:
        return
    if os.environ.get("REQUIRE_POSTGRES"):
        raise pytest.UsageError(
            f"REQUIRE_POSTGRES is set but the database is {connection.vendor}: "
            f"{len(needs_pg)} PostgreSQL tests would not run. Set DATABASE_URL."
        )
    skip = pytest.mark.skip(
        reason="needs PostgreSQL for real locking/constraints: set DATABASE_URL=postgres://..."
    )
    for item in needs_pg:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def s3_server():
    """A real S3 API (moto in server mode) on a free local port, for the storages' tests."""
    from moto.server import ThreadedMotoServer

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rendered fragments are cached under version tokens that a test's rolled-back
    transactions never bump: start every test with an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fresh_live_snapshot():
    """The process's copy of the live tokens outlives a test; the rows a rolled-back test
    wrote do not (and stamps restart below what it saw): forget it before and after."""
    from core.live_snapshot import snapshot

    snapshot.reset()
    yield
    snapshot.reset()


class StoppedClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def snapshot_clock(monkeypatch):
    """The live snapshot's clock, stopped: a test moves it on with .advance(seconds) instead of
    sleeping through LIVE_SNAPSHOT_SECONDS."""
    from core.live_snapshot import snapshot

    clock = StoppedClock()
    monkeypatch.setattr(snapshot, "clock", clock)
    return clock


@pytest.fixture
def participant(db):
    return UserFactory(email="pat@example.com", name="Pat Participant")


@pytest.fixture
def organiser(db):
    from accounts.roles import organisers_group

    user = UserFactory(email="olive@example.com", name="Olive Organiser", is_staff=True)
    user.groups.add(organisers_group())
    return user


@pytest.fixture
def participant_client(client, participant):
    client.force_login(participant)
    return client


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def count_queries():
    """Run a callable and return (its result, the SQL statements it ran)."""

    def run(func, *args, **kwargs):
        with CaptureQueriesContext(connection) as captured:
            result = func(*args, **kwargs)
        return result, [query["sql"] for query in captured.captured_queries]

    return run


def _top_level_from(sql):
    """What the statement's own FROM names: a table, or (recursively) a FROM (subquery)'s."""
    depth, upper, i = 0, sql.upper(), 0
    while i < len(sql):
        char = sql[i]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif (
            depth == 0
            and upper.startswith("FROM", i)
            and not sql[i - 1 : i].isalnum()
            and sql[i + 4 : i + 5].isspace()  # the keyword, not a column like "from_status"
        ):
            rest = sql[i + 4 :].lstrip()
            if rest.startswith("("):
                level = 0
                for end, inner in enumerate(rest):
                    level += {"(": 1, ")": -1}.get(inner, 0)
                    if level == 0:
                        return _top_level_from(rest[1:end])
            match = re.match(r'"?(\w+)', rest)
            return match.group(1) if match else "?"
        i += 1
    return "?"


def query_name(sql):
    """'SELECT accounts_user', 'INSERT core_changecounter', ...: the statement's verb and the
    table it reads or writes (subqueries aside), to pin what a budget test expects."""
    verb = sql.split(None, 1)[0].upper()
    if verb in ("SAVEPOINT", "RELEASE", "ROLLBACK"):
        return verb
    if verb in ("INSERT", "UPDATE"):
        table = re.search(r'(?:INTO|UPDATE)\s+"?(\w+)', sql).group(1)
        return f"{verb} {table}"
    return f"{verb} {_top_level_from(sql)}"


@pytest.fixture
def named_queries(count_queries):
    """Like count_queries, but returns each statement's query_name()."""

    def run(func, *args, **kwargs):
        result, queries = count_queries(func, *args, **kwargs)
        named = [query_name(sql) for sql in queries]
        if os.environ.get("DUMP_NAMED"):
            import json

            with open(os.environ["DUMP_NAMED"], "a") as f:
                f.write(json.dumps([os.environ.get("PYTEST_CURRENT_TEST"), named]) + "\n")
        return result, named

    return run
