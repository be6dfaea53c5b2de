"""Every model whose rows a cached or live page shows invalidates that page when edited, and
a participant's page is left alone by writes it does not show.

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
from checkout.models import HardwareRequest, Status
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from checkout.views.catalogue import render_catalogue
from checkout.views.participant import my_hardware_context
from core import live
from core.models import ChangeCounter, EventSettings
from inventory.models import Entry, Kind
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


def render_shared(participant, organiser):
    """Render the fragments cached under SHARED (the catalogue, and the desk's queue both
    ways: its queues, and filtered to overdue loans), as their views do on a cache miss."""
    for user in (participant, organiser):
        render_catalogue(QueryDict(), event=EventSettings.load(), user=user, path="/inventory/")
    for show in (QUEUES, OVERDUE):
        context = desk_queue_context(desk_stats(), show)
        render_to_string("admin/desk/includes/_queue_body.html", context)


def render_mine(participant, organiser):
    """Render the participant's "My hardware", cached and polled under their own scope."""
    render_to_string("checkout/includes/_my_hardware.html", my_hardware_context(participant))


def render_fragments(participant, organiser):
    render_shared(participant, organiser)
    render_mine(participant, organiser)


def models_read(participant, organiser, render=render_fragments):
    with CaptureQueriesContext(connection) as captured:
        render(participant, organiser)
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


def edit(model, row, how, django_capture_on_commit_callbacks, field=None):
    with django_capture_on_commit_callbacks(execute=True):
        if how == "save":
            row.save()
        else:
            field = field or next(
                f.attname for f in model._meta.concrete_fields if not f.primary_key
            )
            model._default_manager.filter(pk=row.pk).update(**{field: F(field)})


@pytest.mark.parametrize("how", ["save", "bulk update"])
def test_an_edit_of_any_model_the_shared_pages_show_invalidates_them(
    event, organiser, django_capture_on_commit_callbacks, how
):
    shown = sorted(
        models_read(event, organiser, render_shared) - NOT_SHOWN, key=lambda m: m._meta.label
    )
    assert shown
    for model in shown:
        row = model._default_manager.order_by("pk").first()
        assert row is not None, f"the event fixture has no {model._meta.label}"
        owner = _owner_scope(model, row)
        scopes = sorted({live.SHARED} | ({owner} if owner else set()))
        before = versions(*scopes)
        edit(model, row, how, django_capture_on_commit_callbacks)
        after = versions(*scopes)
        unchanged = [scope for scope in scopes if before[scope] == after[scope]]
        assert unchanged == [], f"{how} of a {model._meta.label} left {unchanged} unchanged"


def _row_on_their_page(model, participant):
    """A row of `model` that the participant's page shows: their own, for owned models."""
    rows = model._default_manager.order_by("pk")
    if model.live_owner:
        rows = rows.filter(**{model.live_owner: participant.pk})
    return rows.first()


@pytest.mark.parametrize("how", ["save", "bulk update"])
def test_an_edit_of_anything_my_hardware_shows_invalidates_it(
    event, organiser, django_capture_on_commit_callbacks, how
):
    shown = sorted(
        models_read(event, organiser, render_mine) - NOT_SHOWN, key=lambda m: m._meta.label
    )
    assert {"checkout.HardwareRequest", "checkout.Loan", "inventory.Entry"} <= {
        model._meta.label for model in shown
    }
    mine = live.user_scope(event.pk)
    for model in shown:
        row = _row_on_their_page(model, event)
        assert row is not None, f"the participant has no {model._meta.label}"
        # A bulk update of a field the page shows (the first such field, for unowned rows).
        field = min(model.live_participant_fields or [], default=None)
        before = live.version(mine)
        edit(model, row, how, django_capture_on_commit_callbacks, field)
        assert live.version(mine) != before, f"{how} of a {model._meta.label} left it unchanged"


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


def _busy_desk_elsewhere(organiser, django_capture_on_commit_callbacks):
    """A morning's rush that does not concern the participant: someone else's request
    approved and handed out, a free item handed out, a unit's condition noted."""
    with django_capture_on_commit_callbacks(execute=True):
        other = HardwareRequestFactory(entry=stocked_entry(units=2))
        services.approve_request(hardware_request=other, by=organiser)
        services.fulfil_request(hardware_request=other, by=organiser, id_storage_label="Z9")
        free = stocked_entry(units=3, kind=Kind.FREE)
        services.record_handout(entry=free, quantity=1, by=organiser)
        unit = other.entry.units.order_by("pk").last()
        unit.condition = "damaged"
        unit.save(update_fields=["condition"])
        Entry.objects.filter(pk=free.pk).update(max_request_quantity=F("max_request_quantity"))


def test_writes_my_hardware_does_not_show_leave_it_alone(
    event, organiser, django_capture_on_commit_callbacks
):
    """Thousands of open phones must not all re-download their page after each approval at
    the desk: only the desk's version changes."""
    mine = live.user_scope(event.pk)
    with django_capture_on_commit_callbacks(execute=True):
        live.touch(live.SHARED)  # the event's own writes, committed as they would have been
    before = versions(live.SHARED, mine)
    _busy_desk_elsewhere(organiser, django_capture_on_commit_callbacks)
    after = versions(live.SHARED, mine)
    assert after[live.SHARED] != before[live.SHARED]
    assert after[mine] == before[mine]


def test_a_waitlist_moving_reaches_everyone_behind_and_no_one_else(
    organiser, django_capture_on_commit_callbacks
):
    scarce, other = stocked_entry(units=1), stocked_entry(units=1)
    holder = HardwareRequestFactory(entry=scarce)
    services.approve_request(hardware_request=holder, by=organiser)
    first, second, elsewhere = UserFactory(), UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):  # each committed, as at the desk
        services.approve_request(hardware_request=HardwareRequestFactory(entry=other), by=organiser)
        ahead = services.submit_request(user=first, entry=scarce, quantity=1)
        services.submit_request(user=second, entry=scarce, quantity=1)
        services.submit_request(user=elsewhere, entry=other, quantity=1)
    waiting = HardwareRequest.objects.filter(status=Status.WAITLISTED)
    assert waiting.count() == 3
    scopes = [live.user_scope(user.pk) for user in (first, second, elsewhere)]
    before = versions(*scopes)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_request(hardware_request=ahead, by=first)
    after = versions(*scopes)
    changed = [scope for scope in scopes if before[scope] != after[scope]]
    # The one who left and the one who moved up; not the one waiting for something else.
    assert changed == scopes[:2]
