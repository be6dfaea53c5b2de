"""What lending takes out of stock, plugged into `Entry.objects.with_stock()`, and the reads
about units that lending adds (on the shelf, held by whom).

Inventory counts units; checkout knows which of them are lent or promised. Registering the
commitments here (from `CheckoutConfig.ready`) keeps the dependency pointing down: inventory
never imports checkout.
"""

from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Now

from core import live
from core.aggregates import count_of, sum_of
from inventory.models import Condition, Unit, register_commitment

from .models import HardwareRequest, IDCollateral, Loan


def units_lent():
    """Units in service with an open loan, per entry."""
    return count_of(
        Loan.objects.open().filter(unit__entry=OuterRef("pk"), unit__condition=Condition.OK)
    )


def units_reserved():
    """Units promised to approved requests whose pickup deadline has not passed, per entry."""
    return sum_of(
        HardwareRequest.objects.filter(entry=OuterRef("pk")).holding_reservation(), "quantity"
    )


def lapsed_pickups():
    """How many approvals have passed their pickup deadline: each one that passes frees units
    with no write, so live versions include it."""
    return count_of(HardwareRequest.objects.lapsed_pickups())


def overdue_loans():
    """How many open loans are past their due time: "overdue" appears with no write."""
    return count_of(Loan.objects.open().filter(due_at__lt=Now()))


def register():
    register_commitment("units_lent", units_lent)
    register_commitment("units_reserved", units_reserved)
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


def with_holdings(users):
    """Annotate users with `holding` (units out now) and `id_held`, in the same query."""
    return users.annotate(
        holding=count_of(Loan.objects.open().filter(user=OuterRef("pk"))),
        id_held=Exists(IDCollateral.objects.held().filter(user=OuterRef("pk"))),
    )
