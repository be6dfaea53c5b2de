"""Rows every app reads: the event's settings and the live pages' version tokens."""

from django.core.validators import MinValueValidator
from django.db import models

from .live import ChangeCounter, LiveModel, LiveQuerySet

__all__ = ["CVPolicy", "ChangeCounter", "EventSettings"]


class CVPolicy(models.TextChoices):
    PURGE = "purge", "Delete every CV when the event closes"
    KEEP = "keep", "Keep CVs (and consents) for the next event"


class EventSettings(LiveModel):
    """The event's settings that organisers edit in the admin: exactly one row (pk=1).

    Closing the event (checkout.services.close_event) keeps a copy of these with the event's
    archive and starts the next event with them, under its new name."""

    name = models.CharField(
        "event name", max_length=120, default="Hackathon", help_text="e.g. HackMIT 2026."
    )
    opened_at = models.DateTimeField(
        null=True, blank=True, help_text="When this event was opened (the last one closed)."
    )
    cv_policy = models.CharField(
        "CVs when the event closes",
        max_length=8,
        choices=CVPolicy.choices,
        default=CVPolicy.PURGE,
        help_text="Consents are archived with the event either way.",
    )

    lottery_text = models.TextField(
        default="These items are scarce. Tell us what you will build; winners are drawn at "
        "random among the proposals when the lottery runs."
    )
    checkout_text = models.TextField(
        default="Request these items and pick them up at the hardware desk. We hold your ID "
        "until you bring them back."
    )
    free_text = models.TextField(default="Take what you need: these are yours to keep.")
    show_lottery_quantities = models.BooleanField(default=True)
    show_checkout_quantities = models.BooleanField(default=True)
    show_free_quantities = models.BooleanField(default=True)

    waitlist_enabled = models.BooleanField(
        default=True,
        help_text="When an item runs out, later requests queue first come, first served.",
    )
    waitlist_auto_approve = models.BooleanField(
        default=False,
        help_text="When a unit comes back, approve the next waitlisted request automatically.",
    )
    proposal_required = models.BooleanField(
        "lottery proposal required",
        default=True,
        help_text="Lottery entrants must say what they will build.",
    )
    proposal_max_length = models.PositiveSmallIntegerField(default=500)
    lottery_deny_losers = models.BooleanField(
        default=True, help_text="Deny every entrant who did not win when a lottery runs."
    )
    lottery_close_when_run = models.BooleanField(
        default=False, help_text="Turn a lottery entry into a checkout entry after its draw."
    )
    lottery_multiple_entries = models.BooleanField(
        "several lottery entries per participant",
        default=False,
        help_text="Let a participant enter more than one lottery at a time.",
    )
    lottery_draws_at = models.DateTimeField(
        "lotteries drawn at",
        null=True,
        blank=True,
        help_text="When the desk runs the lottery draws; shown on every lottery entry. Empty: "
        "the catalogue says the desk announces it.",
    )
    pickup_expiry_minutes = models.PositiveSmallIntegerField(
        default=30,
        help_text="An approved request not picked up within this time expires and its units "
        "go to the next in line.",
    )
    loan_duration_hours = models.PositiveSmallIntegerField(
        default=24, help_text="Due back this long after hand-out, unless a due-back time is set."
    )
    cv_consent_text = models.TextField(
        "CV consent text",
        default="I agree that the organisers may share my CV with the event's sponsors for "
        "recruiting. I can withdraw at any time, which deletes my CV.",
        help_text="Participants tick this before uploading a CV; the text they agreed to is kept.",
    )
    default_due_back = models.DateTimeField(
        null=True, blank=True, help_text="e.g. the end of hacking; overrides the loan duration."
    )
    team_max_size = models.PositiveSmallIntegerField(
        "largest team",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Most members a team may have; joining a full team is refused. Empty: no limit.",
    )

    objects = LiveQuerySet.as_manager()

    class Meta:
        verbose_name = "event settings"
        verbose_name_plural = "event settings"

    def __str__(self):
        return "Event settings"

    @classmethod
    def load(cls):
        """The settings row, created with defaults on first use. One query."""
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj

    def section_text(self, kind):
        """The catalogue's text for a kind of entry ("lottery", "checkout" or "free")."""
        return getattr(self, f"{kind}_text")

    def shows_quantities(self, kind):
        return getattr(self, f"show_{kind}_quantities")
