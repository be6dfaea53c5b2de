"""The close-out report's page, and the same report as a CSV or XLSX download
(checkout/closeout.py reads it)."""

import tablib
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.spreadsheets import safe_cell

from ..closeout import close_out
from .pages import admin_context

# One flat sheet, one row per item, sorted by table like the page: filter it by `section`.
COLUMNS = [
    "section",
    "table",
    "participant",
    "email",
    "phone",
    "team",
    "entry",
    "asset_tag",
    "quantity",
    "slot",
    "still_holds",
    "since",
    "due",
    "overdue",
    "when",
    "condition",
    "condition_now",
    "units_total",
    "out",
    "on_shelf",
    "damaged_or_lost",
    "retired",
    "balances",
]
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def closeout(request):
    report = close_out()
    context = admin_context(request, title="Close-out report", report=report, now=timezone.now())
    return render(request, "admin/desk/closeout.html", context)


def closeout_download(request, fmt):
    """`fmt` is "csv" or "xlsx" (the URL names it: see urls.py)."""
    dataset = tablib.Dataset(*sheet_rows(close_out(), xlsx=fmt == "xlsx"), headers=COLUMNS)
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response = HttpResponse(dataset.export(fmt), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="close-out-{stamp}.{fmt}"'
    return response


def when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def yes_no(value):
    return "yes" if value else "no"


def holds(user):
    """What someone still holds, for the ID section: "TAG (Entry); ..." or nothing."""
    return "; ".join(f"{loan.unit.asset_tag} ({loan.unit.entry.name})" for loan in user.open_loans)


def sheet_rows(report, *, xlsx=False):
    """The report's rows as COLUMNS, table by table, then the reconciliation per entry and
    its total. Text that participants typed is made safe to open (core/spreadsheets.py)."""

    def row(section, table="", user=None, **values):
        person = {}
        if user is not None:
            person = {
                "participant": user.name,
                "email": user.email,
                "phone": user.phone,
                "team": user.team.name if user.team else "",
            }
        cells = {"section": section, "table": table, **person, **values}
        return tuple(safe_cell(cells.get(column, ""), xlsx=xlsx) for column in COLUMNS)

    rows = []
    for table in report.tables:
        for loan in table.units_out:
            rows.append(
                row(
                    "unit out",
                    table.name,
                    loan.user,
                    entry=loan.unit.entry.name,
                    asset_tag=loan.unit.asset_tag,
                    since=when(loan.lent_at),
                    due=when(loan.due_at),
                    overdue=yes_no(loan.overdue),
                )
            )
        for collateral in table.ids_held:
            rows.append(
                row(
                    "ID held",
                    table.name,
                    collateral.user,
                    slot=collateral.storage_label,
                    still_holds=holds(collateral.user) or "nothing: give the ID back",
                    since=when(collateral.taken_at),
                )
            )
        for loan in table.damaged_or_lost:
            rows.append(
                row(
                    "returned damaged or lost",
                    table.name,
                    loan.user,
                    entry=loan.unit.entry.name,
                    asset_tag=loan.unit.asset_tag,
                    when=when(loan.returned_at),
                    condition=loan.get_return_condition_display(),
                    condition_now=loan.unit.get_condition_display(),
                )
            )
        for handout in table.handouts:
            rows.append(
                row(
                    "handed out",
                    table.name,
                    handout.user,
                    entry=handout.entry.name,
                    quantity=handout.quantity,
                    when=when(handout.at),
                )
            )
    sides = ["units_total", "out", "on_shelf", "damaged_or_lost", "retired"]
    for entry in report.entries:
        figures = {side: getattr(entry, side) for side in sides}
        rows.append(
            row("reconciliation", entry=entry.name, **figures, balances=yes_no(entry.balances))
        )
    totals = report.figures
    rows.append(
        row(
            "reconciliation total",
            **{side: totals[side] for side in sides},
            balances=yes_no(totals["balances"]),
        )
    )
    return rows
