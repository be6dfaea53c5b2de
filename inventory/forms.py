from django import forms

from .services import MAX_UNITS_PER_BATCH


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
