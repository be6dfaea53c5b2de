"""Approve, deny, cancel, fulfil and return: legal moves, illegal ones, and who did what."""

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.models import HardwareRequest, IDCollateral, Loan, RequestEvent, Status
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Condition, Entry, Kind, Unit

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything the desk writes, to show a refused action changed nothing."""
    return (
        list(HardwareRequest.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        list(RequestEvent.objects.order_by("pk").values_list("pk")),
        list(Loan.objects.order_by("pk").values_list("pk", "returned_at")),
        list(IDCollateral.objects.order_by("pk").values_list("pk", "returned_at")),
        list(Unit.objects.order_by("pk").values_list("pk", "condition")),
    )


def test_approve_reserves_stock_and_records_who(organiser):
    entry = stocked_entry(units=2)
    request = HardwareRequestFactory(entry=entry)
    services.approve_request(hardware_request=request, by=organiser)
    request.refresh_from_db()
    assert request.status == Status.APPROVED
    assert request.pickup_deadline > request.approved_at
    assert request.updated_by == organiser
    assert request.events.last().by == organiser
    assert Entry.objects.with_stock().get(pk=entry.pk).stock_available == 1


def test_approve_refuses_beyond_stock(organiser):
    entry = stocked_entry(units=1)
    first, second = HardwareRequestFactory(entry=entry), HardwareRequestFactory(entry=entry)
    services.approve_request(hardware_request=first, by=organiser)
    before = snapshot()
    with pytest.raises(ValidationError, match="Only 0"):
        services.approve_request(hardware_request=second, by=organiser)
    assert snapshot() == before


def test_fulfil_lends_units_and_takes_the_id(organiser, participant):
    entry = stocked_entry(units=3, max_request_quantity=2)
    request = HardwareRequestFactory(entry=entry, user=participant, quantity=2)
    services.approve_request(hardware_request=request, by=organiser)

    loans = services.fulfil_request(
        hardware_request=request, by=organiser, id_storage_label="Box A-07"
    )

    assert [loan.unit.asset_tag for loan in loans] == [
        f"{entry.tag_prefix}-001",
        f"{entry.tag_prefix}-002",
    ]
    assert all(loan.lent_by == organiser and loan.due_at for loan in loans)
    request.refresh_from_db()
    assert request.status == Status.FULFILLED
    collateral = IDCollateral.objects.held().get(user=participant)
    assert (collateral.storage_label, collateral.taken_by) == ("Box A-07", organiser)
    stock = Entry.objects.with_stock().get(pk=entry.pk)
    assert (stock.units_lent, stock.units_reserved, stock.stock_available) == (2, 0, 1)


def test_fulfil_without_an_id_at_the_desk_is_refused(organiser):
    request = HardwareRequestFactory(entry=stocked_entry())
    services.approve_request(hardware_request=request, by=organiser)
    before = snapshot()
    with pytest.raises(ValidationError, match="holds no ID") as exc:
        services.fulfil_request(hardware_request=request, by=organiser)
    assert exc.value.code == "id_required"
    assert snapshot() == before


def test_fulfil_with_chosen_units(organiser):
    entry = stocked_entry(units=4)
    request = HardwareRequestFactory(entry=entry)
    services.approve_request(hardware_request=request, by=organiser)
    chosen = entry.units.order_by("asset_tag").last()
    loans = services.fulfil_request(
        hardware_request=request, by=organiser, unit_ids=[chosen.pk], id_storage_label="B1"
    )
    assert loans[0].unit == chosen


@pytest.mark.parametrize("which", ["other_entry", "damaged", "lent", "too_many"])
def test_fulfil_refuses_units_that_are_not_on_the_shelf(organiser, which):
    entry = stocked_entry(units=3)
    request = HardwareRequestFactory(entry=entry)
    services.approve_request(hardware_request=request, by=organiser)
    units = list(entry.units.order_by("asset_tag"))
    if which == "other_entry":
        unit_ids = [stocked_entry(units=1).units.get().pk]
    elif which == "damaged":
        Unit.objects.filter(pk=units[0].pk).update(condition=Condition.DAMAGED)
        unit_ids = [units[0].pk]
    elif which == "lent":
        other = HardwareRequestFactory(entry=entry)
        services.approve_request(hardware_request=other, by=organiser)
        services.fulfil_request(
            hardware_request=other, by=organiser, unit_ids=[units[0].pk], id_storage_label="X"
        )
        unit_ids = [units[0].pk]
    else:
        unit_ids = [units[0].pk, units[1].pk]
    before = snapshot()
    with pytest.raises(ValidationError):
        services.fulfil_request(
            hardware_request=request, by=organiser, unit_ids=unit_ids, id_storage_label="Y"
        )
    assert snapshot() == before


def test_return_closes_the_request_and_says_to_give_the_id_back(organiser, participant):
    entry = stocked_entry(units=2, max_request_quantity=2)
    request = HardwareRequestFactory(entry=entry, user=participant, quantity=2)
    services.approve_request(hardware_request=request, by=organiser)
    first, second = services.fulfil_request(
        hardware_request=request, by=organiser, id_storage_label="C3"
    )

    outcome = services.return_loan(loan=first, by=organiser)
    assert outcome.give_back_id is None
    request.refresh_from_db()
    assert request.status == Status.FULFILLED

    outcome = services.return_loan(loan=second, by=organiser, condition=Condition.DAMAGED)
    assert outcome.give_back_id.storage_label == "C3"
    request.refresh_from_db()
    assert request.status == Status.RETURNED
    second.refresh_from_db()
    assert (second.returned_to, second.return_condition) == (organiser, Condition.DAMAGED)
    assert Unit.objects.get(pk=second.unit_id).condition == Condition.DAMAGED
    assert Entry.objects.with_stock().get(pk=entry.pk).stock_available == 1

    services.return_id(collateral=outcome.give_back_id, by=organiser)
    assert not IDCollateral.objects.held().filter(user=participant).exists()


def test_the_id_stays_while_anything_is_still_held(organiser, participant):
    request = HardwareRequestFactory(entry=stocked_entry(), user=participant)
    services.approve_request(hardware_request=request, by=organiser)
    services.fulfil_request(hardware_request=request, by=organiser, id_storage_label="D4")
    before = snapshot()
    with pytest.raises(ValidationError, match="still hold 1"):
        services.return_id(collateral=IDCollateral.objects.get(user=participant), by=organiser)
    assert snapshot() == before


def test_fulfilling_a_cancelled_request_is_refused(organiser, participant):
    request = HardwareRequestFactory(entry=stocked_entry(), user=participant)
    services.cancel_request(hardware_request=request, by=participant)
    before = snapshot()
    with pytest.raises(ValidationError, match="cancelled") as exc:
        services.fulfil_request(hardware_request=request, by=organiser, id_storage_label="A1")
    assert exc.value.code == "illegal_transition"
    assert snapshot() == before


def test_returning_a_unit_that_is_not_lent_is_refused(organiser):
    unit = stocked_entry(units=1).units.get()
    before = snapshot()
    with pytest.raises(ValidationError, match="not lent out"):
        services.return_unit(unit=unit, by=organiser)
    assert snapshot() == before


def test_returning_twice_is_refused(organiser):
    request = HardwareRequestFactory(entry=stocked_entry())
    services.approve_request(hardware_request=request, by=organiser)
    (loan,) = services.fulfil_request(hardware_request=request, by=organiser, id_storage_label="A1")
    services.return_loan(loan=loan, by=organiser)
    before = snapshot()
    with pytest.raises(ValidationError, match="already returned"):
        services.return_loan(loan=loan, by=organiser)
    assert snapshot() == before


def test_cancelling_someone_elses_request_is_refused(participant):
    request = HardwareRequestFactory(entry=stocked_entry(), user=UserFactory())
    before = snapshot()
    with pytest.raises(ValidationError, match="your own") as exc:
        services.cancel_request(hardware_request=request, by=participant)
    assert exc.value.code == "not_yours"
    assert snapshot() == before


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.DENIED, "approve_request"),
        (Status.FULFILLED, "approve_request"),
        (Status.RETURNED, "deny_request"),
        (Status.EXPIRED, "cancel_request"),
        (Status.SUBMITTED, "fulfil_request"),
        (Status.CANCELLED, "deny_request"),
    ],
)
def test_illegal_transitions_change_nothing(organiser, status, action):
    request = HardwareRequestFactory(entry=stocked_entry(), status=status)
    before = snapshot()
    with pytest.raises(ValidationError):
        getattr(services, action)(hardware_request=request, by=organiser)
    assert snapshot() == before


def test_fulfilling_twice_names_who_did_it(organiser):
    request = HardwareRequestFactory(entry=stocked_entry())
    services.approve_request(hardware_request=request, by=organiser)
    services.fulfil_request(hardware_request=request, by=organiser, id_storage_label="A1")
    with pytest.raises(ValidationError, match=f"already handed out by {organiser}"):
        services.fulfil_request(hardware_request=request, by=UserFactory(is_staff=True))


def test_every_transition_is_in_the_audit_trail(organiser, participant):
    request = services.submit_request(user=participant, entry=stocked_entry(), quantity=1)
    services.approve_request(hardware_request=request, by=organiser)
    (loan,) = services.fulfil_request(hardware_request=request, by=organiser, id_storage_label="A1")
    services.return_loan(loan=loan, by=organiser)
    trail = list(request.events.values_list("from_status", "to_status", "by"))
    assert trail == [
        ("", Status.SUBMITTED, participant.pk),
        (Status.SUBMITTED, Status.APPROVED, organiser.pk),
        (Status.APPROVED, Status.FULFILLED, organiser.pk),
        (Status.FULFILLED, Status.RETURNED, organiser.pk),
    ]


def test_lottery_and_checkout_need_id_but_the_kind_decides(organiser):
    entry = stocked_entry(kind=Kind.LOTTERY)
    request = HardwareRequestFactory(entry=entry, proposal="x")
    services.run_lottery(entry=entry, by=organiser)
    with pytest.raises(ValidationError, match="holds no ID"):
        services.fulfil_request(hardware_request=request, by=organiser)
