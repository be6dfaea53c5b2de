"""The organisers' dashboard: how the desk is doing, in figures and charts.

Reads come from checkout/dashboard.py (six queries, whatever the event's size); this module
turns them into chart geometry (charts.py) and the sentences that describe each chart.
"""

from django.shortcuts import render
from django.utils import timezone

from .. import dashboard as reads
from .charts import bar_chart, column_chart
from .pages import admin_context


def hour_points(hours, *values):
    """Chart points for a run of hours, each labelled by its hour and its day."""
    return [
        (f"{h.start:%a %H:%M}", f"{h.start:%H:%M}", f"{h.start:%a}", [value(h) for value in values])
        for h in hours
    ]


def hour_chart(hours, *values, series):
    """Columns for a run of hours, with ticks on round hours of the day (00:00, 06:00, ...)."""
    return column_chart(hour_points(hours, *values), series=series, phase=hours[0].start.hour)


def describe_hours(chart, what):
    """'12 requests from Sat 09:00 to Sat 14:00; the busiest hour Sat 11:00, with 5.'"""
    first, last, peak = chart.columns[0], chart.columns[-1], chart.peak
    said = f"{chart.total} {what} from {first.label} to {last.label}"
    if peak.total:
        said += f"; the busiest hour {peak.label}, with {peak.total}"
    return said + "."


def units_note(row):
    """'(5 units)' beside 3 requests; nothing when each asked for one."""
    return f"({row['units']} units)" if row["units"] != row["requests"] else ""


def dashboard(request):
    # Queries: the user, their permissions, then the six of checkout/dashboard.py.
    now = timezone.now()
    hours = reads.activity_per_hour(now=now)
    popular = reads.most_requested()
    short = reads.stock_outs_and_waitlists(limit=reads.STOCK_OUTS_SHOWN + 1)
    waitlists = [entry for entry in short if entry.waitlist_length][: reads.TOP_ENTRIES]
    context = {"hours": hours}
    if hours:
        requests_chart = hour_chart(hours, lambda h: h.requests, series=["requests"])
        handed_out_chart = hour_chart(
            hours, lambda h: h.units_lent, lambda h: h.free_items, series=["lent", "free"]
        )
        context |= {
            "requests_chart": requests_chart,
            "requests_said": describe_hours(requests_chart, "requests"),
            "handed_out_chart": handed_out_chart,
            "handed_out_said": describe_hours(handed_out_chart, "handed out"),
        }
    context = admin_context(
        request,
        title="Dashboard",
        now=now,
        figures=reads.figures(),
        hours_shown=reads.HOURS_SHOWN,
        popular=popular,
        popular_chart=bar_chart(
            [(row["entry__name"], row["requests"], units_note(row)) for row in popular]
        ),
        short=short[: reads.STOCK_OUTS_SHOWN],
        more_short=len(short) > reads.STOCK_OUTS_SHOWN,
        waitlists=waitlists,
        waitlist_chart=bar_chart([(entry.name, entry.waitlist_length, "") for entry in waitlists]),
        **context,
    )
    return render(request, "admin/desk/dashboard.html", context)
