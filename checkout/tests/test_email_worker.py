"""Emails go out from the worker, never from the desk's request: a mail server that is down
or refuses an address slows and breaks nothing at the desk, and loses no one else's email.

The tests marked `transaction=True` commit for real, as the desk does, so the emails are
queued by the commit itself rather than by a test helper.
"""

import os
import subprocess
import sys
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.tests.factories import UserFactory
from checkout.models import HardwareRequest, Notification, NotificationState, Status
from checkout.notifications import retry_failed
from checkout.tests.factories import HardwareRequestFactory, stocked_entry

DOWN = "checkout.tests.mail_backends.DownBackend"
BOUNCING = "checkout.tests.mail_backends.BouncingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def url(name, *args):
    return reverse(f"admin:desk_{name}", args=args)


def later(minutes):
    return timezone.now() + timedelta(minutes=minutes)


@pytest.mark.django_db(transaction=True)
def test_the_desk_approves_while_the_mail_server_is_down_and_the_email_follows(
    organiser_client, participant, settings, run_tasks, mailoutbox
):
    settings.EMAIL_BACKEND = DOWN
    request = HardwareRequestFactory(entry=stocked_entry(name="Teensy"), user=participant)

    response = organiser_client.post(url("approve", request.pk))

    assert response.status_code == 302
    assert HardwareRequest.objects.get(pk=request.pk).status == Status.APPROVED  # committed
    (task,) = DBTaskResult.objects.all()
    assert task.status == "READY" and task.args_kwargs["args"] == [participant.pk]
    assert mailoutbox == []

    run_tasks()  # the worker meets the dead mail server
    task.refresh_from_db()
    assert task.status == "FAILED" and "SMTPServerDisconnected" in task.traceback
    notification = Notification.objects.get()
    assert notification.state == NotificationState.PENDING
    assert notification.attempts == 1
    assert notification.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"

    settings.EMAIL_BACKEND = LOCMEM  # the server is back; housekeeping tries again
    assert retry_failed(now=later(1)) == 0  # not yet: it waits a few minutes between tries
    assert retry_failed(now=later(6)) == 1
    run_tasks()
    (message,) = mailoutbox
    assert message.to == [participant.email] and "1 × Teensy" in message.body
    assert Notification.objects.get().state == NotificationState.SENT


@pytest.mark.django_db(transaction=True)
def test_the_desk_batch_approve_sends_one_email_listing_all_three(
    organiser_client, participant, run_tasks, mailoutbox
):
    names = ["Arduino Uno", "Servo kit", "OLED screen"]
    requests = [
        HardwareRequestFactory(entry=stocked_entry(name=name), user=participant) for name in names
    ]
    other = HardwareRequestFactory(entry=stocked_entry(name="Lidar"))

    response = organiser_client.post(
        url("batch"), {"action": "approve", "requests": [r.pk for r in [*requests, other]]}
    )

    assert response.status_code == 302
    assert set(HardwareRequest.objects.values_list("status", flat=True)) == {Status.APPROVED}
    # Four transactions (one per request) but one task per participant.
    queued = sorted(task.args_kwargs["args"][0] for task in DBTaskResult.objects.all())
    assert queued == sorted([participant.pk, other.user_id])
    run_tasks()
    ours = [m for m in mailoutbox if m.to == [participant.email]]
    assert len(mailoutbox) == 2 and len(ours) == 1
    for name in names:
        assert f"  - 1 × {name}: pick it up by" in ours[0].body


@pytest.mark.django_db(transaction=True)
def test_a_queue_that_fails_leaves_the_desk_action_done_and_housekeeping_requeues(
    organiser_client, participant, settings, run_tasks, mailoutbox
):
    request = HardwareRequestFactory(entry=stocked_entry(), user=participant)
    good_queue = settings.TASKS
    settings.TASKS = {  # a backend that refuses the task's queue: every enqueue raises
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["elsewhere"]}
    }

    response = organiser_client.post(url("approve", request.pk))

    assert response.status_code == 302
    assert HardwareRequest.objects.get(pk=request.pk).status == Status.APPROVED
    assert not DBTaskResult.objects.exists()
    assert Notification.objects.get().state == NotificationState.PENDING
    settings.TASKS = good_queue
    assert retry_failed(now=later(6)) == 1
    run_tasks()
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_one_address_refused_loses_no_one_elses_email(
    organiser, settings, django_capture_on_commit_callbacks, run_tasks, mailoutbox
):
    from checkout import services

    settings.EMAIL_BACKEND = BOUNCING
    bouncing = HardwareRequestFactory(
        entry=stocked_entry(), user=UserFactory(email="bounce@example.com")
    )
    fine = HardwareRequestFactory(entry=stocked_entry(), user=UserFactory(email="fine@example.com"))
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_requests(hardware_requests=[bouncing, fine], by=organiser)

    ran = run_tasks()

    assert sorted(task.status for task in ran) == ["FAILED", "SUCCESSFUL"]
    assert [m.to for m in mailoutbox] == [["fine@example.com"]]
    refused = Notification.objects.get(user=bouncing.user)
    assert refused.state == NotificationState.PENDING and refused.attempts == 1
    assert refused.last_error.startswith("SMTPRecipientsRefused")
    assert Notification.objects.get(user=fine.user).state == NotificationState.SENT


@pytest.mark.django_db
def test_an_email_refused_five_times_is_given_up(
    organiser, participant, settings, django_capture_on_commit_callbacks, run_tasks, mailoutbox
):
    from checkout import services

    settings.EMAIL_BACKEND = DOWN
    request = HardwareRequestFactory(entry=stocked_entry(), user=participant)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_request(hardware_request=request, by=organiser)
    run_tasks()
    for attempt in range(2, 6):
        assert retry_failed(now=later(6 * attempt)) == 1
        run_tasks()
    notification = Notification.objects.get()
    assert notification.attempts == 5 and notification.state == NotificationState.FAILED
    assert retry_failed(now=later(60)) == 0
    assert mailoutbox == []


@pytest.mark.postgres  # the worker is another process: it needs the test database on a server
@pytest.mark.django_db(transaction=True)
def test_the_worker_command_sends_what_the_desk_queued(organiser_client, participant, settings):
    settings.EMAIL_BATCH_SECONDS = 0  # ready at once, so the worker's batch run takes it
    request = HardwareRequestFactory(entry=stocked_entry(name="Teensy 4.1"), user=participant)
    assert organiser_client.post(url("approve", request.pk)).status_code == 302
    db = connection.settings_dict
    database_url = (
        f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}"
        f"@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "COG_TESTING": "1",
        "DATABASE_URL": database_url,
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "SITE_URL": "https://hardware.example.com",
    }

    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert worker.returncode == 0, worker.stderr
    assert "To: pat@example.com" in worker.stdout
    assert "Subject: [HackDemo] Your hardware is ready for pickup" in worker.stdout
    assert "1 × Teensy 4.1: pick it up by" in worker.stdout
    assert "https://hardware.example.com/me/hardware/" in worker.stdout
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert Notification.objects.get().state == NotificationState.SENT
