"""The ID ledger: the desk holds a participant's ID while they hold checkout items."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import IDCollateral, Loan


def ensure_id_held(user_id, *, by, storage_label):
    """Inside a hand-out: record the ID taken now, unless the desk already holds one."""
    if IDCollateral.objects.held().filter(user_id=user_id).exists():
        return
    storage_label = (storage_label or "").strip()
    if not storage_label:
        raise ValidationError(
            "The desk holds no ID for this participant: take their ID and say where it is stored.",
            code="id_required",
        )
    IDCollateral.objects.create(user_id=user_id, storage_label=storage_label[:40], taken_by=by)


def take_id(*, user, by, storage_label):
    storage_label = (storage_label or "").strip()
    if not storage_label:
        raise ValidationError("Say where the ID is stored (slot or envelope label).")
    try:
        with transaction.atomic():
            return IDCollateral.objects.create(
                user=user, storage_label=storage_label[:40], taken_by=by
            )
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
    return collateral
