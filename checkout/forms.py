from django import forms

from inventory.models import Condition, Entry, Kind

RETURN_CONDITIONS = [(c.value, c.label) for c in (Condition.OK, Condition.DAMAGED, Condition.LOST)]


class CatalogueFilterForm(forms.Form):
    """Search and category filter for the catalogue; invalid input is a 400, never a 500."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    category = forms.TypedChoiceField(
        label="Category", required=False, coerce=int, empty_value=None
    )
    # One section (kind) at a time, a page at a time: what a request costs does not grow with
    # the inventory.
    kind = forms.ChoiceField(label="Section", required=False, choices=[("", "All"), *Kind.choices])
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "All categories")] + [
            (category.pk, category.name) for category in categories
        ]


class RequestForm(forms.Form):
    """Quantity up to the entry's maximum; a proposal for lottery entries."""

    def __init__(self, *args, entry, event, **kwargs):
        super().__init__(*args, **kwargs)
        limit = entry.max_request_quantity
        if 1 < limit <= 10:  # a short list is one tap on a phone
            self.fields["quantity"] = forms.TypedChoiceField(
                label="How many",
                coerce=int,
                choices=[(n, n) for n in range(1, limit + 1)],
                initial=1,
                error_messages={"invalid_choice": f"Ask for between 1 and {limit}."},
            )
        else:
            self.fields["quantity"] = forms.IntegerField(
                label="How many",
                min_value=1,
                max_value=limit,
                initial=1,
                widget=(
                    forms.HiddenInput()
                    if limit == 1
                    else forms.NumberInput(attrs={"inputmode": "numeric"})
                ),
            )
        if entry.kind == Kind.LOTTERY:
            self.fields["proposal"] = forms.CharField(
                label="What will you build with it?",
                required=event.proposal_required,
                max_length=event.proposal_max_length,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=f"A sentence or two, up to {event.proposal_max_length} characters.",
            )


class FulfilForm(forms.Form):
    units = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave empty to take the first free units by asset tag.",
    )
    id_storage_label = forms.CharField(
        label="ID stored in",
        max_length=40,
        required=False,
        help_text="Slot or envelope label for the participant's ID.",
    )

    late_ok = forms.BooleanField(
        label="Hand out anyway",
        help_text="Its pickup deadline has passed.",
        error_messages={"required": "The pickup deadline has passed: tick “Hand out anyway”."},
    )

    def __init__(self, *args, units, needs_id, late, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(unit.pk, unit.asset_tag) for unit in units]
        self.fields["id_storage_label"].required = needs_id
        if not needs_id:
            del self.fields["id_storage_label"]
        if not late:
            del self.fields["late_ok"]


class LoanReturnForm(forms.Form):
    condition = forms.ChoiceField(choices=RETURN_CONDITIONS, initial=Condition.OK)


class TakeIDForm(forms.Form):
    storage_label = forms.CharField(label="Stored in", max_length=40)


class HandoutForm(forms.Form):
    entry = forms.ModelChoiceField(queryset=Entry.objects.filter(kind=Kind.FREE), label="Item")
    quantity = forms.IntegerField(min_value=1, max_value=10_000, initial=1)
    email = forms.EmailField(label="Participant's email (optional)", required=False)


class BatchForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", "Approve"), ("deny", "Deny")])
    requests = forms.TypedMultipleChoiceField(coerce=int, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The ids are checked against the database by the services; here only their shape.
        data = self.data.getlist("requests") if hasattr(self.data, "getlist") else []
        self.fields["requests"].choices = [(value, value) for value in data if value.isdigit()]


class LotteryRunForm(forms.Form):
    seed = forms.CharField(
        required=False,
        max_length=100,
        label="Reveal the seed",
        help_text="Optional: type the seed you committed and the draw checks it against the "
        "commitment. Empty: the committed seed is used.",
        error_messages={"max_length": "a seed is at most %(limit_value)d characters."},
    )


class LotteryCommitForm(forms.Form):
    """Commit the next draw's seed for a lottery entry: random, or one the organisers chose."""

    entry = forms.ModelChoiceField(
        queryset=Entry.objects.filter(kind=Kind.LOTTERY, lottery_commitment__isnull=True).order_by(
            "name"
        ),
        label="Lottery",
        error_messages={"invalid_choice": "choose a lottery whose next seed is not committed."},
    )
    seed = forms.CharField(
        required=False,
        max_length=100,
        label="Seed",
        help_text="Empty for 32 random bytes. Only its SHA-256 is shown until the draw.",
        error_messages={"max_length": "a seed is at most %(limit_value)d characters."},
    )


class ScanForm(forms.Form):
    """One scan at the desk, and the state the scan panel carries between scans."""

    code = forms.CharField(max_length=200, required=False, strip=True)
    person = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    units = forms.CharField(required=False, max_length=400)  # pending unit ids, "12,13"
    slot = forms.CharField(required=False, max_length=40, strip=True)
    slot_suggested = forms.CharField(required=False, max_length=40, strip=True)  # Enter takes it
    late_ok = forms.BooleanField(required=False)
    # The unit the previous scan handed out or took back: scanning it again at once asks twice.
    last_unit = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    # The unit the desk was asked to scan again to confirm.
    confirm_unit = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    def clean(self):
        data = super().clean()
        data["slot"] = data.get("slot") or data.get("slot_suggested") or ""
        return data

    def clean_units(self):
        ids = [part for part in self.cleaned_data["units"].split(",") if part.strip()]
        if not all(part.strip().isdigit() and len(part.strip()) < 10 for part in ids):
            raise forms.ValidationError("Pending units are unit ids.")
        return [int(part) for part in ids][:20]


class ScanFollowUpForm(forms.Form):
    """A one-key follow-up to a scan: the return was damaged or lost, the ID was given back."""

    op = forms.ChoiceField(choices=[("damaged", "damaged"), ("lost", "lost"), ("id_back", "id")])
    target = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    person = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class DueBackForm(forms.Form):
    """A new due-back time for every open loan, in the event's time zone. That it is a time
    to come, and not too far off, is the service's rule (services.set_due_back)."""

    due_at = forms.DateTimeField(
        label="Due back at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="e.g. the end of hacking",
    )
    for_new_loans = forms.BooleanField(
        label="Also for loans handed out from now on",
        label_suffix="",
        required=False,
        initial=True,
    )


class CloseEventForm(forms.Form):
    """Closing the event: the next event's name, the current one's typed to confirm, and a
    reason when the close-out report does not reconcile (services.close_event decides)."""

    next_name = forms.CharField(
        label="Next event's name", max_length=120, help_text="e.g. HackMIT 2027"
    )
    confirm_name = forms.CharField(
        label="Type this event's name to confirm",
        max_length=120,
        help_text="Closing archives every request, loan and ID record; it cannot be undone.",
    )
    override_reason = forms.CharField(
        label="Reason to close although the report does not reconcile",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only needed when something is still out; kept with the archive.",
    )

    def __init__(self, *args, current_name, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_name = current_name

    def clean_confirm_name(self):
        typed = self.cleaned_data["confirm_name"]
        if typed.strip().casefold() != self.current_name.strip().casefold():
            raise forms.ValidationError(f"Type “{self.current_name}” exactly to confirm.")
        return typed
