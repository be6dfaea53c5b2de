"""A lent unit's condition changes when it comes back at the desk; the admin refuses to change it
meanwhile, and a return says plainly what happened to the unit."""

import pytest
from django.urls import reverse

from checkout import services
from checkout.models import Loan
from checkout.tests.factories import stocked_entry
from inventory.models import Condition, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def loan(organiser, participant):
    entry = stocked_entry(units=2)
    request = services.submit_request(user=participant, entry=entry, quantity=1)
    services.approve_request(hardware_request=request, by=organiser)
    (loan,) = services.fulfil_request(hardware_request=request, by=organiser, id_storage_label="B2")
    return loan


def unit_form(unit, condition):
    return {
        "asset_tag": unit.asset_tag,
        "entry": unit.entry_id,
        "condition": condition,
        "notes": "",
    }


def test_the_admin_refuses_to_mark_a_lent_unit_lost(organiser_client, loan):
    page = reverse("admin:inventory_unit_change", args=[loan.unit_id])
    response = organiser_client.post(page, unit_form(loan.unit, Condition.LOST))
    assert response.status_code == 200  # the form again, with the error
    assert "is on loan to" in response.content.decode()
    assert "return it as damaged or lost there" in response.content.decode()
    assert Unit.objects.get(pk=loan.unit_id).condition == Condition.OK


def test_the_unit_list_refuses_it_too(organiser_client, loan):
    other = Unit.objects.exclude(pk=loan.unit_id).get()
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": loan.unit_id,
        "form-0-condition": Condition.LOST,
        "form-1-id": other.pk,
        "form-1-condition": Condition.DAMAGED,
        "_save": "Save",
    }
    response = organiser_client.post(reverse("admin:inventory_unit_changelist"), data)
    assert "is on loan to" in response.content.decode()
    # nothing half-written: the unit that was not lent is unchanged as well
    assert set(Unit.objects.values_list("condition", flat=True)) == {Condition.OK}


def test_a_unit_on_the_shelf_can_still_be_marked(organiser_client, loan):
    other = Unit.objects.exclude(pk=loan.unit_id).get()
    page = reverse("admin:inventory_unit_change", args=[other.pk])
    response = organiser_client.post(page, unit_form(other, Condition.DAMAGED))
    assert response.status_code == 302
    assert Unit.objects.get(pk=other.pk).condition == Condition.DAMAGED


def test_a_return_as_ok_puts_a_unit_marked_lost_meanwhile_back_and_says_so(organiser, loan):
    Unit.objects.filter(pk=loan.unit_id).update(condition=Condition.LOST)  # an older edit
    outcome = services.return_loan(loan=loan, by=organiser)
    unit = Unit.objects.get(pk=loan.unit_id)
    assert unit.condition == Condition.OK
    assert "Lost while lent; returned OK" in unit.notes
    assert (
        "warning",
        f"{unit} had been marked lost while lent; it is back in service now.",
    ) in outcome.messages()


@pytest.mark.parametrize(
    "condition, said",
    [
        (Condition.OK, "is back from"),
        (Condition.DAMAGED, "came back damaged from"),
        (Condition.LOST, "is recorded as lost by"),
    ],
)
def test_the_desk_says_what_happened_to_the_unit(organiser_client, loan, condition, said):
    response = organiser_client.post(
        reverse("admin:desk_return_loan", args=[loan.pk]),
        {"condition": condition},
        follow=True,
    )
    text = [str(m) for m in response.context["messages"]]
    assert any(said in message for message in text), text
    if condition != Condition.OK:
        assert not any("is back from" in message for message in text)
    assert Loan.objects.get(pk=loan.pk).returned_at is not None
    assert Unit.objects.get(pk=loan.unit_id).condition == condition
