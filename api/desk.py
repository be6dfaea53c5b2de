"""Organiser endpoints (an API token): the desk's queue and the open loans, read with the
same queries as the desk's own pages."""

from django.db.models import F
from django.http import HttpResponse
from ninja import Query, Router

from checkout.desk.queue import QUEUE_LIMIT, desk_queues, desk_stats
from checkout.models import Loan, Status

from . import conditional
from .catalogue import IF_NONE_MATCH, RESPONSES
from .params import refuse_unknown
from .schemas import LoanFilters, LoanPage, Queue
from .security import OrganiserToken

router = Router(tags=["desk"], auth=OrganiserToken())


def participant(user):
    """Needs the user's team selected with them (select_related "user__team")."""
    team = user.team.name if user.team_id else ""
    return {"id": user.pk, "name": user.name, "table": user.location, "team": team}


def entry_ref(entry):
    return {"id": entry.pk, "name": entry.name, "kind": entry.kind}


def queued(hardware_request):
    """Needs the request from desk_queues() (user, entry, id_held, waitlist_position)."""
    waitlisted = hardware_request.status == Status.WAITLISTED
    return {
        "id": hardware_request.pk,
        "status": hardware_request.status,
        "quantity": hardware_request.quantity,
        "created_at": hardware_request.created_at,
        "approved_at": hardware_request.approved_at,
        "pickup_deadline": hardware_request.pickup_deadline,
        "waitlist_position": hardware_request.waitlist_position if waitlisted else None,
        "id_held": hardware_request.id_held,
        "entry": entry_ref(hardware_request.entry),
        "participant": participant(hardware_request.user),
    }


@router.get(
    "/queue",
    response={200: Queue, **RESPONSES},
    summary="The desk's queues",
    operation_id="queue",
)
def queue(request, response: HttpResponse, if_none_match: str | None = IF_NONE_MATCH):
    """Open requests as the desk lists them: awaiting approval and ready for pickup, oldest
    first; the waitlist by entry and place. Queries: the token and its owner's permissions;
    the version (unchanged: a 304); the counts; the three queues in one query."""
    refuse_unknown(request)
    etag = conditional.etag_for(request, {})
    if conditional.matches(if_none_match, etag):
        return conditional.not_modified(etag)
    stats = desk_stats(exact=True)  # the desk's own pages stop counting at 1,000+
    queues = desk_queues()
    conditional.cache_headers(response, etag, private=True)
    return {
        "counts": {
            name: stats[name] for name in ("pending", "pickup", "waitlisted", "ids_held", "overdue")
        },
        "per_queue": QUEUE_LIMIT,
        "pending": [queued(r) for r in queues[Status.SUBMITTED]],
        "pickup": [queued(r) for r in queues[Status.APPROVED]],
        "waitlist": [queued(r) for r in queues[Status.WAITLISTED]],
    }


@router.get(
    "/loans",
    response={200: LoanPage, **RESPONSES},
    summary="Open loans, or only overdue ones",
    operation_id="loans",
)
def loans(
    request,
    response: HttpResponse,
    filters: Query[LoanFilters],
    if_none_match: str | None = IF_NONE_MATCH,
):
    """Units out now, soonest due first (no due time last); `overdue=true` keeps those past
    their due time, longest overdue first, as the desk's Overdue filter. Queries: the token
    and its owner's permissions; the version (unchanged: a 304); the count and the page."""
    refuse_unknown(request, LoanFilters)
    etag = conditional.etag_for(request, filters.dict())
    if conditional.matches(if_none_match, etag):
        return conditional.not_modified(etag)
    matching = Loan.objects.overdue() if filters.overdue else Loan.objects.open()
    count = matching.count()
    page = (
        matching.with_overdue()
        .select_related("unit__entry", "user__team")
        .order_by(F("due_at").asc(nulls_last=True), "pk")[
            filters.offset : filters.offset + filters.limit
        ]
    )
    conditional.cache_headers(response, etag, private=True)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [
            {
                "id": loan.pk,
                "unit": {"id": loan.unit.pk, "asset_tag": loan.unit.asset_tag},
                "entry": entry_ref(loan.unit.entry),
                "participant": participant(loan.user),
                "lent_at": loan.lent_at,
                "due_at": loan.due_at,
                "overdue": loan.overdue,
            }
            for loan in page
        ],
    }
