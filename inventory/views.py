from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .forms import CatalogueFilterForm
from .models import KIND_ORDER, Category, Entry, EventSettings


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
    # Queries: session and user (when signed in), event settings, the entry with stock, and
    # for organisers its units.
    entries = Entry.objects.visible_to(request.user).select_related("category").with_stock()
    entry = get_object_or_404(entries, pk=pk)
    event = EventSettings.load()
    organiser = request.user.is_authenticated and request.user.is_staff
    context = {
        "entry": entry,
        "show_quantities": organiser or event.shows_quantities(entry.kind),
        "section_text": event.section_text(entry.kind),
        "units": list(entry.units.all()) if organiser else None,
    }
    return render(request, "inventory/entry_detail.html", context)
