import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.desk import queue as desk
from checkout.models import (
    HardwareRequest,
    IDCollateral,
    Loan,
    LotteryCommitment,
    LotteryDraw,
    Status,
)
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Entry, Kind
from inventory.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db
DESK = reverse("admin:desk")


def url(name, *args):
    return reverse(f"admin:desk_{name}", args=args)


def test_a_participant_cannot_open_the_desk(participant_client):
    response = participant_client.get(DESK)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_desk_permission_is_refused(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(DESK).status_code == 403


def test_a_participant_cannot_approve(participant_client):
    request = HardwareRequestFactory(entry=stocked_entry())
    participant_client.post(url("approve", request.pk))
    assert HardwareRequest.objects.get(pk=request.pk).status == Status.SUBMITTED


def test_actions_need_post(organiser_client):
    request = HardwareRequestFactory(entry=stocked_entry())
    for name in ("approve", "deny", "cancel"):
        assert organiser_client.get(url(name, request.pk)).status_code == 405
    assert organiser_client.get(url("batch")).status_code == 405
    assert organiser_client.get(url("run_all_lotteries")).status_code == 405
    assert HardwareRequest.objects.get(pk=request.pk).status == Status.SUBMITTED


def test_actions_need_a_csrf_token(organiser):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)
    request = HardwareRequestFactory(entry=stocked_entry())
    assert client.post(url("approve", request.pk)).status_code == 403
    assert HardwareRequest.objects.get(pk=request.pk).status == Status.SUBMITTED


def test_the_desk_shows_the_queue_oldest_first(organiser_client):
    entry = stocked_entry(units=5, name="Teensy")
    first, second = HardwareRequestFactory(entry=entry), HardwareRequestFactory(entry=entry)
    HardwareRequestFactory(
        entry=stocked_entry(kind=Kind.LOTTERY), proposal="x"
    )  # waits for its draw
    queues = desk.desk_queues()
    assert [r.pk for r in queues[Status.SUBMITTED]] == [first.pk, second.pk]
    body = organiser_client.get(DESK).content.decode()
    assert "Waiting for approval (2)" in body
    assert body.index(f"Select request {first.pk}") < body.index(f"Select request {second.pk}")


def test_the_queue_shows_each_waitlist_in_order(organiser):
    entry = stocked_entry(units=0, name="Jetson")
    waiting = [
        services.submit_request(user=UserFactory(), entry=entry, quantity=1) for _ in range(3)
    ]
    queue = desk.desk_queues()[Status.WAITLISTED]
    assert [(r.pk, r.waitlist_position) for r in queue] == [
        (r.pk, n) for n, r in enumerate(waiting, 1)
    ]


def test_the_queue_is_limited_to_the_oldest_of_each_kind(organiser):
    entry = stocked_entry(units=200)
    made = [HardwareRequestFactory(entry=entry) for _ in range(desk.QUEUE_LIMIT + 5)]
    assert [r.pk for r in desk.desk_queues()[Status.SUBMITTED]] == [
        r.pk for r in made[: desk.QUEUE_LIMIT]
    ]


def test_the_counters_stop_at_the_limit_and_say_so(organiser_client, organiser, monkeypatch):
    """Each counter reads at most COUNT_LIMIT + 1 rows (its cost bounded whatever the tables'
    size) and shows "N+" past the limit; the queues themselves are unchanged."""
    monkeypatch.setattr(desk, "COUNT_LIMIT", 3)
    entry = stocked_entry(units=20, name="Teensy")
    for _ in range(3):
        HardwareRequestFactory(entry=entry)
    for _ in range(5):
        services.approve_request(hardware_request=HardwareRequestFactory(entry=entry), by=organiser)
    stats = desk.desk_stats()
    assert (stats["pending"], stats["pickup"], stats["waitlisted"]) == (3, 4, 0)
    body = organiser_client.get(DESK).content.decode()
    assert "Waiting for approval (3)" in body
    assert "Ready for pickup (3+)" in body
    assert body.count('<tr id="dq-pickup-') == 5  # the queue lists every one of them


def test_the_desk_lists_the_most_wanted_lotteries_with_their_stock(monkeypatch):
    monkeypatch.setattr(desk, "QUEUE_LIMIT", 2)
    wanted = {}
    for name, people in (("Drone", 1), ("Headset", 3), ("Oculus", 2), ("Nobody", 0)):
        wanted[name] = stocked_entry(units=people + 1, name=name, kind=Kind.LOTTERY)
        for _ in range(people):
            HardwareRequestFactory(entry=wanted[name], proposal="x")
    HardwareRequestFactory(entry=wanted["Drone"], status=Status.CANCELLED)  # not an entrant
    shown = desk.desk_lotteries()
    assert [(e.name, e.entrants, e.stock_total) for e in shown] == [
        ("Headset", 3, 4),
        ("Oculus", 2, 3),
    ]


def test_the_queue_holds_no_csrf_token_but_its_forms_do(organiser_client):
    HardwareRequestFactory(entry=stocked_entry())
    body = organiser_client.get(DESK).content.decode()
    queue = body[body.index('id="desk-queue"') :]
    assert "csrfmiddlewaretoken" not in queue
    assert body.count("csrfmiddlewaretoken") >= 2  # the action and batch forms, outside it


def test_approve_then_fulfil_then_return_at_the_desk(organiser_client, participant):
    entry = stocked_entry(units=2)
    request = HardwareRequestFactory(entry=entry, user=participant)

    organiser_client.post(url("approve", request.pk))
    assert HardwareRequest.objects.get(pk=request.pk).status == Status.APPROVED

    page = organiser_client.get(url("fulfil", request.pk))
    assert page.context["needs_id"]
    refused = organiser_client.post(url("fulfil", request.pk), {})
    assert refused.status_code == 400
    organiser_client.post(url("fulfil", request.pk), {"id_storage_label": "Envelope 4"})
    loan = Loan.objects.get(request=request)
    assert IDCollateral.objects.held().get(user=participant).storage_label == "Envelope 4"

    response = organiser_client.post(
        url("scan"), {"code": loan.unit.asset_tag.lower()}, headers={"HX-Request": "true"}
    )
    assert "give back their ID from Envelope 4" in response.context["scan"]["panel"].message
    assert HardwareRequest.objects.get(pk=request.pk).status == Status.RETURNED


def test_scanning_an_unknown_or_idle_tag_with_no_card_open_is_an_error(organiser_client):
    unit = stocked_entry(units=1).units.get()
    for tag in ("NOPE-1", unit.asset_tag):
        response = organiser_client.post(url("scan"), {"code": tag})
        assert response.status_code == 200
        assert response.context["scan"]["panel"].level == "error"
    assert not Loan.objects.exists()


def test_batch_approve_reports_each_failure(organiser_client):
    entry = stocked_entry(units=2)
    requests = [HardwareRequestFactory(entry=entry) for _ in range(3)]
    response = organiser_client.post(
        url("batch"), {"action": "approve", "requests": [r.pk for r in requests]}, follow=True
    )
    statuses = [HardwareRequest.objects.get(pk=r.pk).status for r in requests]
    assert statuses == [Status.APPROVED, Status.APPROVED, Status.SUBMITTED]
    assert any("Only 0" in str(m) for m in response.context["messages"])


@pytest.mark.parametrize(
    "data", [{}, {"action": "explode", "requests": ["1"]}, {"action": "deny", "requests": ["x"]}]
)
def test_a_bad_batch_is_a_message(organiser_client, data):
    request = HardwareRequestFactory(entry=stocked_entry())
    response = organiser_client.post(url("batch"), data, follow=True)
    assert response.status_code == 200
    assert HardwareRequest.objects.get(pk=request.pk).status == Status.SUBMITTED


def test_run_a_lottery_from_the_desk(organiser_client):
    entry = stocked_entry(units=1, kind=Kind.LOTTERY)
    for user in UserFactory.create_batch(3):
        services.submit_request(user=user, entry=entry, quantity=1, proposal="x")
    seed = LotteryCommitment.objects.get(entry=entry).seed  # committed as the first entered
    response = organiser_client.post(url("run_lottery", entry.pk), follow=True)
    draw = LotteryDraw.objects.get()
    assert draw.seed == seed and len(draw.winners) == 1
    assert reverse("admin:checkout_lotterydraw_change", args=[draw.pk]) in response.content.decode()


def test_hand_out_a_free_item(organiser_client, participant):
    entry = EntryFactory(kind=Kind.FREE, counted_stock=10)
    assert organiser_client.get(url("handout")).status_code == 200
    data = {"entry": entry.pk, "quantity": 3, "email": participant.email}
    assert organiser_client.post(url("handout"), data).status_code == 302
    assert Entry.objects.get(pk=entry.pk).counted_stock == 7
    response = organiser_client.post(url("handout"), {"entry": entry.pk, "quantity": 30})
    assert response.status_code == 400
    assert "Only 7" in response.content.decode()
    data = {"entry": entry.pk, "quantity": 1, "email": "nobody@example.com"}
    assert organiser_client.post(url("handout"), data).status_code == 400
    assert Entry.objects.get(pk=entry.pk).counted_stock == 7


def test_participant_page_and_id_take_and_return(organiser_client, participant):
    page = organiser_client.get(url("participant", participant.pk))
    assert page.status_code == 200
    organiser_client.post(url("take_id", participant.pk), {"storage_label": "B2"})
    collateral = IDCollateral.objects.held().get(user=participant)
    organiser_client.post(url("return_id", collateral.pk))
    assert not IDCollateral.objects.held().exists()


def test_next_cannot_send_the_desk_off_site(organiser_client):
    request = HardwareRequestFactory(entry=stocked_entry())
    response = organiser_client.post(url("approve", request.pk), {"next": "https://evil.example/"})
    assert response["Location"] == DESK


def test_participant_search(organiser_client):
    UserFactory(name="Grace Hopper", email="grace@example.com")
    response = organiser_client.get(DESK, {"q": "hopper"})
    assert [p.email for p in response.context["people"]] == ["grace@example.com"]


def fill_desk(organiser, n):
    """n pending, n approved, n waitlisted requests, n lottery entries, n people holding items."""
    for _ in range(n):
        entry = stocked_entry(units=2)
        HardwareRequestFactory(entry=entry)
        approved = HardwareRequestFactory(entry=entry)
        services.approve_request(hardware_request=approved, by=organiser)
        held = HardwareRequestFactory(entry=entry)
        services.approve_request(hardware_request=held, by=organiser)
        services.fulfil_request(hardware_request=held, by=organiser, id_storage_label=f"A{held.pk}")
        HardwareRequestFactory(entry=entry, status=Status.WAITLISTED)
        HardwareRequestFactory(entry=stocked_entry(kind=Kind.LOTTERY), proposal="x")


def test_the_desk_query_count_does_not_grow(organiser_client, organiser, named_queries):
    fill_desk(organiser, 2)
    _, few = named_queries(organiser_client.get, DESK)
    fill_desk(organiser, 30)
    cache.clear()
    response, many = named_queries(organiser_client.get, DESK)
    _, hit = named_queries(organiser_client.get, DESK)
    assert response.status_code == 200
    assert "Waiting for approval (32)" in response.content.decode()
    stats = ["SELECT accounts_user", "SELECT auth_permission", "SELECT core_eventsettings"]
    assert (
        few
        == many
        == [
            *stats,  # the user, their permissions, the counters with the SHARED version
            "SELECT checkout_hardwarerequest",  # the three queues, one window query
            "SELECT inventory_entry",  # lotteries with entrants and stock
        ]
    )
    assert hit == stats  # nothing changed: the queue comes from the cache


def test_the_desk_search_query_count_does_not_grow(organiser_client, organiser, named_queries):
    UserFactory.create_batch(2, name="Ada")
    _, few = named_queries(organiser_client.get, DESK, {"q": "ada"})
    UserFactory.create_batch(30, name="Ada")
    cache.clear()
    response, many = named_queries(organiser_client.get, DESK, {"q": "ada"})
    assert len(response.context["people"]) == 20
    assert (
        few
        == many
        == [
            "SELECT accounts_user",
            "SELECT auth_permission",
            "SELECT accounts_user",  # the people found, with what they hold and whether ID is held
            "SELECT core_eventsettings",
            "SELECT checkout_hardwarerequest",
            "SELECT inventory_entry",
        ]
    )


def test_the_participant_page_query_count_does_not_grow(organiser_client, organiser, named_queries):
    person = UserFactory()

    def history(n):
        for _ in range(n):
            request = HardwareRequestFactory(entry=stocked_entry(units=1), user=person)
            services.approve_request(hardware_request=request, by=organiser)
            (loan,) = services.fulfil_request(
                hardware_request=request, by=organiser, id_storage_label="A"
            )
            request = HardwareRequestFactory(entry=stocked_entry(units=1), user=person)
            services.approve_request(hardware_request=request, by=organiser)
            (loan,) = services.fulfil_request(hardware_request=request, by=organiser)
            services.return_loan(loan=loan, by=organiser)

    history(2)
    _, few = named_queries(organiser_client.get, url("participant", person.pk))
    history(25)
    response, many = named_queries(organiser_client.get, url("participant", person.pk))
    assert len(response.context["open_loans"]) == 27
    assert (
        few
        == many
        == [
            "SELECT accounts_user",
            "SELECT auth_permission",
            "SELECT accounts_user",  # the participant, with what they hold and whether ID is held
            "SELECT checkout_hardwarerequest",  # their requests with waitlist positions
            "SELECT checkout_loan",  # open loans
            "SELECT checkout_loan",  # past loans
            "SELECT checkout_idcollateral",  # the ID ledger
        ]
    )


def test_the_fulfil_page_query_count_does_not_grow(organiser_client, organiser, named_queries):
    small = HardwareRequestFactory(entry=stocked_entry(units=2))
    services.approve_request(hardware_request=small, by=organiser)
    _, few = named_queries(organiser_client.get, url("fulfil", small.pk))
    big = HardwareRequestFactory(entry=stocked_entry(units=200))
    services.approve_request(hardware_request=big, by=organiser)
    response, many = named_queries(organiser_client.get, url("fulfil", big.pk))
    assert len(response.context["free_units"]) == 200
    assert (
        few
        == many
        == [
            "SELECT accounts_user",
            "SELECT auth_permission",
            "SELECT checkout_hardwarerequest",  # the request with user, entry and ID held
            "SELECT inventory_unit",  # the units on the shelf
        ]
    )
