"""My hardware leads with what to do next, in words that work without colour (issue 11)."""

import pytest
from django.urls import reverse

from checkout import services
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Kind

pytestmark = pytest.mark.django_db
MY_HARDWARE = reverse("checkout:my_hardware")


def test_a_ready_request_comes_first_with_its_deadline_and_the_badge(client, organiser):
    request = HardwareRequestFactory(entry=stocked_entry(units=1, name="Pico W"))
    services.approve_request(hardware_request=request, by=organiser)
    request.refresh_from_db()
    client.force_login(request.user)
    page = client.get(MY_HARDWARE).content.decode()
    callout = page[page.index('class="next-step"') : page.index("What I hold")]
    assert "1 × Pico W is ready" in callout
    assert f'data-deadline="{request.pickup_deadline.isoformat()}"' in callout
    # The badge to show is right there, not further down the page.
    assert "with your ID" in callout and "<svg" in callout


def test_a_lottery_winner_reads_you_won(client, organiser):
    entry = stocked_entry(kind=Kind.LOTTERY, units=1, name="Quest 3")
    winner = HardwareRequestFactory(entry=entry, proposal="x")
    services.run_lottery(entry=entry, by=organiser)
    client.force_login(winner.user)
    page = client.get(MY_HARDWARE).content.decode()
    assert "You won Quest 3!" in page and "You won: ready for pickup" in page


def test_nothing_ready_means_no_callout(client, participant):
    HardwareRequestFactory(user=participant, entry=stocked_entry(units=1))
    client.force_login(participant)
    assert 'class="next-step"' not in client.get(MY_HARDWARE).content.decode()
