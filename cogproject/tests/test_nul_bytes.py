"""A NUL character in a query string or form field is a 400 that changes nothing, never a 500
(PostgreSQL refuses NUL in a text value)."""

import pytest
from django.urls import reverse

from checkout.models import HardwareRequest, Status
from checkout.tests.factories import HardwareRequestFactory, stocked_entry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/desk/?q=%00",
        "/admin/checkout/hardwarerequest/?status__exact=%00",
        "/admin/checkout/hardwarerequest/?entry__kind__exact=%00",
        "/admin/checkout/loan/?return_condition__exact=%00",
        "/admin/checkout/handout/?entry__kind__exact=%00",
        "/admin/inventory/entry/?kind__exact=%00",
        "/admin/inventory/unit/?condition__exact=a%00b",
        "/admin/inventory/entry/add/?category=%00",
        "/inventory/?q=%00",
        "/admin/desk/?%00=1",
    ],
)
def test_a_nul_in_a_query_is_a_400(organiser_client, url):
    response = organiser_client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_in_a_form_is_a_400_that_changes_nothing(organiser_client):
    request = HardwareRequestFactory(entry=stocked_entry(units=1))
    response = organiser_client.post(
        reverse("admin:desk_approve", args=[request.pk]), {"next": "/admin/\x00"}
    )
    assert response.status_code == 400
    assert HardwareRequest.objects.get(pk=request.pk).status == Status.SUBMITTED
