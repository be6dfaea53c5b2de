"""The participant's team page (/me/team/): form, join, leave; bad input changes nothing."""

import pytest
from django.urls import reverse

from accounts.models import Team
from accounts.tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

TEAM = reverse("accounts:team")


def test_it_forms_a_team_and_shows_the_code_to_share(participant_client, participant):
    response = participant_client.post(reverse("accounts:team_create"), {"name": "Rustaceans"})
    assert response.status_code == 302
    body = participant_client.get(TEAM).content.decode()
    team = Team.objects.get()
    assert "You are in <strong>Rustaceans</strong>" in body and team.join_code in body


def test_a_taken_name_is_a_form_error_and_changes_nothing(participant_client, participant):
    TeamFactory(name="Rustaceans")
    response = participant_client.post(reverse("accounts:team_create"), {"name": "rustaceans"})
    assert response.status_code == 400
    assert "already a team called" in response.content.decode()
    participant.refresh_from_db()
    assert participant.team is None and Team.objects.count() == 1


def test_a_bad_code_is_a_form_error_and_changes_nothing(participant_client, participant):
    TeamFactory(join_code="K7QX3M")
    for code, says in [("", "Type the join code"), ("ZZZZZZ", "No team has the join code")]:
        response = participant_client.post(reverse("accounts:team_join"), {"code": code})
        assert response.status_code == 400
        assert says in response.content.decode()
    participant.refresh_from_db()
    assert participant.team is None


def test_it_joins_by_code_and_leaves(participant_client, participant):
    team = TeamFactory(name="Heroes", join_code="K7QX3M")
    UserFactory(team=team, name="Ana")
    participant_client.post(reverse("accounts:team_join"), {"code": "k7qx3m"})
    body = participant_client.get(TEAM).content.decode()
    assert "Members (2)" in body and "Ana" in body
    participant_client.post(reverse("accounts:team_leave"))
    participant.refresh_from_db()
    assert participant.team is None and Team.objects.filter(pk=team.pk).exists()
    again = participant_client.post(reverse("accounts:team_leave"), follow=True)
    assert "You are not in a team" in again.content.decode()


def test_the_writes_need_post_and_a_sign_in(participant_client):
    from django.test import Client

    assert participant_client.get(reverse("accounts:team_leave")).status_code == 405
    assert Client().get(TEAM).status_code == 302


def test_the_team_page_costs_the_same_with_2_or_30_members(
    participant_client, participant, named_queries
):
    team = TeamFactory()
    participant.team = team
    participant.save()
    UserFactory.create_batch(1, team=team)
    _, few = named_queries(participant_client.get, TEAM)
    UserFactory.create_batch(28, team=team)
    response, many = named_queries(participant_client.get, TEAM)
    assert response.status_code == 200 and len(response.context["members"]) == 30
    assert (
        few
        == many
        == [
            "SELECT accounts_user",  # the session's user
            "SELECT accounts_team",  # their team and who formed it
            "SELECT accounts_user",  # its members
        ]
    )
