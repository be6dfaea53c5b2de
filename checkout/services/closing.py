"""Closing the event, and opening the next on the same inventory.

`close_event` is one transaction. It first locks every entry row, in the order every desk
service takes them (transitions.py), so a hand-out or request in progress finishes first and
none starts until the archive is made. It then checks that the close-out report reconciles:
no unit still out, no ID still held, every entry's units adding up. If not, it closes only
with an override reason, and the reason and what was outstanding are kept with the archive.
Units still out at such a close are written off as lost (noted on the unit), so the next
event starts from what is on the shelf.

It copies the event's requests (with their history), loans, ID ledger, lottery draws,
hand-outs and CV consents into the past-event tables (checkout/archive/), deletes them from
the live tables, purges CVs if the event's policy says so (files deleted after commit), clears
each participant's table and dissolves the teams (where they sit and whom they built with are
the event's, their account is theirs), and starts the next event under its new name with the
same settings otherwise: due-back and draw times cleared. Inventory, units and their
conditions, and accounts carry over.
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone

from accounts.cvs import purge_on_commit
from accounts.models import CV, Team
from core.models import CVPolicy, EventSettings
from inventory.models import Condition, Entry, Unit

from .. import closeout
from ..models import (
    Handout,
    HardwareRequest,
    IDCollateral,
    Loan,
    LotteryCommitment,
    LotteryDraw,
    Notification,
    PastCVConsent,
    PastDraw,
    PastEvent,
    PastHandout,
    PastIDHold,
    PastLoan,
    PastRequest,
    RequestEvent,
)

BATCH = 2000
RECONCILIATION_FIELDS = ["name", "units_total", "out", "on_shelf", "damaged_or_lost", "retired"]


def outstanding():
    """What stops the event closing cleanly: {"units_out", "ids_held", "unbalanced_entries"}
    (entry names). Empty values everywhere means the close-out report reconciles. 2 queries."""
    figures = closeout.figures()
    unbalanced = closeout.reconciliation().filter(balances=False).values_list("name", flat=True)
    return {
        "units_out": figures["out"],
        "ids_held": figures["ids_held"],
        "unbalanced_entries": list(unbalanced),
    }


def describe(left):
    """`outstanding()` in words, for the refusal and the desk page."""
    parts = []
    if left["units_out"]:
        parts.append(f"{left['units_out']} unit(s) still out")
    if left["ids_held"]:
        parts.append(f"{left['ids_held']} ID(s) still held")
    if left["unbalanced_entries"]:
        parts.append("units not adding up for " + ", ".join(left["unbalanced_entries"]))
    return "; ".join(parts)


def close_event(*, by, next_name, override_reason=""):
    """Archive the event and open the next, named `next_name`. Returns the PastEvent.

    Refused, changing nothing, if the next event has no name or the close-out report does not
    reconcile and no `override_reason` is given."""
    next_name, reason = (next_name or "").strip(), (override_reason or "").strip()
    if not next_name:
        raise ValidationError("Name the next event.", code="no_name")
    with transaction.atomic():
        list(Entry.objects.order_by("pk").select_for_update().values_list("pk", flat=True))
        event = EventSettings.objects.select_for_update().filter(pk=1).first() or (
            EventSettings.load()
        )
        if next_name.casefold() == event.name.strip().casefold():
            raise ValidationError(
                f"The next event needs a name other than “{event.name}”.", code="same_name"
            )
        left = outstanding()
        reconciled = not describe(left)
        if not reconciled and not reason:
            raise ValidationError(
                f"The close-out report does not reconcile: {describe(left)}. Bring everything "
                "back first, or give a reason to close anyway.",
                code="not_reconciled",
            )
        now = timezone.now()
        past = PastEvent.objects.create(
            name=event.name,
            opened_at=event.opened_at,
            closed_at=now,
            closed_by=by,
            closed_by_email=by.email,
            reconciled=reconciled,
            override_reason="" if reconciled else reason,
            outstanding={} if reconciled else left,
            figures=closeout.figures(),
            reconciliation=list(closeout.reconciliation().values(*RECONCILIATION_FIELDS)),
            settings=serializers.serialize("python", [event])[0]["fields"],
        )
        _archive_requests(past)
        _archive_loans(past)
        _archive_ids(past)
        _archive_draws(past)
        _archive_handouts(past)
        past.cvs_purged = _archive_consents(past, purge=event.cv_policy == CVPolicy.PURGE)
        past.save(update_fields=["cvs_purged"])
        _write_off_units_still_out(past)
        _clear_live_tables()
        people = get_user_model().objects
        people.filter(Q(team__isnull=False) | ~Q(location="")).update(location="", team=None)
        Team.objects.all().delete()
        event.name, event.opened_at = next_name, now
        event.default_due_back = event.lottery_draws_at = None
        event.save()
    return past


def _person(user):
    return {"user_id": user.pk, "email": user.email, "name": user.name} if user else {}


def _create(model, rows):
    model.objects.bulk_create(rows, batch_size=BATCH)


def _archive_requests(past):
    history = defaultdict(list)
    events = RequestEvent.objects.order_by("at", "pk").values_list(
        "request_id", "from_status", "to_status", "at", "by__email", "note"
    )
    for request_id, old, new, at, by, note in events.iterator(chunk_size=BATCH):
        history[request_id].append(
            {"from": old, "to": new, "at": at.isoformat(), "by": by or "", "note": note}
        )
    requests = HardwareRequest.objects.select_related("user__team", "entry").order_by("pk")
    _create(
        PastRequest,
        (
            PastRequest(
                event=past,
                original_id=r.pk,
                **_person(r.user),
                entry_name=r.entry.name,
                entry_kind=r.entry.kind,
                quantity=r.quantity,
                proposal=r.proposal,
                status=r.status,
                table=r.user.location,
                team=r.user.team.name if r.user.team else "",
                created_at=r.created_at,
                history=history.get(r.pk, []),
            )
            for r in requests.iterator(chunk_size=BATCH)
        ),
    )


def _archive_loans(past):
    loans = Loan.objects.select_related("user", "unit__entry").order_by("pk")
    _create(
        PastLoan,
        (
            PastLoan(
                event=past,
                original_id=loan.pk,
                **_person(loan.user),
                entry_name=loan.unit.entry.name,
                asset_tag=loan.unit.asset_tag,
                lent_at=loan.lent_at,
                due_at=loan.due_at,
                returned_at=loan.returned_at,
                return_condition=loan.return_condition,
                request_id=loan.request_id,
            )
            for loan in loans.iterator(chunk_size=BATCH)
        ),
    )


def _archive_ids(past):
    ledger = IDCollateral.objects.select_related("user").order_by("pk")
    _create(
        PastIDHold,
        (
            PastIDHold(
                event=past,
                original_id=held.pk,
                **_person(held.user),
                storage_label=held.storage_label,
                taken_at=held.taken_at,
                returned_at=held.returned_at,
            )
            for held in ledger.iterator(chunk_size=BATCH)
        ),
    )


def _archive_draws(past):
    draws = LotteryDraw.objects.select_related("entry", "run_by").order_by("pk")
    _create(
        PastDraw,
        (
            PastDraw(
                event=past,
                original_id=draw.pk,
                **_person(draw.run_by),
                entry_name=draw.entry.name,
                seed=draw.seed,
                commitment=draw.commitment,
                stock=draw.stock,
                entrants=draw.entrants,
                winners=draw.winners,
                options=draw.options,
                run_at=draw.run_at,
            )
            for draw in draws
        ),
    )


def _archive_handouts(past):
    handouts = Handout.objects.select_related("entry", "user").order_by("pk")
    _create(
        PastHandout,
        (
            PastHandout(
                event=past,
                original_id=handout.pk,
                **_person(handout.user),
                entry_name=handout.entry.name,
                quantity=handout.quantity,
                at=handout.at,
            )
            for handout in handouts.iterator(chunk_size=BATCH)
        ),
    )


def _archive_consents(past, *, purge):
    """Every CV consent is archived; with `purge`, the CVs go (files after commit)."""
    cvs = CV.objects.select_related("user").order_by("pk")
    _create(
        PastCVConsent,
        [
            PastCVConsent(
                event=past,
                original_id=cv.pk,
                **_person(cv.user),
                consent_at=cv.consent_at,
                consent_text=cv.consent_text,
                uploaded_at=cv.uploaded_at,
                purged=purge,
            )
            for cv in cvs
        ],
    )
    return purge_on_commit() if purge else 0


def _write_off_units_still_out(past):
    """Units not back when the event closed with an override: lost, with a note saying so."""
    out = Loan.objects.open().values("unit_id")
    note = f"Not returned when {past.name} closed ({past.closed_at:%Y-%m-%d}). "
    Unit.objects.filter(pk__in=out).update(
        condition=Condition.LOST, notes=Concat(Value(note), F("notes"))
    )


def _clear_live_tables():
    """In the order the foreign keys need (loans point to requests, notifications to both)."""
    for model in (
        Notification,
        RequestEvent,
        Loan,
        IDCollateral,
        Handout,
        HardwareRequest,
        LotteryDraw,
        LotteryCommitment,
    ):
        model.objects.all().delete()
