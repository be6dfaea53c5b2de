"""Spreadsheet exports of the desk's records (django-import-export): loans, requests with
their history, the ID ledger and hand-outs. Export only: these records are written by
services (checkout/services/), never imported.

Participants and organisers are named by email as well as by name, so two people with the
same name stay apart. Each export is one query for its rows (two for requests: the history),
however many rows there are.
"""

from django.db.models import Prefetch
from django.utils import timezone
from import_export import fields, resources, widgets

from core.spreadsheets import safe_cell

from .closeout import is_overdue
from .models import Handout, HardwareRequest, IDCollateral, Loan, RequestEvent

# Times in the event's time zone, to the minute (XLSX gets real date-times).
WHEN = widgets.DateTimeWidget(format="%Y-%m-%d %H:%M")
NUMBER = widgets.IntegerWidget()


def column(attribute, name=None, widget=None):
    return fields.Field(
        attribute=attribute, column_name=name or attribute, widget=widget, readonly=True
    )


def yes_no(value):
    return "yes" if value else "no"


class RecordResource(resources.ModelResource):
    """What every export here shares: cells made safe to open (core/spreadsheets.py)."""

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        # The library asks binary formats (XLSX) for native values, CSV for text.
        return safe_cell(value, xlsx=bool(kwargs.get("force_native_type")))


class LoanResource(RecordResource):
    id = column("id", widget=NUMBER)
    asset_tag = column("unit__asset_tag", "asset_tag")
    entry = column("unit__entry__name", "entry")
    participant = column("user__name", "participant")
    email = column("user__email", "email")
    phone = column("user__phone", "phone")
    table = column("user__location", "table")
    team = column("user__team__name", "team")
    request = column("request_id", "request", NUMBER)
    lent_at = column("lent_at", widget=WHEN)
    lent_by = column("lent_by__email", "lent_by")
    due_at = column("due_at", widget=WHEN)
    overdue = fields.Field(column_name="overdue", readonly=True)
    returned_at = column("returned_at", widget=WHEN)
    returned_to = column("returned_to__email", "returned_to")
    return_condition = fields.Field(column_name="return_condition", readonly=True)

    class Meta:
        model = Loan
        fields = [
            "id",
            "asset_tag",
            "entry",
            "participant",
            "email",
            "phone",
            "table",
            "team",
            "request",
            "lent_at",
            "lent_by",
            "due_at",
            "overdue",
            "returned_at",
            "returned_to",
            "return_condition",
        ]
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.for_lists().select_related("user__team").annotate(overdue=is_overdue())

    def dehydrate_overdue(self, loan):
        return yes_no(loan.overdue)

    def dehydrate_return_condition(self, loan):
        return loan.get_return_condition_display()


def history_text(hardware_request):
    """Its status changes as one line of text, oldest first (from the prefetched events)."""
    steps = []
    for event in hardware_request.events.all():
        moment = timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M")
        before = event.get_from_status_display() if event.from_status else "new"
        step = f"{moment} {before} → {event.get_to_status_display()}"
        if event.by_id:
            step += f" by {event.by.email}"
        if event.note:
            step += f" ({event.note})"
        steps.append(step)
    return "; ".join(steps)


class HardwareRequestResource(RecordResource):
    id = column("id", widget=NUMBER)
    participant = column("user__name", "participant")
    email = column("user__email", "email")
    entry = column("entry__name", "entry")
    quantity = column("quantity", widget=NUMBER)
    status = fields.Field(column_name="status", readonly=True)
    created_at = column("created_at", widget=WHEN)
    approved_at = column("approved_at", widget=WHEN)
    pickup_deadline = column("pickup_deadline", widget=WHEN)
    updated_at = column("updated_at", widget=WHEN)
    history = fields.Field(column_name="history", readonly=True, dehydrate_method=history_text)

    class Meta:
        model = HardwareRequest
        name = "Requests with their history"
        fields = [
            "id",
            "participant",
            "email",
            "entry",
            "quantity",
            "status",
            "created_at",
            "approved_at",
            "pickup_deadline",
            "updated_at",
            "history",
        ]
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        events = RequestEvent.objects.select_related("by").order_by("at", "pk")
        return queryset.select_related("user", "entry").prefetch_related(
            Prefetch("events", queryset=events)
        )

    def iter_queryset(self, queryset):
        # The library pages through a prefetching queryset 100 rows at a time, two queries a
        # page; one evaluation is two queries in all, whatever the number of requests.
        yield from queryset

    def dehydrate_status(self, hardware_request):
        return hardware_request.get_status_display()


class IDCollateralResource(RecordResource):
    id = column("id", widget=NUMBER)
    participant = column("user__name", "participant")
    email = column("user__email", "email")
    phone = column("user__phone", "phone")
    table = column("user__location", "table")
    slot = column("storage_label", "slot")
    held = fields.Field(column_name="held", readonly=True)
    taken_at = column("taken_at", widget=WHEN)
    taken_by = column("taken_by__email", "taken_by")
    returned_at = column("returned_at", widget=WHEN)
    returned_by = column("returned_by__email", "returned_by")

    class Meta:
        model = IDCollateral
        name = "ID ledger"
        fields = [
            "id",
            "participant",
            "email",
            "phone",
            "table",
            "slot",
            "held",
            "taken_at",
            "taken_by",
            "returned_at",
            "returned_by",
        ]
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("user", "taken_by", "returned_by")

    def dehydrate_held(self, collateral):
        return yes_no(collateral.is_held)


class HandoutResource(RecordResource):
    id = column("id", widget=NUMBER)
    entry = column("entry__name", "entry")
    quantity = column("quantity", widget=NUMBER)
    participant = column("user__name", "participant")
    email = column("user__email", "email")
    table = column("user__location", "table")
    by = column("by__email", "by")
    at = column("at", widget=WHEN)

    class Meta:
        model = Handout
        name = "Hand-outs"
        fields = ["id", "entry", "quantity", "participant", "email", "table", "by", "at"]
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("entry", "user", "by")
