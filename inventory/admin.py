from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX

from core.admin import ExportLinkMixin, KeysOnlyAutocompleteMixin, LabelledColumnsMixin

from . import pictures, services
from .forms import AddUnitsForm, EntryAdminForm, SheetLinkForm
from .models import Category, Entry, Kind, Unit
from .resources import EntryResource, row_errors
from .sheets import SheetError, dataset_from_csv, fetch_sheet_csv, import_inventory


class UnitInline(LabelledColumnsMixin, admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["asset_tag", "condition", "notes"]
    show_change_link = True


@admin.register(Entry)
class EntryAdmin(KeysOnlyAutocompleteMixin, ExportLinkMixin, ImportExportModelAdmin):
    resource_classes = [EntryResource]
    form = EntryAdminForm
    readonly_fields = ["picture_preview"]
    list_display = [
        "picture_column",
        "name",
        "category",
        "kind",
        "is_visible",
        "max_request_quantity",
        "max_per_team",
        "units_total_column",
        "stock_total_column",
        "stock_available_column",
    ]
    list_display_links = ["name"]
    list_filter = ["kind", "is_visible", "category"]
    list_select_related = ["category"]  # also the icon of entries without a picture
    search_fields = ["name", "description", "category__name"]
    autocomplete_fields = ["category"]
    inlines = [UnitInline]
    list_per_page = 100
    show_full_result_count = False  # one COUNT per page is enough
    actions = ["hide", "show", "make_lottery", "make_checkout", "make_free", "print_labels"]
    change_list_template = "admin/inventory/entry/change_list.html"
    change_form_template = "admin/inventory/entry/change_form.html"
    # Spreadsheets organisers actually have: CSV (also Google Sheets' export) and Excel.
    formats = [CSV, XLSX]
    import_template_name = "admin/inventory/entry/import.html"

    def get_queryset(self, request):
        # Stock columns come from the annotation: no query per row.
        return super().get_queryset(request).with_stock()

    def get_fields(self, request, obj=None):
        """The picture (a form field, so last by default) and its preview after the image URL."""
        moved = ["picture", "picture_preview"]
        fields = [name for name in super().get_fields(request, obj) if name not in moved]
        at = fields.index("image_url") + 1 if "image_url" in fields else len(fields)
        return [*fields[:at], *moved, *fields[at:]]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "picture" in form.changed_data:
            picture = form.cleaned_data["picture"]
            if picture:
                pictures.set_picture(entry=obj, picture=picture)
            else:
                pictures.remove_picture(entry=obj)

    def delete_model(self, request, obj):
        services.delete_entries(entries=Entry.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.delete_entries(entries=queryset)

    @admin.display(description="picture")
    def picture_column(self, entry):
        return entry_image(entry, size=40)

    @admin.display(description="shown as")
    def picture_preview(self, entry):
        return entry_image(entry, size=120)

    @admin.display(description="units", ordering="units_total")
    def units_total_column(self, entry):
        return entry.units_total

    @admin.display(description="in stock", ordering="stock_total")
    def stock_total_column(self, entry):
        return entry.stock_total

    @admin.display(description="available", ordering="stock_available")
    def stock_available_column(self, entry):
        return entry.stock_available

    @admin.action(description="Hide from participants")
    def hide(self, request, queryset):
        changed = services.set_visibility(entries=queryset, visible=False)
        self.message_user(request, f"{changed} entries hidden.")

    @admin.action(description="Show to participants")
    def show(self, request, queryset):
        changed = services.set_visibility(entries=queryset, visible=True)
        self.message_user(request, f"{changed} entries shown.")

    def _set_kind(self, request, queryset, kind):
        changed = services.set_kind(entries=queryset, kind=kind)
        self.message_user(request, f"{changed} entries are now {kind.label.lower()} entries.")

    @admin.action(description="Make lottery entries")
    def make_lottery(self, request, queryset):
        self._set_kind(request, queryset, Kind.LOTTERY)

    @admin.action(description="Make checkout entries")
    def make_checkout(self, request, queryset):
        self._set_kind(request, queryset, Kind.CHECKOUT)

    @admin.action(description="Make free entries")
    def make_free(self, request, queryset):
        self._set_kind(request, queryset, Kind.FREE)

    @admin.action(description="Print labels for their units")
    def print_labels(self, request, queryset):
        return print_sheet("admin:desk_labels", "entries", queryset)

    def import_action(self, request, **kwargs):
        """The upload page, with the same list of row problems as the sheet-link import."""
        response = super().import_action(request, **kwargs)
        result = response.context_data.get("result")
        if result and (result.has_errors() or result.has_validation_errors()):
            response.context_data["import_errors"] = row_errors(result)
        return response

    def get_urls(self):
        return [
            path(
                "<int:pk>/add-units/",
                self.admin_site.admin_view(self.add_units_view),
                name="inventory_entry_add_units",
            ),
            path(
                "import-sheet/",
                self.admin_site.admin_view(self.import_sheet_view),
                name="inventory_entry_import_sheet",
            ),
            *super().get_urls(),
        ]

    def add_units_view(self, request, pk):
        entry = get_object_or_404(Entry, pk=pk)
        if not self.has_change_permission(request, entry):
            raise PermissionDenied
        form = AddUnitsForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                units = services.add_units(entry=entry, count=form.cleaned_data["count"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(
                    request,
                    f"Added {len(units)} units to {entry}: {units[0]} to {units[-1]}.",
                    messages.SUCCESS,
                )
                return redirect("admin:inventory_entry_change", entry.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "entry": entry,
            "form": form,
            "title": f"Add units to {entry}",
            "next_tags": services.next_asset_tags(prefix=entry.tag_prefix, count=3),
        }
        return render(request, "admin/inventory/entry/add_units.html", context)

    def import_sheet_view(self, request):
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        form = SheetLinkForm(request.POST if request.method == "POST" else None)
        outcome = None
        if request.method == "POST" and form.is_valid():
            confirm = "confirm" in request.POST
            try:
                text = fetch_sheet_csv(form.cleaned_data["url"])
                outcome = import_inventory(dataset=dataset_from_csv(text), dry_run=not confirm)
            except SheetError as exc:
                form.add_error("url", str(exc))
            else:
                if confirm and outcome.ok:
                    totals = outcome.totals
                    self.message_user(
                        request,
                        f"Imported the sheet: {totals.get('new', 0)} new, "
                        f"{totals.get('update', 0)} updated entries.",
                        messages.SUCCESS,
                    )
                    return redirect("admin:inventory_entry_changelist")
        status = 400 if form.errors or (outcome and not outcome.ok) else 200
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "outcome": outcome,
            "title": "Import entries from a sheet link",
        }
        return render(request, "admin/inventory/entry/import_sheet.html", context, status=status)


@admin.register(Unit)
class UnitAdmin(KeysOnlyAutocompleteMixin, admin.ModelAdmin):
    list_display = ["asset_tag", "entry", "condition", "notes"]
    list_editable = ["condition"]
    list_filter = ["condition", "entry__kind"]
    list_select_related = ["entry"]
    search_fields = ["asset_tag", "entry__name"]
    autocomplete_fields = ["entry"]
    list_per_page = 100
    actions = ["print_labels"]

    def get_changelist_form(self, request, **kwargs):
        # The editable condition column, named for screen readers (a table cell has no label).
        kwargs.setdefault("widgets", {"condition": forms.Select(attrs={"aria-label": "Condition"})})
        return super().get_changelist_form(request, **kwargs)

    @admin.action(description="Print labels")
    def print_labels(self, request, queryset):
        return print_sheet("admin:desk_labels", "ids", queryset)


def entry_image(entry, *, size):
    """The entry's picture as the catalogue shows it (its thumbnail or image URL), or its
    category's icon, drawn in the text colour so it suits the admin's light and dark themes."""
    if entry.thumbnail_url:
        return format_html(
            '<img src="{}" alt="" width="{}" height="{}" loading="lazy" '
            'style="object-fit: contain">',
            entry.thumbnail_url,
            size,
            size,
        )
    return format_html(
        '<svg width="{}" height="{}" aria-hidden="true"><use href="{}#icon"></use></svg>',
        size,
        size,
        static(entry.icon_static_path),
    )


def print_sheet(url_name, parameter, queryset):
    """An admin action's answer: the print-ready sheet for the chosen rows."""
    ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True)[:1000])
    return HttpResponseRedirect(f"{reverse(url_name)}?{parameter}={ids}")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "icon_column", "entry_count"]
    list_filter = ["icon"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(entry_count=Count("entries"))

    @admin.display(description="entries", ordering="entry_count")
    def entry_count(self, category):
        return category.entry_count

    @admin.display(description="icon", ordering="icon")
    def icon_column(self, category):
        return format_html(
            '<svg width="24" height="24" aria-hidden="true" style="vertical-align: middle">'
            '<use href="{}#icon"></use></svg> {}',
            static(category.icon_static_path),
            category.get_icon_display(),
        )
