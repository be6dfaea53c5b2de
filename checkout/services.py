"""Every change at the hardware desk.

Each function is one transaction that locks what it changes, validates, writes, records who did
it and when, and tells live pages that something changed. Lock order is always the entry row
first, then request, loan and unit rows, so two desks working at once cannot deadlock. Views,
admin actions, management commands and tests call these same functions.
"""

import logging
import random
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from inventory.models import Condition, Entry, EventSettings, Kind, Unit

from . import emails, live
from .models import (
    TRANSITIONS,
    Handout,
    IDCollateral,
    Loan,
    LotteryDraw,
    Request,
    RequestEvent,
    Status,
    unit_is_lent,
)

logger = logging.getLogger(__name__)

ID_KINDS = {Kind.CHECKOUT, Kind.LOTTERY}
LOTTERY_ALGORITHM = "python-random-shuffle-v1"


# Locking helpers -------------------------------------------------------------------------------


def _lock_entry(entry_id):
    return Entry.objects.select_for_update().get(pk=entry_id)


def _available(entry_id):
    """Units a new approval may still take (see Entry.objects.with_stock). One query."""
    return Entry.objects.with_stock().values_list("stock_available", flat=True).get(pk=entry_id)


def _lock_request(request_id):
    """Lock the request's entry, then the request. Returns the request with `entry` set."""
    try:
        entry_id = Request.objects.values_list("entry_id", flat=True).get(pk=request_id)
    except Request.DoesNotExist:
        raise ValidationError("That request does not exist.") from None
    entry = _lock_entry(entry_id)
    request = Request.objects.select_for_update().get(pk=request_id)
    request.entry = entry
    return request


def _refuse(request, to_status):
    raise ValidationError(
        f"Request #{request.pk} is {request.get_status_display().lower()}: it cannot be "
        f"{Status(to_status).label.lower()} now.",
        code="illegal_transition",
    )


def _move(request, to_status, *, by, note="", **fields):
    """Change a locked request's status, or refuse an illegal transition without writing."""
    if to_status not in TRANSITIONS[request.status]:
        _refuse(request, to_status)
    from_status = request.status
    now = timezone.now()
    request.status = to_status
    request.updated_at = now
    request.updated_by = by
    for name, value in fields.items():
        setattr(request, name, value)
    request.save(update_fields=["status", "updated_at", "updated_by", *fields])
    RequestEvent.objects.create(
        request=request, from_status=from_status, to_status=to_status, by=by, at=now, note=note
    )
    live.changed(request.user_id)


def _approve_locked(request, *, by, note=""):
    event = EventSettings.load()
    now = timezone.now()
    _move(
        request,
        Status.APPROVED,
        by=by,
        note=note,
        approved_at=now,
        pickup_deadline=now + timedelta(minutes=event.pickup_expiry_minutes),
    )
    transaction.on_commit(lambda: emails.send_ready_for_pickup(request.pk))


# Participants ----------------------------------------------------------------------------------


def submit_request(*, user, entry, quantity, proposal=""):
    """A participant asks for `quantity` units of `entry`.

    Checkout entries beyond what is on the shelf (less what earlier requests are waiting for)
    go on the waitlist, first come first served, when the waitlist is on.
    """
    event = EventSettings.load()
    proposal = (proposal or "").strip()
    if not user.has_contact_details:
        raise ValidationError(
            "Add your phone number and table to your profile before requesting hardware.",
            code="profile_incomplete",
        )
    try:
        with transaction.atomic():
            entry = _lock_entry(entry.pk)
            _check_requestable(entry, user=user, quantity=quantity, proposal=proposal, event=event)
            status = Status.SUBMITTED
            if entry.kind == Kind.CHECKOUT:
                status = _status_for_new_checkout_request(entry, quantity=quantity, event=event)
            request = Request.objects.create(
                user=user, entry=entry, quantity=quantity, proposal=proposal, status=status
            )
            RequestEvent.objects.create(request=request, to_status=status, by=user)
            live.changed(user.pk)
            return request
    except IntegrityError:
        raise ValidationError(
            "You already have an open request for this item.", code="duplicate"
        ) from None


def _check_requestable(entry, *, user, quantity, proposal, event):
    if not entry.is_visible:
        raise ValidationError("This item is not available.")
    if entry.kind == Kind.FREE or entry.is_counted:
        raise ValidationError("Free items need no request: pick them up at the desk.")
    if not isinstance(quantity, int) or not 1 <= quantity <= entry.max_request_quantity:
        raise ValidationError(f"Ask for between 1 and {entry.max_request_quantity}.")
    open_requests = Request.objects.open().filter(user=user)
    if open_requests.filter(entry=entry).exists():
        raise ValidationError("You already have an open request for this item.", code="duplicate")
    if entry.kind == Kind.LOTTERY:
        if event.proposal_required and not proposal:
            raise ValidationError("Tell us what you will build: lottery entries need a proposal.")
        if len(proposal) > event.proposal_max_length:
            raise ValidationError(
                f"Keep the proposal under {event.proposal_max_length} characters."
            )
        if (
            not event.lottery_multiple_entries
            and open_requests.filter(entry__kind=Kind.LOTTERY).exists()
        ):
            raise ValidationError("You can enter one lottery at a time.")


def _awaiting_approval(entry):
    """Units that submitted requests for the entry are waiting for (they have priority)."""
    submitted = Request.objects.filter(entry=entry, status=Status.SUBMITTED)
    return submitted.aggregate(n=Sum("quantity"))["n"] or 0


def _status_for_new_checkout_request(entry, *, quantity, event):
    """Submitted while the shelf covers it, else waitlisted (or refused with no waitlist)."""
    queued = Request.objects.filter(entry=entry, status=Status.WAITLISTED).exists()
    if not queued and _available(entry.pk) - _awaiting_approval(entry) >= quantity:
        return Status.SUBMITTED
    if event.waitlist_enabled:
        return Status.WAITLISTED
    raise ValidationError(f"No {entry} left right now.", code="out_of_stock")


def cancel_request(*, request, by):
    """The participant (or an organiser) withdraws an open request."""
    with transaction.atomic():
        request = _lock_request(request.pk)
        if request.user_id != by.pk and not by.is_staff:
            raise ValidationError("You can only cancel your own requests.", code="not_yours")
        was = request.status
        _move(request, Status.CANCELLED, by=by)
        if was in (Status.APPROVED, Status.SUBMITTED):
            _promote_waitlist(request.entry, by=by)
    return request


# Organisers ------------------------------------------------------------------------------------


def approve_request(*, request, by, note=""):
    """Reserve stock for a request: it is ready for pickup until its deadline."""
    with transaction.atomic():
        request = _lock_request(request.pk)
        if request.status not in (Status.SUBMITTED, Status.WAITLISTED):
            _refuse(request, Status.APPROVED)
        available = _available(request.entry_id)
        if available < request.quantity:
            raise ValidationError(
                f"Only {available} {request.entry} left: cannot approve {request.quantity}.",
                code="out_of_stock",
            )
        _approve_locked(request, by=by, note=note)
    return request


def deny_request(*, request, by, note=""):
    with transaction.atomic():
        request = _lock_request(request.pk)
        was = request.status
        _move(request, Status.DENIED, by=by, note=note)
        if was in (Status.APPROVED, Status.SUBMITTED):
            _promote_waitlist(request.entry, by=by)
    return request


@dataclass
class BatchOutcome:
    done: list
    errors: list


def approve_requests(*, requests, by):
    """Approve each request in its own transaction; one failure does not undo the others."""
    return _batch(approve_request, requests, by)


def deny_requests(*, requests, by):
    return _batch(deny_request, requests, by)


def _batch(action, requests, by):
    outcome = BatchOutcome(done=[], errors=[])
    for request in requests:
        try:
            outcome.done.append(action(request=request, by=by))
        except ValidationError as exc:
            outcome.errors.append(f"#{request.pk}: {' '.join(exc.messages)}")
    return outcome


def fulfil_request(*, request, by, unit_ids=None, id_storage_label=""):
    """Hand out an approved request: one loan per unit. Returns the loans.

    Checkout and lottery items need the participant's ID at the desk: if none is held,
    `id_storage_label` records where it is stored now. `unit_ids` picks units; without it the
    first free units by asset tag are taken.
    """
    with transaction.atomic():
        request = _lock_request(request.pk)
        if request.status != Status.APPROVED:
            if request.status == Status.FULFILLED:
                last = request.events.filter(to_status=Status.FULFILLED).select_related("by")
                last = last.last()
                who = f" by {last.by}" if last and last.by else ""
                raise ValidationError(
                    f"Request #{request.pk} was already handed out{who}.", code="already_fulfilled"
                )
            _refuse(request, Status.FULFILLED)
        entry = request.entry
        now = timezone.now()
        lapsed = request.pickup_deadline and request.pickup_deadline < now
        # A lapsed reservation no longer holds units: hand out only if the shelf still covers it.
        if lapsed and _available(entry.pk) < request.quantity:
            raise ValidationError(
                f"Request #{request.pk} passed its pickup deadline and its units went to others.",
                code="expired",
            )
        if entry.kind in ID_KINDS:
            _ensure_id_held(request.user_id, by=by, storage_label=id_storage_label)
        units = _pick_units(entry, quantity=request.quantity, unit_ids=unit_ids)
        event = EventSettings.load()
        due_at = event.default_due_back or now + timedelta(hours=event.loan_duration_hours)
        loans = Loan.objects.bulk_create(
            Loan(
                unit=unit,
                user_id=request.user_id,
                request=request,
                lent_by=by,
                lent_at=now,
                due_at=due_at,
            )
            for unit in units
        )
        _move(request, Status.FULFILLED, by=by)
    return loans


def _ensure_id_held(user_id, *, by, storage_label):
    if IDCollateral.objects.held().filter(user_id=user_id).exists():
        return
    storage_label = (storage_label or "").strip()
    if not storage_label:
        raise ValidationError(
            "The desk holds no ID for this participant: take their ID and say where it is stored.",
            code="id_required",
        )
    IDCollateral.objects.create(user_id=user_id, storage_label=storage_label[:40], taken_by=by)


def _pick_units(entry, *, quantity, unit_ids):
    free = (
        Unit.objects.filter(entry=entry, condition=Condition.OK)
        .exclude(unit_is_lent())
        .order_by("asset_tag")
        .select_for_update()
    )
    if unit_ids:
        unit_ids = {int(pk) for pk in unit_ids}
        if len(unit_ids) != quantity:
            raise ValidationError(f"Pick exactly {quantity} unit(s).", code="unit_count")
        units = list(free.filter(pk__in=unit_ids))
        if len(units) != quantity:
            raise ValidationError(
                "Some of those units are not on the shelf (lent, damaged or another item's).",
                code="unit_unavailable",
            )
        return units
    units = list(free[:quantity])
    if len(units) < quantity:
        raise ValidationError(
            f"Only {len(units)} {entry} on the shelf for {quantity} requested.", code="no_units"
        )
    return units


@dataclass
class ReturnOutcome:
    loan: Loan
    give_back_id: IDCollateral | None


def return_loan(*, loan, by, condition=Condition.OK, notes=""):
    """Take a unit back. Says which ID to give back when it was the participant's last item."""
    if condition not in (Condition.OK, Condition.DAMAGED, Condition.LOST):
        raise ValidationError("A returned unit is OK, damaged or lost.")
    with transaction.atomic():
        entry_id = Unit.objects.values_list("entry_id", flat=True).get(pk=loan.unit_id)
        entry = _lock_entry(entry_id)
        loan = Loan.objects.select_for_update().select_related("unit").get(pk=loan.pk)
        if loan.returned_at is not None:
            raise ValidationError(
                f"{loan.unit} was already returned "
                f"at {timezone.localtime(loan.returned_at):%H:%M}.",
                code="already_returned",
            )
        loan.returned_at = timezone.now()
        loan.returned_to = by
        loan.return_condition = condition
        loan.save(update_fields=["returned_at", "returned_to", "return_condition"])
        if condition != Condition.OK:
            note = f"{condition} on return from {loan.user_id and loan.user}"
            Unit.objects.filter(pk=loan.unit_id).update(
                condition=condition, notes=(loan.unit.notes + "\n" + note).strip()
            )
        if loan.request_id and not Loan.objects.open().filter(request_id=loan.request_id).exists():
            request = Request.objects.select_for_update().get(pk=loan.request_id)
            _move(request, Status.RETURNED, by=by)
        give_back = None
        if not Loan.objects.open().filter(user_id=loan.user_id).exists():
            give_back = IDCollateral.objects.held().filter(user_id=loan.user_id).first()
        if condition == Condition.OK:
            _promote_waitlist(entry, by=by)
        live.changed(loan.user_id)
    return ReturnOutcome(loan=loan, give_back_id=give_back)


def return_unit(*, unit, by, condition=Condition.OK):
    """Return by asset tag: the desk scans a unit without looking up its loan."""
    loan = Loan.objects.open().filter(unit=unit).first()
    if loan is None:
        raise ValidationError(f"{unit} is not lent out.", code="not_lent")
    return return_loan(loan=loan, by=by, condition=condition)


def _promote_waitlist(entry, *, by):
    """Move waitlisted requests up, first come first served, while the shelf covers them.

    Call with the entry locked. With auto-approve on they become ready for pickup at once.
    """
    event = EventSettings.load()
    if not event.waitlist_enabled:
        return []
    room = _available(entry.pk) - _awaiting_approval(entry)
    promoted = []
    queue = Request.objects.filter(entry=entry, status=Status.WAITLISTED).order_by("pk")
    for request in queue.select_for_update():
        if request.quantity > room:
            break  # first come, first served: nobody overtakes the head of the queue
        if event.waitlist_auto_approve:
            _approve_locked(request, by=by, note="approved from the waitlist")
        else:
            _move(request, Status.SUBMITTED, by=by, note="moved up from the waitlist")
        room -= request.quantity
        promoted.append(request)
    return promoted


def expire_overdue_pickups(*, by=None, now=None):
    """Expire approved requests not picked up in time and offer their units to the next in line.

    Stock already ignores lapsed reservations; this records the change and moves the queue.
    Returns how many expired.
    """
    now = now or timezone.now()
    overdue = Request.objects.filter(status=Status.APPROVED, pickup_deadline__lt=now)
    expired = 0
    for request_id in overdue.values_list("pk", flat=True):
        with transaction.atomic():
            request = _lock_request(request_id)
            if request.status != Status.APPROVED or request.pickup_deadline >= now:
                continue  # picked up or changed meanwhile
            _move(request, Status.EXPIRED, by=by, note="not picked up in time")
            _promote_waitlist(request.entry, by=by)
            expired += 1
    return expired


def promote_all_waitlists(*, by=None):
    """Move every waitlist up as far as stock allows (after units are added, say)."""
    promoted = []
    entry_ids = (
        Request.objects.filter(status=Status.WAITLISTED)
        .values_list("entry_id", flat=True)
        .distinct()
    )
    for entry_id in list(entry_ids):
        with transaction.atomic():
            promoted += _promote_waitlist(_lock_entry(entry_id), by=by)
    return promoted


# Lottery ---------------------------------------------------------------------------------------


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
    seed and inputs are stored so the draw can be audited and re-run.
    """
    event = EventSettings.load()
    with transaction.atomic():
        entry = _lock_entry(entry.pk)
        if entry.kind != Kind.LOTTERY:
            raise ValidationError(f"{entry} is not a lottery entry.", code="not_lottery")
        entrants = list(
            Request.objects.filter(entry=entry, status=Status.SUBMITTED)
            .order_by("pk")
            .select_for_update()
        )
        if not entrants:
            raise ValidationError(f"Nobody has entered the lottery for {entry}.", code="empty")
        stock = _available(entry.pk)
        seed = secrets.randbits(62) if seed is None else int(seed)
        pairs = [[request.pk, request.quantity] for request in entrants]
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
        for request in entrants:
            request.entry = entry
            if request.pk in winning:
                _move_lottery(request, draw, by=by, won=True)
            elif event.lottery_deny_losers:
                _move_lottery(request, draw, by=by, won=False)
        if event.lottery_close_when_run:
            Entry.objects.filter(pk=entry.pk).update(kind=Kind.CHECKOUT)
    return draw


def _move_lottery(request, draw, *, by, won):
    now = timezone.now()
    if won:
        event = EventSettings.load()
        _move(
            request,
            Status.APPROVED,
            by=by,
            note=f"won lottery draw #{draw.pk}",
            approved_at=now,
            pickup_deadline=now + timedelta(minutes=event.pickup_expiry_minutes),
            lottery_draw=draw,
        )
    else:
        _move(
            request,
            Status.DENIED,
            by=by,
            note=f"not drawn in lottery #{draw.pk}",
            lottery_draw=draw,
        )
    transaction.on_commit(lambda: emails.send_lottery_result(request.pk, won=won))


def run_all_lotteries(*, by):
    """Run every lottery entry that has entrants. Returns (draws, errors)."""
    draws, errors = [], []
    entry_ids = (
        Request.objects.filter(entry__kind=Kind.LOTTERY, status=Status.SUBMITTED)
        .values_list("entry_id", flat=True)
        .distinct()
    )
    for entry in Entry.objects.filter(pk__in=list(entry_ids)).order_by("name"):
        try:
            draws.append(run_lottery(entry=entry, by=by))
        except ValidationError as exc:
            errors.append(f"{entry}: {' '.join(exc.messages)}")
    return draws, errors


# ID collateral ---------------------------------------------------------------------------------


def take_id(*, user, by, storage_label):
    storage_label = (storage_label or "").strip()
    if not storage_label:
        raise ValidationError("Say where the ID is stored (slot or envelope label).")
    try:
        with transaction.atomic():
            collateral = IDCollateral.objects.create(
                user=user, storage_label=storage_label[:40], taken_by=by
            )
            live.changed(user.pk)
            return collateral
    except IntegrityError:
        raise ValidationError(
            "The desk already holds this participant's ID.", code="id_already_held"
        ) from None


def return_id(*, collateral, by):
    """Give an ID back; refused while the participant still holds items that need it."""
    with transaction.atomic():
        collateral = IDCollateral.objects.select_for_update().get(pk=collateral.pk)
        if collateral.returned_at is not None:
            raise ValidationError("That ID was already given back.", code="id_already_returned")
        holding = Loan.objects.open().filter(user_id=collateral.user_id).count()
        if holding:
            raise ValidationError(
                f"They still hold {holding} item(s): take those back before giving the ID back.",
                code="still_holding",
            )
        collateral.returned_at = timezone.now()
        collateral.returned_by = by
        collateral.save(update_fields=["returned_at", "returned_by"])
        live.changed(collateral.user_id)
    return collateral


# Free items ------------------------------------------------------------------------------------


def record_handout(*, entry, quantity, by, user=None):
    """Free items given away at the desk: counted stock goes down, or tagged units retire."""
    if not isinstance(quantity, int) or quantity < 1:
        raise ValidationError("Hand out at least one.")
    with transaction.atomic():
        entry = _lock_entry(entry.pk)
        if entry.kind != Kind.FREE:
            raise ValidationError(f"{entry} is not a free item: it goes through a request.")
        if entry.is_counted:
            if entry.counted_stock < quantity:
                raise ValidationError(f"Only {entry.counted_stock} {entry} left.")
            Entry.objects.filter(pk=entry.pk).update(counted_stock=F("counted_stock") - quantity)
        else:
            units = _pick_units(entry, quantity=quantity, unit_ids=None)
            Unit.objects.filter(pk__in=[unit.pk for unit in units]).update(
                condition=Condition.RETIRED, notes=f"Handed out {timezone.now():%Y-%m-%d %H:%M}"
            )
        handout = Handout.objects.create(entry=entry, quantity=quantity, user=user, by=by)
        live.changed(user.pk if user else None)
    return handout
