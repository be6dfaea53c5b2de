"""Print-ready sheets: unit labels (QR + asset tag + item) and participant badges.

Reached from admin actions (inventory entries and units, users) with the chosen ids in the
query string. One query for what is printed, whatever the number.
"""

from django.contrib.auth import get_user_model
from django.shortcuts import render

from accounts.badges import badge_code
from core.qr import qr_svg
from inventory.models import Unit

# Label paper: (name, page size, columns, rows, label width, label height, page margins, gaps)
PAPERS = {
    "a4": {
        "name": "A4, 14 labels 99.1 × 38.1 mm (Avery L7163)",
        "page": "A4",
        "columns": 2,
        "rows": 7,
        "width": "99.1mm",
        "height": "38.1mm",
        "margin": "15.15mm 4.65mm",
        "gap": "0 2.5mm",
    },
    "letter": {
        "name": "US Letter, 10 labels 4 × 2 in (Avery 5163)",
        "page": "letter",
        "columns": 2,
        "rows": 5,
        "width": "4in",
        "height": "2in",
        "margin": "0.5in 0.156in",
        "gap": "0 0.188in",
    },
}
MAX_SHEET = 1000  # a print job, not a dump of the database


def ids_from(request, name="ids"):
    """The ids in ?ids=1,2,3 (bad parts are dropped: a sheet is never a 500)."""
    raw = request.GET.get(name, "")[:20000].split(",")
    return [int(part) for part in raw if part.strip().isdigit() and len(part.strip()) < 10]


def paper_from(request):
    return request.GET.get("paper") if request.GET.get("paper") in PAPERS else "a4"


def unit_labels(request):
    units = Unit.objects.select_related("entry").order_by("entry__name", "asset_tag")
    if "entries" in request.GET:  # every unit of the chosen items
        units = units.filter(entry_id__in=ids_from(request, "entries"))
    else:
        units = units.filter(pk__in=ids_from(request))
    labels = [
        {
            "qr": qr_svg(unit.asset_tag, title=f"QR code for {unit.asset_tag}"),
            "big": unit.asset_tag,  # what the desk reads out and matches
            "small": unit.entry.name,
            "code": True,
        }
        for unit in units[:MAX_SHEET]
    ]
    return _sheet(request, "Unit labels", labels)


def badges(request):
    people = get_user_model().objects.filter(pk__in=ids_from(request), is_active=True)
    people = people.select_related("team")
    labels = [
        {
            "qr": qr_svg(badge_code(person), title=f"Desk badge for {person}"),
            "big": person.get_full_name(),  # who it is for, when badges are handed out
            "small": " · ".join(
                filter(None, [person.team and person.team.name, badge_code(person)])
            ),
        }
        for person in people.order_by("name", "email")[:MAX_SHEET]
    ]
    return _sheet(request, "Participant badges", labels)


def _sheet(request, title, labels):
    paper = paper_from(request)
    context = {
        "title": title,
        "labels": labels,
        "paper": PAPERS[paper],
        "paper_key": paper,
        "papers": PAPERS,
        "query": _without(request.GET, "paper"),
    }
    return render(request, "admin/desk/labels.html", context)


def _without(query, name):
    query = query.copy()
    query.pop(name, None)
    return query.urlencode()
