"""Past events in the admin: read-only, each list filtered by event (the running event's
pages and lists never read these tables)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from ..models import (
    PastCVConsent,
    PastDraw,
    PastEvent,
    PastHandout,
    PastIDHold,
    PastLoan,
    PastRequest,
)

# The rows of a past event, in the order its page links them.
ROWS = [PastRequest, PastLoan, PastIDHold, PastDraw, PastHandout, PastCVConsent]


class ReadOnlyPastAdmin(admin.ModelAdmin):
    """Past rows were written once, at closing, and stay as they were."""

    list_filter = ["event"]
    list_select_related = ["event"]
    search_fields = ["email", "name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PastEvent)
class PastEventAdmin(ReadOnlyPastAdmin):
    list_display = ["name", "opened_at", "closed_at", "closed_by_email", "reconciled"]
    list_filter = ["reconciled"]
    list_select_related = []
    search_fields = ["name"]
    fields = [
        "name",
        "opened_at",
        "closed_at",
        "closed_by_email",
        "reconciled",
        "override_reason",
        "outstanding",
        "figures_table",
        "reconciliation_table",
        "cvs_purged",
        "rows",
    ]
    readonly_fields = fields

    @admin.display(description="close-out figures")
    def figures_table(self, event):
        return format_html(
            "<table><tbody>{}</tbody></table>",
            format_html_join(
                "", "<tr><th scope='row'>{}</th><td>{}</td></tr>", event.figures.items()
            ),
        )

    @admin.display(description="units per entry at closing")
    def reconciliation_table(self, event):
        rows = (
            (r["name"], r["units_total"], r["out"], r["on_shelf"], r["damaged_or_lost"])
            for r in event.reconciliation
        )
        return format_html(
            "<table><thead><tr><th scope='col'>entry</th><th scope='col'>units</th>"
            "<th scope='col'>out</th><th scope='col'>on the shelf</th>"
            "<th scope='col'>damaged or lost</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join(
                "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows
            ),
        )

    @admin.display(description="its records")
    def rows(self, event):
        links = (
            (
                reverse(f"admin:checkout_{model._meta.model_name}_changelist")
                + f"?event__id__exact={event.pk}",
                model._meta.verbose_name_plural,
            )
            for model in ROWS
        )
        return format_html_join(" · ", '<a href="{}">{}</a>', links)


@admin.register(PastRequest)
class PastRequestAdmin(ReadOnlyPastAdmin):
    list_display = ["original_id", "event", "name", "email", "entry_name", "quantity", "status"]
    search_fields = ["email", "name", "entry_name"]


@admin.register(PastLoan)
class PastLoanAdmin(ReadOnlyPastAdmin):
    list_display = ["asset_tag", "entry_name", "event", "name", "email", "lent_at", "returned_at"]
    search_fields = ["email", "name", "entry_name", "asset_tag"]


@admin.register(PastIDHold)
class PastIDHoldAdmin(ReadOnlyPastAdmin):
    list_display = ["storage_label", "event", "name", "email", "taken_at", "returned_at"]


@admin.register(PastDraw)
class PastDrawAdmin(ReadOnlyPastAdmin):
    list_display = ["entry_name", "event", "run_at", "stock", "commitment"]
    search_fields = ["entry_name"]


@admin.register(PastHandout)
class PastHandoutAdmin(ReadOnlyPastAdmin):
    list_display = ["entry_name", "quantity", "event", "name", "email", "at"]
    search_fields = ["email", "name", "entry_name"]


@admin.register(PastCVConsent)
class PastCVConsentAdmin(ReadOnlyPastAdmin):
    list_display = ["name", "email", "event", "consent_at", "purged"]
