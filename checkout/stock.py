"""What lending takes out of stock, plugged into `Entry.objects.with_stock()`, and the reads
about units that lending adds (on the shelf, held by whom).

Inventory counts units; checkout knows which of them are lent or promised. Registering the
commitments here (from `CheckoutConfig.ready`) keeps the dependency pointing down: inventory
never imports checkout.
"""

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Subquery

from core import live
from core.aggregates import count_of, sum_of
from inventory.models import (
    Condition,
    Unit,
    register_claim,
    register_commitment,
    register_condition_guard,
)

from .models import HardwareRequest, IDCollateral, Loan, Status


def units_lent():
    """Units in service with an open loan, per entry.

    Counted over the entry's units with EXISTS an open loan (at most one per unit), not over
    loans joined to units: for the join, once the tables are ANALYZEd, PostgreSQL hashes every
    open loan again for each entry (the dashboard's stock-outs at 10x: 307 ms); for EXISTS it
    hashes them once per query (84 ms) or probes loan_one_open_per_unit for a few entries.
    """
    open_loan = Loan.objects.open().filter(unit=OuterRef("pk"))
    return count_of(
        Unit.objects.filter(entry=OuterRef("pk"), condition=Condition.OK).filter(Exists(open_loan))
    )


def units_reserved():
    """Units promised to approved requests whose pickup deadline has not passed, per entry."""
    return sum_of(
        HardwareRequest.objects.filter(entry=OuterRef("pk")).holding_reservation(), "quantity"
    )


def units_requested():
    """Units that requests awaiting approval (or a lottery draw) ask for, per entry."""
    return sum_of(
        HardwareRequest.objects.filter(entry=OuterRef("pk"), status=Status.SUBMITTED), "quantity"
    )


def units_waitlisted():
    """Units that waitlisted requests ask for, per entry: a new request queues behind them."""
    return sum_of(
        HardwareRequest.objects.filter(entry=OuterRef("pk"), status=Status.WAITLISTED), "quantity"
    )


def lapsed_pickups():
    """How many approvals have passed their pickup deadline: each one that passes frees units
    with no write, so live versions include it."""
    return count_of(HardwareRequest.objects.lapsed_pickups())


def overdue_loans():
    """How many open loans are past their due time: "overdue" appears with no write."""
    return count_of(Loan.objects.overdue())


def lent_unit_changes_condition_on_return(unit):
    """The rule for a unit on loan: its condition changes when it comes back, at the desk
    (returned OK, damaged or lost), which also closes the loan and settles the ID. An edit in
    the admin meanwhile would leave a "lost" unit lent, or a returned one lost and out of stock.
    """
    loan = Loan.objects.open().filter(unit_id=unit.pk).select_related("user").first()
    if loan is not None:
        raise ValidationError(
            {
                "condition": f"{unit.asset_tag} is on loan to {loan.user}. Record it at the "
                "desk instead: return it as damaged or lost there, which also closes the loan."
            }
        )


def register():
    register_commitment("units_lent", units_lent)
    register_commitment("units_reserved", units_reserved)
    register_claim("units_requested", units_requested)
    register_claim("units_waitlisted", units_waitlisted)
    register_condition_guard(lent_unit_changes_condition_on_return)
    live.register_time_term(lapsed_pickups)
    live.register_time_term(overdue_loans)


def unit_is_lent():
    """Exists() expression for Unit querysets: the unit has an open loan."""
    return Exists(Loan.objects.open().filter(unit=OuterRef("pk")))


def units_on_shelf(entry):
    """The entry's units that can be handed out now: in OK condition and not lent."""
    return (
        Unit.objects.filter(entry=entry, condition=Condition.OK)
        .exclude(unit_is_lent())
        .order_by("asset_tag")
    )


def with_holder(units):
    """Annotate who holds each unit now (`holder_id`, `holder_name`), in the same query."""
    open_loan = Loan.objects.open().filter(unit=OuterRef("pk"))
    return units.annotate(
        holder_id=Subquery(open_loan.values("user_id")[:1]),
        holder_name=Subquery(open_loan.values("user__name")[:1]),
    )


def with_entrants(entries):
    """Annotate `entrants`: how many wait for an entry's next lottery draw (same query). The
    catalogue, an entry's page and the API show it beside the stock."""
    return entries.annotate(
        entrants=count_of(HardwareRequest.objects.lottery_entrants().filter(entry=OuterRef("pk")))
    )


def with_holdings(users):
    """Annotate users with `holding` (units out now) and `id_held`, in the same query."""
    return users.annotate(
        holding=count_of(Loan.objects.open().filter(user=OuterRef("pk"))),
        id_held=Exists(IDCollateral.objects.held().filter(user=OuterRef("pk"))),
    )
