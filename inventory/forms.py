from django import forms

from .services import MAX_UNITS_PER_BATCH


class CatalogueFilterForm(forms.Form):
    """Search and category filter for the catalogue; invalid input is a 400, never a 500."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    category = forms.TypedChoiceField(
        label="Category", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "All categories")] + [
            (category.pk, category.name) for category in categories
        ]


class AddUnitsForm(forms.Form):
    count = forms.IntegerField(
        label="How many units", min_value=1, max_value=MAX_UNITS_PER_BATCH, initial=1
    )


class SheetLinkForm(forms.Form):
    url = forms.URLField(
        label="Published CSV link",
        max_length=2000,
        assume_scheme="https",
        help_text="In Google Sheets: File → Share → Publish to web → Comma-separated values.",
    )
