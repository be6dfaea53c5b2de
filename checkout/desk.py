"""The organiser desk, inside the Django admin site at /admin/desk/.

Thin views: each parses a form, calls one service and redirects back with a message. Pages
fetch everything they show in a fixed number of queries (see the tests' query budgets).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from inventory.models import Condition, Entry, Kind, Unit, count_of

from . import live, services
from .forms import (
    BatchForm,
    FulfilForm,
    HandoutForm,
    LoanReturnForm,
    LotteryRunForm,
    ReturnForm,
    TakeIDForm,
)
from .models import IDCollateral, Loan, Request, Status, unit_is_lent

DESK_PERMISSION = "checkout.change_request"


def urls(site):
    """The desk's URLs, wrapped in the admin site's login and staff checks."""

    def view(func):
        @wraps(func)
        def checked(request, *args, **kwargs):
            if not request.user.has_perm(DESK_PERMISSION):
                raise PermissionDenied
            request.admin_site = site
            return func(request, *args, **kwargs)

        return site.admin_view(checked)

    return [
        path("desk/", view(desk), name="desk"),
        path("desk/participant/<int:pk>/", view(participant), name="desk_participant"),
        path("desk/fulfil/<int:pk>/", view(fulfil), name="desk_fulfil"),
        path("desk/approve/<int:pk>/", view(approve), name="desk_approve"),
        path("desk/deny/<int:pk>/", view(deny), name="desk_deny"),
        path("desk/cancel/<int:pk>/", view(cancel), name="desk_cancel"),
        path("desk/batch/", view(batch), name="desk_batch"),
        path("desk/return/", view(return_by_tag), name="desk_return"),
        path("desk/loan/<int:pk>/return/", view(return_loan), name="desk_return_loan"),
        path("desk/id/take/<int:user_pk>/", view(take_id), name="desk_take_id"),
        path("desk/id/<int:pk>/return/", view(return_id), name="desk_return_id"),
        path("desk/lottery/<int:pk>/run/", view(run_lottery), name="desk_run_lottery"),
        path("desk/lottery/run-all/", view(run_all_lotteries), name="desk_run_all_lotteries"),
        path("desk/handout/", view(handout), name="desk_handout"),
        path("desk/housekeeping/", view(housekeeping), name="desk_housekeeping"),
    ]


def _context(request, **extra):
    return {**request.admin_site.each_context(request), **extra}


def _back(request, fallback="admin:desk"):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _error(request, exc):
    messages.error(request, " ".join(exc.messages))


# Pages -----------------------------------------------------------------------------------------


def desk_queue_context():
    """The live part of the desk. Queries: version, counts, pending, pickup, waitlist, lotteries."""
    version = live.version(live.DESK)
    counts = Request.objects.aggregate(
        pending=Count("pk", filter=Q(status=Status.SUBMITTED) & ~Q(entry__kind=Kind.LOTTERY)),
        pickup=Count("pk", filter=Q(status=Status.APPROVED)),
        waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
    )
    entrants = count_of(Request.objects.filter(entry=OuterRef("pk"), status=Status.SUBMITTED))
    return {
        "live_url": reverse("checkout:live", args=[live.poll_token(live.DESK)]),
        "live_version": version,
        "counts": counts,
        # Lottery entrants wait for their draw, not for an approval.
        "pending": list(
            Request.objects.pending().exclude(entry__kind=Kind.LOTTERY).for_desk()[:100]
        ),
        "pickup": list(Request.objects.awaiting_pickup().for_desk()[:100]),
        "waitlist": list(
            Request.objects.filter(status=Status.WAITLISTED)
            .select_related("user", "entry")
            .with_waitlist_position()
            .order_by("entry__name", "pk")[:100]
        ),
        "lotteries": list(
            Entry.objects.filter(kind=Kind.LOTTERY)
            .with_stock()
            .annotate(entrants=entrants)
            .order_by("name")
        ),
    }


def desk(request):
    # Queries: session, user, permissions (2), the queue (6), IDs held, participant search.
    query = request.GET.get("q", "").strip()[:100]
    people = []
    if query:
        people = list(
            _people()
            .filter(
                Q(email__icontains=query)
                | Q(name__icontains=query)
                | Q(phone__icontains=query)
                | Q(location__icontains=query)
                | Q(team_name__icontains=query)
            )
            .order_by("email")[:20]
        )
    context = _context(
        request,
        title="Hardware desk",
        query=query,
        people=people,
        ids_held=IDCollateral.objects.held().count(),
        return_form=ReturnForm(),
        handout_form=HandoutForm(),
        **desk_queue_context(),
    )
    return render(request, "admin/desk/desk.html", context)


def _people():
    return get_user_model().objects.annotate(
        holding=count_of(Loan.objects.filter(user=OuterRef("pk"), returned_at__isnull=True)),
        id_held=Exists(IDCollateral.objects.filter(user=OuterRef("pk"), returned_at__isnull=True)),
    )


def participant(request, pk):
    person = get_object_or_404(_people(), pk=pk)
    context = _context(
        request,
        title=f"{person.get_full_name()} at the desk",
        person=person,
        requests=list(
            Request.objects.filter(user=person)
            .select_related("entry")
            .with_waitlist_position()
            .order_by("-created_at", "-pk")[:50]
        ),
        open_loans=list(Loan.objects.open().filter(user=person).for_lists()),
        past_loans=list(
            Loan.objects.filter(user=person, returned_at__isnull=False).for_lists()[:20]
        ),
        collateral=list(
            IDCollateral.objects.filter(user=person).select_related("taken_by", "returned_by")[:10]
        ),
        take_id_form=TakeIDForm(),
        loan_return_form=LoanReturnForm(),
    )
    return render(request, "admin/desk/participant.html", context)


def fulfil(request, pk):
    hardware_request = get_object_or_404(Request.objects.for_desk().select_related("entry"), pk=pk)
    entry = hardware_request.entry
    needs_id = entry.kind in services.ID_KINDS and not hardware_request.id_held
    units = list(
        Unit.objects.filter(entry=entry, condition=Condition.OK)
        .exclude(unit_is_lent())
        .order_by("asset_tag")
    )
    form = FulfilForm(
        request.POST if request.method == "POST" else None, units=units, needs_id=needs_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            loans = services.fulfil_request(
                request=hardware_request,
                by=request.user,
                unit_ids=form.cleaned_data["units"] or None,
                id_storage_label=form.cleaned_data.get("id_storage_label", ""),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            tags = ", ".join(loan.unit.asset_tag for loan in loans)
            messages.success(
                request, f"Handed out {tags} to {hardware_request.user.get_full_name()}."
            )
            return _back(request)
    context = _context(
        request,
        title=f"Hand out request #{hardware_request.pk}",
        hardware_request=hardware_request,
        form=form,
        needs_id=needs_id,
        free_units=units,
    )
    return render(request, "admin/desk/fulfil.html", context, status=400 if form.errors else 200)


# Actions (POST only) ---------------------------------------------------------------------------


def _request_action(service, done_message):
    @require_POST
    def action(request, pk):
        hardware_request = get_object_or_404(Request, pk=pk)
        try:
            service(request=hardware_request, by=request.user)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, done_message.format(r=hardware_request))
        return _back(request)

    return action


approve = _request_action(services.approve_request, "Approved #{r.pk}: ready for pickup.")
deny = _request_action(services.deny_request, "Denied #{r.pk}.")
cancel = _request_action(services.cancel_request, "Cancelled #{r.pk}.")


@require_POST
def batch(request):
    form = BatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tick at least one request, then choose approve or deny.")
        return _back(request)
    chosen = list(Request.objects.filter(pk__in=form.cleaned_data["requests"]).order_by("pk"))
    service = (
        services.approve_requests
        if form.cleaned_data["action"] == "approve"
        else services.deny_requests
    )
    outcome = service(requests=chosen, by=request.user)
    verb = "Approved" if form.cleaned_data["action"] == "approve" else "Denied"
    if outcome.done:
        messages.success(request, f"{verb} {len(outcome.done)} request(s).")
    for error in outcome.errors:
        messages.error(request, error)
    return _back(request)


def _announce_return(request, outcome):
    loan = outcome.loan
    messages.success(request, f"{loan.unit} is back from {loan.user}.")
    if outcome.give_back_id:
        messages.warning(
            request,
            f"That was {loan.user}'s last item: give back their ID from "
            f"{outcome.give_back_id.storage_label}.",
        )


@require_POST
def return_by_tag(request):
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give an asset tag and the unit's condition.")
        return _back(request)
    unit = Unit.objects.filter(asset_tag__iexact=form.cleaned_data["asset_tag"].strip()).first()
    if unit is None:
        messages.error(request, f"No unit has the tag {form.cleaned_data['asset_tag']!r}.")
        return _back(request)
    try:
        outcome = services.return_unit(
            unit=unit, by=request.user, condition=form.cleaned_data["condition"]
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        _announce_return(request, outcome)
    return _back(request)


@require_POST
def return_loan(request, pk):
    loan = get_object_or_404(Loan, pk=pk)
    form = LoanReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the unit's condition.")
        return _back(request)
    try:
        outcome = services.return_loan(
            loan=loan, by=request.user, condition=form.cleaned_data["condition"]
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        _announce_return(request, outcome)
    return _back(request)


@require_POST
def take_id(request, user_pk):
    person = get_object_or_404(get_user_model(), pk=user_pk)
    form = TakeIDForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say where the ID is stored.")
        return _back(request)
    try:
        services.take_id(
            user=person, by=request.user, storage_label=form.cleaned_data["storage_label"]
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, f"Holding {person}'s ID in {form.cleaned_data['storage_label']}.")
    return _back(request)


@require_POST
def return_id(request, pk):
    collateral = get_object_or_404(IDCollateral.objects.select_related("user"), pk=pk)
    try:
        services.return_id(collateral=collateral, by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, f"Gave {collateral.user}'s ID back.")
    return _back(request)


@require_POST
def run_lottery(request, pk):
    entry = get_object_or_404(Entry, pk=pk)
    form = LotteryRunForm(request.POST)
    seed = form.cleaned_data["seed"] if form.is_valid() else None
    try:
        draw = services.run_lottery(entry=entry, by=request.user, seed=seed)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _draw_message(draw))
    return _back(request)


def _draw_message(draw):
    return (
        f"Lottery for {draw.entry}: {len(draw.winners)} winner(s) among "
        f"{len(draw.entrants)} entrant(s), seed {draw.seed}."
    )


@require_POST
def run_all_lotteries(request):
    draws, errors = services.run_all_lotteries(by=request.user)
    for draw in draws:
        messages.success(request, _draw_message(draw))
    for error in errors:
        messages.error(request, error)
    if not draws and not errors:
        messages.info(request, "No lottery has entrants.")
    return _back(request)


@require_POST
def handout(request):
    form = HandoutForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a free item and a quantity of at least 1.")
        return _back(request)
    person = None
    if form.cleaned_data["email"]:
        person = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if person is None:
            messages.error(request, f"Nobody signed up as {form.cleaned_data['email']}.")
            return _back(request)
    try:
        services.record_handout(
            entry=form.cleaned_data["entry"],
            quantity=form.cleaned_data["quantity"],
            by=request.user,
            user=person,
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request, f"Handed out {form.cleaned_data['quantity']} × {form.cleaned_data['entry']}."
        )
    return _back(request)


@require_POST
def housekeeping(request):
    expired = services.expire_overdue_pickups(by=request.user)
    promoted = services.promote_all_waitlists(by=request.user)
    messages.success(
        request,
        f"{expired} pickup(s) expired; {len(promoted)} waitlisted request(s) moved up.",
    )
    return _back(request)
