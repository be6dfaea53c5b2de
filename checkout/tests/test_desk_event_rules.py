"""Rules an organiser found missing when running an event end to end (issue 9, item 10)."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.models import HardwareRequest, IDCollateral, Loan, LotteryDraw, Status
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Kind

pytestmark = pytest.mark.django_db
DESK = reverse("admin:desk")
MY_HARDWARE = reverse("checkout:my_hardware")


def url(name, *args):
    return reverse(f"admin:desk_{name}", args=args)


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# A lottery entrant is decided by the draw, never by a plain Approve.


def test_a_lottery_entrant_cannot_be_approved_by_hand(organiser):
    entrant = HardwareRequestFactory(entry=stocked_entry(kind=Kind.LOTTERY), proposal="x")
    with pytest.raises(ValidationError, match="run the draw"):
        services.approve_request(hardware_request=entrant, by=organiser)
    entrant.refresh_from_db()
    assert entrant.status == Status.SUBMITTED and not entrant.events.exists()


def test_the_participant_desk_page_offers_no_approve_for_a_lottery_entrant(organiser_client):
    entrant = HardwareRequestFactory(entry=stocked_entry(kind=Kind.LOTTERY), proposal="x")
    page = organiser_client.get(url("participant", entrant.user_id)).content.decode()
    assert "Decided by the draw" in page
    assert url("approve", entrant.pk) not in page
    assert url("deny", entrant.pk) in page

    response = organiser_client.post(url("approve", entrant.pk), {"next": DESK})
    assert any("run the draw" in text for text in texts(response))
    assert HardwareRequest.objects.get(pk=entrant.pk).status == Status.SUBMITTED


def test_a_closed_lottery_entry_can_be_approved_like_checkout(organiser):
    entry = stocked_entry(kind=Kind.LOTTERY)
    request = HardwareRequestFactory(entry=entry, proposal="x")
    type(entry).objects.filter(pk=entry.pk).update(kind=Kind.CHECKOUT)
    services.approve_request(hardware_request=request, by=organiser)
    assert HardwareRequest.objects.get(pk=request.pk).status == Status.APPROVED


# A pickup after its deadline is handed out only on purpose, and the history says so.


def _late_request(organiser, minutes=25):
    request = HardwareRequestFactory(entry=stocked_entry(units=3))
    services.approve_request(hardware_request=request, by=organiser)
    HardwareRequest.objects.filter(pk=request.pk).update(
        pickup_deadline=timezone.now() - datetime.timedelta(minutes=minutes, seconds=5)
    )
    return request


def test_a_late_pickup_needs_a_tick_and_the_history_says_how_late(organiser_client, organiser):
    request = _late_request(organiser)
    page = organiser_client.get(url("fulfil", request.pk)).content.decode()
    assert "Late pickup" in page and "Hand out anyway" in page

    refused = organiser_client.post(url("fulfil", request.pk), {"id_storage_label": "A1"})
    assert refused.status_code == 400
    assert "tick “Hand out anyway”" in refused.content.decode()
    assert not Loan.objects.exists() and not IDCollateral.objects.exists()

    done = organiser_client.post(
        url("fulfil", request.pk), {"id_storage_label": "A1", "late_ok": "on"}
    )
    assert done.status_code == 302
    assert HardwareRequest.objects.get(pk=request.pk).status == Status.FULFILLED
    event = request.events.get(to_status=Status.FULFILLED)
    assert event.note == "handed out 25 min after its pickup deadline"


def test_the_service_refuses_a_late_pickup_unless_told(organiser):
    request = _late_request(organiser, minutes=3)
    with pytest.raises(ValidationError, match="passed its pickup deadline 3 min ago"):
        services.fulfil_request(hardware_request=request, by=organiser, id_storage_label="A")
    assert not Loan.objects.exists()


def test_an_on_time_pickup_asks_nothing_more(organiser_client, organiser):
    request = HardwareRequestFactory(entry=stocked_entry(units=3))
    services.approve_request(hardware_request=request, by=organiser)
    assert "Late pickup" not in organiser_client.get(url("fulfil", request.pk)).content.decode()
    organiser_client.post(url("fulfil", request.pk), {"id_storage_label": "A1"})
    assert request.events.get(to_status=Status.FULFILLED).note == ""


# The lottery box says what is true once draws have run.


def test_after_every_draw_the_desk_says_no_lottery_is_waiting(organiser_client, organiser):
    entry = stocked_entry(kind=Kind.LOTTERY, units=2)
    HardwareRequestFactory(entry=entry, proposal="x")
    services.run_lottery(entry=entry, by=organiser)
    page = organiser_client.get(DESK).content.decode()
    assert "Nobody has entered a lottery yet" not in page
    assert "No lottery has entrants waiting for a draw." in page


# One ID per slot, so the desk gives back the right one.


def test_two_ids_cannot_go_into_the_same_slot(organiser_client, organiser):
    first, second = UserFactory(), UserFactory()
    services.take_id(user=first, by=organiser, storage_label="B2")
    response = organiser_client.post(url("take_id", second.pk), {"storage_label": " b2 "})
    assert texts(response) == [f"B2 already holds {first}'s ID: put this one in another slot."]
    assert not IDCollateral.objects.filter(user=second).exists()


def test_a_hand_out_into_an_occupied_slot_lends_nothing(organiser_client, organiser):
    services.take_id(user=UserFactory(), by=organiser, storage_label="C7")
    request = HardwareRequestFactory(entry=stocked_entry())
    services.approve_request(hardware_request=request, by=organiser)
    response = organiser_client.post(url("fulfil", request.pk), {"id_storage_label": "c7"})
    assert response.status_code == 400 and "already holds" in response.content.decode()
    assert not Loan.objects.exists()
    assert HardwareRequest.objects.get(pk=request.pk).status == Status.APPROVED


def test_a_returned_id_frees_its_slot(organiser):
    first = services.take_id(user=UserFactory(), by=organiser, storage_label="D1")
    services.return_id(collateral=first, by=organiser)
    services.take_id(user=UserFactory(), by=organiser, storage_label="D1")
    assert IDCollateral.objects.held().filter(storage_label="D1").count() == 1


def test_the_database_refuses_a_second_id_in_a_slot(organiser):
    services.take_id(user=UserFactory(), by=organiser, storage_label="E5")
    with pytest.raises(IntegrityError), transaction.atomic():
        IDCollateral.objects.create(user=UserFactory(), storage_label="e5", taken_by=organiser)


# A lottery loser reads what happened to them.


def test_a_lottery_loser_sees_not_drawn_rather_than_denied(client, organiser):
    entry = stocked_entry(kind=Kind.LOTTERY, units=1)
    entrants = [HardwareRequestFactory(entry=entry, proposal="x") for _ in range(3)]
    draw = services.run_lottery(entry=entry, by=organiser)
    loser = next(r for r in entrants if r.pk not in draw.winners)
    client.force_login(loser.user)
    page = client.get(MY_HARDWARE).content.decode()
    assert "Not drawn this time" in page and "Denied" not in page  # issue 11's words


def test_a_lottery_entrant_sees_they_are_in_the_lottery(client):
    entrant = HardwareRequestFactory(entry=stocked_entry(kind=Kind.LOTTERY), proposal="x")
    client.force_login(entrant.user)
    assert "In the lottery" in client.get(MY_HARDWARE).content.decode()


# A draw uses the seed committed before it; a revealed seed that does not match draws nothing.


@pytest.mark.parametrize("seed", ["abc", "-1", "1e3", str(2**63), "an-organisers-chosen-seedX"])
def test_a_draw_with_a_seed_that_does_not_match_draws_nothing_and_says_why(
    organiser_client, organiser, seed
):
    entry = stocked_entry(kind=Kind.LOTTERY, units=1)
    services.commit_lottery_seed(entry=entry, by=organiser, seed="an-organisers-chosen-seed")
    entrant = HardwareRequestFactory(entry=entry, proposal="x")
    response = organiser_client.post(url("run_lottery", entry.pk), {"seed": seed, "next": DESK})
    assert response.status_code == 302
    assert any("does not match the commitment" in text for text in texts(response))
    assert not LotteryDraw.objects.exists()
    assert HardwareRequest.objects.get(pk=entrant.pk).status == Status.SUBMITTED


def test_a_seed_too_long_to_be_one_draws_nothing_and_says_why(organiser_client):
    entry = stocked_entry(kind=Kind.LOTTERY, units=1)
    HardwareRequestFactory(entry=entry, proposal="x")
    response = organiser_client.post(url("run_lottery", entry.pk), {"seed": "x" * 101})
    assert texts(response) == [f"No draw for {entry}: a seed is at most 100 characters."]
    assert not LotteryDraw.objects.exists()


def test_a_draw_with_the_committed_seed_revealed_uses_it(organiser_client, organiser):
    entry = stocked_entry(kind=Kind.LOTTERY, units=1)
    services.commit_lottery_seed(entry=entry, by=organiser, seed="an-organisers-chosen-seed")
    HardwareRequestFactory(entry=entry, proposal="x")
    organiser_client.post(
        url("run_lottery", entry.pk), {"seed": "an-organisers-chosen-seed", "next": DESK}
    )
    assert LotteryDraw.objects.get().seed == "an-organisers-chosen-seed"
