"""Desk actions go back to the page they came from, and never 500 on an odd `next`."""

import pytest
from django.urls import reverse

from checkout.models import HardwareRequest, Status
from checkout.tests.factories import HardwareRequestFactory, stocked_entry

pytestmark = pytest.mark.django_db
DESK = reverse("admin:desk")


@pytest.mark.parametrize(
    "next_url",
    ["-1", "0", "desk", "NaN", "admin:desk", "//evil.example/x", "https://evil.example/"],
)
def test_it_goes_back_to_the_desk_when_next_is_not_a_path_on_this_site(organiser_client, next_url):
    request = HardwareRequestFactory(entry=stocked_entry(units=1))
    response = organiser_client.post(
        reverse("admin:desk_approve", args=[request.pk]), {"next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == DESK
    assert HardwareRequest.objects.get(pk=request.pk).status == Status.APPROVED


def test_it_goes_back_to_a_page_on_this_site(organiser_client):
    request = HardwareRequestFactory(entry=stocked_entry(units=1))
    back_to = reverse("admin:desk_participant", args=[request.user_id])
    response = organiser_client.post(
        reverse("admin:desk_deny", args=[request.pk]), {"next": back_to}
    )
    assert response["Location"] == back_to


@pytest.mark.parametrize("name", ["desk_batch", "desk_run_all_lotteries", "desk_housekeeping"])
def test_every_action_survives_an_odd_next(organiser_client, name):
    response = organiser_client.post(reverse(f"admin:{name}"), {"next": "-1"})
    assert response.status_code == 302
    assert response["Location"] == DESK
