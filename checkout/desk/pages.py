"""The desk's pages. Each fetches what it shows in a fixed number of queries (see the tests'
query budgets)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from .. import services
from ..forms import RETURN_CONDITIONS, FulfilForm, HandoutForm, LotteryCommitForm, TakeIDForm
from ..models import HardwareRequest, IDCollateral, Loan
from ..stock import units_on_shelf, with_holdings
from .actions import back
from .queue import desk_stats, live_queue_context, shown


def admin_context(request, **extra):
    return {**request.admin_site.each_context(request), **extra}


def desk(request):
    from .scan import Panel, scan_panel_context

    return desk_page(request, scan=scan_panel_context(Panel()))


def desk_page(request, *, scan):
    # Queries: the user, their permissions, the desk stats with the version token; on a cache
    # miss the queues and the lottery entries: at most 5. A participant search adds one.
    # Filtered to overdue loans (?show=overdue), those loans replace the queues and lotteries.
    query = request.GET.get("q", "").strip()[:100]
    people = []
    if query:
        people = list(
            with_holdings(get_user_model().objects.select_related("team"))
            .filter(
                Q(email__icontains=query)
                | Q(name__icontains=query)
                | Q(phone__icontains=query)
                | Q(location__icontains=query)
                | Q(team__name__icontains=query)
            )
            .order_by("email")[:20]
        )
    stats = desk_stats()
    context = admin_context(
        request,
        title="Hardware desk",
        query=query,
        people=people,
        ids_held=stats["ids_held"],
        scan=scan,
        **live_queue_context(stats, shown(request.GET.get("show"))),
    )
    return render(request, "admin/desk/desk.html", context)


def participant(request, pk):
    person = get_object_or_404(
        with_holdings(get_user_model().objects.select_related("team")), pk=pk
    )
    context = admin_context(
        request,
        title=f"{person.get_full_name()} at the desk",
        person=person,
        requests=list(
            HardwareRequest.objects.filter(user=person)
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
        return_conditions=RETURN_CONDITIONS,
    )
    return render(request, "admin/desk/participant.html", context)


def fulfil(request, pk):
    hardware_request = get_object_or_404(HardwareRequest.objects.for_desk(), pk=pk)
    entry = hardware_request.entry
    needs_id = entry.kind in services.ID_KINDS and not hardware_request.id_held
    units = list(units_on_shelf(entry))
    deadline = hardware_request.pickup_deadline
    late = deadline is not None and deadline < timezone.now()
    form = FulfilForm(
        request.POST if request.method == "POST" else None,
        units=units,
        needs_id=needs_id,
        late=late,
    )
    if request.method == "POST" and form.is_valid():
        try:
            loans = services.fulfil_request(
                hardware_request=hardware_request,
                by=request.user,
                unit_ids=form.cleaned_data["units"] or None,
                id_storage_label=form.cleaned_data.get("id_storage_label", ""),
                late_ok=form.cleaned_data.get("late_ok", False),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            tags = ", ".join(loan.unit.asset_tag for loan in loans)
            messages.success(
                request, f"Handed out {tags} to {hardware_request.user.get_full_name()}."
            )
            return back(request)
    context = admin_context(
        request,
        title=f"Hand out request #{hardware_request.pk}",
        hardware_request=hardware_request,
        form=form,
        needs_id=needs_id,
        late=late,
        free_units=units,
    )
    return render(request, "admin/desk/fulfil.html", context, status=400 if form.errors else 200)


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
    context = admin_context(request, title="Hand out a free item", form=form)
    return render(request, "admin/desk/handout.html", context, status=400 if form.errors else 200)


def commit_seed(request):
    """Fix a lottery's next seed before its entries close: random, or one the organisers
    chose. The desk's "Commit seed" buttons post here too (random, back to the desk)."""
    form = LotteryCommitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        entry = form.cleaned_data["entry"]
        try:
            committed = services.commit_lottery_seed(
                entry=entry, by=request.user, seed=form.cleaned_data["seed"] or None
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"Committed the next draw's seed for {entry}: its entrants see sha256 "
                f"{committed.commitment}.",
            )
            return back(request)
    context = admin_context(request, title="Commit a lottery seed", form=form)
    return render(
        request, "admin/desk/commit_seed.html", context, status=400 if form.errors else 200
    )
