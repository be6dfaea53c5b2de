"""The catalogue's cards: each kind's stock in its own words, a request (with a quantity) from
the card, and the participant's own state on their cards, from one cached body shared by all."""

import re
from datetime import UTC

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.models import HardwareRequest, Status
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from core.models import EventSettings
from inventory.models import Kind
from inventory.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db
URL = reverse("checkout:catalogue")


def card(client, entry, url=URL):
    """The text of one entry's card, as it reads."""
    page = client.get(url).content.decode()
    found = re.search(rf'<li class="entry-card[^"]*" id="entry-{entry.pk}">(.*?)</li>', page, re.S)
    assert found, f"no card for {entry}"
    return found.group(1)


def text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_each_kind_says_what_it_is_in_its_own_words(client, set_event):
    from datetime import datetime

    set_event(lottery_draws_at=datetime(2026, 11, 28, 14, 30, tzinfo=UTC))
    board = stocked_entry(units=3, name="Arduino Uno")
    drone = stocked_entry(units=2, kind=Kind.LOTTERY, name="Drone kit")
    HardwareRequestFactory.create_batch(5, entry=drone)
    wires = EntryFactory(kind=Kind.FREE, name="Jumper wires", counted_stock=120)

    assert "3 of 3 left" in text(card(client, board))
    lottery = text(card(client, drone))
    assert "5 entered for 2 of 2" in lottery
    assert "Drawn Sat 14:30" in text(client.get(URL).content.decode())
    assert "Free: just take" in text(card(client, wires))
    assert "120 left" in text(card(client, wires))
    # A free item has nothing to request.
    assert "<form" not in card(client, wires)


def test_signed_out_cards_offer_sign_in_that_comes_back_to_the_entry(client):
    board = stocked_entry(units=1)
    html = card(client, board)
    assert f'href="/accounts/login/?next=/inventory/{board.pk}/"' in html
    assert "<form" not in html


def test_a_card_requests_the_chosen_quantity_and_comes_back_to_the_card(participant):
    board = stocked_entry(units=5, max_request_quantity=3, name="ESP32")
    client = Client(enforce_csrf_checks=True)  # the card's token must be this session's own
    client.force_login(participant)
    html = card(client, board, URL + "?q=ESP")
    assert [int(n) for n in re.findall(r'<option value="(\d+)"', html)] == [1, 2, 3]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    next_url = re.search(r'name="next" value="([^"]+)"', html).group(1)

    response = client.post(
        reverse("checkout:request", args=[board.pk]),
        {"csrfmiddlewaretoken": token, "quantity": "2", "next": next_url.replace("&amp;", "&")},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{URL}?q=ESP#entry-{board.pk}"
    made = HardwareRequest.objects.get(user=participant, entry=board)
    assert (made.quantity, made.status) == (2, Status.SUBMITTED)
    assert "Requested: the desk will approve it" in text(card(client, board, URL + "?q=ESP"))


def test_a_card_refuses_more_than_the_limit_and_changes_nothing(participant_client, participant):
    board = stocked_entry(units=5, max_request_quantity=2)
    response = participant_client.post(
        reverse("checkout:request", args=[board.pk]), {"quantity": "3", "next": URL}, follow=True
    )
    assert "Ask for between 1 and 2." in response.content.decode()
    assert not HardwareRequest.objects.filter(user=participant).exists()


def test_an_off_site_next_is_ignored(participant_client):
    board = stocked_entry(units=1)
    response = participant_client.post(
        reverse("checkout:request", args=[board.pk]),
        {"quantity": "1", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("checkout:my_hardware")


def test_each_card_shows_my_own_state_and_nobody_elses(participant_client, participant, organiser):
    asked = stocked_entry(units=2, name="Asked")
    ready = stocked_entry(units=2, name="Ready")
    waiting = stocked_entry(units=0, name="Waiting")
    held = stocked_entry(units=2, name="Held")
    drawn = stocked_entry(units=1, kind=Kind.LOTTERY, name="Drawn")
    other_lottery = stocked_entry(units=1, kind=Kind.LOTTERY, name="Other lottery")
    untouched = stocked_entry(units=2, name="Untouched")
    services.submit_request(user=participant, entry=asked, quantity=1)
    approved = services.submit_request(user=participant, entry=ready, quantity=1)
    services.approve_request(hardware_request=approved, by=organiser)
    services.submit_request(user=participant, entry=waiting, quantity=1)
    lent = services.submit_request(user=participant, entry=held, quantity=1)
    services.approve_request(hardware_request=lent, by=organiser)
    services.fulfil_request(hardware_request=lent, by=organiser, id_storage_label="A1")
    services.submit_request(user=participant, entry=drawn, quantity=1, proposal="A plant robot")

    mine = {
        e.name: text(card(participant_client, e))
        for e in (asked, ready, waiting, held, drawn, other_lottery, untouched)
    }

    assert "Requested: the desk will approve it" in mine["Asked"]
    assert "Ready: pick up by" in mine["Ready"]
    assert "You're on the waitlist" in mine["Waiting"]
    assert "You have 1." in mine["Held"] and "Request" in mine["Held"]  # may ask for more
    assert "You're in the draw" in mine["Drawn"]
    assert "One lottery at a time: you're in the Drawn draw." in mine["Other lottery"]
    assert "Request" in mine["Untouched"] and "You" not in mine["Untouched"]

    # Someone else, served the same cached body, sees none of it.
    someone = Client()
    someone.force_login(UserFactory())
    theirs = text(someone.get(URL).content.decode())
    for words in ("Requested:", "Ready:", "You.re on", "You have", "in the draw", "One lot"):
        assert not re.search(words, theirs), words


def test_several_lotteries_are_offered_when_the_event_allows(participant_client, participant):
    EventSettings.objects.filter(pk=1).update(lottery_multiple_entries=True)
    cache.clear()
    first = stocked_entry(units=1, kind=Kind.LOTTERY, name="First")
    second = stocked_entry(units=1, kind=Kind.LOTTERY, name="Second")
    services.submit_request(user=participant, entry=first, quantity=1, proposal="A plan")
    assert "Enter the draw" in text(card(participant_client, second))


def test_the_one_lottery_rule_shows_before_a_proposal_is_typed(participant_client, participant):
    first = stocked_entry(units=1, kind=Kind.LOTTERY, name="Quest 3")
    second = stocked_entry(units=1, kind=Kind.LOTTERY, name="Drone kit")
    services.submit_request(user=participant, entry=first, quantity=1, proposal="A VR game")

    page = participant_client.get(second.get_absolute_url()).content.decode()

    assert "You can enter one lottery at a time" in text(page)
    assert "<textarea" not in page


def test_a_checkout_card_with_none_left_offers_the_waitlist_or_says_none(
    participant_client, set_event
):
    gone = stocked_entry(units=1, name="Gone")
    HardwareRequestFactory(entry=gone)
    assert "Join the waitlist" in text(card(participant_client, gone))
    set_event(waitlist_enabled=False)
    cache.clear()  # the test's transaction never commits, so the version token stays
    assert "None left right now." in text(card(participant_client, gone))
