import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Kind

pytestmark = pytest.mark.django_db


def test_approval_emails_the_participant_after_commit(
    organiser, participant, django_capture_on_commit_callbacks
):
    request = HardwareRequestFactory(entry=stocked_entry(name="Teensy"), user=participant)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_request(hardware_request=request, by=organiser)
    (message,) = mail.outbox
    assert message.to == [participant.email]
    assert "ready for pickup" in message.subject
    assert "Teensy" in message.body


def test_a_refused_approval_sends_nothing(organiser, django_capture_on_commit_callbacks):
    request = HardwareRequestFactory(entry=stocked_entry(units=0))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.approve_request(hardware_request=request, by=organiser)
    assert mail.outbox == []


def test_lottery_results_reach_winners_and_losers(organiser, django_capture_on_commit_callbacks):
    entry = stocked_entry(units=1, kind=Kind.LOTTERY, name="Oculus")
    users = UserFactory.create_batch(3)
    for user in users:
        services.submit_request(user=user, entry=entry, quantity=1, proposal="VR game")
    with django_capture_on_commit_callbacks(execute=True):
        draw = services.run_lottery(entry=entry, by=organiser)
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(subjects) == 3
    assert sum("You won" in s for s in subjects) == len(draw.winners) == 1
    for message in mail.outbox:  # everyone can check the draw
        assert f"(sha256 {draw.commitment}) and revealed it: {draw.seed}." in message.body


def test_a_chosen_seed_reads_in_the_email_exactly_as_it_hashes(
    organiser, django_capture_on_commit_callbacks
):
    entry = stocked_entry(units=1, kind=Kind.LOTTERY)
    seed = 'R&D<seed>\'s-"quoted"'
    services.commit_lottery_seed(entry=entry, by=organiser, seed=seed)
    services.submit_request(user=UserFactory(), entry=entry, quantity=1, proposal="VR game")
    with django_capture_on_commit_callbacks(execute=True):
        services.run_lottery(entry=entry, by=organiser)
    assert f"revealed it: {seed}." in mail.outbox[0].body
