"""What the event has: categories, catalogue entries and tagged units, and how stock is counted."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, Greatest, Upper
from django.utils.text import slugify

from core.aggregates import count_of
from core.live import LiveModel, LiveQuerySet

from .icons import Icon, icon_static_path


class Category(LiveModel):
    live_participant_fields = frozenset()  # "My hardware" shows no categories

    name = models.CharField(max_length=80, unique=True)
    icon = models.CharField(
        max_length=24,
        choices=Icon.choices,
        default=Icon.GENERIC,
        help_text="Shown on entries of this category that have no picture.",
    )

    objects = LiveQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    @property
    def icon_static_path(self):
        """Its path for {% static %}, e.g. "icons/categories/sensor.svg"."""
        return icon_static_path(self.icon)


class Kind(models.TextChoices):
    LOTTERY = "lottery", "Lottery"
    CHECKOUT = "checkout", "Checkout"
    FREE = "free", "Free"


# The catalogue shows lottery first (scarcest), then checkout, then free.
# The catalogue's sections: what most people come for first, the scarce draws, then freebies.
KIND_ORDER = [Kind.CHECKOUT, Kind.LOTTERY, Kind.FREE]


class Condition(models.TextChoices):
    OK = "ok", "OK"
    DAMAGED = "damaged", "Damaged"
    LOST = "lost", "Lost"
    RETIRED = "retired", "Retired"


# Units in service that are promised or out, by name: {"units_lent": factory, ...}. Each factory
# returns an integer expression over OuterRef("pk") (the entry). Apps that lend units register
# theirs at start-up (checkout/apps.py), so inventory depends on nothing above it.
_commitments = {}

# Units that requests already ask for, by name, registered the same way. They are still on the
# shelf (so still "available" to the organiser approving those requests), but a new request
# stands behind them: the catalogue and the decision to waitlist both read stock_requestable.
_claims = {}


# Checks a unit's condition change must pass, registered by apps that know why it may not
# change (checkout: a lent unit's condition changes when it comes back, at the desk).
_condition_guards = []


def register_condition_guard(guard):
    """`guard(unit)` raises ValidationError when the unit's new condition must not be saved."""
    _condition_guards.append(guard)


def register_commitment(name, expression_factory):
    """Count units of each entry that are committed elsewhere and so not available."""
    _commitments[name] = expression_factory


def register_claim(name, expression_factory):
    """Count units of each entry that earlier requests wait for, ahead of any new request."""
    _claims[name] = expression_factory


class EntryQuerySet(LiveQuerySet):
    def visible_to(self, user):
        """Hidden entries are for organisers' eyes only."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.filter(is_visible=True)

    def with_stock(self):
        """Annotate each entry with its stock, in the same single query.

        - units_total: every tagged unit, whatever its condition;
        - units_in_service: units in OK condition (damaged, lost and retired ones are not lent);
        - one figure per registered commitment (see `register_commitment`): the checkout app
          adds units_lent (open loans) and units_reserved (approved requests whose pickup
          deadline has not passed);
        - stock_total: units in service, or the counted stock of an untagged consumable;
        - stock_available: what approvals can still take: in service less every commitment,
          never below 0; for counted consumables, the count on the shelf;
        - one figure per registered claim (see `register_claim`): the checkout app adds
          units_requested (awaiting approval) and units_waitlisted;
        - stock_requestable: what a new request can get without joining the waitlist: available
          less every claim, never below 0 (counted consumables: the count on the shelf).
        """
        in_service = count_of(Unit.objects.filter(entry=OuterRef("pk"), condition=Condition.OK))
        commitments = {name: factory() for name, factory in _commitments.items()}
        claims = {name: factory() for name, factory in _claims.items()}
        uncommitted = F("units_in_service")
        for name in commitments:
            uncommitted = uncommitted - F(name)
        unclaimed = uncommitted
        for name in claims:
            unclaimed = unclaimed - F(name)
        return self.annotate(
            units_total=count_of(Unit.objects.filter(entry=OuterRef("pk"))),
            units_in_service=in_service,
            **commitments,
            stock_total=Coalesce("counted_stock", in_service),
            stock_available=Case(
                When(counted_stock__isnull=False, then="counted_stock"),
                default=Greatest(uncommitted, Value(0)),
                output_field=IntegerField(),
            ),
            **claims,
            stock_requestable=Case(
                When(counted_stock__isnull=False, then="counted_stock"),
                default=Greatest(unclaimed, Value(0)),
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


# Read in the admin form (by the field's label) and in import errors (by the sheet's column).
AT_LEAST_ONE_PER_REQUEST = "Maximum per request (max_request_quantity) must be at least 1."


class Entry(LiveModel):
    """A catalogue entry: a kind of hardware that participants can request."""

    # "My hardware" shows an entry's name, and its kind decides what a request says; stock
    # counts, pictures and limits are the catalogue's, which polls nothing.
    live_participant_fields = frozenset({"name", "kind"})

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="entries", null=True, blank=True
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHECKOUT)
    link = models.URLField("datasheet or docs link", blank=True)
    image_url = models.URLField(
        "image URL",
        blank=True,
        help_text="A picture elsewhere on the web, shown when no picture is uploaded.",
    )
    # Uploaded by organisers, stored on the public "default" storage by inventory.pictures
    # (never by a model form): the original as sent and, next to it, a resized WebP copy.
    picture = models.ImageField(upload_to="entries/", blank=True)
    thumbnail = models.FileField(upload_to="entries/", blank=True, editable=False)
    thumbnail_width = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    thumbnail_height = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    is_visible = models.BooleanField("visible to participants", default=True)
    max_request_quantity = models.PositiveSmallIntegerField(
        "maximum per request",
        default=1,
        # As the check constraint below, and in its words: forms and imports refuse 0 and -3
        # alike (the field's own bound, 0, would send someone who typed -3 to 0 next).
        validators=[MinValueValidator(1, message=AT_LEAST_ONE_PER_REQUEST)],
        help_text="How many one participant may ask for at once.",
    )
    max_per_team = models.PositiveSmallIntegerField(
        "maximum per team",
        null=True,
        blank=True,
        validators=[MinValueValidator(1, message="Maximum per team must be at least 1.")],
        help_text="How many units one team may have requested and hold at once (its members' "
        "open requests plus what they hold). Empty: no team limit, only the per-person one.",
    )
    lottery_one_per_team = models.BooleanField(
        "one lottery entry per team",
        default=False,
        help_text="For a lottery: only one member of a team may enter its draw.",
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
                condition=Q(max_request_quantity__gte=1),
                name="entry_max_request_quantity_gte_1",
                violation_error_message=AT_LEAST_ONE_PER_REQUEST,
            ),
            models.CheckConstraint(
                condition=Q(max_per_team__isnull=True) | Q(max_per_team__gte=1),
                name="entry_max_per_team_gte_1",
                violation_error_message="Maximum per team must be at least 1.",
            ),
            models.CheckConstraint(
                condition=Q(counted_stock__isnull=True) | Q(counted_stock__gte=0),
                name="entry_counted_stock_not_negative",
                violation_error_message="Counted stock (counted_stock) cannot be negative.",
            ),
        ]
        indexes = [models.Index(fields=["kind", "is_visible"])]

    def __str__(self):
        return self.name

    @property
    def tag_prefix(self):
        """ARDUINO-UNO for "Arduino Uno": the stem of generated asset tags."""
        return (slugify(self.name).upper()[:40].strip("-")) or "UNIT"

    @property
    def is_counted(self):
        return self.counted_stock is not None

    @property
    def thumbnail_url(self):
        """What a card shows: the uploaded picture's resized copy, else `image_url`, else "".
        No query; with S3 the URL is built locally, unsigned."""
        if self.thumbnail:
            return self.thumbnail.url
        return self.image_url

    @property
    def icon_static_path(self):
        """The category's icon for {% static %} (generic without a category). Reads the
        category: one query per entry unless it was fetched with select_related("category")."""
        if self.category_id is None:
            return icon_static_path(Icon.GENERIC)
        return self.category.icon_static_path


class Unit(LiveModel):
    """One physical, tagged piece of hardware."""

    # "My hardware" shows a loan's tag and entry, not the unit's condition or notes.
    live_participant_fields = frozenset({"asset_tag", "entry"})

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="units")
    asset_tag = models.CharField(
        max_length=60, help_text="Unique across the inventory, e.g. ARDUINO-UNO-007."
    )
    condition = models.CharField(max_length=10, choices=Condition.choices, default=Condition.OK)
    notes = models.TextField(blank=True)

    objects = LiveQuerySet.as_manager()

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

    @classmethod
    def from_db(cls, db, field_names, values):
        unit = super().from_db(db, field_names, values)
        unit.stored_condition = unit.__dict__.get("condition")
        return unit

    def clean(self):
        """Every form that edits a unit (admin page, list, inline, import) asks the guards."""
        super().clean()
        if self.pk and self.condition != getattr(self, "stored_condition", self.condition):
            for guard in _condition_guards:
                guard(self)
