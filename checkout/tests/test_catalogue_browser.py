"""The participant's phone in a real headless Chromium at 390x844: search as you type, a whole
card that opens its entry, a request from the card, and My hardware showing what a live
update changed and asking before a cancel."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from checkout import services
from checkout.models import HardwareRequest, Status
from checkout.tests.factories import stocked_entry
from inventory.tests.factories import CategoryFactory

from .conftest import CHROMEDRIVER, CHROMIUM, axe_violations, sign_in
from .test_desk_browser import PHONE, no_page_load, shot, viewport, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER),
        reason="needs Debian's chromium and chromium-driver; .ci/run installs them",
    ),
]


def card_names(browser):
    return [
        el.text for el in browser.find_elements("css selector", "#results .entry-card .card-link")
    ]


def test_search_filters_as_you_type_and_keeps_a_shareable_url(browser, live_server, participant):
    sensors = CategoryFactory(name="Sensors")
    stocked_entry(units=1, name="Ultrasonic sensor", category=sensors)
    stocked_entry(units=1, name="Arduino Uno")
    stocked_entry(units=1, name="Arduino Nano")
    sign_in(browser, live_server, participant)
    viewport(browser, PHONE)
    browser.get(live_server.url + reverse("checkout:catalogue"))
    browser.execute_script("window.sameDocument = true")

    browser.find_element("id", "id_q").send_keys("ardu")  # no Enter, no button

    wait_for(browser, ".result-count", "2 items found")
    assert sorted(card_names(browser)) == ["Arduino Nano", "Arduino Uno"]
    assert no_page_load(browser)
    assert urlsplit(browser.current_url).query == "q=ardu&category="
    shot(browser, "catalogue-search-390")
    # The URL is shareable: opened afresh it shows the same results.
    browser.get(browser.current_url)
    assert sorted(card_names(browser)) == ["Arduino Nano", "Arduino Uno"]
    assert browser.find_element("id", "id_q").get_attribute("value") == "ardu"


def test_a_request_from_a_card_with_a_quantity(browser, live_server, participant):
    board = stocked_entry(units=5, name="ESP32 DevKit", max_request_quantity=4)
    stocked_entry(units=2, name="Arduino Uno")
    sign_in(browser, live_server, participant)
    viewport(browser, PHONE)
    browser.get(live_server.url + reverse("checkout:catalogue"))
    assert axe_violations(browser) == []

    from selenium.webdriver.support.ui import Select

    card = browser.find_element("id", f"entry-{board.pk}")
    Select(card.find_element("css selector", "select")).select_by_visible_text("3")
    card.find_element("css selector", "button[type=submit]").click()

    wait_for(browser, ".messages", "Requested ESP32 DevKit")
    assert urlsplit(browser.current_url).fragment == f"entry-{board.pk}"
    card = browser.find_element("id", f"entry-{board.pk}")
    assert "Requested: the desk will approve it" in card.text
    shot(browser, "catalogue-requested-390")
    made = HardwareRequest.objects.get(user=participant)
    assert (made.entry, made.quantity, made.status) == (board, 3, Status.SUBMITTED)


def test_tapping_anywhere_on_a_card_opens_its_entry(browser, live_server, participant):
    board = stocked_entry(units=2, name="Raspberry Pi Pico", description="A small board.")
    sign_in(browser, live_server, participant)
    viewport(browser, PHONE)
    browser.get(live_server.url + reverse("checkout:catalogue"))
    card = browser.find_element("id", f"entry-{board.pk}")
    box = card.rect
    assert box["height"] >= 44 and box["width"] >= 44

    from selenium.webdriver.common.action_chains import ActionChains

    # The card's bottom-right corner: not the title, not a button.
    ActionChains(browser).move_to_element_with_offset(
        card, box["width"] // 2 - 6, box["height"] // 2 - 6
    ).click().perform()

    wait_for(browser, "h1", "Raspberry Pi Pico")
    assert urlsplit(browser.current_url).path == board.get_absolute_url()


def test_my_hardware_highlights_what_a_live_update_changed(
    browser, live_server, participant, organiser
):
    asked = stocked_entry(units=1, name="Pico W")
    other = stocked_entry(units=1, name="Micro:bit")
    request = services.submit_request(user=participant, entry=asked, quantity=1)
    services.submit_request(user=participant, entry=other, quantity=1)
    sign_in(browser, live_server, participant)
    viewport(browser, PHONE)
    browser.get(live_server.url + reverse("checkout:my_hardware"))
    assert browser.find_elements("css selector", ".just-changed") == []

    services.approve_request(hardware_request=request, by=organiser)

    wait_for(browser, ".next-step", "Pico W is ready", seconds=8)
    changed = browser.find_elements("css selector", ".just-changed")
    assert {el.get_attribute("data-key") for el in changed} == {
        f"ready-{request.pk}",
        f"request-{request.pk}-approved",
    }
    assert all("Just updated" in el.text for el in changed)
    # The unchanged request is not highlighted, and a screen reader hears what changed.
    assert "Micro:bit" not in " ".join(el.text for el in changed)
    assert "Pico W" in browser.find_element("id", "live-announce").get_attribute("textContent")
    shot(browser, "my-hardware-live-390")
    assert axe_violations(browser) == []


def test_cancel_asks_first(browser, live_server, participant):
    asked = stocked_entry(units=1, name="Pico W")
    request = services.submit_request(user=participant, entry=asked, quantity=1)
    sign_in(browser, live_server, participant)
    viewport(browser, PHONE)
    browser.get(live_server.url + reverse("checkout:my_hardware"))
    cancel = browser.find_element("css selector", ".requests button.danger-outline")

    cancel.click()
    alert = browser.switch_to.alert
    assert "Cancel your request for Pico W?" in alert.text
    alert.dismiss()
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED

    browser.find_element("css selector", ".requests button.danger-outline").click()
    browser.switch_to.alert.accept()
    wait_for(browser, ".messages", "Cancelled your request for Pico W")
    request.refresh_from_db()
    assert request.status == Status.CANCELLED


def test_show_more_appends_the_next_page_in_place(browser, live_server, participant):
    from checkout.views.catalogue import PAGE_SIZE
    from inventory.models import Entry, Kind
    from inventory.tests.factories import make_inventory

    make_inventory(entries=PAGE_SIZE + 4, units=1, kinds=(Kind.CHECKOUT,))
    sign_in(browser, live_server, participant)
    viewport(browser, PHONE)
    browser.get(live_server.url + reverse("checkout:catalogue") + "?kind=checkout")
    browser.execute_script("window.sameDocument = true")
    assert len(card_names(browser)) == PAGE_SIZE

    browser.find_element("css selector", "#more-checkout a").click()

    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 5).until(lambda b: len(card_names(b)) == PAGE_SIZE + 4)
    assert no_page_load(browser)
    assert sorted(card_names(browser)) == sorted(Entry.objects.values_list("name", flat=True))
    assert browser.find_elements("css selector", "#more-checkout a") == []  # the last page
    # The appended cards can request too: their forms carry a token (masked afresh for each
    # response), never the cached body's placeholder.
    tokens = browser.find_elements(
        "css selector", "#entries-checkout input[name=csrfmiddlewaretoken]"
    )
    assert len(tokens) == PAGE_SIZE + 4
    assert all(len(el.get_attribute("value")) == 64 for el in tokens)
    assert axe_violations(browser) == []
