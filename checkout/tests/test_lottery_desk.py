"""The desk and the back office: a lottery's seed hash before its draw (never the seed),
committing a seed, and who won, by name."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.lottery import commitment_of
from checkout.models import LotteryCommitment, LotteryDraw
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Kind

pytestmark = pytest.mark.django_db
DESK = reverse("admin:desk")
COMMIT = reverse("admin:desk_commit_seed")


def entered(entry, **user):
    return services.submit_request(
        user=UserFactory(**user), entry=entry, quantity=1, proposal="A robot"
    )


def drawn(organiser, names, units=1):
    entry = stocked_entry(units=units, kind=Kind.LOTTERY, name="Oculus")
    requests = [entered(entry, name=name) for name in names]
    return services.run_lottery(entry=entry, by=organiser), requests


def old_draw():
    """A draw from before commitments: Python's `random`, an integer seed, no commitment."""
    entry = stocked_entry(kind=Kind.LOTTERY)
    request = HardwareRequestFactory(entry=entry, proposal="x")
    return LotteryDraw.objects.create(
        entry=entry,
        seed="42",
        stock=1,
        entrants=[[request.pk, 1]],
        winners=[request.pk],
        run_by=UserFactory(is_staff=True),
        options={"algorithm": "python-random-shuffle-v1"},
    )


# Before the draw: the desk shows the hash, not the seed.


def test_the_desk_shows_the_commitment_but_not_the_seed(organiser_client):
    entry = stocked_entry(kind=Kind.LOTTERY)
    entered(entry)
    committed = LotteryCommitment.objects.get(entry=entry)
    page = organiser_client.get(DESK).content.decode()
    assert committed.commitment in page and committed.seed not in page
    assert reverse("admin:desk_run_lottery", args=[entry.pk]) in page


def test_the_back_office_lists_commitments_without_their_seeds(organiser_client):
    entry = stocked_entry(kind=Kind.LOTTERY)
    entered(entry)
    committed = LotteryCommitment.objects.get(entry=entry)
    for url in (
        reverse("admin:checkout_lotterycommitment_changelist"),
        reverse("admin:checkout_lotterycommitment_change", args=[committed.pk]),
    ):
        page = organiser_client.get(url).content.decode()
        assert committed.commitment in page and committed.seed not in page


# Committing a seed from the desk.


def test_the_desk_offers_a_commitment_where_a_lottery_has_none(organiser_client):
    entry = stocked_entry(kind=Kind.LOTTERY, units=0)
    HardwareRequestFactory(entry=entry, proposal="x", seed_committed=False)
    page = organiser_client.get(DESK).content.decode()
    assert "Commit seed" in page and reverse("admin:desk_run_lottery", args=[entry.pk]) not in page

    response = organiser_client.post(COMMIT, {"entry": entry.pk, "next": DESK})

    assert response.status_code == 302 and response.url == DESK
    assert len(LotteryCommitment.objects.get(entry=entry).seed) == 64


def test_an_organiser_commits_a_seed_they_chose(organiser_client, organiser):
    entry = stocked_entry(kind=Kind.LOTTERY)
    assert organiser_client.get(COMMIT).status_code == 200
    seed = "our-seed-for-the-oculus-2026"
    response = organiser_client.post(COMMIT, {"entry": entry.pk, "seed": seed})
    assert response.status_code == 302
    committed = LotteryCommitment.objects.get(entry=entry)
    assert (committed.seed, committed.committed_by) == (seed, organiser)
    message = str(next(iter(get_messages(response.wsgi_request))))
    assert commitment_of(seed) in message and seed not in message


@pytest.mark.parametrize("seed", ["short", "with spaces in the middle"])
def test_a_guessable_seed_is_refused_on_the_page(organiser_client, seed):
    entry = stocked_entry(kind=Kind.LOTTERY)
    response = organiser_client.post(COMMIT, {"entry": entry.pk, "seed": seed})
    assert response.status_code == 400
    assert "16 to 100 printable" in response.content.decode()
    assert not LotteryCommitment.objects.exists()


def test_a_committed_lottery_cannot_be_committed_again_on_the_page(organiser_client):
    entry = stocked_entry(kind=Kind.LOTTERY)
    entered(entry)
    before = LotteryCommitment.objects.get(entry=entry).seed
    response = organiser_client.post(COMMIT, {"entry": entry.pk, "seed": "x" * 20})
    assert response.status_code == 400
    assert LotteryCommitment.objects.get(entry=entry).seed == before


# After the draw: who won, by name.


def test_the_draw_page_shows_names_and_quantities_not_request_ids(organiser_client, organiser):
    draw, requests = drawn(organiser, ["Ada Lovelace", "Grace Hopper", "Alan Turing"])
    response = organiser_client.get(reverse("admin:checkout_lotterydraw_change", args=[draw.pk]))
    page = response.content.decode()
    winner = next(r for r in requests if r.pk == draw.winners[0])
    assert f"<td>winner 1</td><td>{winner.user.name}</td><td>1</td>" in page
    for request in requests:
        assert request.user.name in page
    assert "icon-yes" in page  # the seed matches its commitment and re-runs to the winners


@pytest.mark.parametrize("entrants", [3, 30])
def test_the_draw_page_reads_every_name_in_one_query(
    organiser_client, organiser, named_queries, entrants
):
    draw, _ = drawn(organiser, [f"Hacker {n}" for n in range(entrants)], units=2)
    url = reverse("admin:checkout_lotterydraw_change", args=[draw.pk])
    ContentType.objects.clear_cache()  # the same count whichever test runs first
    response, queries = named_queries(organiser_client.get, url)
    assert response.status_code == 200
    assert queries == [
        "SELECT accounts_user",  # the organiser
        "SELECT checkout_lotterydraw",  # the draw, with its entry and who ran it
        "SELECT auth_permission",  # the organiser's permissions
        "SELECT django_content_type",  # for "View on site"
        "SELECT checkout_hardwarerequest",  # every entrant's name, at once
    ]


def test_a_draw_from_before_commitments_is_not_called_reproducible(organiser_client):
    draw = old_draw()
    page = organiser_client.get(reverse("admin:checkout_lotterydraw_change", args=[draw.pk]))
    assert "icon-unknown" in page.content.decode()
