from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from .models import EventSettings


@admin.register(EventSettings)
class EventSettingsAdmin(admin.ModelAdmin):
    """One row of settings: the changelist goes straight to it."""

    fieldsets = [
        ("Catalogue section texts", {"fields": ["lottery_text", "checkout_text", "free_text"]}),
        (
            "Stock figures shown to participants",
            {
                "fields": [
                    "show_lottery_quantities",
                    "show_checkout_quantities",
                    "show_free_quantities",
                ]
            },
        ),
        ("Waitlist", {"fields": ["waitlist_enabled", "waitlist_auto_approve"]}),
        (
            "Lottery",
            {
                "fields": [
                    "proposal_required",
                    "proposal_max_length",
                    "lottery_deny_losers",
                    "lottery_close_when_run",
                    "lottery_multiple_entries",
                ]
            },
        ),
        (
            "Pickup and loans",
            {"fields": ["pickup_expiry_minutes", "loan_duration_hours", "default_due_back"]},
        ),
        ("CVs", {"fields": ["cv_consent_text"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        settings_row = EventSettings.load()
        return redirect(reverse("admin:core_eventsettings_change", args=[settings_row.pk]))
