"""The desk's actions (POST only): parse, call one service, say what happened, go back."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from core.redirects import safe_next
from inventory.models import Entry

from .. import services
from ..forms import BatchForm, LoanReturnForm, LotteryRunForm, TakeIDForm
from ..models import HardwareRequest, IDCollateral, Loan


def back(request, fallback="admin:desk"):
    """Back to the page the form was on (`next`), if it is a path on this site; else the desk."""
    target = safe_next(request, request.POST.get("next"))
    return HttpResponseRedirect(target) if target else redirect(fallback)


def _error(request, exc):
    messages.error(request, " ".join(exc.messages))


def _request_action(service, done_message):
    @require_POST
    def action(request, pk):
        hardware_request = get_object_or_404(HardwareRequest, pk=pk)
        try:
            service(hardware_request=hardware_request, by=request.user)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, done_message.format(r=hardware_request))
        return back(request)

    return action


approve = _request_action(services.approve_request, "Approved #{r.pk}: ready for pickup.")
deny = _request_action(services.deny_request, "Denied #{r.pk}.")
cancel = _request_action(services.cancel_request, "Cancelled #{r.pk}.")


@require_POST
def batch(request):
    form = BatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tick at least one request, then choose approve or deny.")
        return back(request)
    chosen = list(
        HardwareRequest.objects.filter(pk__in=form.cleaned_data["requests"]).order_by("pk")
    )
    approving = form.cleaned_data["action"] == "approve"
    service = services.approve_requests if approving else services.deny_requests
    outcome = service(hardware_requests=chosen, by=request.user)
    if outcome.done:
        messages.success(
            request, f"{'Approved' if approving else 'Denied'} {len(outcome.done)} request(s)."
        )
    for error in outcome.errors:
        messages.error(request, error)
    return back(request)


def _record_return(request, take_back):
    """Run a return service call and tell the desk what to do next (give back an ID?)."""
    try:
        outcome = take_back()
    except ValidationError as exc:
        _error(request, exc)
        return back(request)
    for level, text in outcome.messages():
        getattr(messages, level)(request, text)
    return back(request)


@require_POST
def return_loan(request, pk):
    loan = get_object_or_404(Loan, pk=pk)
    form = LoanReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the unit's condition.")
        return back(request)
    condition = form.cleaned_data["condition"]
    return _record_return(
        request, lambda: services.return_loan(loan=loan, by=request.user, condition=condition)
    )


@require_POST
def take_id(request, user_pk):
    person = get_object_or_404(get_user_model(), pk=user_pk)
    form = TakeIDForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say where the ID is stored.")
        return back(request)
    label = form.cleaned_data["storage_label"]
    try:
        services.take_id(user=person, by=request.user, storage_label=label)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, f"Holding {person}'s ID in {label}.")
    return back(request)


@require_POST
def return_id(request, pk):
    collateral = get_object_or_404(IDCollateral.objects.select_related("user"), pk=pk)
    try:
        services.return_id(collateral=collateral, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, f"Gave {collateral.user}'s ID back.")
    return back(request)


def _draw_message(draw):
    return format_html(
        'Lottery for {}: {} winner(s) among {} entrant(s); the seed is revealed. <a href="{}">'
        "See who won</a>.",
        draw.entry,
        len(draw.winners),
        len(draw.entrants),
        reverse("admin:checkout_lotterydraw_change", args=[draw.pk]),
    )


@require_POST
def run_lottery(request, pk):
    entry = get_object_or_404(Entry, pk=pk)
    form = LotteryRunForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("seed", []):
            messages.error(request, f"No draw for {entry}: {error}")
        return back(request)
    try:
        draw = services.run_lottery(
            entry=entry, by=request.user, seed=form.cleaned_data["seed"] or None
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _draw_message(draw))
    return back(request)


@require_POST
def run_all_lotteries(request):
    draws, errors = services.run_all_lotteries(by=request.user)
    for draw in draws:
        messages.success(request, _draw_message(draw))
    for error in errors:
        messages.error(request, error)
    if not draws and not errors:
        messages.info(request, "No lottery has entrants.")
    return back(request)


@require_POST
def housekeeping(request):
    done = services.housekeeping(by=request.user)
    messages.success(
        request,
        f"{done.expired} pickup(s) expired; {len(done.promoted)} waitlisted request(s) moved up; "
        f"{done.overdue} newly overdue loan(s) emailed; {done.due_soon} reminded they are due "
        "back soon.",
    )
    return back(request)
