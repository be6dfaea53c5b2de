"""A newcomer on a phone, in Chromium: from an entry, signed out, to their first request, through
sign-up (or MyMLH) and the profile step, without an error page or an error message on the way.
Every page of the way fits the screen, has 44 px tap targets and passes axe-core."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accounts.models import User
from accounts.tests.factories import UserFactory
from accounts.tests.fake_mymlh import DEFAULT_SCOPES, FakeMyMLH
from checkout.models import HardwareRequest
from checkout.tests.factories import stocked_entry

from .conftest import CHROMEDRIVER, CHROMIUM, axe_violations, sign_in
from .test_desk_browser import LAPTOP, PHONE, shot, viewport
from .test_participant_browser import TARGETS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER),
        reason="needs Debian's chromium and chromium-driver; .ci/run installs them",
    ),
]

# What would mean the way tripped: an error message or field error, or no page layout at all
# (Django's bare 500 and 404 pages have no <main>).
TROUBLE = """
const bad = [...document.querySelectorAll(
  '.message.error, .error, .errorlist, [aria-invalid=true], [role=alert]'
)].map(el => el.outerHTML.slice(0, 100));
if (!document.querySelector('main#main')) bad.push('no main: ' + document.title);
return bad;
"""


class Walk:
    """Steps through the flow in one browser, checking every page it lands on."""

    def __init__(self, browser, way, size):
        self.browser, self.way, self.size = browser, way, size
        self.problems, self.steps = {}, 0

    def at(self, path):
        """Wait to arrive at `path`, then check the page."""
        WebDriverWait(self.browser, 10).until(
            lambda b: (
                urlsplit(b.current_url).path == path
                and b.execute_script("return document.readyState") == "complete"
            )
        )
        self.steps += 1
        name = path.strip("/").replace("/", "-")
        shot(self.browser, f"onboarding-{self.way}-{self.size[0]}-{self.steps}-{name}")
        wide, small = self.browser.execute_script(TARGETS)
        trouble = self.browser.execute_script(TROUBLE)
        text = self.browser.find_element(By.TAG_NAME, "body").text
        if "phone number and table first" in text or "before requesting" in text:
            trouble.append("asked for the profile at request time")
        found = axe_violations(self.browser)
        if wide > 0 or small or found or trouble:
            self.problems[f"{self.steps} {path}"] = {
                "overflow px": wide,
                "small": small,
                "axe": found,
                "trouble": trouble,
            }
        return self

    def tap(self, css):
        element = self.browser.find_element(By.CSS_SELECTOR, css)
        self.browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def type(self, field_id, text):
        field = self.browser.find_element(By.ID, field_id)
        field.clear()
        field.send_keys(text)

    def query(self):
        return urlsplit(self.browser.current_url).query


def required_fields(browser):
    """The ids of the inputs whose label says "required" in words."""
    return browser.execute_script(
        "return [...document.querySelectorAll('main label')]"
        ".filter(l => l.querySelector('.required')).map(l => l.htmlFor);"
    )


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_newcomer_signs_up_from_an_entry_and_requests_it(browser, live_server, settings, size):
    settings.ACCOUNT_ALLOW_SIGNUPS = True
    entry = stocked_entry(units=2, name="Arduino Uno")
    entry_path = reverse("checkout:entry", args=[entry.pk])
    viewport(browser, size)
    walk = Walk(browser, "password", size)

    browser.get(live_server.url + entry_path)
    walk.at(entry_path).tap('main a[href*="/accounts/login/"]')  # "Sign in to request"
    walk.at("/accounts/login/").tap('main a[href*="/accounts/signup/"]')  # "Create an account"
    walk.at("/accounts/signup/")
    walk.type("id_name", "Nia Newcomer")
    walk.type("id_email", "nia@example.com")
    walk.type("id_password1", "a-long-pass-123")
    walk.type("id_password2", "a-long-pass-123")
    walk.tap('main form[action$="/accounts/signup/"] button[type=submit]')

    walk.at("/me/profile/step/")
    assert required_fields(browser) == ["id_name", "id_phone", "id_location"]
    assert browser.find_element(By.ID, "id_name").get_attribute("value") == "Nia Newcomer"
    assert browser.find_element(By.ID, "id_phone").get_attribute("type") == "tel"
    assert "so the desk can find you when your hardware is ready" in browser.page_source
    walk.type("id_phone", "+1 617 555 0199")
    walk.type("id_location", "Table 12")
    walk.tap('main form[action$="/me/profile/step/"] button[type=submit]')

    walk.at(entry_path)  # back on the entry they opened
    walk.tap('form[action$="/request/"] button[type=submit]')

    walk.at(reverse("checkout:my_hardware"))
    assert "Arduino Uno" in browser.find_element(By.TAG_NAME, "main").text
    request = HardwareRequest.objects.get()
    assert (request.user.email, request.entry, request.user.location) == (
        "nia@example.com",
        entry,
        "Table 12",
    )
    assert walk.problems == {}, walk.problems


def test_a_newcomer_through_mymlh_finds_the_step_prefilled(browser, live_server, settings):
    idp = FakeMyMLH().start()
    try:
        scopes = (*DEFAULT_SCOPES, "user:read:phone")  # the event asks for the phone too
        settings.SOCIALACCOUNT_PROVIDERS = idp.provider_settings(scopes)
        settings.MYMLH_ENABLED = True
        settings.ACCOUNT_ALLOW_SIGNUPS = False
        entry = stocked_entry(units=2, name="Raspberry Pi 5")
        entry_path = reverse("checkout:entry", args=[entry.pk])
        viewport(browser, PHONE)
        walk = Walk(browser, "mymlh", PHONE)

        browser.get(live_server.url + entry_path)
        walk.at(entry_path).tap('main a[href*="/accounts/login/"]')
        walk.at("/accounts/login/").tap("main button.mlh")  # through the fake MyMLH, over HTTP

        walk.at("/me/profile/step/")
        assert required_fields(browser) == ["id_name", "id_phone", "id_location"]
        prefilled = [
            browser.find_element(By.ID, f"id_{name}").get_attribute("value")
            for name in ("name", "phone", "location")
        ]
        assert prefilled == ["Ada Lovelace", "+1 617 555 0100", ""]  # the table is theirs to type
        walk.type("id_location", "Table 3")
        walk.tap('main form[action$="/me/profile/step/"] button[type=submit]')

        walk.at(entry_path)
        walk.tap('form[action$="/request/"] button[type=submit]')
        walk.at(reverse("checkout:my_hardware"))
        assert "Raspberry Pi 5" in browser.find_element(By.TAG_NAME, "main").text
        assert User.objects.get().location == "Table 3"
        assert walk.problems == {}, walk.problems
    finally:
        idp.stop()


def test_the_step_says_what_is_wrong_and_still_passes_axe(browser, live_server):
    user = UserFactory(email="nia@example.com", name="Nia", phone="", location="")
    viewport(browser, PHONE)
    sign_in(browser, live_server, user)
    browser.get(f"{live_server.url}{reverse('accounts:profile_step')}?next=/inventory/")
    walk = Walk(browser, "errors", PHONE)
    walk.type("id_phone", "call me")
    walk.tap('main form[action$="/me/profile/step/"] button[type=submit]')
    walk.at("/me/profile/step/")

    (problems,) = walk.problems.values()
    assert problems["axe"] == [] and problems["small"] == [] and problems["overflow px"] == 0
    errors = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "main .errorlist")]
    assert errors == [
        "Enter a phone number, e.g. +1 617 555 0100.",
        "Enter your table, or where else the desk can find you.",
    ]
    user.refresh_from_db()
    assert (user.phone, user.location) == ("", "")
