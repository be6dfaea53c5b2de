import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.models import HardwareRequest, RequestEvent, Status
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Kind
from inventory.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


def test_it_submits_a_checkout_request_within_stock(participant):
    entry = stocked_entry(units=3, max_request_quantity=2)
    request = services.submit_request(user=participant, entry=entry, quantity=2)
    assert request.status == Status.SUBMITTED
    event = RequestEvent.objects.get(request=request)
    assert (event.from_status, event.to_status, event.by) == ("", Status.SUBMITTED, participant)


def test_it_waitlists_first_come_first_served_beyond_stock():
    entry = stocked_entry(units=2)
    users = UserFactory.create_batch(5)
    made = [services.submit_request(user=u, entry=entry, quantity=1) for u in users]
    assert [r.status for r in made] == [Status.SUBMITTED] * 2 + [Status.WAITLISTED] * 3
    positions = dict(
        HardwareRequest.objects.filter(status=Status.WAITLISTED)
        .with_waitlist_position()
        .values_list("user_id", "waitlist_position")
    )
    assert positions == {users[2].pk: 1, users[3].pk: 2, users[4].pk: 3}


def test_it_refuses_beyond_stock_when_the_waitlist_is_off(set_event):
    set_event(waitlist_enabled=False)
    entry = stocked_entry(units=1)
    services.submit_request(user=UserFactory(), entry=entry, quantity=1)
    with pytest.raises(ValidationError, match="left"):
        services.submit_request(user=UserFactory(), entry=entry, quantity=1)
    assert HardwareRequest.objects.count() == 1


def test_it_needs_phone_and_table_first():
    user = UserFactory(phone="", location="")
    with pytest.raises(ValidationError, match="profile") as exc:
        services.submit_request(user=user, entry=stocked_entry(), quantity=1)
    assert exc.value.code == "profile_incomplete"
    assert not HardwareRequest.objects.exists()


def test_a_second_request_for_the_same_entry_is_refused(participant):
    entry = stocked_entry()
    services.submit_request(user=participant, entry=entry, quantity=1)
    with pytest.raises(ValidationError, match="already have an open request"):
        services.submit_request(user=participant, entry=entry, quantity=1)
    assert HardwareRequest.objects.count() == 1


@pytest.mark.parametrize("quantity", [0, -1, 3, "2"])
def test_it_bounds_the_quantity(participant, quantity):
    entry = stocked_entry(max_request_quantity=2)
    with pytest.raises(ValidationError):
        services.submit_request(user=participant, entry=entry, quantity=quantity)
    assert not HardwareRequest.objects.exists()


def test_free_and_hidden_entries_cannot_be_requested(participant):
    with pytest.raises(ValidationError, match="Free items"):
        services.submit_request(user=participant, entry=stocked_entry(kind=Kind.FREE), quantity=1)
    with pytest.raises(ValidationError, match="not available"):
        services.submit_request(user=participant, entry=stocked_entry(is_visible=False), quantity=1)
    assert not HardwareRequest.objects.exists()


def test_lottery_entries_need_a_proposal_within_the_limit(participant, set_event):
    set_event(proposal_max_length=20)
    entry = stocked_entry(kind=Kind.LOTTERY)
    with pytest.raises(ValidationError, match="proposal"):
        services.submit_request(user=participant, entry=entry, quantity=1, proposal="   ")
    with pytest.raises(ValidationError, match="under 20"):
        services.submit_request(user=participant, entry=entry, quantity=1, proposal="x" * 21)
    request = services.submit_request(
        user=participant, entry=entry, quantity=1, proposal="A plant robot"
    )
    assert request.status == Status.SUBMITTED  # lottery entries never waitlist
    assert request.proposal == "A plant robot"


def test_one_lottery_at_a_time_unless_organisers_allow_more(participant, set_event):
    first, second = stocked_entry(kind=Kind.LOTTERY), stocked_entry(kind=Kind.LOTTERY)
    services.submit_request(user=participant, entry=first, quantity=1, proposal="Robot")
    with pytest.raises(ValidationError, match="one lottery"):
        services.submit_request(user=participant, entry=second, quantity=1, proposal="Robot")
    set_event(lottery_multiple_entries=True)
    services.submit_request(user=participant, entry=second, quantity=1, proposal="Robot")
    assert HardwareRequest.objects.filter(user=participant).count() == 2


def test_a_closed_request_does_not_block_a_new_one(participant):
    entry = stocked_entry()
    HardwareRequestFactory(user=participant, entry=entry, status=Status.DENIED)
    assert services.submit_request(user=participant, entry=entry, quantity=1).pk


def test_a_counted_consumable_cannot_be_requested(participant):
    entry = EntryFactory(kind=Kind.CHECKOUT, counted_stock=10)
    with pytest.raises(ValidationError):
        services.submit_request(user=participant, entry=entry, quantity=1)
