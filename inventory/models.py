from django.db import models
from django.db.models import Case, F, Func, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest, Now, Upper
from django.urls import reverse
from django.utils.text import slugify


class Category(models.Model):
    name = models.CharField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


class Kind(models.TextChoices):
    LOTTERY = "lottery", "Lottery"
    CHECKOUT = "checkout", "Checkout"
    FREE = "free", "Free"


# The catalogue shows lottery first (scarcest), then checkout, then free.
KIND_ORDER = [Kind.LOTTERY, Kind.CHECKOUT, Kind.FREE]


class Condition(models.TextChoices):
    OK = "ok", "OK"
    DAMAGED = "damaged", "Damaged"
    LOST = "lost", "Lost"
    RETIRED = "retired", "Retired"


def count_of(queryset):
    """A correlated COUNT(*) of `queryset` (filtered on an OuterRef) as an integer expression.

    A Subquery per term keeps each count independent: two Counts over different joins in one
    annotate() would multiply each other.
    """
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def sum_of(queryset, field):
    """A correlated SUM(field) of `queryset` (filtered on an OuterRef), 0 when there are no rows."""
    summed = queryset.order_by().annotate(n=Func(F(field), function="SUM")).values("n")
    return Coalesce(Subquery(summed, output_field=IntegerField()), 0)


class EntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Hidden entries are for organisers' eyes only."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.filter(is_visible=True)

    def with_stock(self):
        """Annotate each entry with its stock, in the same single query.

        - units_total: every tagged unit, whatever its condition;
        - units_in_service: units in OK condition (damaged, lost and retired ones are not lent);
        - units_lent: units in service with an open loan;
        - units_reserved: units promised to approved requests whose pickup deadline has not
          passed (an expired reservation frees its units at once, before housekeeping runs);
        - stock_total: units in service, or the counted stock of an untagged consumable;
        - stock_available: what a new request can still get: in service - lent - reserved,
          never below 0; for counted consumables, the count on the shelf.
        """
        from checkout.models import Loan, Request, Status  # checkout depends on inventory

        in_service = count_of(Unit.objects.filter(entry=OuterRef("pk"), condition=Condition.OK))
        lent = count_of(
            Loan.objects.filter(
                unit__entry=OuterRef("pk"), unit__condition=Condition.OK, returned_at__isnull=True
            )
        )
        reserved = sum_of(
            Request.objects.filter(entry=OuterRef("pk"), status=Status.APPROVED).filter(
                Q(pickup_deadline__isnull=True) | Q(pickup_deadline__gt=Now())
            ),
            "quantity",
        )
        return self.annotate(
            units_total=count_of(Unit.objects.filter(entry=OuterRef("pk"))),
            units_in_service=in_service,
            units_lent=lent,
            units_reserved=reserved,
            stock_total=Coalesce("counted_stock", in_service),
            stock_available=Case(
                When(counted_stock__isnull=False, then="counted_stock"),
                default=Greatest(
                    F("units_in_service") - F("units_lent") - F("units_reserved"), Value(0)
                ),
                output_field=IntegerField(),
            ),
        )

    def in_catalogue_order(self):
        return self.annotate(
            kind_rank=Case(
                *[When(kind=kind, then=Value(rank)) for rank, kind in enumerate(KIND_ORDER)],
                output_field=IntegerField(),
            )
        ).order_by("kind_rank", "category__name", "name")

    def for_catalogue(self, user):
        """The participant catalogue: one query with category and stock."""
        return self.visible_to(user).select_related("category").with_stock().in_catalogue_order()

    def search(self, *, text="", category_id=None):
        qs = self
        if text:
            qs = qs.filter(Q(name__icontains=text) | Q(description__icontains=text))
        if category_id:
            qs = qs.filter(category_id=category_id)
        return qs


class Entry(models.Model):
    """A catalogue entry: a kind of hardware that participants can request."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="entries", null=True, blank=True
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHECKOUT)
    link = models.URLField("datasheet or docs link", blank=True)
    image_url = models.URLField("image URL", blank=True)
    is_visible = models.BooleanField("visible to participants", default=True)
    max_request_quantity = models.PositiveSmallIntegerField(
        "maximum per request", default=1, help_text="How many one participant may ask for at once."
    )
    counted_stock = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="For untagged consumables (resistors, jumper wires): how many are on the shelf. "
        "Leave empty to track tagged units.",
    )

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(max_request_quantity__gte=1), name="entry_max_request_quantity_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(counted_stock__isnull=True) | Q(counted_stock__gte=0),
                name="entry_counted_stock_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["kind", "is_visible"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inventory:entry", args=[self.pk])

    @property
    def tag_prefix(self):
        """ARDUINO-UNO for "Arduino Uno": the stem of generated asset tags."""
        return (slugify(self.name).upper()[:40].strip("-")) or "UNIT"

    @property
    def is_counted(self):
        return self.counted_stock is not None


class UnitQuerySet(models.QuerySet):
    def in_service(self):
        return self.filter(condition=Condition.OK)

    def with_holder(self):
        """Annotate who holds each unit now (`holder_id`, `holder_name`), in the same query."""
        from checkout.models import Loan  # checkout depends on inventory

        open_loan = Loan.objects.filter(unit=OuterRef("pk"), returned_at__isnull=True)
        return self.annotate(
            holder_id=Subquery(open_loan.values("user_id")[:1]),
            holder_name=Subquery(open_loan.values("user__name")[:1]),
        )


class Unit(models.Model):
    """One physical, tagged piece of hardware."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="units")
    asset_tag = models.CharField(
        max_length=60, help_text="Unique across the inventory, e.g. ARDUINO-UNO-007."
    )
    condition = models.CharField(max_length=10, choices=Condition.choices, default=Condition.OK)
    notes = models.TextField(blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["asset_tag"]
        constraints = [
            models.UniqueConstraint(
                Upper("asset_tag"),
                name="unit_asset_tag_ci_unique",
                violation_error_message="Another unit already has this asset tag.",
            ),
        ]
        indexes = [models.Index(fields=["entry", "condition"])]

    def __str__(self):
        return self.asset_tag


DEFAULT_SECTION_TEXTS = {
    Kind.LOTTERY: "These items are scarce. Tell us what you will build; winners are drawn at "
    "random among the proposals when the lottery runs.",
    Kind.CHECKOUT: "Request these items and pick them up at the hardware desk. We hold your ID "
    "until you bring them back.",
    Kind.FREE: "Take what you need: these are yours to keep.",
}


class EventSettings(models.Model):
    """The event's settings that organisers edit in the admin: exactly one row (pk=1)."""

    lottery_text = models.TextField(default=DEFAULT_SECTION_TEXTS[Kind.LOTTERY])
    checkout_text = models.TextField(default=DEFAULT_SECTION_TEXTS[Kind.CHECKOUT])
    free_text = models.TextField(default=DEFAULT_SECTION_TEXTS[Kind.FREE])
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
        return getattr(self, f"{kind}_text")

    def shows_quantities(self, kind):
        return getattr(self, f"show_{kind}_quantities")
