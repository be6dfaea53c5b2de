"""Lottery draws: reproducible from a stored seed, and a bounded number of queries however many
people entered."""

import random
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import EventSettings
from inventory.models import Entry, Kind

from .. import emails
from ..models import HardwareRequest, LotteryDraw, Status
from .transitions import available, lock_entry, move_many, pickup_deadline

LOTTERY_ALGORITHM = "python-random-shuffle-v1"


def draw_winners(entrants, *, stock, seed):
    """The pure draw: shuffle entrants (request id order) with `seed`, then take winners in
    that order while their quantities fit in `stock`. Same inputs, same winners."""
    quantities = dict(entrants)
    order = sorted(quantities)
    random.Random(seed).shuffle(order)
    winners, left = [], stock
    for pk in order:
        if left <= 0:
            break
        if quantities[pk] <= left:
            winners.append(pk)
            left -= quantities[pk]
    return winners


def verify_draw(draw):
    """Re-run a stored draw from its seed and inputs: True when it gives the stored winners."""
    return draw_winners(draw.entrants, stock=draw.stock, seed=draw.seed) == draw.winners


def run_lottery(*, entry, by, seed=None):
    """Draw winners among an entry's submitted requests, up to its available stock.

    Winners are approved (ready for pickup); losers are denied when the settings say so. The
    seed and inputs are stored so the draw can be audited and re-run. Queries: the settings,
    the entry lock, the entrants, the stock, the draw, winners and losers (two statements
    each), closing the entry; after commit one token bump and one read for the emails.
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
        stock = available(entry.pk)
        seed = secrets.randbits(62) if seed is None else int(seed)
        pairs = [[entrant.pk, entrant.quantity] for entrant in entrants]
        winners = draw_winners(pairs, stock=stock, seed=seed)
        draw = LotteryDraw.objects.create(
            entry=entry,
            seed=seed,
            stock=stock,
            entrants=pairs,
            winners=winners,
            run_by=by,
            options={
                "algorithm": LOTTERY_ALGORITHM,
                "deny_losers": event.lottery_deny_losers,
                "close_when_run": event.lottery_close_when_run,
            },
        )
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
        if not event.lottery_deny_losers:
            lost = []
        move_many(
            lost, Status.DENIED, by=by, note=f"not drawn in lottery #{draw.pk}", lottery_draw=draw
        )
        if event.lottery_close_when_run:
            Entry.objects.filter(pk=entry.pk).update(kind=Kind.CHECKOUT)
        won_ids, lost_ids = [r.pk for r in won], [r.pk for r in lost]
        transaction.on_commit(lambda: emails.send_lottery_results(won=won_ids, lost=lost_ids))
    return draw


def run_all_lotteries(*, by):
    """Run every lottery entry that has entrants. Returns (draws, errors)."""
    draws, errors = [], []
    entry_ids = HardwareRequest.objects.lottery_entrants().values_list("entry_id", flat=True)
    for entry in Entry.objects.filter(pk__in=list(entry_ids.distinct())).order_by("name"):
        try:
            draws.append(run_lottery(entry=entry, by=by))
        except ValidationError as exc:
            errors.append(f"{entry}: {' '.join(exc.messages)}")
    return draws, errors
