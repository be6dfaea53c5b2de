"""The participant catalogue and an entry's page: what there is, what is left, and a way to
ask for it."""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from core import fragment_cache, live, live_snapshot
from core.models import EventSettings
from inventory.models import KIND_ORDER, Category, Entry, Kind

from ..forms import CatalogueFilterForm, RequestForm
from ..models import HardwareRequest
from ..stock import with_entrants, with_holder
from . import my_cards

SECTION_TITLES = {Kind.CHECKOUT: "Borrow", Kind.LOTTERY: "Lottery draws", Kind.FREE: "Free to take"}
SECTION_CHIPS = {Kind.CHECKOUT: "Borrow", Kind.LOTTERY: "Lottery", Kind.FREE: "Free"}


# The landing page shows the first entries of each section; a section's own page shows a page
# of it at a time. Either way one request renders a bounded number of cards.
SECTION_PREVIEW = 12
PAGE_SIZE = 30


def catalogue_url(**params):
    """The catalogue's URL with these parameters (empty ones left out): shareable as it is."""
    query = urlencode({name: value for name, value in params.items() if value})
    return f"{reverse('checkout:catalogue')}{'?' if query else ''}{query}"


def catalogue_sections(*, matching, counts, kind, page, filters, event, organiser):
    """One section per kind with entries: its first cards (or the page asked for when the
    request is for one kind), how many there are, and links to see all or the next page.

    Queries: one per section shown, each LIMITed, whatever the inventory's size.
    """
    sections = []
    for section_kind in [kind] if kind else KIND_ORDER:
        total = counts.get(section_kind, 0)
        if not total:
            continue
        start, size = ((page - 1) * PAGE_SIZE, PAGE_SIZE) if kind else (0, SECTION_PREVIEW)
        entries = list(with_entrants(matching.filter(kind=section_kind))[start : start + size])
        for entry in entries:
            limit = entry.max_request_quantity
            entry.quantity_choices = range(1, limit + 1) if limit <= 10 else None
        shown_to = start + len(entries)
        sections.append(
            {
                "kind": section_kind,
                "label": SECTION_TITLES[section_kind],
                "text": event.section_text(section_kind),
                "show_quantities": organiser or event.shows_quantities(section_kind),
                "entries": entries,
                "total": total,
                "first": start + 1,
                "last": shown_to,
                "remaining": total - shown_to,
                "all_url": catalogue_url(**filters, kind=section_kind),
                "more_url": (
                    catalogue_url(**filters, kind=section_kind, page=page + 1)
                    if kind and shown_to < total
                    else None
                ),
                "previous_url": (
                    catalogue_url(**filters, kind=section_kind, page=page - 1)
                    if kind and page > 1
                    else None
                ),
            }
        )
    return sections


def render_catalogue(params, *, event, user, path):
    """The catalogue body for these GET parameters: (status, html, context).

    The body is the same for everyone of one kind (signed out, participant, organiser); what
    is one participant's own (their requests, the CSRF token) goes into marked slots that
    `my_cards.personalise` fills per request. Queries: categories, the matching entries'
    count per kind, then each section's cards with category, stock and lottery entrants.
    """
    organiser = user.is_authenticated and user.is_staff
    categories = list(Category.objects.all())
    form = CatalogueFilterForm(params or None, categories=categories)
    status, sections, counts, filters, kind = 200, [], {}, {}, ""
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        data = form.cleaned_data if form.is_bound else {}
        filters = {"q": data.get("q", ""), "category": data.get("category") or ""}
        kind = data.get("kind", "")
        matching = Entry.objects.for_catalogue(user).search(
            text=filters["q"], category_id=filters["category"] or None
        )
        counts = dict(
            Entry.objects.visible_to(user)
            .search(text=filters["q"], category_id=filters["category"] or None)
            .order_by()
            .values_list("kind")
            .annotate(n=Count("pk"))
        )
        sections = catalogue_sections(
            matching=matching,
            counts=counts,
            kind=kind,
            page=data.get("page") or 1,
            filters=filters,
            event=event,
            organiser=organiser,
        )
    context = {
        "form": form,
        "sections": sections,
        "chips": [
            {
                "kind": k,
                "label": SECTION_CHIPS[k],
                "count": counts[k],
                "url": catalogue_url(**filters, kind=k),
                "current": k == kind,
            }
            for k in KIND_ORDER
            if counts.get(k)
        ],
        "all_url": catalogue_url(**filters),
        "kind": kind,
        "result_count": sum(counts.values()),
        "filtered": bool(filters.get("q") or filters.get("category")),
        "event": event,
        "signed_in": user.is_authenticated,
        "here": path,
        "csrf_slot": my_cards.CSRF_SLOT,
    }
    return status, render_to_string("checkout/includes/_catalogue.html", context), context


@require_GET
def catalogue(request):
    # Queries: the user (when signed in). The rendered body is cached under the SHARED version,
    # read from the process's snapshot (core.live_snapshot: no query, at most
    # LIVE_SNAPSHOT_SECONDS behind another server's write; a body is never older than the
    # version it is cached under, as it is rendered after that version was read), and rendered
    # once per change (core.fragment_cache); on a miss,
    # settings, categories, the count per section and each section's cards add one query
    # each: at most 8, whatever the inventory's size. A participant's own requests and
    # loans, shown on their cards, add two.
    user = request.user
    organiser = user.is_authenticated and user.is_staff
    params = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()
    key = f"catalogue:{int(user.is_authenticated)}{int(organiser)}:{params}"
    rendered = {}

    def render_body():
        status, body, rendered["context"] = render_catalogue(
            request.GET, event=EventSettings.load(), user=user, path=request.get_full_path()
        )
        return status, body

    status, body = fragment_cache.get_or_render(
        key,
        live_snapshot.version(live.SHARED),
        render_body,
        timeout=settings.FRAGMENT_CACHE_SECONDS,
    )
    if user.is_authenticated:
        body = my_cards.personalise(body, user=user, csrf_token=get_token(request))
    context = rendered.get("context", {})
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
