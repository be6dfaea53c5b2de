"""Teams in the admin: the writes go through accounts/teams.py."""

import pytest
from django.urls import reverse

from accounts.models import Team
from accounts.tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
# The members inline's empty management form.
INLINE = {"members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0"}


def test_it_adds_and_renames_a_team_through_the_services(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:accounts_team_add"), {"name": "  Desk  made ", **INLINE}
    )
    assert response.status_code == 302
    team = Team.objects.get()
    assert team.name == "Desk made" and team.created_by == admin_user
    assert not team.members.exists()
    TeamFactory(name="Taken")
    change = reverse("admin:accounts_team_change", args=[team.pk])
    refused = admin_client.post(change, {"name": "TAKEN", **INLINE})
    assert refused.status_code == 200 and "already a team called" in refused.content.decode()
    assert Team.objects.get(pk=team.pk).name == "Desk made"
    # Only the spaces differ: the same name, refused as a form error (no failed save).
    TeamFactory(name="Tak en")
    spaced = admin_client.post(change, {"name": " Tak   en ", **INLINE})
    assert spaced.status_code == 200 and "already a team called" in spaced.content.decode()


def test_new_join_codes_action(admin_client):
    teams = TeamFactory.create_batch(2)
    old = {t.pk: t.join_code for t in teams}
    admin_client.post(
        reverse("admin:accounts_team_changelist"),
        {"action": "give_new_join_codes", "_selected_action": [t.pk for t in teams]},
    )
    assert all(Team.objects.get(pk=pk).join_code != code for pk, code in old.items())


def test_the_team_page_lists_members_in_one_query_whatever_their_number(
    admin_client, named_queries
):
    team = TeamFactory()
    UserFactory.create_batch(2, team=team)
    url = reverse("admin:accounts_team_change", args=[team.pk])
    _, few = named_queries(admin_client.get, url)
    UserFactory.create_batch(28, team=team)
    response, many = named_queries(admin_client.get, url)
    assert response.status_code == 200 and response.content.decode().count("@example.com") >= 30
    assert few == many
