"""Spreadsheet import and export of the inventory (django-import-export)."""

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from . import services
from .models import Category, Entry


class CategoryByNameWidget(widgets.ForeignKeyWidget):
    """A category column holds the category's name; an unknown name creates the category."""

    def __init__(self):
        super().__init__(Category, field="name")

    def clean(self, value, row=None, **kwargs):
        name = (value or "").strip()
        if not name:
            return None
        if len(name) > Category._meta.get_field("name").max_length:
            raise ValueError("Category names are at most 80 characters.")
        category, _ = Category.objects.get_or_create(name=name)
        return category


class EntryResource(resources.ModelResource):
    """One row per catalogue entry, matched by name.

    The `units` column asks for at least that many tagged units: missing ones are added with
    generated asset tags, none are removed. Stock columns are exported, ignored on import.
    """

    category = fields.Field(
        attribute="category", column_name="category", widget=CategoryByNameWidget()
    )
    units = fields.Field(column_name="units", attribute=None, dehydrate_method="dehydrate_units")
    stock_available = fields.Field(
        column_name="stock_available", attribute="stock_available", readonly=True
    )

    class Meta:
        model = Entry
        import_id_fields = ["name"]
        fields = [
            "name",
            "category",
            "kind",
            "description",
            "link",
            "image_url",
            "is_visible",
            "max_request_quantity",
            "counted_stock",
            "units",
            "stock_available",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = False

    def get_queryset(self):
        return Entry.objects.select_related("category").with_stock()

    def dehydrate_units(self, entry):
        return getattr(entry, "units_total", None)

    def before_import_row(self, row, **kwargs):
        for column in ("name", "kind"):
            if isinstance(row.get(column), str):
                row[column] = row[column].strip()
        if isinstance(row.get("kind"), str):
            row["kind"] = row["kind"].lower()

    @staticmethod
    def wanted_units(row):
        value = row.get("units")
        if value in (None, ""):
            return None
        try:
            number = int(float(value))
        except (TypeError, ValueError):
            raise ValidationError({"units": f"{value!r} is not a whole number."}) from None
        if number != float(value) or not 0 <= number <= services.MAX_UNITS_PER_BATCH:
            raise ValidationError(
                {"units": f"Give a whole number from 0 to {services.MAX_UNITS_PER_BATCH}."}
            )
        return number

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            units = self.wanted_units(row)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        else:
            if units and instance.counted_stock is not None:
                errors["units"] = ["An entry has either tagged units or a counted stock."]
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance, row, **kwargs):
        units = self.wanted_units(row)
        if units:
            services.ensure_unit_count(entry=instance, count=units)


def row_errors(result):
    """Readable "Row N: field: reason" lines for every invalid or failed row of an import."""
    lines = []
    for invalid in result.invalid_rows:
        for field, messages in invalid.error_dict.items():
            label = "" if field == "__all__" else f"{field}: "
            lines.extend(f"Row {invalid.number}: {label}{message}" for message in messages)
    for number, errors in result.row_errors():
        lines.extend(f"Row {number}: {error.error}" for error in errors)
    lines.extend(f"File: {error.error}" for error in result.base_errors)
    return lines
