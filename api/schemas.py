"""What the API answers, as pydantic models: the OpenAPI schema is generated from these.

Public shapes carry no personal data. The desk's shapes name participants as the desk does
(name, table, team), without email or phone: a token lives in a bot or a screen, a wider
exposure than an organiser's own session.
"""

from datetime import datetime

from ninja import Field, Schema

from checkout.models import Status
from inventory.models import Kind

# Ids are PostgreSQL bigints: anything larger is a 400, never a database error.
MAX_ID = 2**63 - 1
MAX_PAGE = 100
MAX_OFFSET = 1_000_000


class Error(Schema):
    detail: str = Field(description="What was wrong, in words.")


class FieldError(Schema):
    loc: list[str | int] = Field(description="Where: the parameter's place and name.")
    msg: str


class InvalidInput(Error):
    errors: list[FieldError] = Field([], description="Each parameter that was wrong.")


class RateLimited(Error):
    limit: int = Field(description="Requests allowed per window (API_RATE_LIMIT).")
    window_seconds: int
    retry_after: int = Field(description="Seconds until the window reopens (as Retry-After).")


# Filters ----------------------------------------------------------------------------------


class Page(Schema):
    limit: int = Field(30, ge=1, le=MAX_PAGE, description=f"At most {MAX_PAGE}.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class CatalogueFilters(Page):
    q: str = Field("", max_length=100, description="Words in the name or description.")
    category: int | None = Field(None, ge=1, le=MAX_ID, description="A category's id.")
    kind: Kind | None = None


class LoanFilters(Page):
    overdue: bool = Field(False, description="Only loans past their due time.")


# The catalogue -------------------------------------------------------------------------------


class CategoryOut(Schema):
    id: int
    name: str


class StockOut(Schema):
    """Stock in the kind's own terms, as the catalogue shows it. The figures are null where
    the kind has none, or where the event hides quantities for that kind."""

    available: bool = Field(
        description="Whether a new request can get one now (checkout), any are left to draw "
        "(lottery) or to take (free)."
    )
    quantities_shown: bool
    left: int | None = Field(
        description="Checkout: what a new request can get without waiting. Lottery: units to "
        "draw. Free, counted: on the shelf."
    )
    total: int | None
    requested: int | None = Field(description="Checkout: units awaiting approval.")
    waitlisted: int | None = Field(description="Checkout: units people wait for.")
    entrants: int | None = Field(description="Lottery: entrants for the next draw.")


class EntryOut(Schema):
    id: int
    name: str
    kind: Kind
    category: CategoryOut | None
    description: str
    link: str
    picture_url: str = Field(description="A picture, or empty.")
    url: str = Field(description="The entry's page in the catalogue.")
    max_request_quantity: int = Field(ge=1)
    stock: StockOut


class CataloguePage(Schema):
    count: int = Field(description="Entries matching the filters, on every page.")
    limit: int
    offset: int
    items: list[EntryOut]


# The desk --------------------------------------------------------------------------------------


class EntryRef(Schema):
    id: int
    name: str
    kind: Kind


class Participant(Schema):
    id: int
    name: str
    table: str
    team: str


class QueuedRequest(Schema):
    id: int
    status: Status
    quantity: int
    created_at: datetime
    approved_at: datetime | None
    pickup_deadline: datetime | None
    waitlist_position: int | None = Field(description="Waitlisted: 1 is next in line.")
    id_held: bool = Field(description="Whether the desk holds the participant's ID.")
    entry: EntryRef
    participant: Participant


class QueueCounts(Schema):
    pending: int
    pickup: int
    waitlisted: int
    ids_held: int
    overdue: int


class Queue(Schema):
    counts: QueueCounts = Field(description="Every open request and held ID, not just listed.")
    per_queue: int = Field(description="Each queue lists at most its oldest this many.")
    pending: list[QueuedRequest] = Field(description="Awaiting approval, oldest first.")
    pickup: list[QueuedRequest] = Field(description="Approved, ready for pickup, oldest first.")
    waitlist: list[QueuedRequest] = Field(description="By entry, then place in line.")


class UnitRef(Schema):
    id: int
    asset_tag: str


class LoanOut(Schema):
    id: int
    unit: UnitRef
    entry: EntryRef
    participant: Participant
    lent_at: datetime
    due_at: datetime | None
    overdue: bool


class LoanPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[LoanOut]
