"""The participant catalogue and an entry's page: what there is, what is left, and a way to
ask for it."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import OuterRef
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from core import live
from core.aggregates import count_of
from core.models import EventSettings
from inventory.models import KIND_ORDER, Category, Entry, Kind

from ..forms import CatalogueFilterForm, RequestForm
from ..models import HardwareRequest
from ..stock import with_holder
from . import my_cards

SECTION_TITLES = {Kind.CHECKOUT: "Borrow", Kind.LOTTERY: "Lottery draws", Kind.FREE: "Free to take"}
SECTION_CHIPS = {Kind.CHECKOUT: "Borrow", Kind.LOTTERY: "Lottery", Kind.FREE: "Free"}


def catalogue_sections(entries, *, event, organiser):
    """Group catalogue entries (already fetched, in catalogue order) into one section per kind."""
    return [
        {
            "kind": kind,
            "label": SECTION_TITLES[kind],
            "chip": SECTION_CHIPS[kind],
            "text": event.section_text(kind),
            "show_quantities": organiser or event.shows_quantities(kind),
            "entries": [entry for entry in entries if entry.kind == kind],
        }
        for kind in KIND_ORDER
    ]


def with_entrants(entries):
    """Annotate `entrants`: how many wait for an entry's next lottery draw (same query)."""
    return entries.annotate(
        entrants=count_of(HardwareRequest.objects.lottery_entrants().filter(entry=OuterRef("pk")))
    )


def render_catalogue(params, *, event, user, path):
    """The catalogue body for these GET parameters: (status, html, context).

    The body is the same for everyone of one kind (signed out, participant, organiser); what
    is one participant's own (their requests, the CSRF token) goes into marked slots that
    `my_cards.personalise` fills per request. Queries: categories and the entries with their
    category, stock and lottery entrants (one query each).
    """
    organiser = user.is_authenticated and user.is_staff
    categories = list(Category.objects.all())
    form = CatalogueFilterForm(params or None, categories=categories)
    entries = with_entrants(Entry.objects.for_catalogue(user))
    status = 200
    if form.is_bound:
        if form.is_valid():
            entries = entries.search(
                text=form.cleaned_data["q"], category_id=form.cleaned_data["category"]
            )
        else:
            entries, status = Entry.objects.none(), 400
    entries = list(entries)
    for entry in entries:
        limit = entry.max_request_quantity
        entry.quantity_choices = range(1, limit + 1) if limit <= 10 else None
    context = {
        "form": form,
        "sections": catalogue_sections(entries, event=event, organiser=organiser),
        "result_count": len(entries),
        "filtered": form.is_bound,
        "event": event,
        "signed_in": user.is_authenticated,
        "here": path,
        "csrf_slot": my_cards.CSRF_SLOT,
    }
    return status, render_to_string("checkout/includes/_catalogue.html", context), context


@require_GET
def catalogue(request):
    # Queries: the user (when signed in) and the SHARED version token. The rendered body is
    # cached under that token; on a miss, settings, categories and entries (with stock) add one
    # query each: at most 5, whatever the inventory's size. A participant's own requests and
    # loans, shown on their cards, add two.
    user = request.user
    organiser = user.is_authenticated and user.is_staff
    params = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()
    key = f"catalogue:{live.version(live.SHARED)}:{int(user.is_authenticated)}{int(organiser)}"
    key = f"{key}:{params}"
    cached = cache.get(key)
    context = {}
    if cached is None:
        event = EventSettings.load()
        status, body, context = render_catalogue(
            request.GET, event=event, user=user, path=request.get_full_path()
        )
        cache.set(key, (status, body), settings.FRAGMENT_CACHE_SECONDS)
    else:
        status, body = cached
    if user.is_authenticated:
        body = my_cards.personalise(body, user=user, csrf_token=get_token(request))
    context["body"] = mark_safe(body)  # our own rendered template, escaped when it was rendered
    return render(request, "checkout/catalogue.html", context, status=status)


@require_GET
def entry_detail(request, pk):
    # Queries: the user (when signed in), event settings, the entry with stock (and a
    # lottery's seed commitment, whose hash it shows), the signed-in user's open requests
    # (this one's, and whether they are in another lottery), and for organisers its units.
    entries = with_entrants(
        Entry.objects.visible_to(request.user)
        .select_related("category", "lottery_commitment")
        .with_stock()
    )
    entry = get_object_or_404(entries, pk=pk)
    event = EventSettings.load()
    user = request.user
    organiser = user.is_authenticated and user.is_staff
    requestable = entry.kind != Kind.FREE and not entry.is_counted
    mine = (
        list(HardwareRequest.objects.open().filter(user=user).select_related("entry"))
        if requestable and user.is_authenticated
        else []
    )
    context = {
        "entry": entry,
        "event": event,
        "show_quantities": organiser or event.shows_quantities(entry.kind),
        "section_text": event.section_text(entry.kind),
        "units": list(with_holder(entry.units.all())) if organiser else None,
        "requestable": requestable,
        "request_form": RequestForm(entry=entry, event=event) if requestable else None,
        "my_request": next((r for r in mine if r.entry_id == entry.pk), None),
        "other_lottery": my_cards.other_lottery(mine, entry=entry, event=event),
    }
    return render(request, "checkout/entry_detail.html", context)
