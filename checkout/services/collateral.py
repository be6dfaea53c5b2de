"""The ID ledger: the desk holds a participant's ID while they hold checkout items."""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import IDCollateral, Loan


def ensure_id_held(user_id, *, by, storage_label):
    """Inside a hand-out: record the ID taken now, unless the desk already holds one."""
    if IDCollateral.objects.held().filter(user_id=user_id).exists():
        return
    if not (storage_label or "").strip():
        raise ValidationError(
            "The desk holds no ID for this participant: take their ID and say where it is stored.",
            code="id_required",
        )
    _store_id(user_id, by=by, storage_label=storage_label)


def id_to_give_back(user_id):
    """The ID the desk holds for someone who holds nothing now, or None. Two queries."""
    if Loan.objects.open().filter(user_id=user_id).exists():
        return None
    return IDCollateral.objects.held().filter(user_id=user_id).first()


def take_id(*, user, by, storage_label):
    if not (storage_label or "").strip():
        raise ValidationError("Say where the ID is stored (slot or envelope label).")
    if IDCollateral.objects.held().filter(user=user).exists():
        raise ValidationError(
            "The desk already holds this participant's ID.", code="id_already_held"
        )
    return _store_id(user.pk, by=by, storage_label=storage_label)


def _store_id(user_id, *, by, storage_label):
    """Record an ID in a slot; one ID per slot, so the desk finds the right one to give back
    (a slot that differs only in case or spaces is the same slot)."""
    storage_label = storage_label.strip()[:40]
    occupant = (
        IDCollateral.objects.held()
        .filter(storage_label__iexact=storage_label)
        .select_related("user")
        .first()
    )
    if occupant is not None:
        raise ValidationError(
            f"{occupant.storage_label} already holds {occupant.user}'s ID: "
            "put this one in another slot.",
            code="slot_taken",
        )
    try:
        with transaction.atomic():
            return IDCollateral.objects.create(
                user_id=user_id, storage_label=storage_label, taken_by=by
            )
    except IntegrityError:  # someone at the other desk was quicker
        raise ValidationError(
            f"{storage_label} or this participant's ID was just recorded at another desk: "
            "check the ledger and try again.",
            code="id_conflict",
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
    return collateral


SLOT = re.compile(r"^(.*?)(\d+)$")


def suggest_slot():
    """The next free ID slot: the lowest free number in the series of the most recent slot,
    in its own style ("Box 1-06" after Box 1-05; B8 when B1-B7 are full), ID-1 on an empty
    desk (not A1, which reads like a table). One query."""
    held = list(
        IDCollateral.objects.held().order_by("-taken_at").values_list("storage_label", flat=True)
    )
    latest = next((m for m in map(SLOT.match, held) if m), None)
    prefix, width = (latest.group(1), len(latest.group(2))) if latest else ("ID-", 1)
    taken = {int(m.group(2)) for m in map(SLOT.match, held) if m and m.group(1) == prefix}
    number = next(n for n in range(1, len(taken) + 2) if n not in taken)
    return f"{prefix}{number:0{width}d}"
