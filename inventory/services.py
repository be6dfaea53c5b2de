"""Writes to the inventory. Views, admin actions, imports and commands all call these."""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .models import Entry, Kind, Unit
from .pictures import delete_files_on_commit

MAX_UNITS_PER_BATCH = 500


def next_asset_tags(*, prefix, count):
    """The next `count` free tags PREFIX-001, PREFIX-002, ... after the highest in use.

    Reads the database (one query).
    """
    pattern = re.compile(rf"{re.escape(prefix)}-(\d+)", re.IGNORECASE)
    used = Unit.objects.filter(asset_tag__istartswith=f"{prefix}-").values_list(
        "asset_tag", flat=True
    )
    start = max((int(m.group(1)) for tag in used if (m := pattern.fullmatch(tag))), default=0) + 1
    width = max(3, len(str(start + count - 1)))
    return [f"{prefix}-{number:0{width}d}" for number in range(start, start + count)]


def add_units(*, entry, count):
    """Add `count` units in OK condition to `entry`, with generated asset tags.

    Locks the entry so that two organisers adding units at once get consecutive tags.
    Returns the new units. Raises ValidationError for a count out of range or a tag clash.
    """
    if not isinstance(count, int) or not 1 <= count <= MAX_UNITS_PER_BATCH:
        raise ValidationError(f"Add between 1 and {MAX_UNITS_PER_BATCH} units at a time.")
    try:
        with transaction.atomic():
            entry = Entry.objects.select_for_update().get(pk=entry.pk)
            if entry.is_counted:
                raise ValidationError(
                    f"{entry} keeps a counted stock; clear it before adding tagged units."
                )
            tags = next_asset_tags(prefix=entry.tag_prefix, count=count)
            units = Unit.objects.bulk_create([Unit(entry=entry, asset_tag=tag) for tag in tags])
            return units
    except IntegrityError as exc:
        raise ValidationError(
            "Another unit took one of the generated asset tags at the same moment; try again."
        ) from exc


def ensure_unit_count(*, entry, count):
    """Add units until `entry` has at least `count` tagged units; never removes any."""
    missing = count - entry.units.count()
    if missing > 0:
        add_units(entry=entry, count=missing)


def set_visibility(*, entries, visible):
    """Show or hide entries in the participant catalogue. Returns how many changed."""
    changed = entries.exclude(is_visible=visible).update(is_visible=visible)
    return changed


def set_kind(*, entries, kind):
    """Turn entries into free, checkout or lottery entries. Returns how many changed."""
    if kind not in Kind.values:
        raise ValidationError(f"Unknown kind {kind!r}.")
    changed = entries.exclude(kind=kind).update(kind=kind)
    return changed


def delete_entries(*, entries):
    """Delete entries (their units go with them) and, after commit, their pictures' files.
    Locks the rows first, so a picture set meanwhile is not left behind. Returns what
    QuerySet.delete() returns."""
    with transaction.atomic():
        rows = Entry.objects.filter(pk__in=entries.values("pk")).select_for_update()
        names = [name for pair in rows.values_list("picture", "thumbnail") for name in pair]
        deleted = rows.delete()
        delete_files_on_commit(names)
    return deleted
