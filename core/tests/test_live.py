"""Scopes are collected per transaction and bumped once, in one statement, on commit."""

import pytest
from django.db import transaction

from core import live
from core.models import EventSettings

pytestmark = pytest.mark.django_db


def bumps(queries):
    return [sql for sql in queries if sql.startswith("INSERT") and "core_changecounter" in sql]


def test_many_writes_in_one_transaction_bump_once(
    named_queries, django_capture_on_commit_callbacks
):
    def writes():
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            for n in range(5):
                EventSettings.objects.filter(pk=1).update(proposal_max_length=100 + n)
            live.touch(live.user_scope(1), live.user_scope(2))

    before = live.version(live.SHARED)
    _, queries = named_queries(writes)
    assert len(bumps(queries)) == 1
    assert live.version(live.SHARED) != before
    assert live.version(live.user_scope(1)) == live.version(live.user_scope(2))


def test_a_rolled_back_write_bumps_nothing(django_capture_on_commit_callbacks):
    before = live.version(live.SHARED)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        EventSettings.objects.filter(pk=1).update(proposal_max_length=1)
        raise RuntimeError("the write fails")
    assert callbacks == []
    assert live.version(live.SHARED) == before


def test_a_participant_scope_changes_with_a_bulk_write_to_unknown_rows(
    django_capture_on_commit_callbacks,
):
    before = live.version(live.user_scope(7))
    with django_capture_on_commit_callbacks(execute=True):
        live.touch(live.ALL_USERS)
    assert live.version(live.user_scope(7)) != before
    assert live.version(live.SHARED) != ""


def test_an_idle_version_read_is_one_query(named_queries):
    _, queries = named_queries(live.version, live.user_scope(3))
    assert len(queries) == 1  # the token, user:*, and every time term, in one statement
