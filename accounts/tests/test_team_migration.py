"""The data migration that turns free-text team names into teams (accounts 0007)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("accounts", "0006_team")]
AFTER = [("accounts", "0008_remove_user_team_name")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_names_become_teams_grouped_without_case_or_spaces():
    old = migrate(BEFORE)
    User = old.get_model("accounts", "User")
    for pk, (email, team_name) in enumerate(
        [
            ("a@example.com", "Rustaceans"),
            ("b@example.com", " rustaceans "),
            ("c@example.com", "RUSTACEANS"),
            ("d@example.com", "rustaceans"),
            ("e@example.com", "The  Heroes"),
            ("f@example.com", ""),
            ("g@example.com", "   "),
        ],
        start=1,
    ):
        User.objects.create(pk=1000 + pk, email=email, team_name=team_name)
    try:
        new = migrate(AFTER)
        Team = new.get_model("accounts", "Team")
        User = new.get_model("accounts", "User")
        teams = {
            team.name: sorted(team.members.values_list("email", flat=True))
            for team in Team.objects.all()
        }
        # The most common spelling names the team (ties: the earliest member's).
        assert teams == {
            "rustaceans": ["a@example.com", "b@example.com", "c@example.com", "d@example.com"],
            "The Heroes": ["e@example.com"],
        }
        assert Team.objects.get(name="rustaceans").created_by.email == "a@example.com"
        assert User.objects.filter(team__isnull=True).count() == 2
        codes = list(Team.objects.values_list("join_code", flat=True))
        assert len(set(codes)) == 2 and all(len(code) == 6 for code in codes)

        # And back: the names are written into the free-text field again.
        old = migrate(BEFORE)
        User = old.get_model("accounts", "User")
        assert dict(User.objects.values_list("email", "team_name").filter(pk__gt=1000)) == {
            "a@example.com": "rustaceans",
            "b@example.com": "rustaceans",
            "c@example.com": "rustaceans",
            "d@example.com": "rustaceans",
            "e@example.com": "The Heroes",
            "f@example.com": "",
            "g@example.com": "",
        }
    finally:
        migrate(AFTER)
