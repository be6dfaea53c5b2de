"""A lottery's own page and its entrants' "My hardware": the next draw's seed hash, never
the seed; after the draw, a way to check it."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.models import LotteryCommitment
from checkout.tests.factories import stocked_entry
from inventory.models import Kind

pytestmark = pytest.mark.django_db
MY_HARDWARE = reverse("checkout:my_hardware")


def entered(entry, **user):
    return services.submit_request(
        user=UserFactory(**user), entry=entry, quantity=1, proposal="A robot"
    )


def drawn(organiser, names, units=1):
    entry = stocked_entry(units=units, kind=Kind.LOTTERY, name="Oculus")
    requests = [entered(entry, name=name) for name in names]
    return services.run_lottery(entry=entry, by=organiser), requests


def test_the_lottery_page_shows_the_commitment_but_not_the_seed(client):
    entry = stocked_entry(kind=Kind.LOTTERY)
    entered(entry)
    committed = LotteryCommitment.objects.get(entry=entry)
    page = client.get(entry.get_absolute_url()).content.decode()
    assert f"sha256 {committed.commitment}" in page
    assert committed.seed not in page


def test_the_lottery_page_says_when_the_seed_will_be_committed(client):
    entry = stocked_entry(kind=Kind.LOTTERY)
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "committed when the first person enters" in page


def test_an_entrant_sees_the_commitment_but_not_the_seed(client):
    entry = stocked_entry(kind=Kind.LOTTERY)
    entrant = entered(entry)
    committed = LotteryCommitment.objects.get(entry=entry)
    client.force_login(entrant.user)
    page = client.get(MY_HARDWARE).content.decode()
    assert f"Draw commitment: <code>sha256 {committed.commitment}</code>" in page
    assert "the seed is revealed at the draw" in page.lower()
    assert committed.seed not in page


def test_entrants_find_their_draw_from_my_hardware(client, organiser):
    draw, requests = drawn(organiser, ["Ada Lovelace", "Alan Turing"])
    client.force_login(requests[0].user)
    assert draw.get_absolute_url() in client.get(MY_HARDWARE).content.decode()
