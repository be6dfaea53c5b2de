"""The participant catalogue and an entry's page: what there is, what is left, and a way to
ask for it."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from core import live
from core.models import EventSettings
from inventory.models import KIND_ORDER, Category, Entry, Kind

from ..forms import CatalogueFilterForm, RequestForm
from ..models import HardwareRequest
from ..stock import with_holder


def catalogue_sections(entries, *, event, organiser):
    """Group catalogue entries (already fetched, in catalogue order) into one section per kind."""
    return [
        {
            "kind": kind,
            "label": kind.label,
            "text": event.section_text(kind),
            "show_quantities": organiser or event.shows_quantities(kind),
            "entries": [entry for entry in entries if entry.kind == kind],
        }
        for kind in KIND_ORDER
    ]


def render_catalogue(params, *, event, user):
    """The catalogue body for these GET parameters: (status, html, context).

    Queries: categories and the entries with their category and stock (one query each).
    """
    organiser = user.is_authenticated and user.is_staff
    categories = list(Category.objects.all())
    form = CatalogueFilterForm(params or None, categories=categories)
    entries = Entry.objects.for_catalogue(user)
    status = 200
    if form.is_bound:
        if form.is_valid():
            entries = entries.search(
                text=form.cleaned_data["q"], category_id=form.cleaned_data["category"]
            )
        else:
            entries, status = Entry.objects.none(), 400
    entries = list(entries)
    context = {
        "form": form,
        "sections": catalogue_sections(entries, event=event, organiser=organiser),
        "result_count": len(entries),
        "filtered": form.is_bound,
    }
    return status, render_to_string("checkout/includes/_catalogue.html", context), context


@require_GET
def catalogue(request):
    # Queries: the user (when signed in) and the SHARED version token. The rendered body is
    # cached under that token; on a miss, settings, categories and entries (with stock) add one
    # query each: at most 5, whatever the inventory's size.
    organiser = request.user.is_authenticated and request.user.is_staff
    params = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()
    key = f"catalogue:{live.version(live.SHARED)}:{int(organiser)}:{params}"
    cached = cache.get(key)
    context = {}
    if cached is None:
        event = EventSettings.load()
        status, body, context = render_catalogue(request.GET, event=event, user=request.user)
        cache.set(key, (status, body), settings.FRAGMENT_CACHE_SECONDS)
    else:
        status, body = cached
    context["body"] = mark_safe(body)  # our own rendered template, escaped when it was rendered
    return render(request, "checkout/catalogue.html", context, status=status)


@require_GET
def entry_detail(request, pk):
    # Queries: the user (when signed in), event settings, the entry with stock (and a
    # lottery's seed commitment, whose hash it shows), the signed-in user's open request for
    # it, and for organisers its units.
    entries = (
        Entry.objects.visible_to(request.user)
        .select_related("category", "lottery_commitment")
        .with_stock()
    )
    entry = get_object_or_404(entries, pk=pk)
    event = EventSettings.load()
    user = request.user
    organiser = user.is_authenticated and user.is_staff
    requestable = entry.kind != Kind.FREE and not entry.is_counted
    context = {
        "entry": entry,
        "show_quantities": organiser or event.shows_quantities(entry.kind),
        "section_text": event.section_text(entry.kind),
        "units": list(with_holder(entry.units.all())) if organiser else None,
        "requestable": requestable,
        "request_form": RequestForm(entry=entry, event=event) if requestable else None,
        "my_request": (
            HardwareRequest.objects.open()
            .filter(user=user, entry=entry)
            .select_related("entry")
            .first()
            if requestable and user.is_authenticated
            else None
        ),
    }
    return render(request, "checkout/entry_detail.html", context)
