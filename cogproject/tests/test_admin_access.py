"""Someone signed in who is not an organiser reaches a page that says so, not a redirect loop."""

import pytest

from accounts.models import AllowListedEmail, Role
from accounts.roles import sync_roles
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_URLS = ["/admin/", "/admin/inventory/entry/", "/admin/checkout/hardwarerequest/"]


@pytest.fixture
def sponsor_client(client):
    AllowListedEmail.objects.create(email="sam@example.com", role=Role.SPONSOR)
    sponsor = UserFactory(email="sam@example.com")
    sync_roles(sponsor)
    client.force_login(sponsor)
    return client


@pytest.mark.parametrize("url", ADMIN_URLS)
@pytest.mark.parametrize("who", ["participant_client", "sponsor_client"])
def test_a_signed_in_non_organiser_is_told_and_given_a_way_back(request, who, url):
    client = request.getfixturevalue(who)
    response = client.get(url, follow=True)  # the test client raises on a redirect loop
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 2
    page = response.content.decode()
    assert "Organisers only" in page
    assert 'href="/inventory/"' in page  # back to the hardware
    assert 'action="/accounts/logout/"' in page  # or sign out and in as an organiser


def test_signing_out_from_there_leads_to_the_organiser_sign_in(participant_client):
    response = participant_client.post("/accounts/logout/", {"next": "/admin/"}, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")


def test_an_anonymous_visitor_is_still_sent_to_sign_in(client):
    response = client.get("/admin/inventory/entry/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
