"""Every model whose rows a cached or live page shows invalidates that page when edited.

The models are not listed by hand: the test renders each cached fragment (the catalogue, the
desk's queue, a participant's "My hardware") over a small event with every kind of row,
reads the tables its SQL touched, and then edits a row of each of those models, by save()
(what forms, the admin and services do) and by a bulk update() (what loaders and admin
actions do), checking that the versions the fragments are cached under change.
"""

import re

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import F
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import TeamFactory, UserFactory
from checkout import services
from checkout.desk.queue import OVERDUE, QUEUES, desk_queue_context, desk_stats
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from checkout.views.catalogue import render_catalogue
from checkout.views.participant import my_hardware_context
from core import live
from core.models import ChangeCounter, EventSettings
from inventory.models import Kind
from inventory.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

# The version tokens themselves are read, not shown.
NOT_SHOWN = {ChangeCounter}


@pytest.fixture
def event(organiser, participant):
    """One of everything the pages show, around `participant`."""
    participant.phone, participant.location = "+44 7700 900123", "Table 4"
    participant.team = TeamFactory()
    participant.save()
    entry = stocked_entry(units=3, category=CategoryFactory())
    lent = HardwareRequestFactory(user=participant, entry=entry)
    services.approve_request(hardware_request=lent, by=organiser)
    services.fulfil_request(hardware_request=lent, by=organiser, id_storage_label="A1")
    services.approve_request(
        hardware_request=HardwareRequestFactory(user=participant, entry=stocked_entry(units=1)),
        by=organiser,
    )
    HardwareRequestFactory(user=participant, entry=stocked_entry(units=2))
    lottery = stocked_entry(units=1, kind=Kind.LOTTERY)
    HardwareRequestFactory(entry=lottery, proposal="a robot")
    services.run_lottery(entry=lottery, by=organiser)
    HardwareRequestFactory(entry=lottery, user=UserFactory(), proposal="a drone")
    free = stocked_entry(units=2, kind=Kind.FREE)
    services.record_handout(entry=free, quantity=1, by=organiser, user=participant)
    return participant


def render_fragments(participant, organiser):
    """Render the cached or live fragments (the desk's queue both ways: its queues, and
    filtered to overdue loans), as their views do on a cache miss."""
    for user in (participant, organiser):
        render_catalogue(QueryDict(), event=EventSettings.load(), user=user, path="/inventory/")
    for show in (QUEUES, OVERDUE):
        context = desk_queue_context(desk_stats(), show)
        render_to_string("admin/desk/includes/_queue_body.html", context)
    render_to_string("checkout/includes/_my_hardware.html", my_hardware_context(participant))


def models_read(participant, organiser):
    with CaptureQueriesContext(connection) as captured:
        render_fragments(participant, organiser)
    tables = set()
    for query in captured.captured_queries:
        tables.update(re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', query["sql"]))
    by_table = {model._meta.db_table: model for model in apps.get_models()}
    return {by_table[table] for table in tables}


def versions(*scopes):
    return {scope: live.version(scope) for scope in scopes}


def test_the_pages_read_the_models_that_matter(event, organiser):
    labels = {model._meta.label for model in models_read(event, organiser)}
    # A sanity check on the walk below: it covers at least these.
    assert {
        "core.EventSettings",
        "inventory.Category",
        "inventory.Entry",
        "inventory.Unit",
        "accounts.User",
        "checkout.HardwareRequest",
        "checkout.Loan",
        "checkout.IDCollateral",
    } <= labels


def test_every_model_the_pages_show_is_live(event, organiser):
    shown = models_read(event, organiser) - NOT_SHOWN
    not_live = sorted(m._meta.label for m in shown if not issubclass(m, live.LiveModel))
    assert not_live == []


def _owner_scope(model, row):
    owner = model.live_owner and getattr(row, model.live_owner)
    return live.user_scope(owner) if owner else None


@pytest.mark.parametrize("how", ["save", "bulk update"])
def test_an_edit_of_any_shown_model_invalidates_its_pages(
    event, organiser, django_capture_on_commit_callbacks, how
):
    shown = sorted(models_read(event, organiser) - NOT_SHOWN, key=lambda m: m._meta.label)
    assert shown
    for model in shown:
        row = model._default_manager.order_by("pk").first()
        assert row is not None, f"the event fixture has no {model._meta.label}"
        owner = _owner_scope(model, row)
        # "My hardware" shows shared rows too (entry names, waitlist places): the
        # participant's page must change with every shown model, not only their own rows.
        scopes = sorted({live.SHARED, live.user_scope(event.pk)} | ({owner} if owner else set()))
        before = versions(*scopes)
        with django_capture_on_commit_callbacks(execute=True):
            if how == "save":
                row.save()
            else:
                field = next(f.attname for f in model._meta.concrete_fields if not f.primary_key)
                model._default_manager.filter(pk=row.pk).update(**{field: F(field)})
        after = versions(*scopes)
        unchanged = [scope for scope in scopes if before[scope] == after[scope]]
        assert unchanged == [], f"{how} of a {model._meta.label} left {unchanged} unchanged"


def test_a_profile_edit_reaches_the_desk_and_the_participant(
    event, client, django_capture_on_commit_callbacks
):
    client.force_login(event)
    before = versions(live.SHARED, live.user_scope(event.pk))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/me/profile/", {"name": "Pat Renamed", "phone": "+44 7700 900124", "location": "T9"}
        )
    assert response.status_code == 302
    after = versions(live.SHARED, live.user_scope(event.pk))
    assert all(before[scope] != after[scope] for scope in before)
