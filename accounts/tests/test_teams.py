"""Forming, joining and leaving teams (accounts/teams.py): bad input changes nothing."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import JOIN_CODE_ALPHABET, Team, User
from accounts.teams import create_team, join_team, leave_team, new_code_for, rename_team
from accounts.tests.factories import TeamFactory, UserFactory
from core.models import EventSettings

pytestmark = pytest.mark.django_db


def test_it_creates_a_team_with_a_join_code_and_its_creator_in_it(participant):
    team = create_team(name="  The   Rustaceans ", by=participant)
    participant.refresh_from_db()
    assert team.name == "The Rustaceans"
    assert participant.team == team and team.created_by == participant
    assert len(team.join_code) == 6 and set(team.join_code) <= set(JOIN_CODE_ALPHABET)


@pytest.mark.parametrize(
    "name, says", [("   ", "Give your team a name"), ("x" * 101, "under 101 characters")]
)
def test_it_refuses_a_blank_or_long_name(participant, name, says):
    with pytest.raises(ValidationError, match=says):
        create_team(name=name, by=participant)
    assert not Team.objects.exists()


def test_it_refuses_a_name_taken_in_another_case(participant):
    TeamFactory(name="Rustaceans")
    with pytest.raises(ValidationError, match="already a team called"):
        create_team(name="RUSTACEANS", by=participant)
    participant.refresh_from_db()
    assert participant.team is None and Team.objects.count() == 1


def test_it_refuses_to_create_a_second_team_for_a_member(participant):
    first = create_team(name="One", by=participant)
    with pytest.raises(ValidationError, match="You are in One already"):
        create_team(name="Two", by=participant)
    participant.refresh_from_db()
    assert participant.team == first and Team.objects.count() == 1


def test_an_organiser_creates_a_team_without_joining_it(organiser):
    team = create_team(name="Made at the desk", by=organiser, join=False)
    organiser.refresh_from_db()
    assert organiser.team is None and team.created_by == organiser


def test_it_joins_by_code_typed_loosely(participant):
    team = TeamFactory(join_code="K7QX3M")
    assert join_team(user=participant, code=" k7q-x3m ") == team
    participant.refresh_from_db()
    assert participant.team == team


@pytest.mark.parametrize(
    "code, says",
    [
        ("", "6 letters and digits"),
        ("K7QX3", "6 letters and digits"),
        ("K7QX3O", "6 letters and digits"),  # O is not in the alphabet: it reads as 0
        ("ABCDEF", "No team has the join code ABCDEF"),
    ],
)
def test_a_bad_code_is_a_clear_error_and_changes_nothing(participant, code, says):
    TeamFactory(join_code="K7QX3M")
    with pytest.raises(ValidationError, match=says):
        join_team(user=participant, code=code)
    participant.refresh_from_db()
    assert participant.team is None


def test_it_refuses_joining_a_second_team_or_the_same_again(participant):
    mine, other = TeamFactory(name="Mine"), TeamFactory(name="Other")
    join_team(user=participant, code=mine.join_code)
    with pytest.raises(ValidationError, match="leave it before joining Other"):
        join_team(user=participant, code=other.join_code)
    with pytest.raises(ValidationError, match="You are in Mine already"):
        join_team(user=participant, code=mine.join_code)
    participant.refresh_from_db()
    assert participant.team == mine


def test_it_refuses_joining_a_full_team(participant):
    EventSettings.objects.filter(pk=EventSettings.load().pk).update(team_max_size=2)
    team = TeamFactory(name="Pair")
    UserFactory.create_batch(2, team=team)
    with pytest.raises(ValidationError, match="Pair is full: a team has at most 2 members"):
        join_team(user=participant, code=team.join_code)
    participant.refresh_from_db()
    assert participant.team is None and team.members.count() == 2


def test_leaving_keeps_the_team_until_its_last_member_goes(participant):
    team = TeamFactory()
    other = UserFactory(team=team)
    participant.team = team
    participant.save()
    leave_team(user=participant)
    participant.refresh_from_db()
    assert participant.team is None and Team.objects.filter(pk=team.pk).exists()
    leave_team(user=other)
    assert not Team.objects.filter(pk=team.pk).exists()


def test_leaving_without_a_team_is_refused(participant):
    with pytest.raises(ValidationError, match="You are not in a team"):
        leave_team(user=participant)


def test_rename_and_new_code(participant):
    team, taken = TeamFactory(name="Old"), TeamFactory(name="Taken")
    with pytest.raises(ValidationError, match="already a team called"):
        rename_team(team=team, name="taken")
    assert rename_team(team=team, name=" New  name ").name == "New name"
    old_code = team.join_code
    assert new_code_for(team=team).join_code != old_code
    assert Team.objects.get(pk=team.pk).name == "New name" and taken.name == "Taken"


def test_the_database_refuses_two_names_differing_only_in_case():
    from django.db import IntegrityError, transaction

    TeamFactory(name="Heroes")
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.create(name="HEROES", join_code="AAAAAA")
    assert User.objects.filter(team__isnull=False).count() == 0
