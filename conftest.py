"""Shared fixtures. Tests marked `postgres` need PostgreSQL (set DATABASE_URL).

Without PostgreSQL they are skipped with a reason, unless REQUIRE_POSTGRES is set (CI sets it),
in which case running them on another database is an error rather than a silent skip.
"""

import os

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


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rendered fragments are cached under version tokens that a test's rolled-back
    transactions never bump: start every test with an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
