"""What the catalogue shows as left is what decides whether a new request is waitlisted."""

import re

import pytest

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.models import Status
from checkout.tests.factories import stocked_entry

pytestmark = pytest.mark.django_db


def shown(client, entry):
    """The stock line of the entry's page, as a participant reads it."""
    page = client.get(entry.get_absolute_url()).content.decode()
    line = re.search(r'<p class="stock[^"]*">(.*?)</p>', page, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", "", line).split())


def test_pending_requests_are_shown_and_a_new_request_stands_behind_them(participant_client):
    entry = stocked_entry(units=5, max_request_quantity=3)
    assert shown(participant_client, entry) == "5 of 5 left"
    services.submit_request(user=UserFactory(), entry=entry, quantity=3)
    assert shown(participant_client, entry) == "2 of 5 left, 3 already requested"

    more_than_shown = services.submit_request(user=UserFactory(), entry=entry, quantity=3)
    assert more_than_shown.status == Status.WAITLISTED
    assert shown(participant_client, entry) == (
        "0 of 5 left, 3 already requested, 3 on the waitlist"
    )
    # the 2 on the shelf are the waitlist's: nobody new takes them ahead of it
    assert services.submit_request(user=UserFactory(), entry=entry, quantity=1).status == (
        Status.WAITLISTED
    )


@pytest.mark.parametrize("asks", [[1, 1, 1, 1, 1, 1], [2, 3, 1, 1], [3, 3, 2], [1, 3, 2, 1]])
def test_a_request_is_waitlisted_exactly_when_it_asks_for_more_than_the_catalogue_shows(
    participant_client, asks
):
    entry = stocked_entry(units=5, max_request_quantity=3)
    for quantity in asks:
        left = int(shown(participant_client, entry).split()[0])
        status = services.submit_request(user=UserFactory(), entry=entry, quantity=quantity).status
        assert status == (Status.SUBMITTED if quantity <= left else Status.WAITLISTED), (
            f"{left} shown, {quantity} asked: {status}"
        )


def test_the_request_button_says_waitlist_when_the_catalogue_shows_none_left(participant_client):
    entry = stocked_entry(units=2, max_request_quantity=2)
    services.submit_request(user=UserFactory(), entry=entry, quantity=2)
    assert shown(participant_client, entry) == "0 of 2 left, 2 already requested"
    page = participant_client.get(entry.get_absolute_url()).content.decode()
    assert "Join the waitlist</button>" in page
