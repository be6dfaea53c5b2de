"""Participant pages: request hardware, "My hardware", cancel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.badges import badge_code, badge_qr
from accounts.models import Team
from core import live, live_snapshot
from core.models import EventSettings
from core.redirects import safe_next
from inventory.models import Entry, Kind

from .. import services
from ..forms import RequestForm
from ..models import HardwareRequest, IDCollateral, Loan, Status


@login_required
@require_POST
def request_entry(request, pk):
    entry = get_object_or_404(Entry.objects.visible_to(request.user), pk=pk)
    form = RequestForm(request.POST, entry=entry, event=EventSettings.load())
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(entry)
    try:
        hardware_request = services.submit_request(
            user=request.user,
            entry=entry,
            quantity=form.cleaned_data["quantity"],
            proposal=form.cleaned_data.get("proposal", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        if getattr(exc, "code", None) == "profile_incomplete":
            return redirect(f"{reverse('accounts:profile')}?next={entry.get_absolute_url()}")
        return redirect(entry)
    messages.success(request, _submitted_message(hardware_request))
    # From a catalogue card: back to the card, which now shows the request.
    return redirect(safe_next(request, request.POST.get("next")) or "checkout:my_hardware")


def _submitted_message(hardware_request):
    if hardware_request.status == Status.WAITLISTED:
        return f"{hardware_request.entry} is out right now: you are on the waitlist."
    if hardware_request.entry.kind == Kind.LOTTERY:
        return f"You entered the lottery for {hardware_request.entry}. Good luck!"
    return f"Requested {hardware_request.entry}. We will tell you when it is ready for pickup."


@login_required
@require_POST
def cancel(request, pk):
    hardware_request = get_object_or_404(HardwareRequest, pk=pk, user=request.user)
    try:
        services.cancel_request(hardware_request=hardware_request, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Cancelled your request for {hardware_request.entry}.")
    return redirect("checkout:my_hardware")


def my_hardware_context(user):
    """What "My hardware" shows. Queries: requests, loans, ID held (3).

    The version is read first, from the process's snapshot (no query): a change made while
    the rest is read, or not yet in the snapshot, shows at the next poll.
    """
    scope = live.user_scope(user.pk)
    version = live_snapshot.version(scope)
    requests = list(
        HardwareRequest.objects.filter(user=user)
        .select_related("entry", "entry__lottery_commitment")  # a lottery's seed hash
        .with_waitlist_position()
        .order_by("-created_at", "-pk")[:100]
    )
    return {
        "live_url": reverse("checkout:live", args=[live.poll_token(scope)]),
        "live_version": version,
        "requests": requests,
        # What to pick up now, soonest deadline first: the top of the page.
        "ready": sorted(
            (r for r in requests if r.status == Status.APPROVED),
            key=lambda r: (r.pickup_deadline is None, r.pickup_deadline, r.pk),
        ),
        # Overdue first: what to bring back now comes before what can wait.
        "loans": sorted(
            Loan.objects.open().filter(user=user).select_related("unit", "unit__entry"),
            key=lambda loan: (not loan.is_overdue, loan.due_at is None, loan.due_at, loan.pk),
        ),
        "id_held": IDCollateral.objects.held().filter(user=user).first(),
        # Drawn here, with no query: shown at the top when something is ready to pick up.
        "badge": {"code": badge_code(user), "qr": badge_qr(user)},
    }


def team_context(user):
    """The "Your team" section: the team, what teammates asked for and what they hold.
    Queries: none without a team; else the team, requests, loans (3), however many.

    Not part of the live fragment (a teammate's change bumps only their own scope): it is
    as fresh as the page load."""
    if user.team_id is None:
        return {"team": None}
    team = Team.objects.filter(pk=user.team_id).first()
    if team is None:
        return {"team": None}
    teammates = {"user__team": team}
    return {
        "team": team,
        "team_requests": list(
            HardwareRequest.objects.open()
            .filter(**teammates)
            .exclude(user=user)
            .select_related("user", "entry")
            .order_by("entry__name", "pk")[:100]
        ),
        "team_loans": list(
            Loan.objects.open()
            .filter(**teammates)
            .exclude(user=user)
            .select_related("user", "unit__entry")
            .order_by("unit__entry__name", "unit__asset_tag")[:100]
        ),
    }


@login_required
@require_GET
def my_hardware(request):
    # Queries: session, user, version, requests, loans, ID held; in a team, the team, its
    # requests and its loans. The badge costs none.
    context = my_hardware_context(request.user) | team_context(request.user)
    return render(request, "checkout/my_hardware.html", context)
