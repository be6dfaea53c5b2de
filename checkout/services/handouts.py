"""Free items given away at the desk."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from inventory.models import Condition, Entry, Kind, Unit

from ..models import Handout
from .loans import pick_units
from .transitions import lock_entry


def record_handout(*, entry, quantity, by, user=None):
    """Free items given away at the desk: counted stock goes down, or tagged units retire."""
    if not isinstance(quantity, int) or quantity < 1:
        raise ValidationError("Hand out at least one.")
    with transaction.atomic():
        entry = lock_entry(entry.pk)
        if entry.kind != Kind.FREE:
            raise ValidationError(f"{entry} is not a free item: it goes through a request.")
        if entry.is_counted:
            if entry.counted_stock < quantity:
                raise ValidationError(f"Only {entry.counted_stock} {entry} left.")
            Entry.objects.filter(pk=entry.pk).update(counted_stock=F("counted_stock") - quantity)
        else:
            units = pick_units(entry, quantity=quantity, unit_ids=None)
            Unit.objects.filter(pk__in=[unit.pk for unit in units]).update(
                condition=Condition.RETIRED, notes=f"Handed out {timezone.now():%Y-%m-%d %H:%M}"
            )
        return Handout.objects.create(entry=entry, quantity=quantity, user=user, by=by)
