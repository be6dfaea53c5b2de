"""Participants ask for hardware and withdraw; organisers approve and deny."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.teams import lock_member
from core.models import EventSettings
from inventory.models import Kind

from ..models import HardwareRequest, NotificationKind, RequestEvent, Status
from ..notifications import notify, one_email_each
from ..teams import check_new_request, check_within_limit
from .lottery import commit_if_none
from .transitions import (
    approve_locked,
    available,
    lock_entry,
    lock_request,
    move,
    refuse,
    stock_of,
)
from .waitlist import promote_waitlist


def submit_request(*, user, entry, quantity, proposal=""):
    """A participant asks for `quantity` units of `entry`.

    Checkout entries beyond what the catalogue shows as left (on the shelf less what earlier
    requests, pending or waitlisted, wait for) go on the waitlist, first come first served,
    when the waitlist is on. A lottery's first entrant fixes the seed of its next draw (its
    hash is shown from then on), unless the organisers committed one already.

    A member of a team is also held to the entry's per-team limit and its one-entry-per-team
    lottery rule, checked with the entry, the user and the team locked (in that order), so
    teammates asking at the same moment are counted one after the other.
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
            entry = lock_entry(entry.pk)
            team = lock_member(user.pk)
            check_requestable(entry, user=user, quantity=quantity, proposal=proposal, event=event)
            check_new_request(entry, team=team, quantity=quantity)
            status = Status.SUBMITTED
            if entry.kind == Kind.CHECKOUT:
                status = status_for_new_checkout_request(entry, quantity=quantity, event=event)
            if entry.kind == Kind.LOTTERY:
                commit_if_none(entry)
            hardware_request = HardwareRequest.objects.create(
                user=user, entry=entry, quantity=quantity, proposal=proposal, status=status
            )
            RequestEvent.objects.create(request=hardware_request, to_status=status, by=user)
            return hardware_request
    except IntegrityError:
        raise ValidationError(
            "You already have an open request for this item.", code="duplicate"
        ) from None


def check_requestable(entry, *, user, quantity, proposal, event):
    if not entry.is_visible:
        raise ValidationError("This item is not available.")
    if entry.kind == Kind.FREE or entry.is_counted:
        raise ValidationError("Free items need no request: pick them up at the desk.")
    if not isinstance(quantity, int) or not 1 <= quantity <= entry.max_request_quantity:
        raise ValidationError(f"Ask for between 1 and {entry.max_request_quantity}.")
    open_requests = HardwareRequest.objects.open().filter(user=user)
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


def status_for_new_checkout_request(entry, *, quantity, event):
    """Submitted while what the catalogue shows as left covers it (the same figure,
    `stock_requestable`), else waitlisted (or refused with no waitlist)."""
    if stock_of(entry.pk, "stock_requestable") >= quantity:
        return Status.SUBMITTED
    if event.waitlist_enabled:
        return Status.WAITLISTED
    raise ValidationError(f"No {entry} left right now.", code="out_of_stock")


def cancel_request(*, hardware_request, by):
    """The participant (or an organiser) withdraws an open request."""
    with transaction.atomic():
        hardware_request = lock_request(hardware_request.pk)
        if hardware_request.user_id != by.pk and not by.is_staff:
            raise ValidationError("You can only cancel your own requests.", code="not_yours")
        was = hardware_request.status
        move(hardware_request, Status.CANCELLED, by=by)
        if was in (Status.APPROVED, Status.SUBMITTED):
            promote_waitlist(hardware_request.entry, by=by)
    return hardware_request


def approve_request(*, hardware_request, by, note=""):
    """Reserve stock for a request: it is ready for pickup until its deadline. Refused while
    the requester's team is over the entry's per-team limit."""
    event = EventSettings.load()
    with transaction.atomic():
        hardware_request = lock_request(hardware_request.pk)
        team = lock_member(hardware_request.user_id)
        if hardware_request.status not in (Status.SUBMITTED, Status.WAITLISTED):
            refuse(hardware_request, Status.APPROVED)
        if hardware_request.awaits_draw:
            raise ValidationError(
                f"{hardware_request.entry} is given out by lottery: run the draw rather than "
                "approving one entrant.",
                code="lottery_entrant",
            )
        left = available(hardware_request.entry_id)
        if left < hardware_request.quantity:
            raise ValidationError(
                f"Only {left} {hardware_request.entry} left: "
                f"cannot approve {hardware_request.quantity}.",
                code="out_of_stock",
            )
        check_within_limit(hardware_request, team=team)
        approve_locked(hardware_request, by=by, event=event, note=note)
    return hardware_request


def deny_request(*, hardware_request, by, note=""):
    """Refuse a request (or take back an approval); the participant is emailed."""
    with transaction.atomic():
        hardware_request = lock_request(hardware_request.pk)
        was = hardware_request.status
        move(hardware_request, Status.DENIED, by=by, note=note)
        notify(NotificationKind.DENIED, [hardware_request])
        if was in (Status.APPROVED, Status.SUBMITTED):
            promote_waitlist(hardware_request.entry, by=by)
    return hardware_request


@dataclass
class BatchOutcome:
    done: list
    errors: list


def approve_requests(*, hardware_requests, by):
    """Approve each request in its own transaction; one failure does not undo the others.
    Each participant gets one email about all of theirs."""
    return _batch(approve_request, hardware_requests, by)


def deny_requests(*, hardware_requests, by):
    return _batch(deny_request, hardware_requests, by)


def cancel_requests(*, hardware_requests, by):
    return _batch(cancel_request, hardware_requests, by)


def _batch(action, hardware_requests, by):
    outcome = BatchOutcome(done=[], errors=[])
    with one_email_each():
        for hardware_request in hardware_requests:
            try:
                outcome.done.append(action(hardware_request=hardware_request, by=by))
            except ValidationError as exc:
                outcome.errors.append(f"#{hardware_request.pk}: {' '.join(exc.messages)}")
    return outcome
