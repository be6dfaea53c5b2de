"""Per-team limits: how much of an entry a team has, and the rules the services enforce.

A team's *use* of an entry is what its members have requested and not yet been given (open
requests: submitted, waitlisted, approved) plus the units they hold (open loans), the
same two things a participant's own request counts against. `Entry.max_per_team` caps it;
`Entry.lottery_one_per_team` lets one member of a team enter a lottery.

The services check these with the entry locked, then the requester's user row and team row
(accounts.teams.lock_member), so two members of one team, or a member and someone joining,
cannot both pass the check on the same figures.
"""

from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Q

from accounts.models import Team
from core.aggregates import count_of, sum_of
from inventory.models import Entry, Kind

from .models import HardwareRequest, Loan


def units_used(entry_ref, **who):
    """Integer expression: units of the entry `entry_ref` (an id or an OuterRef) that the
    people matched by `who` (lookups from the user, e.g. user__team=...) have open."""
    requested = sum_of(HardwareRequest.objects.open().filter(entry=entry_ref, **who), "quantity")
    held = count_of(Loan.objects.open().filter(unit__entry=entry_ref, **who))
    return requested + held


def team_usages(team_ids, entry_id):
    """{team id: units of the entry its members have open}. One query, whatever the number."""
    if not team_ids:
        return {}
    return dict(
        Team.objects.filter(pk__in=team_ids)
        .annotate(used=units_used(entry_id, user__team=OuterRef("pk")))
        .values_list("pk", "used")
    )


def usage_of(team, entry):
    return team_usages([team.pk], entry.pk)[team.pk]


def check_new_request(entry, *, team, quantity):
    """Refuse a new request of `quantity` that would take `team` past the entry's limit, or
    a second lottery entry from one team. Nothing to check without a team. One or two queries.
    Call with the entry, user and team locked."""
    if team is None:
        return
    if entry.kind == Kind.LOTTERY and entry.lottery_one_per_team:
        entered = (
            HardwareRequest.objects.open()
            .filter(entry=entry, user__team=team)
            .select_related("user")
            .first()
        )
        if entered is not None:
            raise ValidationError(
                f"{entered.user} already entered the draw for {entry} for your team "
                f"{team}: it takes one entry per team.",
                code="team_entered",
            )
    if entry.max_per_team is None:
        return
    used = usage_of(team, entry)
    if used + quantity > entry.max_per_team:
        left = max(0, entry.max_per_team - used)
        raise ValidationError(
            f"{entry} is limited to {entry.max_per_team} per team, and your team {team} has "
            f"{used} requested or in hand: "
            + (f"you can ask for {left} more." if left else "none left for your team."),
            code="team_limit",
        )


def over_limit_message(hardware_request, *, team, used):
    entry = hardware_request.entry
    return (
        f"Team {team} has {used} {entry} requested or in hand, over its limit of "
        f"{entry.max_per_team} per team: deny or cancel one of the team's requests first."
    )


def check_within_limit(hardware_request, *, team):
    """Refuse approving or handing out a request (already counted in its team's use) while
    the team is over the entry's limit: the limit was lowered, or someone joined the team.
    Call with the entry, user and team locked. At most one query."""
    entry = hardware_request.entry
    if team is None or entry.max_per_team is None:
        return
    used = usage_of(team, entry)
    if used > entry.max_per_team:
        raise ValidationError(
            over_limit_message(hardware_request, team=team, used=used), code="team_limit"
        )


def joining_keeps_team_limits(user_id, team):
    """accounts' join guard: refuse joining `team` when the user's own open requests and
    loans would take it past an entry's limit, or give it two entries in a one-per-team
    lottery. One query (with the user and team locked by join_team)."""
    mine = units_used(OuterRef("pk"), user_id=user_id)
    theirs = units_used(OuterRef("pk"), user__team=team)
    my_entry = HardwareRequest.objects.open().filter(entry=OuterRef("pk"), user_id=user_id)
    their_entry = HardwareRequest.objects.open().filter(entry=OuterRef("pk"), user__team=team)
    clash = (
        Entry.objects.annotate(
            mine=mine, theirs=theirs, mine_in=Exists(my_entry), theirs_in=Exists(their_entry)
        )
        .filter(
            Q(max_per_team__isnull=False, mine__gt=0, max_per_team__lt=F("mine") + F("theirs"))
            | Q(kind=Kind.LOTTERY, lottery_one_per_team=True, mine_in=True, theirs_in=True)
        )
        .order_by("name")
        .first()
    )
    if clash is None:
        return
    both_entered = clash.mine_in and clash.theirs_in
    if clash.kind == Kind.LOTTERY and clash.lottery_one_per_team and both_entered:
        raise ValidationError(
            f"You and {team} have both entered the draw for {clash}, which takes one entry "
            "per team: cancel your entry on My hardware first.",
            code="team_entered",
        )
    raise ValidationError(
        f"{clash} is limited to {clash.max_per_team} per team: {team} has {clash.theirs} and "
        f"you have {clash.mine} requested or in hand. Cancel or return some first.",
        code="team_limit",
    )
