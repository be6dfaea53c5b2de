import datetime
import io

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.models import HardwareRequest, Status
from checkout.tests.factories import stocked_entry

pytestmark = pytest.mark.django_db


def full_entry(organiser, waiting=2):
    """One unit lent out and `waiting` participants on the waitlist."""
    entry = stocked_entry(units=1)
    holder = services.submit_request(user=UserFactory(), entry=entry, quantity=1)
    services.approve_request(hardware_request=holder, by=organiser)
    (loan,) = services.fulfil_request(hardware_request=holder, by=organiser, id_storage_label="A")
    queue = [
        services.submit_request(user=UserFactory(), entry=entry, quantity=1) for _ in range(waiting)
    ]
    assert {r.status for r in queue} == {Status.WAITLISTED}
    return entry, loan, queue


def statuses(requests):
    return [HardwareRequest.objects.get(pk=r.pk).status for r in requests]


def test_a_returned_unit_moves_the_head_of_the_queue_up(organiser):
    entry, loan, queue = full_entry(organiser)
    services.return_loan(loan=loan, by=organiser)
    assert statuses(queue) == [Status.SUBMITTED, Status.WAITLISTED]
    position = (
        HardwareRequest.objects.with_waitlist_position().get(pk=queue[1].pk).waitlist_position
    )
    assert position == 1


def test_with_auto_approve_the_next_in_line_is_approved(organiser, set_event):
    set_event(waitlist_auto_approve=True)
    entry, loan, queue = full_entry(organiser)
    services.return_loan(loan=loan, by=organiser)
    assert statuses(queue) == [Status.APPROVED, Status.WAITLISTED]


def test_a_damaged_return_moves_nobody_up(organiser):
    entry, loan, queue = full_entry(organiser)
    services.return_loan(loan=loan, by=organiser, condition="damaged")
    assert statuses(queue) == [Status.WAITLISTED, Status.WAITLISTED]


def test_a_missed_pickup_expires_and_offers_the_unit_to_the_next(organiser):
    entry = stocked_entry(units=1)
    first = services.submit_request(user=UserFactory(), entry=entry, quantity=1)
    services.approve_request(hardware_request=first, by=organiser)
    second = services.submit_request(user=UserFactory(), entry=entry, quantity=1)
    assert second.status == Status.WAITLISTED

    later = timezone.now() + datetime.timedelta(hours=1)
    assert services.expire_overdue_pickups(now=later) == 1

    assert statuses([first, second]) == [Status.EXPIRED, Status.SUBMITTED]
    assert HardwareRequest.objects.get(pk=first.pk).events.last().note == "not picked up in time"


def test_nothing_expires_before_its_deadline(organiser):
    entry = stocked_entry(units=1)
    request = services.submit_request(user=UserFactory(), entry=entry, quantity=1)
    services.approve_request(hardware_request=request, by=organiser)
    assert services.expire_overdue_pickups() == 0
    assert statuses([request]) == [Status.APPROVED]


def test_a_cancelled_approval_moves_the_queue(organiser):
    entry = stocked_entry(units=1)
    first = services.submit_request(user=UserFactory(), entry=entry, quantity=1)
    services.approve_request(hardware_request=first, by=organiser)
    second = services.submit_request(user=UserFactory(), entry=entry, quantity=1)
    services.cancel_request(hardware_request=first, by=first.user)
    assert statuses([second]) == [Status.SUBMITTED]


def test_new_units_let_the_queue_move_up(organiser):
    from inventory import services as inventory_services

    entry, _, queue = full_entry(organiser, waiting=3)
    inventory_services.add_units(entry=entry, count=2)
    services.promote_all_waitlists(by=organiser)
    assert statuses(queue) == [Status.SUBMITTED, Status.SUBMITTED, Status.WAITLISTED]


def test_nobody_overtakes_the_head_of_the_queue(organiser):
    entry = stocked_entry(units=1, max_request_quantity=2)
    holder = services.submit_request(user=UserFactory(), entry=entry, quantity=1)
    services.approve_request(hardware_request=holder, by=organiser)
    (loan,) = services.fulfil_request(hardware_request=holder, by=organiser, id_storage_label="A")
    big = services.submit_request(user=UserFactory(), entry=entry, quantity=2)
    small = services.submit_request(user=UserFactory(), entry=entry, quantity=1)
    services.return_loan(loan=loan, by=organiser)
    assert statuses([big, small]) == [Status.WAITLISTED, Status.WAITLISTED]


def test_the_housekeeping_command_expires_and_promotes(organiser):
    from django.core.management import call_command

    entry = stocked_entry(units=1)
    first = services.submit_request(user=UserFactory(), entry=entry, quantity=1)
    services.approve_request(hardware_request=first, by=organiser)
    second = services.submit_request(user=UserFactory(), entry=entry, quantity=1)
    HardwareRequest.objects.filter(pk=first.pk).update(
        pickup_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    out = io.StringIO()
    call_command("desk_housekeeping", stdout=out)
    assert statuses([first, second]) == [Status.EXPIRED, Status.SUBMITTED]
    # The expiry made room for the second: it counts as moved up (it said 0 before).
    assert out.getvalue().strip() == (
        "1 expired, 1 moved up from waitlists, 0 newly overdue loan(s), "
        "0 reminded due back soon, emails retried for 0 participant(s)."
    )
