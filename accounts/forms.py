import re

from django import forms

from .models import User

PHONE_CHARS = re.compile(r"^\+?[0-9 ()./-]+$")


def normalise_phone(value):
    """Keep what people type (spaces, dashes) but insist on a plausible number."""
    value = (value or "").strip()
    digits = re.sub(r"\D", "", value)
    if not PHONE_CHARS.fullmatch(value) or not 6 <= len(digits) <= 15:
        raise forms.ValidationError("Enter a phone number, e.g. +1 617 555 0100.")
    return value


class ProfileForm(forms.ModelForm):
    """What a participant may change about themselves; nothing that grants access."""

    class Meta:
        model = User
        fields = ["name", "phone", "location", "school"]
        labels = {"location": "Table or location"}

    MISSING = {
        "name": "Enter your name.",
        "phone": "Enter a phone number, e.g. +1 617 555 0100.",
        "location": "Enter your table, or where else the desk can find you.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in User.REQUIRED_PROFILE_FIELDS:
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = self.MISSING[name]
        # A tel input opens the number pad on phones (set as its type, not as a second attribute).
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])


class ProfileStepForm(ProfileForm):
    """The profile step after signing in: only what the desk needs (school can wait for the
    profile page, the team for the team page)."""

    class Meta(ProfileForm.Meta):
        fields = list(User.REQUIRED_PROFILE_FIELDS)


class SignupNameForm(forms.Form):
    """Password sign-up also asks for a name (ACCOUNT_SIGNUP_FORM_CLASS: allauth adds its own
    email and password fields to this form), so the profile step that follows has only the
    phone and table left to ask for, as it does after MyMLH."""

    name = forms.CharField(
        label="Name",
        max_length=User._meta.get_field("name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": ProfileForm.MISSING["name"]},
    )

    def signup(self, request, user):
        """allauth calls this right after creating the user: one UPDATE of the name."""
        user.name = self.cleaned_data["name"]
        user.save(update_fields=["name"])


class CVUploadForm(forms.Form):
    file = forms.FileField(
        label="Your CV",
        help_text="PDF, DOC, DOCX or plain text, up to 10 MB.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.doc,.docx,.txt,application/pdf,text/plain"}
        ),
    )
    consent = forms.BooleanField(required=True)

    def __init__(self, *args, consent_text, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_text
        self.fields["consent"].error_messages["required"] = (
            "Tick the consent box to share your CV with sponsors."
        )


class CreateTeamForm(forms.Form):
    name = forms.CharField(
        label="Team name",
        max_length=100,
        error_messages={"required": "Give your team a name."},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class JoinTeamForm(forms.Form):
    code = forms.CharField(
        label="Join code",
        max_length=20,
        help_text="6 letters and digits, from someone in the team.",
        error_messages={"required": "Type the join code your team gave you."},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
