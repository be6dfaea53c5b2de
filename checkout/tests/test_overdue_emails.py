"""Overdue loans: desk_housekeeping emails whoever holds one, once per loan, never after the
unit came back."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from checkout import services
from checkout.models import Loan, Notification, NotificationKind, NotificationState
from checkout.notifications import notify, notify_overdue_loans
from checkout.tests.factories import HardwareRequestFactory, stocked_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def overdue_loan(organiser, user, name="Oscilloscope", hours=1):
    request = HardwareRequestFactory(entry=stocked_entry(units=1, name=name), user=user)
    services.approve_request(hardware_request=request, by=organiser)
    (loan,) = services.fulfil_request(hardware_request=request, by=organiser, id_storage_label="B2")
    Loan.objects.filter(pk=loan.pk).update(due_at=timezone.now() - timedelta(hours=hours))
    loan.refresh_from_db()
    return loan


def housekeeping():
    out = io.StringIO()
    call_command("desk_housekeeping", stdout=out)
    return out.getvalue()


def overdue_notices():
    return Notification.objects.filter(kind=NotificationKind.OVERDUE)


def test_an_overdue_loan_is_emailed_once(organiser, participant, committed, run_tasks, mailoutbox):
    loan = overdue_loan(organiser, participant)
    with committed():
        assert "1 newly overdue loan(s)" in housekeeping()
    run_tasks()
    (message,) = mailoutbox
    due = timezone.localtime(loan.due_at)
    assert message.subject == "[HackDemo] Please bring your hardware back"
    assert f"  - Oscilloscope ({loan.unit.asset_tag}), due back by {due:%H:%M}" in message.body
    assert "http://127.0.0.1:8000/me/hardware/" in message.body

    with committed():
        assert "0 newly overdue loan(s)" in housekeeping()  # every minute, from cron
    run_tasks()
    assert len(mailoutbox) == 1
    assert overdue_notices().count() == 1


def test_a_returned_loan_is_never_emailed_as_overdue(
    organiser, participant, committed, run_tasks, mailoutbox
):
    loan = overdue_loan(organiser, participant)
    services.return_loan(loan=loan, by=organiser)  # late, but back
    with committed():
        assert notify_overdue_loans() == 0
    run_tasks()
    assert not overdue_notices().exists()
    assert mailoutbox == []


def test_a_loan_returned_before_its_overdue_email_goes_gets_only_its_receipt(
    organiser, participant, committed, run_tasks, mailoutbox
):
    loan = overdue_loan(organiser, participant)
    with committed():
        notify_overdue_loans()
        services.return_loan(loan=loan, by=organiser)
    run_tasks()
    (message,) = mailoutbox
    assert message.subject == "[HackDemo] Receipt: hardware returned"
    assert "past its due time" not in message.body
    assert overdue_notices().get().state == NotificationState.SKIPPED


def test_a_loan_given_more_time_before_its_email_goes_is_not_called_overdue(
    organiser, participant, committed, run_tasks, mailoutbox
):
    loan = overdue_loan(organiser, participant)
    with committed():
        notify_overdue_loans()
    Loan.objects.filter(pk=loan.pk).update(due_at=timezone.now() + timedelta(hours=2))
    run_tasks()
    assert mailoutbox == []
    assert overdue_notices().get().state == NotificationState.SKIPPED


def test_only_loans_past_due_are_picked_and_each_once(organiser, participant, committed):
    late = overdue_loan(organiser, participant, name="Late")
    on_time = overdue_loan(organiser, participant, name="On time")
    Loan.objects.filter(pk=on_time.pk).update(due_at=timezone.now() + timedelta(minutes=5))
    assert notify_overdue_loans() == 1
    assert list(overdue_notices().values_list("loan", flat=True)) == [late.pk]
    notify(NotificationKind.OVERDUE, [late])  # a second run racing the first: ignored
    assert overdue_notices().count() == 1


def test_the_ledger_refuses_a_second_overdue_notice_for_a_loan(organiser, participant):
    loan = overdue_loan(organiser, participant)
    Notification.objects.create(user=participant, kind=NotificationKind.OVERDUE, loan=loan)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(user=participant, kind=NotificationKind.OVERDUE, loan=loan)
    # Receipts are not once-only: a unit lent again and returned again gets another.
    for _ in range(2):
        Notification.objects.create(user=participant, kind=NotificationKind.RETURNED, loan=loan)


def test_a_notification_names_the_record_its_kind_is_about(participant, organiser):
    loan = overdue_loan(organiser, participant)
    request = HardwareRequestFactory(user=participant)
    for wrong in (
        {"kind": NotificationKind.OVERDUE, "request": request},
        {"kind": NotificationKind.READY, "loan": loan},
        {"kind": NotificationKind.READY},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Notification.objects.create(user=participant, **wrong)


def loan_due_in(organiser, user, minutes, name="Logic analyser"):
    loan = overdue_loan(organiser, user, name=name)
    Loan.objects.filter(pk=loan.pk).update(due_at=timezone.now() + timedelta(minutes=minutes))
    loan.refresh_from_db()
    return loan


def test_a_loan_due_soon_gets_one_reminder_before_its_due_time(
    organiser, participant, committed, run_tasks, mailoutbox, settings
):
    settings.DUE_REMINDER_MINUTES = 60
    soon = loan_due_in(organiser, participant, 30)
    loan_due_in(organiser, participant, 180, name="Later scope")  # not yet
    with committed():
        assert "1 reminded due back soon" in housekeeping()
    run_tasks()
    (message,) = mailoutbox
    assert message.subject == "[HackDemo] Your hardware is due back soon"
    assert f"  - Logic analyser ({soon.unit.asset_tag}), due back by" in message.body
    assert "Later scope" not in message.body

    with committed():
        assert "0 reminded due back soon" in housekeeping()  # cron runs it every minute
    run_tasks()
    assert len(mailoutbox) == 1


def test_no_reminder_for_a_returned_loan_nor_after_it_came_back(
    organiser, participant, committed, run_tasks, mailoutbox
):
    back_already = loan_due_in(organiser, participant, 30)
    services.return_loan(loan=back_already, by=organiser)
    mailoutbox.clear()
    with committed():
        assert "0 reminded due back soon" in housekeeping()

    returned_meanwhile = loan_due_in(organiser, participant, 30, name="Thermal camera")
    with committed():
        assert "1 reminded due back soon" in housekeeping()
    services.return_loan(loan=returned_meanwhile, by=organiser)
    mailoutbox.clear()
    run_tasks()
    assert all("due back soon" not in m.subject for m in mailoutbox)
    notice = Notification.objects.get(kind=NotificationKind.DUE_SOON)
    assert notice.state == NotificationState.SKIPPED


def test_an_overdue_loan_gets_the_overdue_email_not_a_reminder(
    organiser, participant, committed, run_tasks, mailoutbox
):
    overdue_loan(organiser, participant)
    with committed():
        out = housekeeping()
    assert "1 newly overdue loan(s), 0 reminded due back soon" in out
