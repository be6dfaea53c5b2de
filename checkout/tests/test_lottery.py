import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.models import HardwareRequest, LotteryDraw, Status
from checkout.tests.factories import stocked_entry
from inventory.models import Entry, Kind

pytestmark = pytest.mark.django_db


def lottery(units=3, entrants=10):
    entry = stocked_entry(units=units, kind=Kind.LOTTERY)
    requests = [
        services.submit_request(user=UserFactory(), entry=entry, quantity=1, proposal="Robot")
        for _ in range(entrants)
    ]
    return entry, requests


def test_the_draw_is_a_pure_function_of_its_seed():
    entrants = [[pk, 1] for pk in range(1, 51)]
    first = services.draw_winners(entrants, stock=7, seed=1234)
    assert first == services.draw_winners(entrants, stock=7, seed=1234)
    assert len(first) == 7
    assert first != services.draw_winners(entrants, stock=7, seed=1235)


def test_the_draw_fits_quantities_into_stock():
    entrants = [[1, 2], [2, 2], [3, 1], [4, 1]]
    for seed in range(50):
        winners = services.draw_winners(entrants, stock=3, seed=seed)
        assert sum(dict(entrants)[pk] for pk in winners) <= 3


def test_a_run_approves_winners_up_to_stock_and_denies_the_rest(organiser):
    entry, requests = lottery(units=3, entrants=10)

    draw = services.run_lottery(entry=entry, by=organiser, seed=42)

    assert len(draw.winners) == 3
    assert draw.stock == 3
    assert draw.entrants == [[r.pk, 1] for r in requests]
    by_status = {}
    for request in HardwareRequest.objects.filter(entry=entry):
        by_status.setdefault(request.status, set()).add(request.pk)
        assert request.lottery_draw == draw
    assert by_status[Status.APPROVED] == set(draw.winners)
    assert len(by_status[Status.DENIED]) == 7
    assert Entry.objects.with_stock().get(pk=entry.pk).stock_available == 0


def test_a_stored_draw_can_be_re_run_to_the_same_winners(organiser):
    entry, _ = lottery()
    draw = services.run_lottery(entry=entry, by=organiser)  # random seed
    stored = LotteryDraw.objects.get(pk=draw.pk)
    assert services.verify_draw(stored)
    assert services.draw_winners(stored.entrants, stock=stored.stock, seed=stored.seed) == (
        stored.winners
    )
    stored.winners = list(reversed(stored.winners)) + [999999]
    assert not services.verify_draw(stored)


def test_losers_stay_in_when_organisers_keep_them(organiser, set_event):
    set_event(lottery_deny_losers=False)
    entry, _ = lottery(units=2, entrants=5)
    services.run_lottery(entry=entry, by=organiser, seed=7)
    statuses = list(HardwareRequest.objects.filter(entry=entry).values_list("status", flat=True))
    assert sorted(statuses) == [Status.APPROVED] * 2 + [Status.SUBMITTED] * 3


def test_closing_the_lottery_turns_the_entry_into_checkout(organiser, set_event):
    set_event(lottery_close_when_run=True)
    entry, _ = lottery()
    services.run_lottery(entry=entry, by=organiser, seed=1)
    entry.refresh_from_db()
    assert entry.kind == Kind.CHECKOUT


def test_winners_never_exceed_stock_even_with_more_stock_than_entrants(organiser):
    entry, requests = lottery(units=5, entrants=2)
    draw = services.run_lottery(entry=entry, by=organiser, seed=3)
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
    organiser, named_queries, django_capture_on_commit_callbacks, mailoutbox, entrants
):
    entry, requests = lottery(units=3, entrants=entrants)

    def draw_and_commit():
        with django_capture_on_commit_callbacks(execute=True):
            services.run_lottery(entry=entry, by=organiser, seed=7)

    _, queries = named_queries(draw_and_commit)

    assert queries == [
        "SELECT core_eventsettings",  # the settings, once
        "SAVEPOINT",  # the draw's transaction (a savepoint inside the test's)
        "SELECT inventory_entry",  # lock the entry row
        "SELECT checkout_hardwarerequest",  # lock the entrants
        "SELECT inventory_entry",  # available stock
        "INSERT checkout_lotterydraw",
        "UPDATE checkout_hardwarerequest",  # the winners, one statement
        "INSERT checkout_requestevent",  # their audit events
        "UPDATE checkout_hardwarerequest",  # the losers, one statement
        "INSERT checkout_requestevent",
        "RELEASE",
        # after commit
        "INSERT core_changecounter",  # one token bump for every scope touched
        "SELECT checkout_hardwarerequest",  # the entrants with users, for the emails
    ]
    statuses = list(HardwareRequest.objects.values_list("status", flat=True))
    assert statuses.count(Status.APPROVED) == 3
    assert statuses.count(Status.DENIED) == entrants - 3
    assert len(mailoutbox) == entrants  # every entrant hears, from one read after commit
