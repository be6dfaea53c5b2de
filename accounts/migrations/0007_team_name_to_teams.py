"""Free-text team names become Team rows: one team per name as people typed it, compared
without case and extra spaces ("Rustaceans", " rustaceans" and "RUSTACEANS" are one team).

The team is named by its most common spelling (the earliest member's on a tie) and was
"created by" its earliest member (lowest id). Each gets a fresh join code. Reversible: the
reverse writes each member's team name back into the free-text field and deletes the teams
(join codes are not kept).
"""

import secrets
from collections import Counter, defaultdict

from django.db import migrations

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # as accounts.models.JOIN_CODE_ALPHABET, frozen


def _code(taken):
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(6))
        if code not in taken:
            taken.add(code)
            return code


def names_to_teams(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Team = apps.get_model("accounts", "Team")
    groups = defaultdict(list)  # normalised name -> [(user id, spelling)]
    for pk, raw in User.objects.exclude(team_name="").order_by("pk").values_list("pk", "team_name"):
        spelling = " ".join(raw.split())
        if spelling:
            groups[spelling.lower()].append((pk, spelling))
    taken = set(Team.objects.values_list("join_code", flat=True))
    for members in groups.values():
        spellings = Counter(spelling for _, spelling in members)
        first_seen = {spelling: i for i, (_, spelling) in reversed(list(enumerate(members)))}
        name = min(spellings, key=lambda s: (-spellings[s], first_seen[s]))
        team = Team.objects.create(name=name, join_code=_code(taken), created_by_id=members[0][0])
        User.objects.filter(pk__in=[pk for pk, _ in members]).update(team=team)


def teams_to_names(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(team__isnull=False).select_related("team"):
        User.objects.filter(pk=user.pk).update(team_name=user.team.name)
    # The names are back in the free-text field: forwards again makes the teams afresh.
    User.objects.update(team=None)
    apps.get_model("accounts", "Team").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_team")]

    operations = [migrations.RunPython(names_to_teams, teams_to_names)]
