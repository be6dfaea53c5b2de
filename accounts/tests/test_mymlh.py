"""The whole MyMLH OAuth dance, offline, against a fake MyMLH over real HTTP."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.test import override_settings

from accounts.models import AllowListedEmail, Role, User
from accounts.roles import ORGANISERS
from accounts.tests.factories import UserFactory
from accounts.tests.fake_mymlh import CLIENT_ID, CLIENT_SECRET, LOGIN, dance

pytestmark = pytest.mark.django_db


def test_the_login_page_leads_with_mymlh(client, mymlh):
    body = client.get("/accounts/login/").content.decode()
    assert "Sign in with MyMLH" in body
    assert body.index("Sign in with MyMLH") < body.index("Sign in with email")
    assert "Create an account" not in body  # password sign-up is off when MyMLH is on


def test_the_authorize_request_carries_the_v4_scopes(client, mymlh):
    start = client.post(LOGIN)
    query = parse_qs(urlsplit(start["Location"]).query)
    assert start["Location"].startswith(mymlh.url("/oauth/authorize"))
    assert query["client_id"] == [CLIENT_ID]
    assert query["response_type"] == ["code"]
    assert set(query["scope"][0].split(" ")) == {
        "public",
        "user:read:profile",
        "user:read:email",
        "user:read:phone",
    }
    assert query["state"][0]


def test_a_new_participant_is_created_and_prefilled(client, mymlh):
    response = dance(client)

    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "ada@example.com"
    assert (user.name, user.phone) == ("Ada Lovelace", "+1 617 555 0100")
    assert user.school == ""  # education was not asked for
    assert not user.is_staff
    assert SocialAccount.objects.get(user=user).uid == "c2ac35c6-aa8c-11ed-afa1-0242ac120002"
    assert client.get("/me/hardware/").wsgi_request.user == user
    token_request = next(r for r in mymlh.requests if r[1] == "/oauth/token")
    assert token_request[2]["client_secret"] == CLIENT_SECRET  # credentials in the body
    user_request = next(r for r in mymlh.requests if r[1] == "/v4/users/me")
    assert user_request[3]["Authorization"].startswith("Bearer ")


def test_the_school_comes_with_the_education_scope(client, idp, settings):
    settings.SOCIALACCOUNT_PROVIDERS = idp.provider_settings(
        scopes=("public", "user:read:profile", "user:read:email", "user:read:education")
    )
    settings.MYMLH_ENABLED = True
    dance(client)
    assert User.objects.get().school == "Analytical University"


def test_a_user_object_at_the_top_level_is_accepted(client, mymlh):
    mymlh.wrap_in_data = False
    assert dance(client).status_code == 302
    assert User.objects.filter(email="ada@example.com").exists()


def test_an_allow_listed_email_becomes_an_organiser(client, mymlh, settings):
    settings.ORGANISER_EMAILS = ["ADA@example.com"]
    dance(client)
    user = User.objects.get()
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name=ORGANISERS).exists()
    assert client.get("/admin/desk/").status_code == 200


def test_a_returning_user_is_matched_to_their_account(client, mymlh):
    dance(client)
    client.post("/accounts/logout/")
    User.objects.filter(email="ada@example.com").update(phone="+44 1 234 5678")
    dance(client)
    assert User.objects.count() == 1
    assert User.objects.get().phone == "+44 1 234 5678"  # the profile the user edited stays


def test_an_existing_local_account_with_the_same_email_is_matched(client, mymlh):
    local = UserFactory(email="ada@example.com")
    dance(client)
    assert User.objects.count() == 1
    assert SocialAccount.objects.get().user == local


def test_a_forged_state_is_rejected(client, mymlh):
    response = dance(client, state="forged-state")
    assert "did not work" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize("mode", ["token_error", "user_error", "user_malformed", "user_no_id"])
def test_a_mymlh_failure_shows_a_friendly_page_and_creates_no_user(client, mymlh, mode):
    mymlh.mode = mode
    response = dance(client)
    assert response.status_code == 401  # allauth's status for a failed third-party login
    assert "Sign-in with MyMLH did not work" in response.content.decode()
    assert not User.objects.exists()


@override_settings(SOCIALACCOUNT_REQUESTS_TIMEOUT=1)
def test_a_mymlh_timeout_shows_a_friendly_page(client, mymlh):
    mymlh.mode, mymlh.delay = "token_timeout", 2
    response = dance(client)
    assert "Sign-in with MyMLH did not work" in response.content.decode()
    assert not User.objects.exists()


def test_an_error_from_the_authorize_step_is_friendly(client, mymlh):
    client.post(LOGIN)
    response = client.get("/accounts/mymlh/login/callback/", {"error": "access_denied"})
    assert "did not work" in response.content.decode()
    assert not User.objects.exists()


def test_someone_removed_from_the_list_loses_organiser_access(client, mymlh):
    allowed = AllowListedEmail.objects.create(email="ada@example.com", role=Role.ORGANISER)
    dance(client)
    assert User.objects.get().is_staff
    client.post("/accounts/logout/")
    allowed.delete()
    dance(client)
    user = User.objects.get()
    assert not user.is_staff
    assert not user.groups.filter(name=ORGANISERS).exists()


def test_login_next_cannot_leave_the_site(client, mymlh):
    start = client.post(f"{LOGIN}&next=https://evil.example/")
    answer = requests.get(start["Location"], allow_redirects=False, timeout=5)
    callback = urlsplit(answer.headers["Location"])
    response = client.get(callback.path, {k: v[0] for k, v in parse_qs(callback.query).items()})
    assert response.status_code == 302
    assert not response["Location"].startswith(("http", "//"))
