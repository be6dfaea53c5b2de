"""Lottery seeds and draws: a seed is committed (its SHA-256 published) before entries close,
and the draw reveals it, so anyone can check the winners (checkout/lottery.py, docs/lottery.md).

Every writer of a commitment locks the entry row first (as every desk service does), so the
entry lock alone keeps a commitment from changing under a draw.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.teams import lock_members
from core.models import EventSettings
from inventory.models import Entry, Kind

from ..lottery import ALGORITHM, CHOSEN_SEED, commitment_of, draw_winners, new_seed
from ..models import (
    HardwareRequest,
    LotteryCommitment,
    LotteryDraw,
    NotificationKind,
    Status,
)
from ..notifications import notify, one_email_each
from ..teams import team_usages
from .transitions import available, lock_entry, move_many, pickup_deadline


def commit_lottery_seed(*, entry, by, seed=None):
    """Fix the seed of `entry`'s next draw and publish its hash. `seed=None` draws 32 random
    bytes; organisers may choose one instead (16 to 100 printable ASCII characters, no
    spaces). Refused when a commitment is already open: entrants may have seen its hash."""
    if seed is not None and not CHOSEN_SEED.fullmatch(seed):
        raise ValidationError(
            "A chosen seed is 16 to 100 printable ASCII characters without spaces: a short "
            "one could be guessed from its hash.",
            code="weak_seed",
        )
    with transaction.atomic():
        entry = lock_entry(entry.pk)
        if entry.kind != Kind.LOTTERY:
            raise ValidationError(f"{entry} is not a lottery entry.", code="not_lottery")
        current = LotteryCommitment.objects.filter(entry=entry).first()
        if current is not None:
            raise ValidationError(
                f"The next draw for {entry} is already committed (sha256 {current.commitment}): "
                "entrants may have seen it, so it cannot change before the draw.",
                code="already_committed",
            )
        return _commit(entry, by=by, seed=seed)


def commit_if_none(entry):
    """Commit a random seed for a locked lottery entry that has none: called as an entrant
    enters, so the hash is public before the entries close. Queries: one, plus an insert."""
    if not LotteryCommitment.objects.filter(entry=entry).exists():
        _commit(entry, by=None, seed=None)


def _commit(entry, *, by, seed):
    seed = new_seed() if seed is None else seed
    return LotteryCommitment.objects.create(
        entry=entry, seed=seed, commitment=commitment_of(seed), committed_by=by
    )


def run_lottery(*, entry, by, seed=None):
    """Draw winners among an entry's submitted requests, up to its available stock, with the
    seed committed before the draw. A `seed` given here must be that seed (an organiser who
    chose it reveals it); one that does not hash to the commitment draws nothing.

    Winners are approved (ready for pickup); losers are denied when the settings say so. The
    seed, its commitment and the inputs are stored on the draw, and the commitment is used
    up. Every entrant who was moved is emailed. Queries: the settings, the entry lock, the
    entrants, the commitment, the stock, the draw, the commitment's deletion, winners and
    losers (two statements each, and one for their notifications), closing the entry; after
    commit one token bump and one task queued per entrant emailed.
    """
    event = EventSettings.load()
    with transaction.atomic():
        entry = lock_entry(entry.pk)
        if entry.kind != Kind.LOTTERY:
            raise ValidationError(f"{entry} is not a lottery entry.", code="not_lottery")
        entrants = list(
            HardwareRequest.objects.filter(entry=entry, status=Status.SUBMITTED)
            .order_by("pk")
            .select_for_update()
        )
        if not entrants:
            raise ValidationError(f"Nobody has entered the lottery for {entry}.", code="empty")
        committed = LotteryCommitment.objects.filter(entry=entry).first()
        if committed is None:
            raise ValidationError(
                f"No seed is committed for {entry}: commit one first, so its entrants can see "
                "its hash before the draw.",
                code="not_committed",
            )
        if seed is not None and commitment_of(seed) != committed.commitment:
            raise ValidationError(
                f"That seed does not match the commitment for {entry} "
                f"(sha256 {committed.commitment}): nothing was drawn.",
                code="seed_mismatch",
            )
        entrants, left_out = _team_rules(entry, entrants)
        stock = available(entry.pk)
        pairs = [[entrant.pk, entrant.quantity] for entrant in entrants]
        winners = draw_winners(pairs, stock=stock, seed=committed.seed)
        draw = LotteryDraw.objects.create(
            entry=entry,
            seed=committed.seed,
            commitment=committed.commitment,
            committed_at=committed.committed_at,
            stock=stock,
            entrants=pairs,
            winners=winners,
            run_by=by,
            options={
                "algorithm": ALGORITHM,
                "deny_losers": event.lottery_deny_losers,
                "close_when_run": event.lottery_close_when_run,
                # Entrants not in the draw by the team rules: {request id: why}.
                "left_out": {str(r.pk): why for r, why in left_out},
            },
        )
        committed.delete()  # revealed: the next draw needs a new commitment
        winning = set(winners)
        won = [entrant for entrant in entrants if entrant.pk in winning]
        lost = [entrant for entrant in entrants if entrant.pk not in winning]
        now = timezone.now()
        move_many(
            won,
            Status.APPROVED,
            by=by,
            note=f"won lottery draw #{draw.pk}",
            approved_at=now,
            pickup_deadline=pickup_deadline(event, now),
            lottery_draw=draw,
        )
        notify(NotificationKind.WON, won)
        if not event.lottery_deny_losers:
            lost = []  # still in: the next draw decides
        move_many(
            lost, Status.DENIED, by=by, note=f"not drawn in lottery #{draw.pk}", lottery_draw=draw
        )
        # Left out by the team rules: denied whatever the settings (while the rule holds they
        # could never be drawn), each with its reason.
        for why in sorted({why for _, why in left_out}):
            denied = [r for r, reason in left_out if reason == why]
            move_many(denied, Status.DENIED, by=by, note=why, lottery_draw=draw)
        notify(NotificationKind.NOT_DRAWN, lost + [r for r, _ in left_out])
        if event.lottery_close_when_run:
            Entry.objects.filter(pk=entry.pk).update(kind=Kind.CHECKOUT)
    return draw


def _team_rules(entry, entrants):
    """Split a draw's entrants (locked, in id order) by the team rules: those in the draw,
    and [(request, why)] left out: all but a team's first entrant when the entry takes one
    entry per team, and every entrant of a team over the entry's per-team limit (a limit
    lowered since they entered). Locks the entrants' user rows and teams, in id order."""
    if not entrants or (entry.max_per_team is None and not entry.lottery_one_per_team):
        return entrants, []
    team_of = lock_members([r.user_id for r in entrants])
    over = set()
    if entry.max_per_team is not None:
        usages = team_usages({t for t in team_of.values() if t}, entry.pk)
        over = {t for t, used in usages.items() if used > entry.max_per_team}
    kept, left_out, seen = [], [], {}
    for entrant in entrants:
        team_id = team_of.get(entrant.user_id)
        if team_id in over:
            why = f"left out of the draw: the team is over its limit of {entry.max_per_team}"
            left_out.append((entrant, why))
        elif team_id and entry.lottery_one_per_team and team_id in seen:
            left_out.append((entrant, f"one entry per team: #{seen[team_id]} is the team's"))
        else:
            seen.setdefault(team_id, entrant.pk)
            kept.append(entrant)
    return kept, left_out


def run_all_lotteries(*, by):
    """Run every lottery entry that has entrants. Returns (draws, errors). Someone in several
    draws gets one email about them all."""
    draws, errors = [], []
    entry_ids = HardwareRequest.objects.lottery_entrants().values_list("entry_id", flat=True)
    with one_email_each():
        for entry in Entry.objects.filter(pk__in=list(entry_ids.distinct())).order_by("name"):
            try:
                draws.append(run_lottery(entry=entry, by=by))
            except ValidationError as exc:
                errors.append(f"{entry}: {' '.join(exc.messages)}")
    return draws, errors
