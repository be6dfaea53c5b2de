from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminFileWidget

from .models import Entry
from .pictures import ACCEPTED_TYPES, THUMBNAIL_SIZE, read_picture
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


class EntryAdminForm(forms.ModelForm):
    """The admin's entry form. The picture is read and resized here, as validation, so a bad
    file is a form error; the admin stores it with inventory.pictures after the entry saves
    (never through the model form, which would keep the file but not its resized copy).

    cleaned_data["picture"] is a Picture to store, False to remove the current picture, or,
    unchanged, the current one (None when there is none)."""

    picture = forms.FileField(
        required=False,
        widget=AdminFileWidget(attrs={"accept": ",".join(ACCEPTED_TYPES)}),
    )

    class Meta:
        model = Entry
        # Only the file, which inventory.pictures stores; every other field as the model has it.
        exclude = ["picture"]  # noqa: DJ006

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["picture"] = self.instance.picture
        self.fields["picture"].help_text = (
            f"A photo of the item: JPEG, PNG, WebP or GIF, at most "
            f"{settings.PICTURE_MAX_BYTES / 2**20:g} MB. The catalogue shows a copy at most "
            f"{THUMBNAIL_SIZE} pixels wide or high; without a picture, the image URL above, "
            "or else the category's icon."
        )

    def clean_picture(self):
        upload = self.cleaned_data["picture"]
        if upload is False or upload is None or upload is self.initial["picture"]:
            return upload
        return read_picture(upload)
