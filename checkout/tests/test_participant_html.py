"""Every participant page is valid HTML by the Nu HTML checker, signed in and out."""

import pytest
from django.urls import reverse

from accounts.tests.factories import TeamFactory, UserFactory
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Kind

from .test_desk_html import JAVA, nu_errors

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not JAVA, reason="the Nu HTML checker needs Java (apt-get default-jre)"),
]


def test_every_participant_page_is_valid_html(client, participant, tmp_path, settings):
    settings.ACCOUNT_ALLOW_SIGNUPS = True
    entry = stocked_entry(units=2, name="Arduino Uno")
    lottery = stocked_entry(units=1, kind=Kind.LOTTERY, name="Quest 3")
    HardwareRequestFactory(user=participant, entry=lottery, proposal="A robot arm.")
    signed_out = {
        "catalogue-out": reverse("checkout:catalogue"),
        "entry-out": reverse("checkout:entry", args=[entry.pk]),
        "login": reverse("account_login"),
        "signup": reverse("account_signup"),
        "password-reset": reverse("account_reset_password"),
    }
    signed_in = {
        "catalogue": reverse("checkout:catalogue"),
        "entry": reverse("checkout:entry", args=[entry.pk]),
        "lottery": reverse("checkout:entry", args=[lottery.pk]),
        "my-hardware": reverse("checkout:my_hardware"),
        "profile": reverse("accounts:profile"),
        "team-none": reverse("accounts:team"),
        "cv": reverse("accounts:cv"),
        "logout": reverse("account_logout"),
    }
    pages = {}
    for name, url in signed_out.items():
        response = client.get(url)
        assert response.status_code == 200, name
        pages[name] = response.content
    client.force_login(participant)
    for name, url in signed_in.items():
        response = client.get(url)
        assert response.status_code == 200, name
        pages[name] = response.content
    team = TeamFactory(name="Heroes")
    HardwareRequestFactory(user=UserFactory(team=team), entry=entry)
    participant.team = team
    participant.save(update_fields=["team"])
    for name, url in {
        "team": reverse("accounts:team"),
        "my-hardware-team": reverse("checkout:my_hardware"),
    }.items():
        response = client.get(url)
        assert response.status_code == 200, name
        pages[name] = response.content
    bad = client.post(reverse("accounts:team_leave"))  # a form error page too
    pages["team-bad-code"] = client.post(reverse("accounts:team_join"), {"code": "nope"}).content
    assert bad.status_code == 302
    errors = nu_errors(pages, tmp_path)
    print("\n".join(errors))
    assert errors == []
