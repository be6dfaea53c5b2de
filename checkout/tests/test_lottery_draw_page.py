"""A draw's public page: the revealed seed, its commitment, the entrants by initials, the
winners, and code that checks them."""

import html
import re

import pytest

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.models import LotteryDraw
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Kind

pytestmark = pytest.mark.django_db


def entered(entry, **user):
    return services.submit_request(
        user=UserFactory(**user), entry=entry, quantity=1, proposal="A robot"
    )


def drawn(organiser, names, units=1):
    entry = stocked_entry(units=units, kind=Kind.LOTTERY, name="Oculus")
    requests = [entered(entry, name=name) for name in names]
    return services.run_lottery(entry=entry, by=organiser), requests


def test_the_public_draw_page_reveals_the_seed_and_shows_initials(client, organiser):
    draw, requests = drawn(organiser, ["Ada Lovelace", "Grace Brewster Hopper"])
    page = client.get(draw.get_absolute_url()).content.decode()
    assert draw.seed in page and draw.commitment in page
    assert "A. L." in page and "G. B. H." in page
    assert "Lovelace" not in page and requests[0].user.email not in page
    assert "the seed matches its commitment and gives these winners" in page


def test_the_python_on_the_public_draw_page_checks_the_draw(client, organiser):
    draw, _ = drawn(organiser, [f"Hacker {n}" for n in range(6)], units=2)
    page = client.get(draw.get_absolute_url()).content.decode()
    code = html.unescape(re.search(r'<pre class="draw-check"><code>(.*?)</code>', page, re.S)[1])
    names = {}
    exec(code, names)  # our own page's code
    assert names["commitment"](draw.seed) == draw.commitment
    assert names["draw"](draw.seed, draw.entrants, draw.stock) == draw.winners


@pytest.mark.parametrize("entrants", [2, 20])
def test_the_public_draw_page_takes_the_same_queries_however_many_entered(
    client, organiser, named_queries, entrants
):
    draw, _ = drawn(organiser, [f"Hacker {n}" for n in range(entrants)])
    response, queries = named_queries(client.get, draw.get_absolute_url())
    assert response.status_code == 200
    assert queries == [
        "SELECT checkout_lotterydraw",  # the draw with its entry, if participants may see it
        "SELECT checkout_hardwarerequest",  # the entrants' names, for their initials
    ]


def test_a_hidden_lotterys_draw_is_not_public(client, organiser):
    draw, _ = drawn(organiser, ["Ada Lovelace"])
    type(draw.entry).objects.filter(pk=draw.entry_id).update(is_visible=False)
    assert client.get(draw.get_absolute_url()).status_code == 404


def test_a_draw_from_before_commitments_says_it_cannot_be_checked(client):
    entry = stocked_entry(kind=Kind.LOTTERY)
    request = HardwareRequestFactory(entry=entry, proposal="x")
    draw = LotteryDraw.objects.create(
        entry=entry,
        seed="42",
        stock=1,
        entrants=[[request.pk, 1]],
        winners=[request.pk],
        run_by=UserFactory(is_staff=True),
        options={"algorithm": "python-random-shuffle-v1"},
    )
    assert "cannot be checked here" in client.get(draw.get_absolute_url()).content.decode()
