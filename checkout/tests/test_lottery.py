import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.lottery import ALGORITHM, commitment_of, draw_winners, verify_draw
from checkout.models import HardwareRequest, LotteryCommitment, LotteryDraw, RequestEvent, Status
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Entry, Kind

pytestmark = pytest.mark.django_db
SEED = "an-organisers-chosen-seed"


def lottery(units=3, entrants=10, seed=None):
    """A lottery entry with `entrants` people in it; `seed` is committed before they enter."""
    entry = stocked_entry(units=units, kind=Kind.LOTTERY)
    if seed is not None:
        services.commit_lottery_seed(entry=entry, by=UserFactory(is_staff=True), seed=seed)
    requests = [
        services.submit_request(user=UserFactory(), entry=entry, quantity=1, proposal="Robot")
        for _ in range(entrants)
    ]
    return entry, requests


def nothing_drawn(entry, requests):
    assert not LotteryDraw.objects.exists()
    assert HardwareRequest.objects.filter(entry=entry, status=Status.SUBMITTED).count() == len(
        requests
    )
    assert not RequestEvent.objects.filter(request__entry=entry).exclude(from_status="").exists()


def test_a_run_approves_winners_up_to_stock_and_denies_the_rest(organiser):
    entry, requests = lottery(units=3, entrants=10, seed=SEED)

    draw = services.run_lottery(entry=entry, by=organiser)

    assert draw.stock == 3
    assert draw.entrants == [[r.pk, 1] for r in requests]
    assert draw.winners == draw_winners(draw.entrants, stock=3, seed=SEED)
    assert len(draw.winners) == 3
    by_status = {}
    for request in HardwareRequest.objects.filter(entry=entry):
        by_status.setdefault(request.status, set()).add(request.pk)
        assert request.lottery_draw == draw
    assert by_status[Status.APPROVED] == set(draw.winners)
    assert len(by_status[Status.DENIED]) == 7
    assert Entry.objects.with_stock().get(pk=entry.pk).stock_available == 0


def test_the_first_entrant_commits_a_random_seed_that_later_ones_keep():
    entry, _ = lottery(entrants=1)
    committed = LotteryCommitment.objects.get(entry=entry)
    assert len(committed.seed) == 64 and committed.committed_by is None
    assert committed.commitment == hashlib.sha256(committed.seed.encode()).hexdigest()

    services.submit_request(user=UserFactory(), entry=entry, quantity=1, proposal="Drone")

    assert LotteryCommitment.objects.get(entry=entry) == committed
    assert LotteryCommitment.objects.get(entry=entry).seed == committed.seed


def test_the_draw_reveals_the_committed_seed_and_uses_it_up(organiser):
    entry, _ = lottery()
    committed = LotteryCommitment.objects.get(entry=entry)

    draw = services.run_lottery(entry=entry, by=organiser)

    assert (draw.seed, draw.commitment) == (committed.seed, committed.commitment)
    assert draw.committed_at == committed.committed_at
    assert draw.options["algorithm"] == ALGORITHM == "sha256-fisher-yates-v1"
    assert not LotteryCommitment.objects.filter(entry=entry).exists()
    assert verify_draw(LotteryDraw.objects.get(pk=draw.pk)) is True


def test_a_revealed_seed_must_match_the_commitment(organiser):
    entry, _ = lottery(seed=SEED)
    draw = services.run_lottery(entry=entry, by=organiser, seed=SEED)
    assert draw.seed == SEED and draw.commitment == commitment_of(SEED)


def test_a_seed_that_does_not_match_the_commitment_draws_nothing(organiser):
    entry, requests = lottery(seed=SEED)
    with pytest.raises(ValidationError, match="does not match the commitment"):
        services.run_lottery(entry=entry, by=organiser, seed=SEED + "-but-changed")
    nothing_drawn(entry, requests)
    assert LotteryCommitment.objects.get(entry=entry).seed == SEED


def test_a_lottery_without_a_commitment_is_not_drawn(organiser):
    entry = stocked_entry(kind=Kind.LOTTERY)
    requests = [
        HardwareRequestFactory(entry=entry, proposal="x", seed_committed=False) for _ in range(2)
    ]
    with pytest.raises(ValidationError, match="No seed is committed"):
        services.run_lottery(entry=entry, by=organiser)
    nothing_drawn(entry, requests)


def test_organisers_can_commit_a_seed_they_choose_before_anyone_enters(organiser):
    entry = stocked_entry(kind=Kind.LOTTERY)
    committed = services.commit_lottery_seed(entry=entry, by=organiser, seed=SEED)
    assert (committed.commitment, committed.committed_by) == (commitment_of(SEED), organiser)
    services.submit_request(user=UserFactory(), entry=entry, quantity=1, proposal="Drone")
    assert LotteryCommitment.objects.get(entry=entry).seed == SEED


def test_a_commitment_cannot_be_replaced_before_its_draw(organiser):
    entry, _ = lottery(entrants=1)
    before = LotteryCommitment.objects.get(entry=entry)
    with pytest.raises(ValidationError, match="already committed"):
        services.commit_lottery_seed(entry=entry, by=organiser, seed=SEED)
    assert LotteryCommitment.objects.get(entry=entry).seed == before.seed


@pytest.mark.parametrize("seed", ["", "42", "too short seed", "x" * 101, "tab\tinside-a-long-seed"])
def test_a_guessable_or_odd_chosen_seed_is_refused(organiser, seed):
    entry = stocked_entry(kind=Kind.LOTTERY)
    with pytest.raises(ValidationError, match="16 to 100 printable"):
        services.commit_lottery_seed(entry=entry, by=organiser, seed=seed)
    assert not LotteryCommitment.objects.exists()


def test_only_a_lottery_takes_a_commitment(organiser):
    with pytest.raises(ValidationError, match="not a lottery"):
        services.commit_lottery_seed(entry=stocked_entry(), by=organiser)
    services.submit_request(user=UserFactory(), entry=stocked_entry(), quantity=1)
    assert not LotteryCommitment.objects.exists()


def test_a_second_draw_needs_a_new_commitment(organiser, set_event):
    set_event(lottery_deny_losers=False)
    entry, _ = lottery(units=1, entrants=3)
    first = services.run_lottery(entry=entry, by=organiser)
    with pytest.raises(ValidationError, match="No seed is committed"):
        services.run_lottery(entry=entry, by=organiser)
    services.commit_lottery_seed(entry=entry, by=organiser)
    second = services.run_lottery(entry=entry, by=organiser)
    assert second.seed != first.seed and second.winners == []  # no stock left


def test_losers_stay_in_when_organisers_keep_them(organiser, set_event):
    set_event(lottery_deny_losers=False)
    entry, _ = lottery(units=2, entrants=5)
    services.run_lottery(entry=entry, by=organiser)
    statuses = list(HardwareRequest.objects.filter(entry=entry).values_list("status", flat=True))
    assert sorted(statuses) == [Status.APPROVED] * 2 + [Status.SUBMITTED] * 3


def test_closing_the_lottery_turns_the_entry_into_checkout(organiser, set_event):
    set_event(lottery_close_when_run=True)
    entry, _ = lottery()
    services.run_lottery(entry=entry, by=organiser)
    entry.refresh_from_db()
    assert entry.kind == Kind.CHECKOUT


def test_winners_never_exceed_stock_even_with_more_stock_than_entrants(organiser):
    entry, requests = lottery(units=5, entrants=2)
    draw = services.run_lottery(entry=entry, by=organiser)
    assert sorted(draw.winners) == sorted(r.pk for r in requests)


def test_run_all_draws_every_lottery_with_entrants(organiser):
    first, _ = lottery(units=1, entrants=3)
    second, _ = lottery(units=2, entrants=2)
    stocked_entry(kind=Kind.LOTTERY)  # nobody entered: skipped
    draws, errors = services.run_all_lotteries(by=organiser)
    assert {d.entry_id for d in draws} == {first.pk, second.pk}
    assert errors == []


def test_an_empty_lottery_or_a_checkout_entry_cannot_be_run(organiser):
    with pytest.raises(ValidationError, match="Nobody"):
        services.run_lottery(entry=stocked_entry(kind=Kind.LOTTERY), by=organiser)
    with pytest.raises(ValidationError, match="not a lottery"):
        services.run_lottery(entry=stocked_entry(), by=organiser)
    assert not LotteryDraw.objects.exists()


@pytest.mark.postgres  # one bulk UPDATE for every winner needs no variable limit (SQLite has one)
@pytest.mark.parametrize("entrants", [5, 40])
def test_a_draw_takes_the_same_queries_however_many_entered(
    organiser, named_queries, django_capture_on_commit_callbacks, run_tasks, mailoutbox, entrants
):
    entry, requests = lottery(units=3, entrants=entrants)

    def draw_and_commit():
        with django_capture_on_commit_callbacks(execute=True):
            services.run_lottery(entry=entry, by=organiser)

    _, queries = named_queries(draw_and_commit)

    assert queries == [
        "SELECT core_eventsettings",  # the settings, once
        "SAVEPOINT",  # the draw's transaction (a savepoint inside the test's)
        "SELECT inventory_entry",  # lock the entry row
        "SELECT checkout_hardwarerequest",  # lock the entrants
        "SELECT checkout_lotterycommitment",  # the seed (the entry lock guards it)
        "SELECT inventory_entry",  # available stock
        "INSERT checkout_lotterydraw",  # with the seed revealed
        "DELETE checkout_lotterycommitment",  # used up
        "UPDATE checkout_hardwarerequest",  # the winners, one statement
        "INSERT checkout_requestevent",  # their audit events
        "INSERT checkout_notification",  # their emails, sent after commit
        "UPDATE checkout_hardwarerequest",  # the losers, one statement
        "INSERT checkout_requestevent",
        "INSERT checkout_notification",
        "RELEASE",
        # after commit
        "SELECT checkout_hardwarerequest",  # who waits for this entry (their places move)
        # One token bump for every scope touched, stamped in commit order (an advisory lock).
        "SAVEPOINT",
        *(["SELECT ?"] if connection.vendor == "postgresql" else []),
        "INSERT core_changecounter",
        "RELEASE",
        # One email task queued per entrant: the only part that grows, and outside the
        # draw's transaction (the worker sends them).
        *["INSERT django_tasks_database_dbtaskresult"] * entrants,
    ]
    statuses = list(HardwareRequest.objects.values_list("status", flat=True))
    assert statuses.count(Status.APPROVED) == 3
    assert statuses.count(Status.DENIED) == entrants - 3
    assert mailoutbox == []
    run_tasks()
    assert len(mailoutbox) == entrants  # every entrant hears, from the worker
