"""Server errors the URL sweep found on the accounts side (issue 9)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("next_url", ["99999999999999999999", "-1", "desk", "NaN"])
def test_a_profile_next_that_is_not_a_path_goes_to_my_hardware(participant_client, next_url):
    response = participant_client.post(
        "/me/profile/",
        {"name": "Pat P", "phone": "555 0100", "location": "Table 4", "next": next_url},
        follow=False,
    )
    assert response.status_code == 302
    assert response["Location"] == "/me/hardware/"


@pytest.mark.parametrize("path", ["/accounts/mymlh/login/", "/accounts/mymlh/login/callback/"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_mymlh_sign_in_when_it_is_not_set_up_points_to_email_sign_in(
    client, settings, path, method
):
    settings.MYMLH_ENABLED = False
    response = getattr(client, method)(path, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "Sign-in with MyMLH is not set up for this event" in response.content.decode()


def test_the_email_page_writes_nothing_on_get(participant_client):
    from allauth.account.models import EmailAddress

    response = participant_client.get("/accounts/email/", follow=True)
    assert response.redirect_chain[0][0] == "/me/profile/"
    assert "cannot be changed here" in response.content.decode()
    assert not EmailAddress.objects.exists()


def test_a_participant_cannot_take_an_organisers_email(participant_client, participant):
    from allauth.account.models import EmailAddress

    participant_client.post("/accounts/email/", {"action_add": "", "email": "lead@example.com"})
    participant_client.post("/accounts/email/", {"action_primary": "", "email": "lead@example.com"})
    participant.refresh_from_db()
    assert participant.email == "pat@example.com"
    assert not EmailAddress.objects.filter(email="lead@example.com").exists()


def test_the_profile_marks_required_fields_and_opens_the_number_pad(participant_client):
    page = participant_client.get("/me/profile/").content.decode()
    phone = page[page.index('name="phone"') - 200 : page.index('name="phone"') + 200]
    assert phone.count("type=") == 1 and 'type="tel"' in phone and 'inputmode="tel"' in phone
    assert page.count('<span class="required">required</span>') == 3  # name, phone, table
