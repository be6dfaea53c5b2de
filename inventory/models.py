from django.db import models
from django.db.models import Case, F, Func, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest, Upper
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
        - stock_total: units in service, or the counted stock of an untagged consumable;
        - stock_available: what a new request can still get. For tagged units:
          in service - lent out - reserved by approved requests not yet handed out, never
          below 0; for counted consumables: the count on the shelf.

        The lent and reserved terms come from `stock_commitments()`, which the checkout app
        extends; callers only read the annotations.
        """
        in_service = count_of(Unit.objects.filter(entry=OuterRef("pk"), condition=Condition.OK))
        committed = stock_commitments()
        return self.annotate(
            units_total=count_of(Unit.objects.filter(entry=OuterRef("pk"))),
            units_in_service=in_service,
            stock_total=Coalesce("counted_stock", in_service),
            stock_available=Case(
                When(counted_stock__isnull=False, then="counted_stock"),
                default=Greatest(in_service - committed, Value(0)),
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


def stock_commitments():
    """Units of an entry (OuterRef("pk")) that are spoken for: lent out or reserved.

    Until requests and loans exist this is 0.
    """
    return Value(0)


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
