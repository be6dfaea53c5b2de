"""Setting when every open loan is due back, at once (e.g. "end of hacking, Sunday 09:00")."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import Now
from django.shortcuts import redirect, render
from django.utils import timezone

from core.models import EventSettings

from .. import services
from ..forms import DueBackForm
from ..models import Loan
from .pages import admin_context


def open_loans_summary():
    """How many loans are open, how many overdue, and their earliest and latest due times.
    One query."""
    return Loan.objects.open().aggregate(
        count=Count("pk"),
        overdue=Count("pk", filter=Q(due_at__lt=Now())),  # as Loan.objects.overdue()
        earliest=Min("due_at"),
        latest=Max("due_at"),
    )


def due_back(request):
    # Queries: the user, their permissions, the open loans' summary, the event's settings;
    # a valid POST runs the service and redirects.
    form = DueBackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        due_at = form.cleaned_data["due_at"]
        try:
            changed = services.set_due_back(
                due_at=due_at, by=request.user, for_new_loans=form.cleaned_data["for_new_loans"]
            )
        except ValidationError as exc:
            form.add_error("due_at", exc)
        else:
            when = f"{timezone.localtime(due_at):%a %d %b %H:%M}"
            messages.success(request, f"{changed} open loan(s) are now due back {when}.")
            return redirect("admin:desk_due_back")
    event = EventSettings.load()
    if not form.is_bound and event.default_due_back and event.default_due_back > timezone.now():
        form.initial["due_at"] = timezone.localtime(event.default_due_back)
    context = admin_context(
        request,
        title="Due-back time for every open loan",
        form=form,
        loans=open_loans_summary(),
        event=event,
    )
    return render(request, "admin/desk/due_back.html", context, status=400 if form.errors else 200)
