"""Every participant page on a 390x844 phone and a laptop, signed in and out: nothing wider
than the screen, tap targets of at least 44x44 px, and axe-core with no violations."""

import pytest
from django.urls import reverse

from accounts.tests.factories import TeamFactory, UserFactory
from checkout import services
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Kind

from .conftest import CHROMEDRIVER, CHROMIUM, axe_violations, sign_in
from .test_desk_browser import LAPTOP, PHONE, shot, viewport

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER),
        reason="needs Debian's chromium and chromium-driver; .ci/run installs them",
    ),
]

TARGETS = """
const small = [];
const all = 'a:not(.skip-link), button, input:not([type=hidden]), select, textarea';
for (let el of document.querySelectorAll(all)) {
  // A checkbox's tap target is its label.
  if (el.matches('input[type=checkbox], input[type=radio]') && el.closest('label')) {
    el = el.closest('label');
  }
  const box = el.getBoundingClientRect();
  if (!box.width || !box.height) continue;
  // Links inside a sentence are exempt (WCAG 2.5.8 "inline"); the header's are not.
  if (el.closest('p, li, dd, td') && el.tagName === 'A' && !el.closest('nav')) continue;
  if (box.height < 44 || box.width < 44) {
    const size = Math.round(box.width) + 'x' + Math.round(box.height);
    small.push(el.outerHTML.slice(0, 70) + ' ' + size);
  }
}
return [document.documentElement.scrollWidth - window.innerWidth, small];
"""


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_every_participant_page_fits_and_passes_axe(browser, live_server, participant, size):
    entry = stocked_entry(units=2, name="Arduino Uno")
    lottery = stocked_entry(units=1, kind=Kind.LOTTERY, name="Quest 3")
    HardwareRequestFactory(user=participant, entry=lottery, proposal="A robot arm.")
    HardwareRequestFactory(user=participant, entry=stocked_entry(units=1, name="ESP32"))
    ready = HardwareRequestFactory(user=participant, entry=stocked_entry(units=1, name="Pico W"))
    services.approve_request(hardware_request=ready, by=participant)
    out = ["catalogue", "login", "signup"]
    pages = {
        "catalogue": reverse("checkout:catalogue"),
        "entry": reverse("checkout:entry", args=[entry.pk]),
        "lottery": reverse("checkout:entry", args=[lottery.pk]),
        "my-hardware": reverse("checkout:my_hardware"),
        "profile": reverse("accounts:profile"),
        "team-none": reverse("accounts:team"),
        "cv": reverse("accounts:cv"),
        "login": reverse("account_login"),
        "signup": reverse("account_signup"),
    }
    viewport(browser, size)
    problems = {}

    def check(name, path):
        browser.get(live_server.url + path)
        shot(browser, f"participant-{name}-{size[0]}")
        wide, small = browser.execute_script(TARGETS)
        found = axe_violations(browser)
        if wide > 0 or small or found:
            problems[name] = {"overflow px": wide, "small": small, "axe": found}

    for name in out:
        check(f"{name}-signed-out", pages[name])
    sign_in(browser, live_server, participant)
    for name, path in pages.items():
        if name not in ("login", "signup"):
            check(name, path)
            if name == "my-hardware":  # the countdown beside the pickup deadline runs
                countdown = browser.find_element("css selector", ".next-step .countdown").text
                assert "minutes left" in countdown, countdown
    # In a team: the team page, and My hardware with the team's section.
    team = TeamFactory(name="The Extraordinarily Long Team Name Collective")
    UserFactory(team=team, name="Maximiliana Featherstonehaugh-Cholmondeley")
    HardwareRequestFactory(user=UserFactory(team=team), entry=entry)
    participant.team = team
    participant.save(update_fields=["team"])
    check("team", reverse("accounts:team"))
    check("my-hardware-team", reverse("checkout:my_hardware"))
    assert problems == {}


def test_dark_mode_follows_the_phone_and_keeps_contrast(browser, live_server, participant):
    """With the phone set to dark, every participant page turns dark and axe-core (which
    checks colour contrast) still finds nothing."""
    entry = stocked_entry(units=2, name="Arduino Uno")
    ready = HardwareRequestFactory(user=participant, entry=stocked_entry(units=1, name="Pico W"))
    services.approve_request(hardware_request=ready, by=participant)
    HardwareRequestFactory(user=participant, entry=stocked_entry(units=1, name="ESP32"))
    viewport(browser, PHONE)
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": "dark"}]},
    )
    sign_in(browser, live_server, participant)
    problems = {}
    for name, path in {
        "catalogue": reverse("checkout:catalogue"),
        "entry": reverse("checkout:entry", args=[entry.pk]),
        "my-hardware": reverse("checkout:my_hardware"),
        "profile": reverse("accounts:profile"),
    }.items():
        browser.get(live_server.url + path)
        shot(browser, f"participant-{name}-dark-390")
        background = browser.execute_script(
            "return getComputedStyle(document.body).backgroundColor"
        )
        red, green, blue = (int(n) for n in background[4:-1].split(",")[:3])
        found = axe_violations(browser)
        if red + green + blue > 150 or found:
            problems[name] = {"background": background, "axe": found}
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    assert problems == {}
