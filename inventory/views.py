from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from checkout.forms import RequestForm
from checkout.models import Request

from .forms import CatalogueFilterForm
from .models import KIND_ORDER, Category, Entry, EventSettings, Kind


def catalogue_sections(entries, *, event, user):
    """Group catalogue entries (already fetched, in catalogue order) into one section per kind."""
    organiser = user.is_authenticated and user.is_staff
    sections = []
    for kind in KIND_ORDER:
        sections.append(
            {
                "kind": kind,
                "label": kind.label,
                "text": event.section_text(kind),
                "show_quantities": organiser or event.shows_quantities(kind),
                "entries": [entry for entry in entries if entry.kind == kind],
            }
        )
    return sections


@require_GET
def catalogue(request):
    # Queries: session and user (when signed in), categories, event settings, entries with
    # stock (one query with correlated subqueries): at most 5 whatever the inventory's size.
    categories = list(Category.objects.all())
    form = CatalogueFilterForm(request.GET or None, categories=categories)
    entries = Entry.objects.for_catalogue(request.user)
    status = 200
    if form.is_bound:
        if form.is_valid():
            entries = entries.search(
                text=form.cleaned_data["q"], category_id=form.cleaned_data["category"]
            )
        else:
            entries, status = Entry.objects.none(), 400
    event = EventSettings.load()
    entries = list(entries)
    context = {
        "form": form,
        "sections": catalogue_sections(entries, event=event, user=request.user),
        "result_count": len(entries),
        "filtered": form.is_bound,
    }
    return render(request, "inventory/catalogue.html", context, status=status)


@require_GET
def entry_detail(request, pk):
    # Queries: session and user (when signed in), event settings, the entry with stock, the
    # signed-in user's open request for it, and for organisers its units.
    entries = Entry.objects.visible_to(request.user).select_related("category").with_stock()
    entry = get_object_or_404(entries, pk=pk)
    event = EventSettings.load()
    user = request.user
    organiser = user.is_authenticated and user.is_staff
    requestable = entry.kind != Kind.FREE and not entry.is_counted
    context = {
        "entry": entry,
        "show_quantities": organiser or event.shows_quantities(entry.kind),
        "section_text": event.section_text(entry.kind),
        "units": list(entry.units.all()) if organiser else None,
        "requestable": requestable,
        "request_form": RequestForm(entry=entry, event=event) if requestable else None,
        "my_request": (
            Request.objects.open().filter(user=user, entry=entry).first()
            if requestable and user.is_authenticated
            else None
        ),
    }
    return render(request, "inventory/entry_detail.html", context)
