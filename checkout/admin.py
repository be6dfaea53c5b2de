"""Admin changelists for the desk's records. Actions call the same services as the desk;
status and loan fields are read-only here so that every change goes through a service."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX

from accounts.admin import ExistsFilter
from accounts.admin import UserAdmin as AccountsUserAdmin
from core.admin import ExportLinkMixin

from . import notifications, services
from .archive import admin as archive_admin  # noqa: F401 (registers past events' lists)
from .lottery import verify_draw
from .lottery_results import draw_results
from .models import (
    Handout,
    HardwareRequest,
    IDCollateral,
    Loan,
    LotteryCommitment,
    LotteryDraw,
    Notification,
    RequestEvent,
)
from .resources import (
    HandoutResource,
    HardwareRequestResource,
    IDCollateralResource,
    LoanResource,
)
from .stock import with_holdings


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "by", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyRecordAdmin(admin.ModelAdmin):
    """Records are written by services only; the admin views and acts on them."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


class ExportRecordsMixin(ExportLinkMixin, ExportMixin):
    """An Export button (CSV or XLSX, checkout/resources.py) and no import: records come
    from services only."""

    formats = [CSV, XLSX]


def _report(modeladmin, request, outcome, verb):
    if outcome.done:
        modeladmin.message_user(
            request, f"{verb} {len(outcome.done)} request(s).", messages.SUCCESS
        )
    for error in outcome.errors:
        modeladmin.message_user(request, error, messages.ERROR)


@admin.register(HardwareRequest)
class RequestAdmin(ExportRecordsMixin, ReadOnlyRecordAdmin):
    resource_classes = [HardwareRequestResource]
    list_display = ["id", "user", "entry", "quantity", "status", "created_at", "pickup_deadline"]
    list_filter = ["status", "entry__kind", "created_at"]
    list_select_related = ["user", "entry"]
    search_fields = ["user__email", "user__name", "entry__name", "=id"]
    inlines = [RequestEventInline]
    show_full_result_count = False
    actions = ["approve", "deny", "cancel"]
    list_per_page = 100

    @admin.action(description="Approve (ready for pickup)", permissions=["change"])
    def approve(self, request, queryset):
        outcome = services.approve_requests(hardware_requests=queryset, by=request.user)
        _report(self, request, outcome, "Approved")

    @admin.action(description="Deny", permissions=["change"])
    def deny(self, request, queryset):
        outcome = services.deny_requests(hardware_requests=queryset, by=request.user)
        _report(self, request, outcome, "Denied")

    @admin.action(description="Cancel", permissions=["change"])
    def cancel(self, request, queryset):
        outcome = services.cancel_requests(hardware_requests=queryset, by=request.user)
        _report(self, request, outcome, "Cancelled")


class OpenFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "open"
    field = "returned_at"
    labels = ("Lent out", "Returned")

    def lookups(self, request, model_admin):
        return [("yes", self.labels[0]), ("no", self.labels[1])]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(**{f"{self.field}__isnull": True})
        if self.value() == "no":
            return queryset.filter(**{f"{self.field}__isnull": False})
        return queryset


class HeldFilter(OpenFilter):
    parameter_name = "held"
    labels = ("Held by the desk", "Given back")


class OverdueFilter(admin.SimpleListFilter):
    """Open loans past their due time (Loan.objects.overdue(), as the desk counts them)."""

    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue")]

    def queryset(self, request, queryset):
        return queryset.overdue() if self.value() == "yes" else queryset


@admin.register(Loan)
class LoanAdmin(ExportRecordsMixin, ReadOnlyRecordAdmin):
    resource_classes = [LoanResource]
    list_display = [
        "unit",
        "entry_name",
        "user",
        "lent_at",
        "lent_by",
        "due_at",
        "returned_at",
        "return_condition",
    ]
    list_filter = [OpenFilter, OverdueFilter, "return_condition", "unit__entry__kind"]
    list_select_related = ["unit", "unit__entry", "user", "lent_by"]
    search_fields = ["unit__asset_tag", "unit__entry__name", "user__email", "user__name"]
    actions = ["mark_returned"]
    list_per_page = 100
    show_full_result_count = False

    @admin.display(description="item", ordering="unit__entry__name")
    def entry_name(self, loan):
        return loan.unit.entry.name

    @admin.action(description="Mark returned in OK condition", permissions=["change"])
    def mark_returned(self, request, queryset):
        with notifications.one_email_each():  # one receipt per participant
            for loan in queryset.filter(returned_at__isnull=True):
                try:
                    outcome = services.return_loan(loan=loan, by=request.user)
                except ValidationError as exc:
                    self.message_user(request, f"{loan}: {' '.join(exc.messages)}", messages.ERROR)
                    continue
                for level, text in outcome.messages()[1:]:  # warnings: the ID, a restored unit
                    self.message_user(request, text, getattr(messages, level.upper()))
        self.message_user(request, "Returns recorded.")


@admin.register(IDCollateral)
class IDCollateralAdmin(ExportRecordsMixin, ReadOnlyRecordAdmin):
    resource_classes = [IDCollateralResource]
    list_display = ["user", "storage_label", "taken_at", "taken_by", "returned_at", "returned_by"]
    list_filter = [HeldFilter]
    list_select_related = ["user", "taken_by", "returned_by"]
    search_fields = ["user__email", "user__name", "storage_label"]
    actions = ["give_back"]

    @admin.action(description="Give the ID back", permissions=["change"])
    def give_back(self, request, queryset):
        for collateral in queryset.filter(returned_at__isnull=True):
            try:
                services.return_id(collateral=collateral, by=request.user)
            except ValidationError as exc:
                self.message_user(
                    request, f"{collateral.user}: {' '.join(exc.messages)}", messages.ERROR
                )


@admin.register(LotteryDraw)
class LotteryDrawAdmin(ReadOnlyRecordAdmin):
    """The draw's page for organisers: who won, by name, and what anyone needs to check it."""

    list_display = [
        "entry",
        "run_at",
        "run_by",
        "stock",
        "entrant_count",
        "winner_count",
        "reproducible",
    ]
    list_select_related = ["entry", "run_by"]
    search_fields = ["entry__name"]
    fieldsets = [
        (None, {"fields": ["entry", "run_at", "run_by", "stock", "results"]}),
        (
            "Check the draw (docs/lottery.md)",
            {
                "fields": [
                    "reproducible",
                    "commitment",
                    "committed_at",
                    "seed",
                    "options",
                    "entrants",
                    "winners",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("entry", "run_by")

    @admin.display(description="entrants")
    def entrant_count(self, draw):
        return len(draw.entrants)

    @admin.display(description="winners")
    def winner_count(self, draw):
        return len(draw.winners)

    @admin.display(
        description="seed matches its commitment; re-run gives the same winners", boolean=True
    )
    def reproducible(self, draw):
        # Pure computation on the stored row: no query. Unknown (None) for the first draws,
        # made with Python's `random` before seeds were committed.
        return verify_draw(draw)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "reproducible", "results"]

    @admin.display(description="result")
    def results(self, draw):
        # One query: the entrants' names (draw_results).
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (f"winner {row.place}" if row.won else "not drawn", row.name, row.quantity)
                for row in draw_results(draw)
            ),
        )
        return format_html(
            "<table><thead><tr><th>Result</th><th>Participant</th><th>Quantity</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            rows,
        )


@admin.register(LotteryCommitment)
class LotteryCommitmentAdmin(ReadOnlyRecordAdmin):
    """Seeds committed for lotteries' next draws. Only their hashes: a seed is secret until
    its draw reveals it (then it is on the LotteryDraw). Commit one at the desk."""

    list_display = ["entry", "commitment", "committed_at", "committed_by_or_auto"]
    list_select_related = ["entry", "committed_by"]
    search_fields = ["entry__name", "commitment"]
    fields = ["entry", "commitment", "committed_at", "committed_by"]

    @admin.display(description="committed by", ordering="committed_by")
    def committed_by_or_auto(self, commitment):
        return commitment.committed_by or "automatically, as the first entrant entered"


@admin.register(Handout)
class HandoutAdmin(ExportRecordsMixin, ReadOnlyRecordAdmin):
    resource_classes = [HandoutResource]
    list_display = ["entry", "quantity", "user", "by", "at"]
    list_select_related = ["entry", "user", "by"]
    search_fields = ["entry__name", "user__email"]
    list_filter = ["at", "entry__kind"]
    show_full_result_count = False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyRecordAdmin):
    """The participants' emails: what is waiting, sent, skipped, and what the mail server
    refused (with its error). Written by the services, sent by the worker."""

    list_display = ["created_at", "user", "kind", "state", "sent_at", "attempts", "last_error"]
    list_filter = ["state", "kind", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__name"]
    list_per_page = 100
    show_full_result_count = False


class IDHeldFilter(ExistsFilter):
    title = "ID held by the desk"
    parameter_name = "id_held"
    annotation = "id_held"


class UserAdmin(AccountsUserAdmin):
    """The accounts app's user admin, plus what each person holds at the desk."""

    list_display = [
        *AccountsUserAdmin.list_display[:-2],
        "holding_column",
        "id_held_column",
        *AccountsUserAdmin.list_display[-2:],
    ]
    list_filter = [IDHeldFilter, *AccountsUserAdmin.list_filter]

    def get_queryset(self, request):
        return with_holdings(super().get_queryset(request))

    @admin.display(description="holding", ordering="holding")
    def holding_column(self, user):
        if not user.holding:
            return 0
        url = reverse("admin:desk_participant", args=[user.pk])
        return format_html('<a href="{}">{}</a>', url, user.holding)

    @admin.display(description="ID held", boolean=True, ordering="id_held")
    def id_held_column(self, user):
        return user.id_held


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), UserAdmin)
