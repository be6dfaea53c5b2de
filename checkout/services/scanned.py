"""What a scan at the desk does: hand out the exact units scanned, as the event's rules allow.

The scan-first desk (checkout/desk/scan.py) reads a participant's badge, then units' asset
tags. A unit scanned for a participant goes out against their ready request for its entry;
with none (a walk-up), the request is made, approved and handed out in one transaction, or
refused with the reason and nothing written.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.teams import lock_member
from core.models import EventSettings
from inventory.models import Condition, Kind, Unit

from ..models import HardwareRequest, Loan, RequestEvent, Status
from ..teams import check_new_request, check_within_limit
from .hardware_requests import check_requestable, status_for_new_checkout_request
from .loans import fulfil_request
from .transitions import available, lock_entry, move

WALK_UP_NOTE = "walk-up at the desk"


def hand_out_units(*, user, units, by, id_storage_label="", late_ok=False):
    """Hand `units` (all of one entry) to `user`. Returns the loans.

    With a ready (approved) request for the entry, the units must be as many as it asks for.
    Otherwise the participant's open request for the entry is approved, or a new one made, for
    that many units, when the entry's rules and stock allow: never for a lottery entry (the
    draw decides), never past people already waiting for the item.
    """
    entry_ids = {unit.entry_id for unit in units}
    if len(entry_ids) != 1:
        raise ValidationError("Scan units of one item at a time.", code="mixed_entries")
    with transaction.atomic():
        entry = lock_entry(entry_ids.pop())
        team = lock_member(user.pk)
        ready = HardwareRequest.objects.filter(
            user=user, entry=entry, status=Status.APPROVED
        ).first()
        if ready is None:
            ready = _approve_walk_up(user, entry, len(units), by=by, team=team)
        elif ready.quantity != len(units):
            raise ValidationError(
                f"{user}'s request is for {ready.quantity} {entry}: scan "
                f"{ready.quantity - len(units)} more.",
                code="scan_more",
            )
        return fulfil_request(
            hardware_request=ready,
            by=by,
            unit_ids=[unit.pk for unit in units],
            id_storage_label=id_storage_label,
            late_ok=late_ok,
        )


def check_walk_up(*, user, entry, quantity, team=None, team_known=False):
    """Why `user` cannot take `quantity` of `entry` as a walk-up now (ValidationError), or
    None. Reads only, so the desk asks before it takes an ID; hand_out_units asks again with
    the entry, user and team locked (passing the locked `team`, `team_known`). Also returns
    the open request it would approve, if any. Per-team limits apply as to any request.
    Reads `user.team`: a query unless the user was fetched with select_related("team")."""
    if not team_known:
        team = user.team
    if entry.kind == Kind.LOTTERY:
        raise ValidationError(
            f"{entry} is given out by lottery: only a drawn winner can take one.",
            code="lottery",
        )
    if not entry.is_visible:
        raise ValidationError(
            f"{entry} is hidden from the catalogue: show it in the admin to hand it out.",
            code="hidden",
        )
    waiting = HardwareRequest.objects.open().filter(user=user, entry=entry).first()
    if waiting is not None and waiting.status == Status.APPROVED:
        return waiting
    if waiting is not None:
        check_within_limit(waiting, team=team)
    if waiting is not None and waiting.quantity != quantity:
        raise ValidationError(
            f"{user} asked for {waiting.quantity} {entry}: scan {waiting.quantity} units.",
            code="scan_more",
        )
    event = EventSettings.load()
    if waiting is None:
        if not user.has_contact_details:
            raise ValidationError(
                f"{user} has no phone number or table in their profile: ask them to add "
                "both on their phone first, so the desk can reach them.",
                code="profile_incomplete",
            )
        check_requestable(entry, user=user, quantity=quantity, proposal="", event=event)
        check_new_request(entry, team=team, quantity=quantity)
        status = status_for_new_checkout_request(entry, quantity=quantity, event=event)
        if status == Status.WAITLISTED:
            raise ValidationError(
                f"Earlier requests are waiting for every {entry} left: they go first.",
                code="others_first",
            )
    if available(entry.pk) < quantity:
        raise ValidationError(
            f"No {entry} free to hand out: the ones on the shelf are kept for people whose "
            "requests are ready.",
            code="out_of_stock",
        )
    return waiting


def _approve_walk_up(user, entry, quantity, *, by, team):
    """Inside hand_out_units' transaction, with the entry, user and team locked: an approved
    request for `quantity` units of `entry`, or a ValidationError saying why not."""
    waiting = check_walk_up(user=user, entry=entry, quantity=quantity, team=team, team_known=True)
    if waiting is None:
        waiting = HardwareRequest.objects.create(
            user=user, entry=entry, quantity=quantity, status=Status.SUBMITTED
        )
        RequestEvent.objects.create(
            request=waiting, to_status=Status.SUBMITTED, by=by, note=WALK_UP_NOTE
        )
    else:
        waiting = HardwareRequest.objects.select_for_update().get(pk=waiting.pk)
    move(waiting, Status.APPROVED, by=by, note=WALK_UP_NOTE, approved_at=timezone.now())
    return waiting


def amend_return(*, loan, condition, by):
    """The unit just returned OK came back damaged or lost after all: record it so."""
    if condition not in (Condition.DAMAGED, Condition.LOST):
        raise ValidationError("Only a damaged or lost unit needs a correction.")
    with transaction.atomic():
        loan = Loan.objects.select_for_update().select_related("unit", "user").get(pk=loan.pk)
        if loan.returned_at is None:
            raise ValidationError(
                f"{loan.unit} is still out: return it first.", code="not_returned"
            )
        if loan.return_condition != Condition.OK:
            raise ValidationError(
                f"{loan.unit}'s return is already recorded as "
                f"{Condition(loan.return_condition).label.lower()}.",
                code="already_amended",
            )
        if Loan.objects.filter(unit_id=loan.unit_id, lent_at__gt=loan.lent_at).exists():
            raise ValidationError(
                f"{loan.unit} has been lent again since: change it in the admin.",
                code="lent_again",
            )
        loan.return_condition = condition
        loan.save(update_fields=["return_condition"])
        label = Condition(condition).label
        unit = Unit.objects.select_for_update().get(pk=loan.unit_id)
        unit.condition = condition
        unit.notes = (
            unit.notes + f"\n{label} on return from {loan.user} (corrected by {by})"
        ).strip()
        unit.save(update_fields=["condition", "notes"])
    return loan
