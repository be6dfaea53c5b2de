"""The tables of past events (see the package's docstring). Rows are written once, when an
event is closed, and never changed; `user` links a row to the account it was about while that
account exists, and the copied email and name say who it was after."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class PastEvent(models.Model):
    """A closed event: when, by whom, whether its close-out report reconciled (or the override
    that let it close anyway), its settings, and its close-out figures at closing time."""

    name = models.CharField(max_length=120)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField()
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    closed_by_email = models.EmailField()
    reconciled = models.BooleanField(
        help_text="Every unit back or accounted for, no ID held, every entry balanced."
    )
    override_reason = models.TextField(
        blank=True, help_text="Why it was closed although the report did not reconcile."
    )
    outstanding = models.JSONField(
        default=dict, help_text="What did not reconcile at closing time (empty if it did)."
    )
    figures = models.JSONField(help_text="The close-out report's totals at closing time.")
    reconciliation = models.JSONField(help_text="Per entry: its units on each side.")
    settings = models.JSONField(
        encoder=DjangoJSONEncoder, help_text="The event's settings as they were."
    )
    cvs_purged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-closed_at", "-pk"]
        permissions = [("close_event", "Can close the event and open the next")]

    def __str__(self):
        return f"{self.name} (closed {self.closed_at:%Y-%m-%d})"


class PastRow(models.Model):
    """What every past row has: its event, its id in the live table, and who it was about."""

    event = models.ForeignKey(PastEvent, on_delete=models.CASCADE, related_name="+")
    original_id = models.PositiveBigIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(blank=True)
    name = models.CharField(max_length=150, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"#{self.original_id} ({self.name or self.email or 'nobody'})"


class PastRequest(PastRow):
    entry_name = models.CharField(max_length=120)
    entry_kind = models.CharField(max_length=10)
    quantity = models.PositiveSmallIntegerField()
    proposal = models.TextField(blank=True)
    status = models.CharField(max_length=12)
    table = models.CharField(max_length=100, blank=True)
    team = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField()
    history = models.JSONField(
        default=list, help_text='[{"from": status, "to": status, "at": ISO time, "by": email}]'
    )

    class Meta:
        ordering = ["event", "created_at", "original_id"]
        indexes = [models.Index(fields=["event", "created_at"])]


class PastLoan(PastRow):
    entry_name = models.CharField(max_length=120)
    asset_tag = models.CharField(max_length=40)
    lent_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    return_condition = models.CharField(max_length=10, blank=True)
    request_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["event", "lent_at", "original_id"]
        indexes = [models.Index(fields=["event", "lent_at"])]


class PastIDHold(PastRow):
    storage_label = models.CharField(max_length=40)
    taken_at = models.DateTimeField()
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event", "taken_at", "original_id"]
        verbose_name = "past ID hold"


class PastDraw(PastRow):
    """A lottery draw with everything needed to re-run it; `name`/`email` are who ran it."""

    entry_name = models.CharField(max_length=120)
    seed = models.CharField(max_length=100)
    commitment = models.CharField(max_length=64, blank=True)
    stock = models.PositiveIntegerField()
    entrants = models.JSONField()
    winners = models.JSONField()
    options = models.JSONField(default=dict)
    run_at = models.DateTimeField()

    class Meta:
        ordering = ["event", "run_at", "original_id"]


class PastHandout(PastRow):
    entry_name = models.CharField(max_length=120)
    quantity = models.PositiveIntegerField()
    at = models.DateTimeField()

    class Meta:
        ordering = ["event", "at", "original_id"]


class PastCVConsent(PastRow):
    """A participant's consent to share their CV, and whether the CV was purged at closing."""

    consent_at = models.DateTimeField()
    consent_text = models.TextField()
    uploaded_at = models.DateTimeField()
    purged = models.BooleanField()

    class Meta:
        ordering = ["event", "consent_at", "original_id"]
        verbose_name = "past CV consent"
