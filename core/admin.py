from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import (
    AdminSplitDateTime,
    AutocompleteSelect,
    AutocompleteSelectMultiple,
)
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse

from .models import EventSettings


class _KeysOnly:
    """Autocomplete widget part: show as selected only values that can be keys of the related
    model. The widget looks its value up to show the label, and a lookup with "NaN" for an
    integer key raises: ?category=NaN on an add page, or a posted "NaN" when the form comes
    back with its error, would be a 500. Such a value is no selection; on POST the form field
    has already said "Select a valid choice"."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if self._is_key(v)], attr)

    def _is_key(self, value):
        related = self.field.remote_field
        opts = related.model._meta
        key_field = opts.get_field(getattr(related, "field_name", None) or opts.pk.attname)
        try:
            key_field.to_python(value)
        except ValidationError:
            return False
        return True


class KeysOnlyAutocompleteSelect(_KeysOnly, AutocompleteSelect):
    pass


class KeysOnlyAutocompleteSelectMultiple(_KeysOnly, AutocompleteSelectMultiple):
    pass


class KeysOnlyAutocompleteMixin:
    """For every ModelAdmin and inline with `autocomplete_fields`: their widgets treat a value
    that is no key as no selection instead of raising (see `_KeysOnly`). Raw-id widgets already
    do (Django catches the failed lookup)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeysOnlyAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeysOnlyAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ExportLinkMixin:
    """For a django-import-export admin: its export page filters like the list, from its
    query string (the list's Export button passes them on). A link whose filters the list
    cannot apply, such as ?format=-1 (the format is a field of the export form), is a bad
    link: 400 with what to do, not a 500."""

    def export_action(self, request):
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            name = self.opts.verbose_name
            return HttpResponseBadRequest(
                f"This export link has filters that the {name} list cannot apply. Open Export "
                f"from the {name} list, then choose the file format on the export form.",
                content_type="text/plain",
            )


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time boxes, each with its own accessible name: the field's
    <label> names only the first, so screen readers (and axe) met an unnamed time box."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = "Date"
        self.widgets[1].attrs["aria-label"] = "Time"


class LabelledColumnsMixin:
    """A tabular inline whose inputs name themselves: in a table the column header is the
    only label, which assistive tech (and axe) does not take as one. The help text stays in
    the header's tooltip, not as a describedby that would point at nothing."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs.setdefault("aria-label", str(field.label or db_field.verbose_name))
            field.widget.attrs.setdefault("title", str(field.help_text or field.label))
            field.help_text = ""
        return field

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class Labelled(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                if "DELETE" in form.fields:
                    form.fields["DELETE"].widget.attrs["aria-label"] = "Delete this row"

        return Labelled


@admin.register(EventSettings)
class EventSettingsAdmin(admin.ModelAdmin):
    """One row of settings: the changelist goes straight to it."""

    formfield_overrides = {models.DateTimeField: {"widget": LabelledSplitDateTime}}

    fieldsets = [
        ("Event", {"fields": ["name", "opened_at"]}),
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
                    "lottery_draws_at",
                ]
            },
        ),
        (
            "Pickup and loans",
            {"fields": ["pickup_expiry_minutes", "loan_duration_hours", "default_due_back"]},
        ),
        ("Teams", {"fields": ["team_max_size"]}),
        ("CVs", {"fields": ["cv_consent_text", "cv_policy"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        settings_row = EventSettings.load()
        return redirect(reverse("admin:core_eventsettings_change", args=[settings_row.pk]))
