"""Team limits under concurrency, on real PostgreSQL with a connection per thread: members
of one team asking at the same moment, and a teammate joining while another asks."""

import pytest

from accounts.teams import join_team
from accounts.tests.factories import TeamFactory, UserFactory
from checkout import services
from checkout.models import HardwareRequest, Loan, Status
from checkout.teams import usage_of
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Kind

from .test_concurrency import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_eight_teammates_at_once_get_no_more_than_the_team_limit():
    team = TeamFactory()
    entry = stocked_entry(units=20, max_per_team=3)
    team_members = UserFactory.create_batch(8, team=team)

    results = run_at_once(
        [lambda u=u: services.submit_request(user=u, entry=entry, quantity=1) for u in team_members]
    )

    kinds = [kind for kind, _ in results]
    assert kinds.count("ok") == 3 and kinds.count("refused") == 5, results
    assert all("limited to 3 per team" in text for kind, text in results if kind == "refused")
    assert HardwareRequest.objects.filter(entry=entry).count() == 3
    assert usage_of(team, entry) == 3


def test_teammates_asking_while_the_desk_approves_and_hands_out(organiser):
    # Two members already asked; the desk approves and hands out theirs while six more ask:
    # holdings plus requests never pass the limit.
    team = TeamFactory()
    entry = stocked_entry(units=20, max_per_team=4)
    first, second, *others = UserFactory.create_batch(8, team=team)
    asked = [HardwareRequestFactory(user=u, entry=entry) for u in (first, second)]

    def hand_out(request):
        def job():
            services.approve_request(hardware_request=request, by=organiser)
            return services.fulfil_request(
                hardware_request=request, by=organiser, id_storage_label=f"T{request.pk}"
            )

        return job

    jobs = [hand_out(r) for r in asked]
    jobs += [lambda u=u: services.submit_request(user=u, entry=entry, quantity=1) for u in others]
    results = run_at_once(jobs)

    assert all(kind in ("ok", "refused") for kind, _ in results), results
    assert [kind for kind, _ in results[:2]] == ["ok", "ok"]
    assert [kind for kind, _ in results[2:]].count("ok") == 2
    assert Loan.objects.open().filter(unit__entry=entry).count() == 2
    assert usage_of(team, entry) == 4


def test_one_entry_per_team_in_a_lottery_when_teammates_enter_at_once():
    team, other_team = TeamFactory(), TeamFactory()
    lottery = stocked_entry(units=1, kind=Kind.LOTTERY, lottery_one_per_team=True)
    ours = UserFactory.create_batch(5, team=team)
    theirs = UserFactory.create_batch(3, team=other_team)

    results = run_at_once(
        [
            lambda u=u: services.submit_request(
                user=u, entry=lottery, quantity=1, proposal="We build a robot."
            )
            for u in ours + theirs
        ]
    )

    kinds = [kind for kind, _ in results]
    assert kinds[:5].count("ok") == 1 and kinds[5:].count("ok") == 1, results
    assert all("one entry per team" in text for kind, text in results if kind == "refused")
    entrants = HardwareRequest.objects.filter(entry=lottery, status=Status.SUBMITTED)
    assert sorted(entrants.values_list("user__team", flat=True)) == sorted([team.pk, other_team.pk])


def test_joining_while_teammates_ask_never_passes_the_limit(organiser):
    # A newcomer holding one unit joins while two members ask for the last room: whichever
    # goes first, the team ends at or under its limit of 2.
    team = TeamFactory(name="Racers")
    entry = stocked_entry(units=10, max_per_team=2)
    ana, bo = UserFactory.create_batch(2, team=team)
    newcomer = UserFactory()
    held = HardwareRequestFactory(user=newcomer, entry=entry)
    services.approve_request(hardware_request=held, by=organiser)
    services.fulfil_request(hardware_request=held, by=organiser, id_storage_label="N1")
    services.submit_request(user=ana, entry=entry, quantity=1)

    for _ in range(3):
        results = run_at_once(
            [
                lambda: join_team(user=newcomer, code=team.join_code),
                lambda: services.submit_request(user=bo, entry=entry, quantity=1),
            ]
        )
        assert all(kind in ("ok", "refused") for kind, _ in results), results
        assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
        assert usage_of(team, entry) == 2
        # Undo the winner, so the next round races again from the same start.
        newcomer.refresh_from_db()
        if newcomer.team_id:
            from accounts.teams import leave_team

            leave_team(user=newcomer)
        else:
            mine = HardwareRequest.objects.open().get(user=bo, entry=entry)
            services.cancel_request(hardware_request=mine, by=bo)
