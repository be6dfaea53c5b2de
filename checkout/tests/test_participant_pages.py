import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.models import HardwareRequest, Status
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Kind

pytestmark = pytest.mark.django_db
MY_HARDWARE = reverse("checkout:my_hardware")


def request_url(entry):
    return reverse("checkout:request", args=[entry.pk])


def test_a_participant_requests_from_the_entry_page(participant_client, participant):
    entry = stocked_entry(units=2, name="ESP32")
    page = participant_client.get(entry.get_absolute_url()).content.decode()
    assert request_url(entry) in page

    response = participant_client.post(request_url(entry), {"quantity": 1})

    assert response.status_code == 302 and response["Location"] == MY_HARDWARE
    assert HardwareRequest.objects.get(user=participant, entry=entry).status == Status.SUBMITTED
    assert (
        "You have a request for this"
        in participant_client.get(entry.get_absolute_url()).content.decode()
    )


def test_a_double_submit_makes_one_request(participant_client, participant):
    entry = stocked_entry()
    participant_client.post(request_url(entry), {"quantity": 1})
    response = participant_client.post(request_url(entry), {"quantity": 1}, follow=True)
    assert "already have an open request" in response.content.decode()
    assert HardwareRequest.objects.filter(user=participant).count() == 1


@pytest.mark.parametrize("data", [{"quantity": "abc"}, {"quantity": "9"}, {}, {"quantity": "0"}])
def test_bad_quantities_get_a_message_and_change_nothing(participant_client, data):
    entry = stocked_entry(max_request_quantity=2)
    response = participant_client.post(request_url(entry), data, follow=True)
    assert response.status_code == 200
    assert list(response.context["messages"])
    assert not HardwareRequest.objects.exists()


def test_an_incomplete_profile_is_sent_to_the_profile_page(client):
    user = UserFactory(phone="", location="")
    client.force_login(user)
    entry = stocked_entry()
    response = client.post(request_url(entry), {"quantity": 1})
    assert response["Location"].startswith(reverse("accounts:profile"))
    assert not HardwareRequest.objects.exists()


def test_requesting_needs_sign_in_and_post(client, participant):
    entry = stocked_entry()
    assert client.post(request_url(entry), {"quantity": 1})["Location"].startswith(
        "/accounts/login/"
    )
    client.force_login(participant)
    assert client.get(request_url(entry)).status_code == 405
    assert not HardwareRequest.objects.exists()


def test_requests_need_a_csrf_token(participant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(participant)
    entry = stocked_entry()
    assert client.post(request_url(entry), {"quantity": 1}).status_code == 403
    assert not HardwareRequest.objects.exists()


def test_lottery_entries_ask_for_a_proposal(participant_client):
    entry = stocked_entry(kind=Kind.LOTTERY)
    assert (
        "What will you build" in participant_client.get(entry.get_absolute_url()).content.decode()
    )
    participant_client.post(request_url(entry), {"quantity": 1, "proposal": ""})
    assert not HardwareRequest.objects.exists()
    participant_client.post(request_url(entry), {"quantity": 1, "proposal": "A drone"})
    assert HardwareRequest.objects.get().proposal == "A drone"


def test_my_hardware_shows_requests_position_loans_and_id(
    participant_client, participant, organiser
):
    held = stocked_entry(units=1, name="Arduino Uno")
    request = HardwareRequestFactory(user=participant, entry=held)
    services.approve_request(hardware_request=request, by=organiser)
    services.fulfil_request(hardware_request=request, by=organiser, id_storage_label="Slot 12")
    services.submit_request(user=UserFactory(), entry=held, quantity=1)
    services.submit_request(user=participant, entry=stocked_entry(units=3, name="Pico"), quantity=1)
    full = stocked_entry(units=0, name="Jetson")
    services.submit_request(user=UserFactory(), entry=full, quantity=1)
    services.submit_request(user=participant, entry=full, quantity=1)

    body = participant_client.get(MY_HARDWARE).content.decode()

    assert "Arduino Uno" in body and f"{held.tag_prefix}-001" in body
    assert "Slot 12" in body
    assert "number 2 in line" in body
    assert "Pico" in body


def test_a_participant_never_sees_anothers_requests(participant_client):
    HardwareRequestFactory(user=UserFactory(), entry=stocked_entry(name="Secret board"))
    assert "Secret board" not in participant_client.get(MY_HARDWARE).content.decode()


def test_cancel_my_request_but_not_someone_elses(participant_client, participant):
    mine = HardwareRequestFactory(user=participant, entry=stocked_entry())
    theirs = HardwareRequestFactory(user=UserFactory(), entry=stocked_entry())
    assert participant_client.get(reverse("checkout:cancel", args=[mine.pk])).status_code == 405
    participant_client.post(reverse("checkout:cancel", args=[mine.pk]))
    assert participant_client.post(reverse("checkout:cancel", args=[theirs.pk])).status_code == 404
    assert HardwareRequest.objects.get(pk=mine.pk).status == Status.CANCELLED
    assert HardwareRequest.objects.get(pk=theirs.pk).status == Status.SUBMITTED


def make_history(user, organiser, count):
    for _ in range(count):
        request = HardwareRequestFactory(user=user, entry=stocked_entry(units=1))
        services.approve_request(hardware_request=request, by=organiser)
        services.fulfil_request(hardware_request=request, by=organiser, id_storage_label="A")
    for _ in range(count):
        HardwareRequestFactory(user=user, entry=stocked_entry(units=1))


def test_my_hardware_query_count_does_not_grow(
    participant_client, participant, organiser, named_queries, snapshot_clock
):
    make_history(participant, organiser, 2)
    _, few = named_queries(participant_client.get, MY_HARDWARE)
    make_history(participant, organiser, 40)
    response, many = named_queries(participant_client.get, MY_HARDWARE)
    assert response.status_code == 200
    assert len(response.context["loans"]) == 42
    page = [
        "SELECT accounts_user",
        "SELECT checkout_hardwarerequest",  # requests with entries and waitlist positions
        "SELECT checkout_loan",  # what they hold, with units and entries
        "SELECT checkout_idcollateral",  # whether the desk holds their ID
    ]
    # The page's live version comes from the process's snapshot: loaded at the first request,
    # then no query until LIVE_SNAPSHOT_SECONDS have passed (the stopped clock has not moved).
    assert few == [page[0], "SELECT core_changecounter", *page[1:]]
    assert many == page
    snapshot_clock.advance(1)
    _, refreshed = named_queries(participant_client.get, MY_HARDWARE)
    assert refreshed == few


def test_the_profile_page_validates_the_phone_and_returns_to_next(participant_client, participant):
    url = reverse("accounts:profile")
    bad = participant_client.post(url, {"name": "Pat", "phone": "call me", "location": "T1"})
    assert bad.status_code == 400
    participant.refresh_from_db()
    assert participant.phone != "call me"
    good = participant_client.post(
        url, {"name": "Pat", "phone": "+44 20 7946 0000", "location": "T1", "next": "/inventory/"}
    )
    assert good["Location"] == "/inventory/"
    participant.refresh_from_db()
    assert (participant.phone, participant.location) == ("+44 20 7946 0000", "T1")


def test_the_profile_cannot_make_anyone_staff(participant_client, participant):
    participant_client.post(
        reverse("accounts:profile"),
        {
            "name": "Pat",
            "phone": "+1 555 0100000",
            "location": "T1",
            "is_staff": "on",
            "is_superuser": "on",
            "email": "root@example.com",
        },
    )
    participant.refresh_from_db()
    assert not participant.is_staff and not participant.is_superuser
    assert participant.email == "pat@example.com"


def test_the_profile_ignores_an_off_site_next(participant_client):
    response = participant_client.post(
        reverse("accounts:profile"),
        {
            "name": "Pat",
            "phone": "+1 555 0100000",
            "location": "T1",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == MY_HARDWARE
