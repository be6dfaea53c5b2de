"""Closing the event (services.close_event): refused unless the close-out report reconciles or
a reason is given; archives every request, loan, ID record, draw, hand-out and CV consent as
it was; opens the next event on the same inventory with nothing else carried over; and the
archive stays as it was whatever the next event does."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.urls import reverse

from accounts import cvs
from accounts.models import CV, Team
from accounts.roles import lead_organisers_group
from accounts.tests.factories import TeamFactory, UserFactory
from checkout import services
from checkout.models import (
    Handout,
    HardwareRequest,
    IDCollateral,
    Loan,
    LotteryCommitment,
    LotteryDraw,
    Notification,
    PastCVConsent,
    PastDraw,
    PastEvent,
    PastHandout,
    PastIDHold,
    PastLoan,
    PastRequest,
    RequestEvent,
)
from checkout.tests.closing_event import closing_event, lend
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from checkout.tests.past_events import past_event
from core.models import CVPolicy, EventSettings
from inventory.models import Condition, Entry, Kind, Unit

pytestmark = pytest.mark.django_db
PAGE = reverse("admin:desk_close_event")
LIVE = [Notification, RequestEvent, Loan, IDCollateral, Handout, HardwareRequest, LotteryDraw]
PAST = [PastRequest, PastLoan, PastIDHold, PastDraw, PastHandout, PastCVConsent]


@pytest.fixture(autouse=True)
def cv_folder(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "cvs": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "cvs"), "base_url": None},
        },
    }


@pytest.fixture
def lead(organiser):
    organiser.groups.add(lead_organisers_group())
    return get_user_model().objects.get(pk=organiser.pk)  # no cached permissions


def named(name):
    EventSettings.objects.filter(pk=1).update(name=name)


def with_a_lottery(organiser):
    lottery = stocked_entry(units=1, kind=Kind.LOTTERY, name=f"Drone {Entry.objects.count()}")
    HardwareRequestFactory(entry=lottery, proposal="a mapping drone")
    HardwareRequestFactory(entry=lottery, proposal="a delivery drone")
    services.run_lottery(entry=lottery, by=organiser)


def upload_cv(user):
    return cvs.upload_cv(user=user, file=ContentFile(b"%PDF-1.4 cv", name="cv.pdf"), consent=True)


def counts(models):
    return {model.__name__: model.objects.count() for model in models}


def snapshot(models):
    """Every row of `models`, every field, in id order."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def everything_back(organiser):
    """An event where everything came back: a loan returned, its ID given back."""
    person = UserFactory(location="Table C3")
    loan = lend(person, stocked_entry(units=2, name="Raspberry Pi 5"), by=organiser, slot="B1")
    services.return_loan(loan=loan, by=organiser)
    services.return_id(collateral=IDCollateral.objects.held().get(user=person), by=organiser)
    return person


def test_it_refuses_when_the_report_does_not_reconcile_and_changes_nothing(organiser):
    closing_event(organiser)
    before = snapshot([*LIVE, Unit, Entry, EventSettings]), counts(PAST)
    with pytest.raises(ValidationError) as refused:
        services.close_event(by=organiser, next_name="Spring Hack")
    message = refused.value.messages[0]
    assert "2 unit(s) still out" in message and "3 ID(s) still held" in message
    assert (snapshot([*LIVE, Unit, Entry, EventSettings]), counts(PAST)) == before
    assert not PastEvent.objects.exists()


@pytest.mark.parametrize(
    "name, says", [("", "Name the next event"), ("  hackathon ", "a name other than")]
)
def test_it_refuses_a_missing_or_same_name(organiser, name, says):
    everything_back(organiser)
    with pytest.raises(ValidationError, match=says):
        services.close_event(by=organiser, next_name=name)
    assert not PastEvent.objects.exists() and EventSettings.load().name == "Hackathon"


def test_a_reconciled_event_closes_without_a_reason(organiser):
    person = everything_back(organiser)
    named("Autumn Hack")
    past = services.close_event(by=organiser, next_name="Spring Hack")
    assert (past.name, past.reconciled, past.override_reason, past.outstanding) == (
        "Autumn Hack",
        True,
        "",
        {},
    )
    assert past.figures["out"] == 0 and past.figures["units_total"] == 2
    assert past.reconciliation == [
        {
            "name": "Raspberry Pi 5",
            "units_total": 2,
            "out": 0,
            "on_shelf": 2,
            "damaged_or_lost": 0,
            "retired": 0,
        }
    ]
    (loan,) = PastLoan.objects.filter(event=past)
    lent = Loan.objects.none()  # the live loan is gone: its unit is the entry's first
    tag = Unit.objects.filter(entry__name="Raspberry Pi 5").order_by("asset_tag")[0].asset_tag
    assert not lent and (loan.user_id, loan.email, loan.asset_tag) == (person.pk, person.email, tag)


def test_closing_with_a_reason_archives_everything_as_it_was(organiser, participant):
    people = closing_event(organiser)
    with_a_lottery(organiser)
    upload_cv(people["ana"])
    team = TeamFactory(name="Blinkenlights")
    for person in (people["sam_a"], people["ana"]):
        person.team = team
        person.save()
    HardwareRequestFactory(user=participant, entry=stocked_entry(units=1, name="Lidar"))
    requests = list(
        HardwareRequest.objects.select_related("user__team", "entry").prefetch_related("events")
    )
    loans = list(Loan.objects.select_related("user", "unit__entry"))
    ledger = list(IDCollateral.objects.select_related("user"))
    draws = list(LotteryDraw.objects.select_related("entry"))
    handouts = list(Handout.objects.select_related("user", "entry"))
    still_out = set(Loan.objects.open().values_list("unit_id", flat=True))
    conditions = dict(Unit.objects.exclude(pk__in=still_out).values_list("pk", "condition"))
    inventory = list(Entry.objects.order_by("pk").values("pk", "name", "kind"))
    settings_before = EventSettings.load()
    named("Autumn Hack")

    past = services.close_event(
        by=organiser, next_name="Spring Hack", override_reason="Two kits left with a team"
    )

    assert (past.reconciled, past.override_reason) == (False, "Two kits left with a team")
    assert past.outstanding == {"units_out": 2, "ids_held": 3, "unbalanced_entries": []}
    assert past.closed_by == organiser and past.closed_by_email == organiser.email
    assert past.settings["name"] == "Autumn Hack"
    assert past.settings["loan_duration_hours"] == settings_before.loan_duration_hours

    archived = {row.original_id: row for row in PastRequest.objects.filter(event=past)}
    assert set(archived) == {r.pk for r in requests}
    for r in requests:
        row = archived[r.pk]
        assert (row.user_id, row.email, row.name, row.table, row.team) == (
            r.user_id,
            r.user.email,
            r.user.name,
            r.user.location,
            r.user.team.name if r.user.team else "",
        )
        assert (row.entry_name, row.entry_kind, row.quantity, row.status, row.proposal) == (
            r.entry.name,
            r.entry.kind,
            r.quantity,
            r.status,
            r.proposal,
        )
        assert row.created_at == r.created_at
        assert [(h["from"], h["to"]) for h in row.history] == [
            (e.from_status, e.to_status) for e in r.events.all()
        ]
    assert {
        (row.original_id, row.email, row.asset_tag, row.entry_name, row.returned_at)
        for row in PastLoan.objects.filter(event=past)
    } == {
        (loan.pk, loan.user.email, loan.unit.asset_tag, loan.unit.entry.name, loan.returned_at)
        for loan in loans
    }
    assert {
        (row.original_id, row.email, row.storage_label, row.returned_at)
        for row in PastIDHold.objects.filter(event=past)
    } == {(held.pk, held.user.email, held.storage_label, held.returned_at) for held in ledger}
    assert [
        (row.original_id, row.entry_name, row.seed, row.winners)
        for row in PastDraw.objects.filter(event=past)
    ] == [(draw.pk, draw.entry.name, draw.seed, draw.winners) for draw in draws]
    assert {
        (row.original_id, row.email, row.entry_name, row.quantity)
        for row in PastHandout.objects.filter(event=past)
    } == {(h.pk, h.user.email if h.user else "", h.entry.name, h.quantity) for h in handouts}
    (consent,) = PastCVConsent.objects.filter(event=past)
    assert (consent.email, consent.purged) == (people["ana"].email, True)

    # The live tables start empty; the inventory and every account carry over.
    assert counts([*LIVE, LotteryCommitment, CV]) == dict.fromkeys(
        [m.__name__ for m in [*LIVE, LotteryCommitment, CV]], 0
    )
    assert list(Entry.objects.order_by("pk").values("pk", "name", "kind")) == inventory
    assert dict(Unit.objects.exclude(pk__in=still_out).values_list("pk", "condition")) == (
        conditions
    )
    written_off = Unit.objects.filter(pk__in=still_out)
    assert {unit.condition for unit in written_off} == {Condition.LOST}
    assert all(u.notes.startswith("Not returned when Autumn Hack closed") for u in written_off)
    assert get_user_model().objects.filter(pk__in=[p.pk for p in people.values()]).count() == 4
    assert not get_user_model().objects.exclude(location="").exists()
    assert not Team.objects.exists() and not get_user_model().objects.exclude(team=None).exists()
    assert PastRequest.objects.filter(event=past, team="Blinkenlights").count() == sum(
        1 for r in requests if r.user_id in (people["sam_a"].pk, people["ana"].pk)
    )
    event = EventSettings.load()
    assert (event.name, event.opened_at, event.default_due_back) == (
        "Spring Hack",
        past.closed_at,
        None,
    )
    assert event.loan_duration_hours == settings_before.loan_duration_hours


def test_the_cv_policy_decides_whether_cvs_go(organiser, django_capture_on_commit_callbacks):
    EventSettings.objects.filter(pk=1).update(cv_policy=CVPolicy.KEEP)
    everything_back(organiser)
    kept = upload_cv(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        past = services.close_event(by=organiser, next_name="Spring Hack")
    assert past.cvs_purged == 0 and cvs.cv_storage().exists(kept.file_name)
    assert list(CV.objects.values_list("pk", flat=True)) == [kept.pk]
    assert PastCVConsent.objects.get(event=past).purged is False

    EventSettings.objects.filter(pk=1).update(cv_policy=CVPolicy.PURGE)
    with django_capture_on_commit_callbacks(execute=True):
        past = services.close_event(by=organiser, next_name="Summer Hack")
    assert past.cvs_purged == 1 and not CV.objects.exists()
    assert not cvs.cv_storage().exists(kept.file_name)
    assert PastCVConsent.objects.get(event=past).purged is True


def test_a_failed_close_keeps_every_cv_and_row(organiser, monkeypatch):
    everything_back(organiser)
    cv = upload_cv(UserFactory())
    before = snapshot([*LIVE, Unit, CV]), counts(PAST)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("checkout.services.closing._clear_live_tables", broken)
    with pytest.raises(RuntimeError):
        services.close_event(by=organiser, next_name="Spring Hack")
    assert (snapshot([*LIVE, Unit, CV]), counts(PAST)) == before
    assert cvs.cv_storage().exists(cv.file_name) and not PastEvent.objects.exists()


def next_event_activity(organiser, participant, tag, *, rename=True):
    """A next event that does everything that could touch a past one's rows."""
    participant.name = f"Renamed {tag}"
    participant.location = "Table Z1"
    participant.save()
    loan = lend(participant, stocked_entry(units=1, name=f"Kit {tag}"), by=organiser, slot=tag)
    if rename:  # the oldest entry, which past events' rows name, renamed and re-tagged
        entry = Entry.objects.order_by("pk").first()
        Entry.objects.filter(pk=entry.pk).update(name=Concat(F("name"), Value(f" ({tag})")))
        Unit.objects.filter(entry=entry).update(asset_tag=Concat(F("asset_tag"), Value(tag)))
    services.return_loan(loan=loan, by=organiser, condition=Condition.DAMAGED)
    services.return_id(collateral=IDCollateral.objects.held().get(user=participant), by=organiser)
    free = stocked_entry(units=2, kind=Kind.FREE, name=f"Stickers {tag}")
    services.record_handout(entry=free, quantity=1, by=organiser, user=participant)


def test_a_past_event_is_untouched_by_the_next(organiser, participant):
    everything_back(organiser)
    with_a_lottery(organiser)
    upload_cv(participant)
    first = services.close_event(by=organiser, next_name="Spring Hack")
    archive = snapshot([PastEvent, *PAST])

    next_event_activity(organiser, participant, "S1")
    second = services.close_event(by=organiser, next_name="Summer Hack")
    next_event_activity(organiser, participant, "S2")

    after = snapshot([PastEvent, *PAST])
    for model in archive:
        first_rows = [row for row in after[model] if row.get("event_id", row["id"]) == first.pk]
        assert first_rows == archive[model], model
    assert PastLoan.objects.filter(event=second).count() == 1


def page_queries(named_queries, organiser_client, participant_client):
    pages = [
        (participant_client, reverse("checkout:catalogue")),
        (participant_client, reverse("checkout:my_hardware")),
        (organiser_client, reverse("admin:desk")),
        (organiser_client, reverse("admin:desk_closeout")),
        (organiser_client, reverse("admin:desk_dashboard")),
    ]
    seen = {}
    cache.clear()
    for client, url in pages:
        # The first request after a change renders cached fragments; the second reuses them.
        for render in ("miss", "hit"):
            response, queries = named_queries(client.get, url)
            assert response.status_code == 200, url
            seen[url, render] = queries
    return seen


def test_query_budgets_are_the_same_with_several_past_events(
    organiser, participant, named_queries, client
):
    from django.test import Client

    participant_client, organiser_client = Client(), Client()
    participant_client.force_login(participant)
    organiser_client.force_login(organiser)

    next_event_activity(organiser, participant, "E0")
    HardwareRequestFactory(user=participant, entry=stocked_entry(units=1))
    without = page_queries(named_queries, organiser_client, participant_client)
    for n in range(1, 4):
        services.close_event(by=organiser, next_name=f"Event {n}")
        next_event_activity(organiser, participant, f"E{n}")
        HardwareRequestFactory(user=participant, entry=stocked_entry(units=1))
    assert PastEvent.objects.count() == 3 and PastRequest.objects.count() >= 6
    with_past = page_queries(named_queries, organiser_client, participant_client)
    assert with_past == without
    assert not any("checkout_past" in q for queries in with_past.values() for q in queries)


# The desk page -------------------------------------------------------------------------


def test_organisers_who_are_not_leads_cannot_close(organiser_client):
    assert organiser_client.get(PAGE).status_code == 403
    assert organiser_client.post(PAGE, {}).status_code == 403


def test_the_page_says_what_is_outstanding(client, lead, organiser):
    closing_event(organiser)
    client.force_login(lead)
    response = client.get(PAGE)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Not yet: 2 unit(s) still out; 3 ID(s) still held" in text
    assert "Close Hackathon and open the next" in text


def test_a_wrong_confirmation_is_refused_and_changes_nothing(client, lead, organiser):
    everything_back(organiser)
    client.force_login(lead)
    before = snapshot([*LIVE, EventSettings])
    response = client.post(PAGE, {"next_name": "Spring Hack", "confirm_name": "Hackathn"})
    assert response.status_code == 400
    assert "Type “Hackathon” exactly to confirm." in response.content.decode()
    assert snapshot([*LIVE, EventSettings]) == before and not PastEvent.objects.exists()


def test_closing_unreconciled_without_a_reason_shows_why(client, lead, organiser):
    closing_event(organiser)
    client.force_login(lead)
    response = client.post(PAGE, {"next_name": "Spring Hack", "confirm_name": "hackathon"})
    assert response.status_code == 400
    assert "does not reconcile: 2 unit(s) still out" in response.content.decode()
    assert not PastEvent.objects.exists()


def test_the_page_closes_and_shows_the_archive(client, lead, organiser):
    closing_event(organiser)
    client.force_login(lead)
    response = client.post(
        PAGE,
        {
            "next_name": "Spring Hack",
            "confirm_name": "Hackathon",
            "override_reason": "Kits at the sponsor's booth",
        },
        follow=True,
    )
    past = PastEvent.objects.get()
    assert response.redirect_chain == [
        (reverse("admin:checkout_pastevent_change", args=[past.pk]), 302)
    ]
    text = response.content.decode()
    assert "Hackathon is closed and archived; Spring Hack is open" in text
    assert "Kits at the sponsor&#x27;s booth" in text
    assert EventSettings.load().name == "Spring Hack"


# Past events' lists: read-only, and their query counts do not grow -----------------------


def past_events(organiser, participant, n):
    for i in range(n):
        tag = f"P{PastEvent.objects.count()}-{i}"
        next_event_activity(organiser, participant, tag, rename=False)
        with_a_lottery(organiser)
        upload_cv(participant)
        HardwareRequestFactory(user=participant, entry=stocked_entry(units=1))
        services.close_event(by=organiser, next_name=f"Event after {PastEvent.objects.count()}")


@pytest.mark.parametrize(
    "model", ["pastevent", "pastrequest", "pastloan", "pastidhold", "pastdraw", "pasthandout"]
)
def test_past_lists_cost_the_same_queries_at_2_and_30_rows(
    organiser_client, organiser, participant, named_queries, model
):
    changelist = reverse(f"admin:checkout_{model}_changelist")
    past_events(organiser, participant, 2)
    _, few = named_queries(organiser_client.get, changelist)
    past_events(organiser, participant, 28)
    response, many = named_queries(organiser_client.get, changelist)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= 30
    assert few == many and len(many) <= 10
    assert len(many) <= 6


def test_past_rows_cannot_be_added_changed_or_deleted(organiser_client, organiser, participant):
    past_events(organiser, participant, 1)
    row = PastRequest.objects.first()
    assert organiser_client.get(reverse("admin:checkout_pastrequest_add")).status_code == 403
    delete = reverse("admin:checkout_pastrequest_delete", args=[row.pk])
    assert organiser_client.post(delete, {"post": "yes"}).status_code == 403
    assert PastRequest.objects.filter(pk=row.pk).exists()


def test_the_close_page_costs_the_same_queries_with_2_and_30_of_everything(
    client, lead, organiser, named_queries
):
    client.force_login(lead)
    for _ in range(2):
        next_event_activity(organiser, UserFactory(), f"A{Entry.objects.count()}", rename=False)
        lend(UserFactory(), stocked_entry(units=1), by=organiser, slot=f"Q{Loan.objects.count()}")
    _, few = named_queries(client.get, PAGE)
    for _ in range(28):
        next_event_activity(organiser, UserFactory(), f"B{Entry.objects.count()}", rename=False)
        lend(UserFactory(), stocked_entry(units=1), by=organiser, slot=f"Q{Loan.objects.count()}")
    for n in range(3):
        past_event(1, name=f"Past {n}")  # listed on the page, at most ten
    response, many = named_queries(client.get, PAGE)
    assert response.status_code == 200
    assert Loan.objects.open().count() >= 30
    assert few == many and len(many) <= 10
