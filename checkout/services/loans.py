"""Handing out approved requests, taking units back, and when they are due back."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.teams import lock_member
from core.models import EventSettings
from inventory.models import Condition, Kind, Unit

from ..models import HardwareRequest, IDCollateral, Loan, NotificationKind, Status
from ..notifications import notify
from ..stock import units_on_shelf
from ..teams import check_within_limit
from .collateral import ensure_id_held, id_to_give_back
from .transitions import available, lock_entry, lock_request, move, refuse
from .waitlist import promote_waitlist

# Checkout and lottery items are lent against the participant's ID.
ID_KINDS = {Kind.CHECKOUT, Kind.LOTTERY}
# A due time further ahead than this is a mistyped date, not the end of an event.
LONGEST_DUE_AHEAD = timedelta(days=30)

logger = logging.getLogger(__name__)


def fulfil_request(*, hardware_request, by, unit_ids=None, id_storage_label="", late_ok=False):
    """Hand out an approved request: one loan per unit. Returns the loans.

    Checkout and lottery items need the participant's ID at the desk: if none is held,
    `id_storage_label` records where it is stored now. `unit_ids` picks units; without it the
    first free units by asset tag are taken. A request past its pickup deadline is handed out
    only with `late_ok` (the organiser saw it is late), and its history says how late.
    """
    with transaction.atomic():
        hardware_request = lock_request(hardware_request.pk)
        if hardware_request.status != Status.APPROVED:
            if hardware_request.status == Status.FULFILLED:
                last = hardware_request.events.filter(to_status=Status.FULFILLED)
                last = last.select_related("by").last()
                who = f" by {last.by}" if last and last.by else ""
                raise ValidationError(
                    f"Request #{hardware_request.pk} was already handed out{who}.",
                    code="already_fulfilled",
                )
            refuse(hardware_request, Status.FULFILLED)
        entry = hardware_request.entry
        # Normally within the limit since it was requested; not if the limit was lowered.
        check_within_limit(hardware_request, team=lock_member(hardware_request.user_id))
        now = timezone.now()
        lapsed = hardware_request.pickup_deadline and hardware_request.pickup_deadline < now
        # A lapsed reservation no longer holds units: hand out only if the shelf still covers it.
        if lapsed and available(entry.pk) < hardware_request.quantity:
            raise ValidationError(
                f"Request #{hardware_request.pk} passed its pickup deadline and its units "
                "went to others.",
                code="expired",
            )
        if lapsed and not late_ok:
            raise ValidationError(
                f"Request #{hardware_request.pk} passed its pickup deadline "
                f"{minutes_late(hardware_request, now)} min ago: confirm to hand it out anyway.",
                code="late_pickup",
            )
        if entry.kind in ID_KINDS:
            ensure_id_held(hardware_request.user_id, by=by, storage_label=id_storage_label)
        units = pick_units(entry, quantity=hardware_request.quantity, unit_ids=unit_ids)
        event = EventSettings.load()
        due_at = event.default_due_back or now + timedelta(hours=event.loan_duration_hours)
        loans = Loan.objects.bulk_create(
            Loan(
                unit=unit,
                user_id=hardware_request.user_id,
                request=hardware_request,
                lent_by=by,
                lent_at=now,
                due_at=due_at,
            )
            for unit in units
        )
        note = (
            f"handed out {minutes_late(hardware_request, now)} min after its pickup deadline"
            if lapsed
            else ""
        )
        move(hardware_request, Status.FULFILLED, by=by, note=note)
    return loans


def minutes_late(hardware_request, now):
    """Whole minutes past the pickup deadline, at least 1 once it has passed."""
    return max(1, int((now - hardware_request.pickup_deadline).total_seconds() // 60))


def pick_units(entry, *, quantity, unit_ids):
    """Lock `quantity` units on the shelf: the ones chosen, or the first by asset tag."""
    free = units_on_shelf(entry).select_for_update()
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
    # The unit's condition before an OK return put it back in service, when it was not OK
    # (set while lent, before the admin refused such edits): the desk says so.
    restored_from: str = ""

    def messages(self):
        """What the desk and the admin tell the organiser: [(level, text)], level being
        "success" or "warning"."""
        unit, user = self.loan.unit, self.loan.user
        said = {
            Condition.OK: f"{unit} is back from {user}.",
            Condition.DAMAGED: f"{unit} came back damaged from {user}: it is out of service "
            "until someone repairs it.",
            Condition.LOST: f"{unit} is recorded as lost by {user}; their loan of it is closed.",
        }
        told = [("success", said[self.loan.return_condition])]
        if self.restored_from:
            told.append(
                (
                    "warning",
                    f"{unit} had been marked {Condition(self.restored_from).label.lower()} "
                    "while lent; it is back in service now.",
                )
            )
        if self.give_back_id:
            told.append(
                (
                    "warning",
                    f"That was {user}'s last item: give back their ID from "
                    f"{self.give_back_id.storage_label}.",
                )
            )
        return told


def return_loan(*, loan, by, condition=Condition.OK):
    """Take a unit back. Says which ID to give back when it was the participant's last item.
    The participant is emailed a receipt (EMAIL_BATCH_SECONDS later, with any other units
    they return meanwhile and whether their ID was given back)."""
    if condition not in (Condition.OK, Condition.DAMAGED, Condition.LOST):
        raise ValidationError("A returned unit is OK, damaged or lost.")
    with transaction.atomic():
        entry_id = Unit.objects.values_list("entry_id", flat=True).get(pk=loan.unit_id)
        entry = lock_entry(entry_id)
        loan = (
            Loan.objects.select_for_update(of=("self", "unit"))
            .select_related("unit", "user")
            .get(pk=loan.pk)
        )
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
        restored_from = ""
        if condition != loan.unit.condition:
            note = f"{Condition(condition).label} on return from {loan.user_id and loan.user}"
            if condition == Condition.OK:
                restored_from = loan.unit.condition
                note = f"{Condition(restored_from).label} while lent; returned OK"
            Unit.objects.filter(pk=loan.unit_id).update(
                condition=condition, notes=(loan.unit.notes + "\n" + note).strip()
            )
        if loan.request_id and not Loan.objects.open().filter(request_id=loan.request_id).exists():
            finished = HardwareRequest.objects.select_for_update().get(pk=loan.request_id)
            move(finished, Status.RETURNED, by=by)
        notify(NotificationKind.RETURNED, [loan])
        give_back = id_to_give_back(loan.user_id)
        if condition == Condition.OK:
            promote_waitlist(entry, by=by)
    return ReturnOutcome(loan=loan, give_back_id=give_back, restored_from=restored_from)


def return_unit(*, unit, by, condition=Condition.OK):
    """Return by asset tag: the desk scans a unit without looking up its loan."""
    loan = Loan.objects.open().filter(unit=unit).first()
    if loan is None:
        raise ValidationError(f"{unit} is not lent out.", code="not_lent")
    return return_loan(loan=loan, by=by, condition=condition)


def set_due_back(*, due_at, by, for_new_loans=True):
    """Make every open loan due back at `due_at` (e.g. the end of hacking, Sunday 09:00);
    returned loans keep theirs. With `for_new_loans`, loans handed out from now on are due
    then too (the event's default due-back time). Returns how many loans changed.

    A time in the past, or more than LONGEST_DUE_AHEAD away, is refused and changes nothing.
    One transaction: the open loans are locked in id order (a hand-out or return at another
    desk waits, and a loan returned meanwhile is left alone), then updated with the setting.
    The change is recorded in the admin's history of the event settings (who, when, how
    many loans, the new time), in the same transaction: "Recent actions" shows it.
    """
    now = timezone.now()
    if due_at <= now:
        raise ValidationError(
            f"{timezone.localtime(due_at):%a %d %b %H:%M} has passed: choose a time to come.",
            code="due_in_past",
        )
    if due_at > now + LONGEST_DUE_AHEAD:
        raise ValidationError(
            f"{timezone.localtime(due_at):%a %d %b %Y %H:%M} is more than "
            f"{LONGEST_DUE_AHEAD.days} days away: check the date.",
            code="due_too_far",
        )
    with transaction.atomic():
        locked = Loan.objects.open().order_by("pk").select_for_update()
        changed = Loan.objects.filter(pk__in=list(locked.values_list("pk", flat=True))).update(
            due_at=due_at
        )
        event = EventSettings.load()
        if for_new_loans:
            event.default_due_back = due_at
            event.save(update_fields=["default_due_back"])
        _record_due_back(event, by, changed, due_at, for_new_loans)
    logger.info("%s made %d open loan(s) due back at %s", by, changed, due_at.isoformat())
    return changed


def _record_due_back(event, by, changed, due_at, for_new_loans):
    when = f"{timezone.localtime(due_at):%a %d %b %Y %H:%M}"
    message = f"Made {changed} open loan(s) due back at {when}"
    if for_new_loans:
        message += "; loans handed out from now on are due then too"
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[event],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )
