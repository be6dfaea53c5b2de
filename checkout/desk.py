"""The organiser desk, inside the Django admin site at /admin/desk/.

Thin views: each parses a form, calls one service and redirects back with a message. Pages
fetch everything they show in a fixed number of queries (see the tests' query budgets).
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from inventory.models import Condition, Entry, EventSettings, Kind, Unit, count_of

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


QUEUE_LIMIT = 50


def desk_stats():
    """One query: the SHARED version token and the desk's counters (on the settings row).

    Read before the queues, so a change made meanwhile shows up at the next poll.
    """
    stats = EventSettings.objects.filter(pk=1).annotate(
        version=live.shared_version_expression(),
        pending=count_of(
            Request.objects.filter(status=Status.SUBMITTED).exclude(entry__kind=Kind.LOTTERY)
        ),
        pickup=count_of(Request.objects.filter(status=Status.APPROVED)),
        waitlisted=count_of(Request.objects.filter(status=Status.WAITLISTED)),
        ids_held=count_of(IDCollateral.objects.held()),
    )
    row = stats.values("version", "pending", "pickup", "waitlisted", "ids_held").first()
    if row is None:  # the settings row is made by a migration; a test flush removes it
        EventSettings.load()
        row = stats.values("version", "pending", "pickup", "waitlisted", "ids_held").get()
    return row


def desk_queues():
    """The oldest QUEUE_LIMIT requests of each queue, in one query (window functions).

    Lottery entrants wait for their draw, not for an approval, so they are not in the queue.
    """
    open_requests = Request.objects.filter(
        (Q(status=Status.SUBMITTED) & ~Q(entry__kind=Kind.LOTTERY))
        | Q(status__in=[Status.APPROVED, Status.WAITLISTED])
    )
    ranked = (
        open_requests.for_desk()
        .annotate(
            place=Window(
                RowNumber(), partition_by=[F("status")], order_by=[F("created_at"), F("pk")]
            ),
            # Among waitlisted requests this is the place in the entry's line.
            waitlist_position=Window(
                RowNumber(), partition_by=[F("entry_id"), F("status")], order_by=[F("pk")]
            ),
        )
        .filter(place__lte=QUEUE_LIMIT)
        .order_by("created_at", "pk")
    )
    queues = {Status.SUBMITTED: [], Status.APPROVED: [], Status.WAITLISTED: []}
    for request in ranked:
        queues[request.status].append(request)
    queues[Status.WAITLISTED].sort(key=lambda r: (r.entry.name, r.waitlist_position))
    return queues


def desk_queue_context(stats):
    """Everything the live queue shows. Queries: the queues (1) and lottery entries (1)."""
    entrants = count_of(Request.objects.filter(entry=OuterRef("pk"), status=Status.SUBMITTED))
    queues = desk_queues()
    return {
        "counts": stats,
        "pending": queues[Status.SUBMITTED],
        "pickup": queues[Status.APPROVED],
        "waitlist": queues[Status.WAITLISTED],
        # Lotteries with entrants, most wanted first; "Run all lotteries" covers the rest.
        "lotteries": list(
            Entry.objects.filter(kind=Kind.LOTTERY)
            .annotate(entrants=entrants)
            .filter(entrants__gt=0)
            .with_stock()
            .order_by("-entrants", "name")[:QUEUE_LIMIT]
        ),
    }


def render_queue(stats):
    """The queue's HTML, cached under the SHARED version: an unchanged desk renders nothing.

    It holds no CSRF token (its buttons submit forms outside it), so one rendering serves
    every organiser.
    """
    key = f"desk-queue:{stats['version']}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("admin/desk/includes/_queue_body.html", desk_queue_context(stats))
        cache.set(key, html, settings.FRAGMENT_CACHE_SECONDS)
    return mark_safe(html)  # rendered from our template, escaped at render time


def live_queue_context(stats):
    return {
        "live_url": reverse("checkout:live", args=[live.poll_token(live.SHARED)]),
        "live_version": stats["version"],
        "queue": render_queue(stats),
    }


def desk(request):
    # Queries: the user, their permissions, the desk stats with the version token; on a cache
    # miss the queues and the lottery entries: at most 5. A participant search adds one.
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
    stats = desk_stats()
    context = _context(
        request,
        title="Hardware desk",
        query=query,
        people=people,
        ids_held=stats["ids_held"],
        return_form=ReturnForm(),
        **live_queue_context(stats),
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


def _record_return(request, take_back):
    """Run a return service call and tell the desk what to do next (give back an ID?)."""
    try:
        outcome = take_back()
    except ValidationError as exc:
        _error(request, exc)
    else:
        _announce_return(request, outcome)
    return _back(request)


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
    condition = form.cleaned_data["condition"]
    return _record_return(
        request, lambda: services.return_unit(unit=unit, by=request.user, condition=condition)
    )


@require_POST
def return_loan(request, pk):
    loan = get_object_or_404(Loan, pk=pk)
    form = LoanReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the unit's condition.")
        return _back(request)
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


def handout(request):
    """Free items handed out at the desk: a form on its own page, so the desk stays lean."""
    form = HandoutForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        person = None
        email = form.cleaned_data["email"]
        if email:
            person = get_user_model().objects.filter(email__iexact=email).first()
            if person is None:
                form.add_error("email", f"Nobody signed up as {email}.")
        if not form.errors:
            try:
                services.record_handout(
                    entry=form.cleaned_data["entry"],
                    quantity=form.cleaned_data["quantity"],
                    by=request.user,
                    user=person,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    f"Handed out {form.cleaned_data['quantity']} × {form.cleaned_data['entry']}.",
                )
                return redirect("admin:desk_handout")
    context = _context(request, title="Hand out a free item", form=form)
    return render(request, "admin/desk/handout.html", context, status=400 if form.errors else 200)


@require_POST
def housekeeping(request):
    expired = services.expire_overdue_pickups(by=request.user)
    promoted = services.promote_all_waitlists(by=request.user)
    messages.success(
        request,
        f"{expired} pickup(s) expired; {len(promoted)} waitlisted request(s) moved up.",
    )
    return _back(request)
