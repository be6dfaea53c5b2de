"""Closing the event and opening the next (services.close_event), for lead organisers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.models import CV
from core.models import EventSettings

from .. import services
from ..forms import CloseEventForm
from ..models import PastEvent
from ..services.closing import describe, outstanding
from .pages import admin_context

PERMISSION = "checkout.close_event"


def close_event(request):
    # Queries: the user, their permissions, the settings, the report's figures and unbalanced
    # entries, the CV count and the past events; a valid POST runs the service and redirects.
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    event = EventSettings.load()
    form = CloseEventForm(
        request.POST if request.method == "POST" else None, current_name=event.name
    )
    if request.method == "POST" and form.is_valid():
        try:
            past = services.close_event(
                by=request.user,
                next_name=form.cleaned_data["next_name"],
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as exc:
            form.add_error("override_reason" if exc.code == "not_reconciled" else None, exc)
        else:
            messages.success(
                request,
                f"{past.name} is closed and archived; {form.cleaned_data['next_name'].strip()} "
                "is open on the same inventory.",
            )
            return redirect(reverse("admin:checkout_pastevent_change", args=[past.pk]))
    left = outstanding()
    context = admin_context(
        request,
        title=f"Close {event.name}",
        form=form,
        event=event,
        left=left,
        left_words=describe(left),
        cvs=CV.objects.count(),
        past_events=PastEvent.objects.only("pk", "name", "closed_at")[:10],
    )
    return render(
        request, "admin/desk/close_event.html", context, status=400 if form.errors else 200
    )
