"""Spreadsheet import and export of the inventory (django-import-export).

Row problems are reported in the sheet's words: "counted_stock must be a whole number, got
'many'." Widgets raise ValueError with the phrase that follows the column's name; the model's
own checks are worded by `in_words`.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from import_export import fields, resources, widgets

from . import services
from .icons import guess_icon
from .models import Category, Entry


class CategoryByNameWidget(widgets.ForeignKeyWidget):
    """A category column holds the category's name; an unknown name creates the category,
    with the icon its name suggests."""

    def __init__(self):
        super().__init__(Category, field="name")

    def clean(self, value, row=None, **kwargs):
        name = (value or "").strip()
        if not name:
            return None
        limit = Category._meta.get_field("name").max_length
        if len(name) > limit:
            raise ValueError(f"must be at most {limit} characters, got {len(name)}")
        category, _ = Category.objects.get_or_create(name=name, defaults={"icon": guess_icon(name)})
        return category


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number, or empty. A sheet gives "3", 3 or 3.0; anything else is refused (the
    library's widget reads "2.5" as 2, and "many" raises decimal.ConversionSyntax, which is
    not a ValueError: it escaped as the row's only, raw, error)."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral_value():
            raise ValueError(f"must be a whole number, got {value!r}")
        return int(number)


def in_words(column, error, value):
    """One of the model's validation errors as a sentence about the sheet's column."""
    if column == NON_FIELD_ERRORS:
        return next(iter(error))  # a constraint's violation_error_message
    params = error.params or {}
    got = f", got {value!r}"
    if error.code == "min_value":
        return f"{column} must be at least {params['limit_value']}{got}."
    if error.code == "max_value":
        return f"{column} must be at most {params['limit_value']}{got}."
    if error.code == "max_length":
        limit, length = params["limit_value"], params["show_value"]
        return f"{column} must be at most {limit} characters, got {length}."
    if error.code == "invalid_choice":
        choices = ", ".join(str(choice) for choice, _ in Entry._meta.get_field(column).choices)
        return f"{column} must be one of {choices}{got}."
    if error.code in ("blank", "null"):
        return f"{column} must not be empty."
    return f"{column}: {next(iter(error))}"


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
        # import_instance runs full_clean itself, with the row at hand to word the errors.
        clean_model_instances = False
        skip_unchanged = False

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if isinstance(f, models.IntegerField):
            return WholeNumberWidget
        return super().widget_from_django_field(f, default)

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
        try:
            number = WholeNumberWidget().clean(value)
        except ValueError as exc:
            raise ValidationError({"units": f"units {exc}."}) from None
        if number is not None and not 0 <= number <= services.MAX_UNITS_PER_BATCH:
            raise ValidationError(
                {
                    "units": f"units must be a whole number from 0 to "
                    f"{services.MAX_UNITS_PER_BATCH}, got {value!r}."
                }
            )
        return number

    def import_instance(self, instance, row, **kwargs):
        """Read the row into the entry and check all of it, so that one row lists all its
        problems, each as a sentence (see the module docstring)."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            for field, problems in exc.error_dict.items():
                errors[field] = [f"{field} {problem.message}." for problem in problems]
        try:
            units = self.wanted_units(row)
        except ValidationError as exc:
            errors["units"] = exc.messages
        else:
            if units and instance.counted_stock is not None:
                errors["units"] = [
                    "units: an entry has either tagged units or a counted stock, not both."
                ]
        try:
            instance.full_clean(exclude=list(errors))
        except ValidationError as exc:
            for field, problems in exc.error_dict.items():
                errors.setdefault(field, []).extend(
                    in_words(field, problem, row.get(field)) for problem in problems
                )
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance, row, **kwargs):
        units = self.wanted_units(row)
        if units:
            services.ensure_unit_count(entry=instance, count=units)


def row_errors(result):
    """Every problem of an import, one "Row N: ..." sentence each, in row order. N is the row
    as the spreadsheet numbers it: the header is row 1, so the first entry is row 2 (the
    library counts entries from 1)."""
    found = []
    for invalid in result.invalid_rows:
        found.extend(
            (invalid.number, message)
            for messages in invalid.error_dict.values()
            for message in messages
        )
    for number, errors in result.row_errors():
        # Not a validation error: something the checks above did not foresee.
        found.extend((number, f"could not be imported ({error.error})") for error in errors)
    found.sort(key=lambda problem: problem[0])  # stable: a row's problems keep their order
    lines = [f"Row {number + 1}: {message}" for number, message in found]
    lines.extend(f"File: {error.error}" for error in result.base_errors)
    return lines
