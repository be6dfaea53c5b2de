"""Per-team limits (checkout/teams.py) in every service that adds or moves a request."""

import pytest
from django.core.exceptions import ValidationError

from accounts.teams import join_team
from accounts.tests.factories import TeamFactory, UserFactory
from checkout import services
from checkout.models import HardwareRequest, Status
from checkout.stock import units_on_shelf
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Entry, Kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(name="Rustaceans")


def members(team, n):
    return UserFactory.create_batch(n, team=team)


def lend(user, entry, organiser, quantity=1):
    request = HardwareRequestFactory(user=user, entry=entry, quantity=quantity)
    services.approve_request(hardware_request=request, by=organiser)
    services.fulfil_request(hardware_request=request, by=organiser, id_storage_label=f"S{user.pk}")


def test_requests_and_holdings_count_towards_the_team_limit(team, organiser):
    entry = stocked_entry(units=10, max_per_team=3, max_request_quantity=2)
    ana, bo, cy = members(team, 3)
    lend(ana, entry, organiser)  # holds 1
    services.submit_request(user=bo, entry=entry, quantity=1)  # asks for 1
    with pytest.raises(ValidationError, match="limited to 3 per team.*has 2.*ask for 1 more"):
        services.submit_request(user=cy, entry=entry, quantity=2)
    assert not HardwareRequest.objects.filter(user=cy).exists()
    services.submit_request(user=cy, entry=entry, quantity=1)
    with pytest.raises(ValidationError, match="none left for your team"):
        services.submit_request(user=UserFactory(team=team), entry=entry, quantity=1)


def test_returned_and_cancelled_units_free_the_teams_room(team, organiser):
    entry = stocked_entry(units=5, max_per_team=1)
    ana, bo = members(team, 2)
    mine = services.submit_request(user=ana, entry=entry, quantity=1)
    services.cancel_request(hardware_request=mine, by=ana)
    services.submit_request(user=bo, entry=entry, quantity=1)  # room again


def test_without_a_team_only_the_per_person_rules_apply(team):
    entry = stocked_entry(units=5, max_per_team=1)
    members(team, 1)
    loners = UserFactory.create_batch(3)
    for loner in loners:
        services.submit_request(user=loner, entry=entry, quantity=1)
    assert HardwareRequest.objects.filter(entry=entry).count() == 3


def test_other_teams_and_entries_are_counted_apart(team):
    entry, other_entry = stocked_entry(max_per_team=1), stocked_entry(max_per_team=1)
    ana, bo = members(team, 2)
    services.submit_request(user=ana, entry=entry, quantity=1)
    services.submit_request(user=bo, entry=other_entry, quantity=1)
    services.submit_request(user=UserFactory(team=TeamFactory()), entry=entry, quantity=1)


def test_waitlisted_requests_count_and_stay_behind_an_over_limit_team(team, organiser):
    entry = stocked_entry(units=1, max_per_team=2)
    ana, bo, cy = members(team, 3)
    services.submit_request(user=UserFactory(), entry=entry, quantity=1)
    waiting = services.submit_request(user=ana, entry=entry, quantity=1)
    services.submit_request(user=bo, entry=entry, quantity=1)
    assert waiting.status == Status.WAITLISTED
    with pytest.raises(ValidationError, match="limited to 2 per team"):
        services.submit_request(user=cy, entry=entry, quantity=1)
    # The organisers lower the limit: the team is over it, so its waitlisted requests are
    # passed over and the next in line moves up instead.
    Entry.objects.filter(pk=entry.pk).update(max_per_team=1)
    outsider = services.submit_request(user=UserFactory(), entry=entry, quantity=1)
    first = HardwareRequest.objects.filter(entry=entry).order_by("pk").first()
    services.cancel_request(hardware_request=first, by=first.user)
    statuses = dict(HardwareRequest.objects.filter(entry=entry).values_list("pk", "status"))
    assert statuses[waiting.pk] == Status.WAITLISTED
    assert statuses[outsider.pk] == Status.SUBMITTED


def test_the_desk_refuses_to_approve_or_hand_out_over_the_limit(team, organiser):
    entry = stocked_entry(units=5, max_per_team=2)
    ana, bo = members(team, 2)
    first = services.submit_request(user=ana, entry=entry, quantity=1)
    second = services.submit_request(user=bo, entry=entry, quantity=1)
    services.approve_request(hardware_request=first, by=organiser)
    Entry.objects.filter(pk=entry.pk).update(max_per_team=1)
    with pytest.raises(ValidationError, match="Team Rustaceans has 2 .* over its limit of 1"):
        services.approve_request(hardware_request=second, by=organiser)
    with pytest.raises(ValidationError, match="over its limit of 1"):
        services.fulfil_request(hardware_request=first, by=organiser, id_storage_label="A1")
    assert HardwareRequest.objects.get(pk=second.pk).status == Status.SUBMITTED
    assert HardwareRequest.objects.get(pk=first.pk).status == Status.APPROVED
    services.deny_request(hardware_request=second, by=organiser)
    services.fulfil_request(hardware_request=first, by=organiser, id_storage_label="A1")


def test_a_walk_up_at_the_desk_respects_the_team_limit(team, organiser):
    entry = stocked_entry(units=3, max_per_team=1)
    ana, bo = members(team, 2)
    lend(ana, entry, organiser)
    unit = units_on_shelf(entry).first()
    bo.refresh_from_db()
    with pytest.raises(ValidationError, match="limited to 1 per team"):
        services.check_walk_up(user=bo, entry=entry, quantity=1)
    with pytest.raises(ValidationError, match="limited to 1 per team"):
        services.hand_out_units(user=bo, units=[unit], by=organiser, id_storage_label="B1")
    assert not HardwareRequest.objects.filter(user=bo).exists()


def test_joining_is_refused_when_it_would_take_the_team_over_a_limit(team, organiser):
    entry = stocked_entry(units=5, max_per_team=2, max_request_quantity=2)
    (ana,) = members(team, 1)
    services.submit_request(user=ana, entry=entry, quantity=1)
    newcomer = UserFactory()
    lend(newcomer, entry, organiser, quantity=2)
    with pytest.raises(ValidationError, match="limited to 2 per team: Rustaceans has 1 and you"):
        join_team(user=newcomer, code=team.join_code)
    newcomer.refresh_from_db()
    assert newcomer.team is None


def test_one_lottery_entry_per_team(team, organiser):
    lottery = stocked_entry(units=1, kind=Kind.LOTTERY, lottery_one_per_team=True)
    ana, bo = members(team, 2)
    services.submit_request(user=ana, entry=lottery, quantity=1, proposal="A robot")
    with pytest.raises(ValidationError, match="already entered the draw .* one entry per team"):
        services.submit_request(user=bo, entry=lottery, quantity=1, proposal="A drone")
    # Someone who entered alone cannot bring a second entry into the team.
    loner = UserFactory()
    services.submit_request(user=loner, entry=lottery, quantity=1, proposal="A boat")
    with pytest.raises(ValidationError, match="both entered the draw"):
        join_team(user=loner, code=team.join_code)


def test_a_draw_leaves_out_a_teams_second_entry(team, organiser):
    lottery = stocked_entry(units=2, kind=Kind.LOTTERY)
    ana, bo = members(team, 2)
    first = services.submit_request(user=ana, entry=lottery, quantity=1, proposal="A robot")
    second = services.submit_request(user=bo, entry=lottery, quantity=1, proposal="A drone")
    Entry.objects.filter(pk=lottery.pk).update(lottery_one_per_team=True)  # set late

    draw = services.run_lottery(entry=lottery, by=organiser)

    assert draw.entrants == [[first.pk, 1]] and draw.winners == [first.pk]
    assert draw.options["left_out"] == {
        str(second.pk): f"one entry per team: #{first.pk} is the team's"
    }
    second.refresh_from_db()
    assert second.status == Status.DENIED
    assert second.events.last().note.startswith("one entry per team")
