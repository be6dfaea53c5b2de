"""The pages of the way in are valid HTML by the Nu HTML checker, with and without errors."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory

from .test_desk_html import JAVA, nu_errors

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not JAVA, reason="the Nu HTML checker needs Java (apt-get default-jre)"),
]

NEXT = "?next=/inventory/1/"


def test_every_onboarding_page_is_valid_html(client, tmp_path, settings):
    settings.ACCOUNT_ALLOW_SIGNUPS = True
    login, signup = reverse("account_login") + NEXT, reverse("account_signup") + NEXT
    step, profile = reverse("accounts:profile_step") + NEXT, reverse("accounts:profile")
    UserFactory(email="pat@example.com")
    pages = {
        "login": client.get(login),
        "login-errors": client.post(login, {"login": "pat@example.com", "password": "nope"}),
        "signup": client.get(signup),
        "signup-errors": client.post(
            signup, {"name": "", "email": "nope", "password1": "a", "password2": "b"}
        ),
    }
    client.force_login(UserFactory(email="nia@example.com", name="Nia", phone="", location=""))
    bad = {"name": "", "phone": "call me", "location": "", "next": "/inventory/1/"}
    pages |= {
        "step": client.get(step),
        "step-errors": client.post(step, bad),
        "profile-errors": client.post(profile, bad),
    }
    statuses = {name: response.status_code for name, response in pages.items()}
    assert statuses == {
        "login": 200,
        "login-errors": 200,
        "signup": 200,
        "signup-errors": 200,
        "step": 200,
        "step-errors": 400,
        "profile-errors": 400,
    }
    errors = nu_errors({name: r.content for name, r in pages.items()}, tmp_path)
    print("\n".join(errors))
    assert errors == []
