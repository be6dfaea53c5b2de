"""Public endpoints: the catalogue with stock, and one entry. No token needed; one is taken
(to rate-limit per token) and then must be valid."""

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from ninja import Header, Path, Query, Router

from checkout.stock import with_entrants
from core.models import EventSettings
from inventory.models import Entry, Kind

from . import conditional
from .params import refuse_unknown
from .schemas import (
    MAX_ID,
    CatalogueFilters,
    CataloguePage,
    EntryOut,
    Error,
    InvalidInput,
    RateLimited,
)
from .security import OrganiserToken

router = Router(tags=["catalogue"], auth=OrganiserToken(required=False))
ANYONE = AnonymousUser()  # what the catalogue shows a signed-out visitor: visible entries

IF_NONE_MATCH = Header(
    None, alias="If-None-Match", description="An ETag from an earlier answer: 304 if unchanged."
)


def stock_of(entry, event):
    """The entry's stock in its kind's terms, as templates/checkout/includes/_stock.html
    words it; figures hidden where the event hides that kind's quantities."""
    shown = event.shows_quantities(entry.kind)
    figures = dict.fromkeys(["left", "total", "requested", "waitlisted", "entrants"])
    if entry.kind == Kind.LOTTERY:
        available = entry.stock_available > 0
        if shown:
            figures.update(
                left=entry.stock_available, total=entry.stock_total, entrants=entry.entrants
            )
    elif entry.kind == Kind.FREE or entry.is_counted:
        available = not entry.is_counted or entry.stock_available > 0
        if shown and entry.is_counted:
            figures.update(left=entry.stock_available, total=entry.stock_total)
    else:
        available = entry.stock_requestable > 0
        if shown:
            figures.update(
                left=entry.stock_requestable,
                total=entry.stock_total,
                requested=entry.units_requested,
                waitlisted=entry.units_waitlisted,
            )
    return {"available": available, "quantities_shown": shown, **figures}


def entry_out(request, entry, event):
    """Needs the entry from for_catalogue() (category, stock) and with_entrants()."""
    category = entry.category
    picture = entry.thumbnail_url
    return {
        "id": entry.pk,
        "name": entry.name,
        "kind": entry.kind,
        "category": {"id": category.pk, "name": category.name} if category else None,
        "description": entry.description,
        "link": entry.link,
        "picture_url": request.build_absolute_uri(picture) if picture else "",
        "url": request.build_absolute_uri(entry.get_absolute_url()),
        "max_request_quantity": entry.max_request_quantity,
        "stock": stock_of(entry, event),
    }


RESPONSES = {304: None, 400: InvalidInput, 401: Error, 429: RateLimited}


@router.get(
    "/catalogue",
    response={200: CataloguePage, **RESPONSES},
    summary="The catalogue with stock",
    operation_id="catalogue",
)
def catalogue(
    request,
    response: HttpResponse,
    filters: Query[CatalogueFilters],
    if_none_match: str | None = IF_NONE_MATCH,
):
    """Visible entries in the catalogue's order (borrow, lottery, free; by category and
    name). Queries: the version; unchanged, a 304; else the settings, the count and the page
    (with category, stock and lottery entrants), whatever the page's size."""
    refuse_unknown(request, CatalogueFilters)
    etag = conditional.etag_for(request, filters.dict())
    if conditional.matches(if_none_match, etag):
        return conditional.not_modified(etag)
    matching = Entry.objects.for_catalogue(ANYONE).search(
        text=filters.q, category_id=filters.category
    )
    if filters.kind:
        matching = matching.filter(kind=filters.kind)
    event = EventSettings.load()
    count = matching.count()
    page = with_entrants(matching)[filters.offset : filters.offset + filters.limit]
    conditional.cache_headers(response, etag, private=False)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [entry_out(request, entry, event) for entry in page],
    }


@router.get(
    "/entries/{entry_id}",
    response={200: EntryOut, 404: Error, **RESPONSES},
    summary="One entry with its stock",
    operation_id="entry",
)
def entry(
    request,
    response: HttpResponse,
    entry_id: int = Path(..., ge=1, le=MAX_ID),
    if_none_match: str | None = IF_NONE_MATCH,
):
    """A visible entry; a hidden or missing one is a 404. Queries: the version; unchanged, a
    304; else the entry (with category, stock and lottery entrants) and the settings."""
    refuse_unknown(request)
    etag = conditional.etag_for(request, {})
    if conditional.matches(if_none_match, etag):
        return conditional.not_modified(etag)
    found = with_entrants(Entry.objects.for_catalogue(ANYONE)).filter(pk=entry_id).first()
    if found is None:
        raise Http404(f"No entry {entry_id} in the catalogue.")
    conditional.cache_headers(response, etag, private=False)
    return entry_out(request, found, EventSettings.load())
