"""What participants are emailed, and when: one email per batch of changes, after commit.

Services record notifications in their transaction; on commit one task per participant is
queued, and `run_tasks` runs the queue as the worker would (see test_email_worker.py for the
worker itself and for failing mail servers).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.models import HardwareRequest, Loan, Notification, NotificationState, Status
from checkout.notifications import one_email_each
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Condition, Kind

pytestmark = pytest.mark.django_db
MY_HARDWARE = "http://127.0.0.1:8000/me/hardware/"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block as if it committed: its on-commit callbacks (queueing the emails) run."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def hand_out(organiser, user, *names, slot="ID-3"):
    """Approve and hand `user` one unit of a new entry per name; returns the loans."""
    loans = []
    for name in names:
        request = HardwareRequestFactory(entry=stocked_entry(units=1, name=name), user=user)
        services.approve_request(hardware_request=request, by=organiser)
        loans += services.fulfil_request(
            hardware_request=request, by=organiser, id_storage_label=slot
        )
    return loans


def test_approval_emails_the_participant_after_commit(
    organiser, participant, committed, run_tasks, mailoutbox
):
    request = HardwareRequestFactory(entry=stocked_entry(name="Teensy 4.1"), user=participant)
    with committed():
        services.approve_request(hardware_request=request, by=organiser)
    assert mailoutbox == []  # queued, not sent: the worker sends
    run_tasks()
    (message,) = mailoutbox
    request.refresh_from_db()
    deadline = timezone.localtime(request.pickup_deadline)
    assert message.to == [participant.email]
    assert message.subject == "[HackDemo] Your hardware is ready for pickup"
    assert message.body.startswith("Hi Pat,\n\n")
    assert f"1 × Teensy 4.1: pick it up by {deadline:%H:%M}" in message.body
    assert MY_HARDWARE in message.body
    assert Notification.objects.get().state == NotificationState.SENT


def test_three_approvals_in_one_batch_are_one_email(
    organiser, participant, committed, run_tasks, mailoutbox
):
    names = ["Arduino Uno", "Servo kit", "OLED screen"]
    requests = [
        HardwareRequestFactory(entry=stocked_entry(name=name), user=participant) for name in names
    ]
    other = HardwareRequestFactory(entry=stocked_entry(name="Lidar"))
    with committed():
        outcome = services.approve_requests(hardware_requests=[*requests, other], by=organiser)
    assert len(outcome.done) == 4
    assert DBTaskResult.objects.count() == 2  # one task per participant
    run_tasks()
    ours = [m for m in mailoutbox if m.to == [participant.email]]
    assert len(mailoutbox) == 2 and len(ours) == 1
    assert ours[0].subject == "[HackDemo] Your hardware is ready for pickup"
    assert "these are approved" in ours[0].body
    for name in names:
        assert f"1 × {name}: pick it up by" in ours[0].body
    assert "Lidar" not in ours[0].body


def test_a_refused_approval_sends_nothing(organiser, committed, run_tasks, mailoutbox):
    request = HardwareRequestFactory(entry=stocked_entry(units=0))
    with committed(), pytest.raises(ValidationError):
        services.approve_request(hardware_request=request, by=organiser)
    assert run_tasks() == [] and mailoutbox == []


def test_a_rolled_back_change_queues_and_sends_nothing(
    organiser, participant, committed, run_tasks, mailoutbox
):
    request = HardwareRequestFactory(entry=stocked_entry(), user=participant)
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        services.approve_request(hardware_request=request, by=organiser)
        raise RuntimeError("something later in the same transaction failed")
    assert HardwareRequest.objects.get(pk=request.pk).status == Status.SUBMITTED
    assert not Notification.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert run_tasks() == [] and mailoutbox == []


def test_the_email_waits_for_more_changes_before_it_goes(
    organiser, participant, committed, settings
):
    settings.EMAIL_BATCH_SECONDS = 45
    request = HardwareRequestFactory(entry=stocked_entry(), user=participant)
    before = timezone.now()
    with committed():
        services.approve_request(hardware_request=request, by=organiser)
    (task,) = DBTaskResult.objects.all()
    assert task.args_kwargs == {"args": [participant.pk], "kwargs": {}}
    wait = task.run_after - before
    assert datetime.timedelta(seconds=45) <= wait < datetime.timedelta(seconds=50)


def test_a_denial_is_emailed(organiser, participant, committed, run_tasks, mailoutbox):
    request = HardwareRequestFactory(entry=stocked_entry(name="3D printer"), user=participant)
    with committed():
        services.deny_request(hardware_request=request, by=organiser)
    run_tasks()
    (message,) = mailoutbox
    assert message.subject == "[HackDemo] Your hardware request was denied"
    assert "could not give you this:\n  - 1 × 3D printer\n" in message.body
    assert MY_HARDWARE in message.body


def test_a_missed_pickup_is_emailed(organiser, participant, committed, run_tasks, mailoutbox):
    request = HardwareRequestFactory(entry=stocked_entry(name="Oscilloscope"), user=participant)
    services.approve_request(hardware_request=request, by=organiser)  # its email: not committed
    lapsed = timezone.now() - datetime.timedelta(minutes=1)
    HardwareRequest.objects.filter(pk=request.pk).update(pickup_deadline=lapsed)
    with committed():
        assert services.housekeeping().expired == 1
    run_tasks()
    (message,) = mailoutbox
    assert message.subject == "[HackDemo] Your hardware pickup time ran out"
    assert f"1 × Oscilloscope (ready until {timezone.localtime(lapsed):%H:%M})" in message.body
    assert "gone to the next person in line" in message.body


def test_moving_up_from_the_waitlist_to_ready_is_emailed(
    organiser, set_event, committed, run_tasks, mailoutbox
):
    set_event(waitlist_auto_approve=True)
    entry = stocked_entry(units=1, name="Jetson Nano")
    first = services.submit_request(user=UserFactory(), entry=entry, quantity=1)
    waiting = services.submit_request(
        user=UserFactory(email="wait@example.com"), entry=entry, quantity=1
    )
    assert waiting.status == Status.WAITLISTED
    with committed():
        services.cancel_request(hardware_request=first, by=first.user)
    assert HardwareRequest.objects.get(pk=waiting.pk).status == Status.APPROVED
    run_tasks()
    (message,) = mailoutbox  # the one who cancelled hears nothing
    assert message.to == ["wait@example.com"]
    assert message.subject == "[HackDemo] Your turn: your waitlisted hardware is ready for pickup"
    assert "you were next on the waitlist" in message.body
    assert "1 × Jetson Nano: pick it up by" in message.body


def test_moving_up_to_await_approval_sends_nothing(
    organiser, set_event, committed, run_tasks, mailoutbox
):
    set_event(waitlist_auto_approve=False)
    entry = stocked_entry(units=1)
    first = services.submit_request(user=UserFactory(), entry=entry, quantity=1)
    waiting = services.submit_request(user=UserFactory(), entry=entry, quantity=1)
    with committed():
        services.cancel_request(hardware_request=first, by=first.user)
    assert HardwareRequest.objects.get(pk=waiting.pk).status == Status.SUBMITTED
    assert run_tasks() == [] and mailoutbox == []


def test_lottery_results_reach_winners_and_losers(organiser, committed, run_tasks, mailoutbox):
    entry = stocked_entry(units=1, kind=Kind.LOTTERY, name="Oculus")
    users = UserFactory.create_batch(3)
    for user in users:
        services.submit_request(user=user, entry=entry, quantity=1, proposal="VR game")
    with committed():
        draw = services.run_lottery(entry=entry, by=organiser)
    run_tasks()
    subjects = sorted(m.subject for m in mailoutbox)
    assert len(subjects) == 3
    assert subjects.count("[HackDemo] You won the hardware lottery") == len(draw.winners) == 1
    assert subjects.count("[HackDemo] Hardware lottery result") == 2
    for message in mailoutbox:  # everyone can check the draw
        assert f"(sha256 {draw.commitment}) and revealed it: {draw.seed}." in message.body


def test_a_chosen_seed_reads_in_the_email_exactly_as_it_hashes(
    organiser, committed, run_tasks, mailoutbox
):
    entry = stocked_entry(units=1, kind=Kind.LOTTERY, name="R&D <kit>")
    seed = 'R&D<seed>\'s-"quoted"'
    services.commit_lottery_seed(entry=entry, by=organiser, seed=seed)
    services.submit_request(user=UserFactory(), entry=entry, quantity=1, proposal="VR game")
    with committed():
        services.run_lottery(entry=entry, by=organiser)
    run_tasks()
    assert f"revealed it: {seed}." in mailoutbox[0].body
    assert "1 × R&D <kit>: pick it up by" in mailoutbox[0].body  # plain text, not HTML


def test_a_return_of_several_units_is_one_receipt(
    organiser, participant, committed, run_tasks, mailoutbox
):
    loans = hand_out(organiser, participant, "Arduino Uno", "Servo kit", "Multimeter")
    loans = Loan.objects.filter(pk__in=[loan.pk for loan in loans]).order_by("pk")
    with committed(), one_email_each():
        services.return_loan(loan=loans[0], by=organiser)
        services.return_loan(loan=loans[1], by=organiser, condition=Condition.DAMAGED)
    run_tasks()
    (message,) = mailoutbox
    assert message.subject == "[HackDemo] Receipt: hardware returned"
    tags = [loan.unit.asset_tag for loan in loans]
    assert f"  - Arduino Uno ({tags[0]}): all good\n" in message.body
    assert f"  - Servo kit ({tags[1]}): noted as damaged\n" in message.body
    assert "You still have 1 item from the desk:\n  - Multimeter" in message.body
    assert "The desk keeps your ID until it is back." in message.body


def test_a_receipt_for_the_last_item_says_where_the_id_is(
    organiser, participant, committed, run_tasks, mailoutbox
):
    (loan,) = hand_out(organiser, participant, "Lidar", slot="ID-7")
    with committed():
        services.return_loan(loan=loan, by=organiser, condition=Condition.LOST)
    run_tasks()
    (message,) = mailoutbox
    assert f"  - Lidar ({loan.unit.asset_tag}): recorded as lost\n" in message.body
    assert "we still have your ID: ask for it back at the hardware desk (it is in ID-7)" in (
        message.body
    )


def test_an_id_given_back_before_the_receipt_goes_reads_as_given_back(
    organiser, participant, committed, run_tasks, mailoutbox
):
    (loan,) = hand_out(organiser, participant, "Lidar")
    with committed():
        outcome = services.return_loan(loan=loan, by=organiser)
        services.return_id(collateral=outcome.give_back_id, by=organiser)
    run_tasks()
    (message,) = mailoutbox
    given_back = timezone.localtime(outcome.give_back_id.returned_at)
    assert f"your ID was given back to you at {given_back:%H:%M}." in message.body


def test_a_change_undone_before_its_email_goes_is_not_sent(
    organiser, participant, committed, run_tasks, mailoutbox
):
    request = HardwareRequestFactory(entry=stocked_entry(), user=participant)
    with committed():
        services.approve_request(hardware_request=request, by=organiser)
        services.fulfil_request(hardware_request=request, by=organiser, id_storage_label="A1")
    run_tasks()
    assert mailoutbox == []  # they have it already
    assert Notification.objects.get().state == NotificationState.SKIPPED


def test_different_changes_in_one_batch_are_one_email(
    organiser, participant, committed, run_tasks, mailoutbox
):
    ready = HardwareRequestFactory(entry=stocked_entry(name="Teensy"), user=participant)
    denied = HardwareRequestFactory(entry=stocked_entry(name="Drone"), user=participant)
    with committed(), one_email_each():
        services.approve_request(hardware_request=ready, by=organiser)
        services.deny_request(hardware_request=denied, by=organiser)
    run_tasks()
    (message,) = mailoutbox
    assert message.subject == "[HackDemo] Updates on your hardware"
    body = message.body
    assert body.index("1 × Teensy: pick it up by") < body.index("could not give you this")
    assert "  - 1 × Drone\n" in body
    assert body.count(MY_HARDWARE) == 1


def test_a_second_run_finds_nothing_left_to_send(
    organiser, participant, committed, run_tasks, mailoutbox
):
    from checkout.notifications.sending import send_pending

    request = HardwareRequestFactory(entry=stocked_entry(), user=participant)
    with committed():
        services.approve_request(hardware_request=request, by=organiser)
    assert send_pending(participant.pk) == 1
    assert send_pending(participant.pk) == 0
    assert len(mailoutbox) == 1
