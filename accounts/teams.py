"""Teams: form one, join by code, leave, rename; and the locks that keep membership still.

Membership is `User.team`. Every change to it locks the user row, then the team row (FOR NO
KEY UPDATE, which foreign keys pointing at the row do not wait for). Checkout's services take
the same two locks, in the same order, after the entry's (checkout/services/transitions.py),
so while a request is checked against its team's limit nobody joins or leaves that team and
the requester cannot change teams.

Rules that only apps above know (checkout: an entry's per-team limit) are registered here at
start-up (`register_join_guard`), so accounts never imports checkout.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.models import EventSettings

from .models import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    Team,
    User,
    new_join_code,
    normalise_join_code,
    normalise_team_name,
)

NAME_MAX_LENGTH = Team._meta.get_field("name").max_length

# guard(user_id, team): raises ValidationError when `user_id` joining `team` would break a rule.
_join_guards = []


def register_join_guard(guard):
    _join_guards.append(guard)


def lock_member(user_id):
    """Lock the user row, then their team's row. Returns the team, or None. Two queries (one
    without a team). The team read under the user lock cannot change until commit."""
    team_id = (
        User.objects.select_for_update(no_key=True)
        .values_list("team_id", flat=True)
        .get(pk=user_id)
    )
    if team_id is None:
        return None
    return Team.objects.select_for_update(no_key=True).get(pk=team_id)


def lock_members(user_ids):
    """Lock several users (id order), then their teams (id order), in two queries; returns
    {user id: team id or None}. Call once per transaction, after the entry and its requests."""
    teams = dict(
        User.objects.filter(pk__in=set(user_ids))
        .order_by("pk")
        .select_for_update(no_key=True)
        .values_list("pk", "team_id")
    )
    team_ids = sorted({team_id for team_id in teams.values() if team_id})
    if team_ids:
        list(
            Team.objects.filter(pk__in=team_ids)
            .order_by("pk")
            .select_for_update(no_key=True)
            .values_list("pk", flat=True)
        )
    return teams


def clean_team_name(name):
    name = normalise_team_name(name)
    if not name:
        raise ValidationError("Give your team a name.", code="name_blank")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            f"Keep the team name under {NAME_MAX_LENGTH + 1} characters.", code="name_long"
        )
    return name


def _name_taken(name, *, exclude=None):
    taken = Team.objects.filter(name__iexact=name).exclude(pk=exclude).exists()
    if taken:
        raise ValidationError(
            f"There is already a team called “{name}”. Ask its members for their join code, "
            "or choose another name.",
            code="name_taken",
        )


def create_team(*, name, by, join=True):
    """A new team called `name` (spaces tidied; unique without regard to case) with a fresh
    join code. With `join` (a participant forming it) `by` becomes its first member, and must
    not be in a team already; an organiser in the admin creates one with `join=False`."""
    name = clean_team_name(name)
    try:
        with transaction.atomic():
            if join:
                current = lock_member(by.pk)
                if current is not None:
                    raise ValidationError(
                        f"You are in {current} already: leave it first.", code="in_a_team"
                    )
            _name_taken(name)
            code = new_join_code()
            while Team.objects.filter(join_code=code).exists():
                code = new_join_code()
            team = Team.objects.create(name=name, join_code=code, created_by=by)
            if join:
                _set_team(by, team)
            return team
    except IntegrityError:  # another team took the name (or the code) since we looked
        raise ValidationError(
            f"There is already a team called “{name}”: choose another name.", code="name_taken"
        ) from None


def join_team(*, user, code):
    """Join the team whose join code is `code` (case, spaces and dashes ignored). Refused,
    changing nothing, for an unknown code, when already in a team, when the team is full
    (EventSettings.team_max_size), or when a registered guard objects (checkout: the user's
    requests and loans would put the team over an entry's limit)."""
    code = normalise_join_code(code)
    if len(code) != JOIN_CODE_LENGTH or any(ch not in JOIN_CODE_ALPHABET for ch in code):
        raise ValidationError(
            f"A join code is {JOIN_CODE_LENGTH} letters and digits, like K7QX3M: check it with "
            "your team.",
            code="bad_code",
        )
    max_size = EventSettings.load().team_max_size
    with transaction.atomic():
        current = lock_member(user.pk)
        team = Team.objects.select_for_update(no_key=True).filter(join_code=code).first()
        if team is None:
            raise ValidationError(
                f"No team has the join code {code}: check it with your team.", code="no_team"
            )
        if current is not None:
            if current.pk == team.pk:
                raise ValidationError(f"You are in {team} already.", code="already_member")
            raise ValidationError(
                f"You are in {current}: leave it before joining {team}.", code="in_a_team"
            )
        if max_size is not None and team.members.count() >= max_size:
            raise ValidationError(
                f"{team} is full: a team has at most {max_size} members.", code="team_full"
            )
        for guard in _join_guards:
            guard(user.pk, team)
        _set_team(user, team)
    return team


def leave_team(*, user):
    """Leave your team. Its last member leaving deletes it (its name is free again). What
    they requested or hold stays theirs and stops counting towards the team's limits."""
    with transaction.atomic():
        team = lock_member(user.pk)
        if team is None:
            raise ValidationError("You are not in a team.", code="no_team")
        _set_team(user, None)
        if not team.members.exists():
            team.delete()
    return team


def rename_team(*, team, name):
    """An organiser corrects a team's name (the admin calls this)."""
    name = clean_team_name(name)
    try:
        with transaction.atomic():
            team = Team.objects.select_for_update(no_key=True).get(pk=team.pk)
            _name_taken(name, exclude=team.pk)
            team.name = name
            team.save(update_fields=["name"])
    except IntegrityError:
        raise ValidationError(f"There is already a team called “{name}”.") from None
    return team


def new_code_for(*, team):
    """Give a team a new join code (a shared code got out): the old one stops working."""
    with transaction.atomic():
        team = Team.objects.select_for_update(no_key=True).get(pk=team.pk)
        code = new_join_code()
        while Team.objects.filter(join_code=code).exists():
            code = new_join_code()
        team.join_code = code
        team.save(update_fields=["join_code"])
    return team


def _set_team(user, team):
    """One UPDATE of the user's team (the save signal bumps the live versions)."""
    user.team = team
    user.save(update_fields=["team"])
