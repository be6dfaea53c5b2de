"""Signing up or in leads a participant through the profile step when something the desk needs
is missing, then back to where they were going; nobody else is sent through it."""

from urllib.parse import urlencode

import pytest

from accounts.models import User
from accounts.tests.factories import UserFactory
from accounts.tests.fake_mymlh import DEFAULT_SCOPES, dance

pytestmark = pytest.mark.django_db

SIGNUP, LOGIN = "/accounts/signup/", "/accounts/login/"
STEP, CATALOGUE = "/me/profile/step/", "/inventory/"
ENTRY = "/inventory/7/"  # any page on the site: where they were before signing in
HOSTILE = [
    "https://evil.example/",
    "//evil.example/",
    "http:\\\\evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "desk",
]


def step_with(next_url):
    return f"{STEP}?{urlencode({'next': next_url})}"


def sign_up(client, next_url=None, **data):
    form = {
        "name": "Nia Newcomer",
        "email": "nia@example.com",
        "password1": "a-long-pass-123",
        "password2": "a-long-pass-123",
        **data,
    }
    url = f"{SIGNUP}?{urlencode({'next': next_url})}" if next_url else SIGNUP
    return client.post(url, form)


def sign_in(client, email, next_url=None):
    form = {"login": email, "password": "s3cret-pass"}
    return client.post(f"{LOGIN}?{urlencode({'next': next_url})}" if next_url else LOGIN, form)


@pytest.fixture(autouse=True)
def password_sign_up(settings):
    settings.ACCOUNT_ALLOW_SIGNUPS = True


def test_it_sends_a_password_sign_up_to_the_step_and_then_back_to_next(client):
    response = sign_up(client, next_url=ENTRY)

    assert response.status_code == 302
    assert response["Location"] == step_with(ENTRY)
    user = User.objects.get()
    assert (user.email, user.name, user.phone, user.location) == (
        "nia@example.com",
        "Nia Newcomer",
        "",
        "",
    )
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert "so the desk can find you when your hardware is ready" in body
    assert body.count('<span class="required">required</span>') == 3  # name, phone, table
    assert 'value="Nia Newcomer"' in body
    assert f'name="next" value="{ENTRY}"' in body

    done = client.post(
        STEP, {"name": "Nia Newcomer", "phone": "+1 617 555 0199", "location": "T12", "next": ENTRY}
    )

    assert done.status_code == 302
    assert done["Location"] == ENTRY
    user.refresh_from_db()
    assert (user.phone, user.location) == ("+1 617 555 0199", "T12")
    assert user.has_complete_profile


def test_without_a_next_the_step_ends_on_the_catalogue(client):
    assert sign_up(client)["Location"] == STEP
    done = client.post(STEP, {"name": "Nia", "phone": "+1 617 555 0199", "location": "T12"})
    assert done["Location"] == CATALOGUE


def test_sign_in_and_sign_up_link_to_each_other_keeping_next(client):
    login = client.get(f"{LOGIN}?next={ENTRY}").content.decode()
    signup = client.get(f"{SIGNUP}?next={ENTRY}").content.decode()
    assert f'href="{SIGNUP}?next=%2Finventory%2F7%2F">Create an account</a>' in login
    assert f'href="{LOGIN}?next=%2Finventory%2F7%2F">Sign in</a>' in signup


@pytest.mark.parametrize("next_url", HOSTILE)
def test_a_hostile_next_is_not_carried_between_sign_in_and_sign_up(client, next_url):
    login = client.get(LOGIN, {"next": next_url}).content.decode()
    signup = client.get(SIGNUP, {"next": next_url}).content.decode()
    assert f'href="{SIGNUP}">Create an account</a>' in login
    assert f'href="{LOGIN}">Sign in</a>' in signup


def test_sign_up_without_a_name_is_refused_and_creates_nobody(client):
    response = sign_up(client, next_url=ENTRY, name="  ")
    assert response.status_code == 200
    assert '<ul class="errorlist" id="id_name_error"><li>Enter your name.</li>' in (
        response.content.decode()
    )
    assert not User.objects.exists()


def test_a_returning_participant_with_a_complete_profile_goes_straight_to_next(client):
    UserFactory(email="pat@example.com")
    response = sign_in(client, "pat@example.com", next_url=ENTRY)
    assert response["Location"] == ENTRY


@pytest.mark.parametrize("missing", ["name", "phone", "location"])
def test_a_returning_participant_missing_something_is_sent_to_the_step_with_next(client, missing):
    UserFactory(email="pat@example.com", **{missing: "  "})
    response = sign_in(client, "pat@example.com", next_url=ENTRY)
    assert response["Location"] == step_with(ENTRY)
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("who", ["staff", "organiser by allow-list", "sponsor", "superuser"])
def test_organisers_and_sponsors_are_never_sent_through_the_step(client, settings, who):
    user = UserFactory(email="olive@example.com", name="", phone="", location="")
    if who == "staff":
        User.objects.filter(pk=user.pk).update(is_staff=True)
    elif who == "organiser by allow-list":  # becomes staff at this very sign-in
        settings.ORGANISER_EMAILS = ["olive@example.com"]
    elif who == "sponsor":  # roles follow the allow-list at sign-in
        settings.SPONSOR_EMAILS = ["olive@example.com"]
    else:
        User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    response = sign_in(client, "olive@example.com", next_url="/admin/")
    assert response["Location"] == "/admin/"


@pytest.mark.parametrize("next_url", HOSTILE)
def test_a_hostile_next_is_dropped_at_sign_up_and_the_step_ends_on_the_catalogue(client, next_url):
    response = sign_up(client, next_url=next_url)
    assert response["Location"] == STEP
    page = client.get(step_with(next_url)).content.decode()
    assert 'name="next" value=""' in page
    done = client.post(
        STEP, {"name": "Nia", "phone": "+1 617 555 0199", "location": "T12", "next": next_url}
    )
    assert done["Location"] == CATALOGUE


@pytest.mark.parametrize("next_url", [*HOSTILE, "http://testserver/me/hardware/"])
def test_sign_in_trusts_a_next_only_as_safe_next_does(client, next_url):
    """allauth on its own would follow an absolute URL to an allowed host; safe_next takes
    only a path on this site, and the adapter makes allauth ask it."""
    UserFactory(email="pat@example.com")
    response = sign_in(client, "pat@example.com", next_url=next_url)
    assert response["Location"] == CATALOGUE


@pytest.mark.parametrize(
    "data, field",
    [
        ({"name": "Nia", "phone": "call me", "location": "T12"}, "phone"),
        ({"name": "Nia", "phone": "+1 617 555 0199", "location": "   "}, "location"),
        ({"name": "", "phone": "+1 617 555 0199", "location": "T12"}, "name"),
    ],
)
def test_the_step_refuses_bad_input_with_a_clear_error_and_changes_nothing(client, data, field):
    sign_up(client, next_url=ENTRY)
    response = client.post(STEP, {**data, "next": ENTRY})
    body = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in body and 'aria-invalid="true"' in body
    assert f'name="next" value="{ENTRY}"' in body  # the way back survives the retry
    user = User.objects.get()
    assert (user.name, user.phone, user.location) == ("Nia Newcomer", "", "")


def test_the_step_needs_sign_in(client):
    response = client.get(step_with(ENTRY))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert (
        client.post(STEP, {"name": "X", "phone": "555 0100", "location": "T1"}).status_code == 302
    )
    assert not User.objects.exists()


def test_mymlh_sign_up_goes_to_the_step_prefilled_and_back_to_next(client, mymlh):
    response = dance(client, next_url=ENTRY)

    assert response.status_code == 302
    assert response["Location"] == step_with(ENTRY)
    body = client.get(response["Location"]).content.decode()
    assert 'value="Ada Lovelace"' in body  # name and phone from MyMLH's v4 user
    assert 'value="+1 617 555 0100"' in body
    assert 'name="location" maxlength="100" required' in body  # the table is left to type
    done = client.post(
        STEP, {"name": "Ada Lovelace", "phone": "+1 617 555 0100", "location": "T3", "next": ENTRY}
    )
    assert done["Location"] == ENTRY
    assert User.objects.get().location == "T3"


def test_without_the_phone_scope_the_step_asks_for_the_phone(client, mymlh, settings):
    settings.SOCIALACCOUNT_PROVIDERS = mymlh.provider_settings(DEFAULT_SCOPES)
    response = dance(client, next_url=ENTRY)
    body = client.get(response["Location"]).content.decode()
    assert 'value="Ada Lovelace"' in body
    assert '<input type="tel" name="phone" maxlength="32"' in body and "0100" not in body
    assert User.objects.get().phone == ""


def test_mymlh_returning_participants_go_through_the_step_only_while_incomplete(client, mymlh):
    dance(client, next_url=ENTRY)
    client.post("/accounts/logout/")
    assert dance(client, next_url=ENTRY)["Location"] == step_with(ENTRY)  # still no table
    client.post("/accounts/logout/")
    User.objects.update(location="T3")
    assert dance(client, next_url=ENTRY)["Location"] == ENTRY


def test_a_new_organiser_through_mymlh_skips_the_step(client, mymlh, settings):
    settings.ORGANISER_EMAILS = ["ada@example.com"]
    assert dance(client, next_url="/admin/desk/")["Location"] == "/admin/desk/"


def test_a_hostile_next_through_mymlh_is_dropped(client, mymlh):
    assert dance(client, next_url="https://evil.example/")["Location"] == STEP


# The pages of the flow cost the same however many people have signed up: the signed-in
# user (the session is a signed cookie) and nothing else; the sign-up form nothing at all.
PAGES = {
    "sign-up": (None, f"{SIGNUP}?next={ENTRY}", []),
    "profile step": ("nia", step_with(ENTRY), ["SELECT accounts_user"]),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_onboarding_page_query_count_is_fixed(client, named_queries, page):
    who, url, expected = PAGES[page]
    if who:
        client.force_login(UserFactory(email="nia@example.com", phone="", location=""))
    UserFactory.create_batch(2)
    response, few = named_queries(client.get, url)
    assert response.status_code == 200
    UserFactory.create_batch(30)
    response, many = named_queries(client.get, url)
    assert response.status_code == 200
    assert few == many == expected
