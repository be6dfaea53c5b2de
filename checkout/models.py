"""Requests, loans, ID collateral, lottery draws and hand-outs: the hardware desk's records.

Every state change is made by a function in services.py, which also writes who did it and when.
"""

from django.conf import settings
from django.db import connection, models
from django.db.models import BooleanField, ExpressionWrapper, FilteredRelation, OuterRef, Q
from django.db.models.functions import Now, Upper
from django.urls import reverse
from django.utils import timezone

from core.aggregates import count_of
from core.live import LiveModel, LiveQuerySet, user_scope
from inventory.models import Condition, Entry, Kind, Unit

# Past events' tables live in their own module; Django finds models through this one.
from .archive.models import (  # noqa: F401
    PastCVConsent,
    PastDraw,
    PastEvent,
    PastHandout,
    PastIDHold,
    PastLoan,
    PastRequest,
)


class Status(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    WAITLISTED = "waitlisted", "Waitlisted"
    APPROVED = "approved", "Ready for pickup"
    FULFILLED = "fulfilled", "Handed out"
    RETURNED = "returned", "Returned"
    DENIED = "denied", "Denied"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"


OPEN_STATUSES = [Status.SUBMITTED, Status.WAITLISTED, Status.APPROVED]
# Submitted requests an organiser must decide on. Lottery entrants wait for their draw instead.
AWAITING_APPROVAL = Q(status=Status.SUBMITTED) & ~Q(entry__kind=Kind.LOTTERY)

# The only transitions there are. Anything else is refused with a message and changes nothing.
TRANSITIONS = {
    Status.SUBMITTED: {Status.APPROVED, Status.DENIED, Status.CANCELLED, Status.WAITLISTED},
    Status.WAITLISTED: {Status.SUBMITTED, Status.APPROVED, Status.DENIED, Status.CANCELLED},
    Status.APPROVED: {Status.FULFILLED, Status.DENIED, Status.CANCELLED, Status.EXPIRED},
    Status.FULFILLED: {Status.RETURNED},
    Status.RETURNED: set(),
    Status.DENIED: set(),
    Status.CANCELLED: set(),
    Status.EXPIRED: set(),
}


class RequestQuerySet(LiveQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def awaiting_approval(self):
        return self.filter(AWAITING_APPROVAL)

    def lottery_entrants(self):
        """Submitted requests for lottery entries: the next draw's entrants."""
        return self.filter(status=Status.SUBMITTED, entry__kind=Kind.LOTTERY)

    def holding_reservation(self):
        """Approved requests whose pickup deadline has not passed: their units are promised.

        An approval whose deadline has passed frees its units at once, before housekeeping
        records the expiry (see `lapsed_pickups`)."""
        return self.filter(status=Status.APPROVED).filter(
            Q(pickup_deadline__isnull=True) | Q(pickup_deadline__gt=Now())
        )

    def lapsed_pickups(self):
        """Approved requests past their pickup deadline, not yet expired by housekeeping."""
        return self.filter(status=Status.APPROVED, pickup_deadline__lt=Now())

    def with_waitlist_position(self):
        """Annotate `waitlist_position` (1 = next in line) on waitlisted requests."""
        ahead = count_of(
            HardwareRequest.objects.filter(
                entry=OuterRef("entry"), status=Status.WAITLISTED, pk__lt=OuterRef("pk")
            )
        )
        return self.annotate(waitlist_position=ahead + 1)

    def with_id_held(self):
        """Annotate `id_held`: whether the desk holds the requester's ID.

        A join on the held card (at most one per person: the id_one_held_per_user index), not
        EXISTS: for EXISTS PostgreSQL hashes every held ID once (11,766 at 100x) to answer the
        desk's 150 rows; the join probes that index once per row.
        """
        held = Q(user__id_collateral__returned_at__isnull=True)
        return self.annotate(
            held_card=FilteredRelation("user__id_collateral", condition=held)
        ).annotate(
            id_held=ExpressionWrapper(Q(held_card__id__isnull=False), output_field=BooleanField())
        )

    def for_desk(self):
        return self.select_related("user__team", "entry", "entry__category").with_id_held()

    def desk_queues(self, *, limit):
        """The desk's three queues (awaiting approval, ready for pickup, waitlisted), the
        oldest `limit` of each, in one query, oldest first.

        Bounded by what the desk shows, not by how many requests are open: each queue's
        oldest are one `ORDER BY created_at, id LIMIT n` over the (status, created_at) index,
        and only those rows are joined to their user and entry and given their waitlist place
        and ID status. (Window functions over every open request took 0.5 s at 36,000.)
        SQLite cannot slice inside a UNION; there the three slices are ORed `IN`s.
        """
        firsts = [
            queue.order_by("created_at", "pk").values("pk")[:limit]
            for queue in (
                self.filter(AWAITING_APPROVAL),
                self.filter(status=Status.APPROVED),
                self.filter(status=Status.WAITLISTED),
            )
        ]
        if connection.features.supports_slicing_ordering_in_compound:
            shown = Q(pk__in=firsts[0].union(*firsts[1:], all=True))
        else:
            shown = Q(pk__in=firsts[0]) | Q(pk__in=firsts[1]) | Q(pk__in=firsts[2])
        return self.filter(shown).for_desk().with_waitlist_position().order_by("created_at", "pk")


class HardwareRequest(LiveModel):
    """A participant's request for `quantity` units of one entry. (Not `Request`: that name
    belongs to the HTTP request every view handles.)"""

    live_owner = "user_id"

    @classmethod
    def live_neighbours(cls, rows):
        """Whoever waits for the same entries: a request joining, leaving or changing places
        in a waitlist can move their place on "My hardware". One query."""
        entries = {row.entry_id for row in rows}
        waiting = cls.objects.filter(entry__in=entries, status=Status.WAITLISTED)
        return {user_scope(user) for user in waiting.values_list("user", flat=True)}

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hardware_requests"
    )
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="requests")
    quantity = models.PositiveSmallIntegerField(default=1)
    proposal = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    pickup_deadline = models.DateTimeField(
        null=True, blank=True, help_text="An approved request not picked up by then expires."
    )
    lottery_draw = models.ForeignKey(
        "LotteryDraw", on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="request_quantity_gte_1"),
            # One open request per participant and entry: a double-click cannot make two.
            models.UniqueConstraint(
                fields=["user", "entry"],
                condition=Q(status__in=OPEN_STATUSES),
                name="request_one_open_per_user_entry",
                violation_error_message="You already have an open request for this item.",
            ),
        ]
        indexes = [
            models.Index(fields=["entry", "status"]),
            models.Index(fields=["status", "created_at"]),
            # Lapsed pickups, a time term every live poll's snapshot refresh counts.
            models.Index(
                fields=["pickup_deadline"],
                condition=Q(status=Status.APPROVED),
                name="request_approved_deadline",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.quantity}× {self.entry} for {self.user}"

    @property
    def is_cancellable(self):
        return self.status in OPEN_STATUSES

    @property
    def awaits_draw(self):
        """A lottery entrant: the draw decides it, not an organiser."""
        return self.status == Status.SUBMITTED and self.entry.kind == Kind.LOTTERY

    @property
    def status_label(self):
        """The status as the participant and the desk should read it."""
        if self.status == Status.DENIED and self.lottery_draw_id:
            return "Not drawn in the lottery"
        if self.awaits_draw:
            return "In the lottery"
        return self.get_status_display()

    @property
    def participant_label(self):
        """The status in the participant's words: a lottery result says won or not drawn."""
        if self.lottery_draw_id and self.status == Status.APPROVED:
            return "You won: ready for pickup"
        if self.lottery_draw_id and self.status == Status.DENIED:
            return "Not drawn this time"
        return self.status_label


class RequestEvent(models.Model):
    """Audit trail: one row for every status change of a request."""

    request = models.ForeignKey(HardwareRequest, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_status or 'new'} → {self.to_status}"


class LoanQuerySet(LiveQuerySet):
    def open(self):
        return self.filter(returned_at__isnull=True)

    def overdue(self):
        """Open loans past their due time, by the database's clock (as the live versions
        count them: a loan turns overdue with no write)."""
        return self.open().filter(due_at__lt=Now())

    def with_overdue(self):
        """Annotate `overdue` by the same rule and clock as overdue(), in the same query."""
        return self.annotate(
            overdue=ExpressionWrapper(
                Q(returned_at__isnull=True, due_at__isnull=False, due_at__lt=Now()),
                output_field=BooleanField(),
            )
        )

    def for_lists(self):
        return self.select_related("unit", "unit__entry", "user", "lent_by", "returned_to")


class Loan(LiveModel):
    """One unit lent to one participant. At most one open loan per unit (database constraint)."""

    live_owner = "user_id"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="loans")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="loans"
    )
    request = models.ForeignKey(
        HardwareRequest, on_delete=models.PROTECT, related_name="loans", null=True, blank=True
    )
    lent_at = models.DateTimeField(default=timezone.now)
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    return_condition = models.CharField(max_length=10, choices=Condition.choices[:3], blank=True)

    objects = LoanQuerySet.as_manager()

    class Meta:
        ordering = ["-lent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(returned_at__isnull=True),
                name="loan_one_open_per_unit",
                violation_error_message="This unit is already lent out.",
            ),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | Q(returned_to__isnull=False),
                name="loan_return_has_receiver",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "returned_at"]),
            # Overdue loans: the desk's count and filter (oldest due first), a live time term.
            models.Index(
                fields=["due_at"], condition=Q(returned_at__isnull=True), name="loan_open_due_at"
            ),
        ]

    def __str__(self):
        return f"{self.unit} → {self.user}"

    @property
    def is_open(self):
        return self.returned_at is None

    @property
    def is_overdue(self):
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()


class IDCollateralQuerySet(LiveQuerySet):
    def held(self):
        return self.filter(returned_at__isnull=True)


class IDCollateral(LiveModel):
    """A participant's ID held by the desk, and where it is stored. A ledger, not a flag."""

    live_owner = "user_id"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="id_collateral"
    )
    storage_label = models.CharField(
        "stored in", max_length=40, help_text="The slot, envelope or box label."
    )
    taken_at = models.DateTimeField(default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = IDCollateralQuerySet.as_manager()

    class Meta:
        verbose_name = "ID collateral"
        verbose_name_plural = "ID collateral"
        ordering = ["-taken_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(returned_at__isnull=True),
                name="id_one_held_per_user",
                violation_error_message="The desk already holds this participant's ID.",
            ),
            models.UniqueConstraint(
                Upper("storage_label"),
                condition=Q(returned_at__isnull=True),
                name="id_one_per_slot",
                violation_error_message="That slot already holds someone's ID.",
            ),
        ]

    def __str__(self):
        return f"ID of {self.user} in {self.storage_label}"

    @property
    def is_held(self):
        return self.returned_at is None


class LotteryCommitment(LiveModel):
    """A lottery's next seed, fixed before its entries close.

    Its SHA-256 (`commitment`) is shown on the lottery's page and to its entrants; the seed
    itself stays secret until the draw, which copies both into its `LotteryDraw` and deletes
    this row. One per entry: a commitment cannot be replaced once entrants may have seen it.
    """

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="lottery_commitment")
    seed = models.CharField(max_length=100, help_text="Secret until the draw reveals it.")
    commitment = models.CharField(max_length=64, help_text="SHA-256 of the seed, hex.")
    committed_at = models.DateTimeField(default=timezone.now)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when committed automatically, as the first entrant entered.",
    )

    objects = LiveQuerySet.as_manager()

    class Meta:
        ordering = ["-committed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(commitment__regex=r"^[0-9a-f]{64}$"),
                name="lottery_commitment_is_sha256_hex",
            )
        ]

    def __str__(self):
        return f"Seed for {self.entry}: sha256 {self.commitment}"


class LotteryDraw(LiveModel):
    """A stored lottery draw: the revealed seed, its commitment and the inputs are kept so
    anyone can re-run it (checkout/lottery.py)."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="lottery_draws")
    seed = models.CharField(max_length=100, help_text="Revealed at the draw.")
    commitment = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the seed, published before the draw."
    )
    committed_at = models.DateTimeField(null=True, blank=True)
    stock = models.PositiveIntegerField(help_text="Units available when the draw ran.")
    entrants = models.JSONField(help_text="[[request id, quantity], ...] in request id order.")
    winners = models.JSONField(help_text="Winning request ids in draw order.")
    options = models.JSONField(default=dict)
    run_at = models.DateTimeField(default=timezone.now)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = LiveQuerySet.as_manager()

    class Meta:
        ordering = ["-run_at", "-pk"]

    def __str__(self):
        return f"Lottery for {self.entry} at {self.run_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("checkout:lottery_draw", args=[self.pk])


class Handout(LiveModel):
    """Free items handed out at the desk (no approval, no return)."""

    live_owner = "user_id"

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="handouts")
    quantity = models.PositiveIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handouts",
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    objects = LiveQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="handout_qty_gte_1")
        ]

    def __str__(self):
        return f"{self.quantity}× {self.entry}"


class NotificationKind(models.TextChoices):
    """What a participant is emailed about. Each kind has a paragraph template
    (templates/checkout/email/includes/_<kind>.txt) and a subject (notifications/emails.py)."""

    READY = "ready", "Ready for pickup"
    MOVED_UP = "moved_up", "Ready from the waitlist"
    WON = "won", "Won the lottery"
    NOT_DRAWN = "not_drawn", "Not drawn in the lottery"
    DENIED = "denied", "Denied"
    EXPIRED = "expired", "Pickup missed"
    RETURNED = "returned", "Return receipt"
    OVERDUE = "overdue", "Overdue"
    DUE_SOON = "due_soon", "Due back soon"


# Kinds about a loan rather than a request; the reminders are sent at most once per loan.
LOAN_KINDS = [NotificationKind.RETURNED, NotificationKind.OVERDUE, NotificationKind.DUE_SOON]
ONCE_PER_LOAN = [NotificationKind.OVERDUE, NotificationKind.DUE_SOON]


class NotificationState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not sent: no longer true"
    FAILED = "failed", "Not sent: the mail server refused it"


class NotificationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=NotificationState.PENDING)

    def for_email(self):
        """With what an email about them shows: the request's entry and lottery draw, the
        loan's unit and entry."""
        return self.select_related(
            "user", "request__entry", "request__lottery_draw", "loan__unit__entry"
        )


class Notification(models.Model):
    """A change a participant is to be emailed about: the outbox and the ledger of emails.

    Services write these in the transaction that makes the change (a rollback leaves none);
    after it commits, one task per participant sends everything pending for them as one email
    (checkout/notifications/). A loan's overdue notice is unique, so it is sent once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=12, choices=NotificationKind.choices)
    request = models.ForeignKey(
        HardwareRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    loan = models.ForeignKey(
        Loan, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        max_length=8, choices=NotificationState.choices, default=NotificationState.PENDING
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Failed sends so far.")
    tried_at = models.DateTimeField(
        null=True, blank=True, help_text="The last failed send, or when it was queued again."
    )
    last_error = models.CharField(max_length=300, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=LOAN_KINDS, loan__isnull=False, request__isnull=True)
                | (~Q(kind__in=LOAN_KINDS) & Q(request__isnull=False, loan__isnull=True)),
                name="notification_about_its_kinds_record",
            ),
            models.UniqueConstraint(
                fields=["loan", "kind"],
                condition=Q(kind__in=ONCE_PER_LOAN),
                name="notification_once_per_loan",
            ),
        ]
        indexes = [models.Index(fields=["user", "state"])]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.user}"
