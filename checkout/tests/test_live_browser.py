"""Live updates in a real headless Chromium: a change shows up within 3 seconds, no reload."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.tests.factories import HardwareRequestFactory, stocked_entry

from .conftest import CHROMEDRIVER, CHROMIUM, sign_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER),
        reason="needs Debian's chromium and chromium-driver (apt-get install chromium "
        "chromium-driver); .ci/run installs them",
    ),
]


def wait_for_text(browser, css, text, seconds=3):
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    # A live fragment can be swapped between finding it and reading it: look again.
    WebDriverWait(
        browser,
        seconds,
        poll_frequency=0.1,
        ignored_exceptions=[StaleElementReferenceException, NoSuchElementException],
    ).until(lambda driver: text in driver.find_element(By.CSS_SELECTOR, css).text)


def test_my_hardware_shows_an_approval_within_three_seconds(browser, live_server):
    participant, organiser = UserFactory(), UserFactory(is_staff=True)
    request = HardwareRequestFactory(user=participant, entry=stocked_entry(name="Pico W"))
    sign_in(browser, live_server, participant)
    browser.get(live_server.url + reverse("checkout:my_hardware"))
    wait_for_text(browser, "#my-hardware", "Submitted")
    browser.execute_script("window.notReloaded = true")

    services.approve_request(hardware_request=request, by=organiser)

    wait_for_text(browser, "#my-hardware", "Ready for pickup")
    assert browser.execute_script("return window.notReloaded") is True


def test_the_desk_shows_a_new_request_within_three_seconds(browser, live_server, organiser):
    sign_in(browser, live_server, organiser)
    browser.get(live_server.url + reverse("admin:desk"))
    wait_for_text(browser, "#desk-queue", "Waiting for approval (0)")

    services.submit_request(
        user=UserFactory(), entry=stocked_entry(name="Arduino Nano"), quantity=1
    )

    wait_for_text(browser, "#desk-queue", "Arduino Nano")
    wait_for_text(browser, "#desk-queue", "Waiting for approval (1)")


def test_the_desk_buttons_submit_through_the_page_forms(browser, live_server, organiser):
    # The cached queue holds no CSRF token: its buttons submit the page's own forms.
    from selenium.webdriver.common.by import By

    from checkout.models import HardwareRequest, Status

    entry = stocked_entry(units=3, name="ESP32")
    first, second, third = (HardwareRequestFactory(entry=entry) for _ in range(3))
    sign_in(browser, live_server, organiser)
    browser.get(live_server.url + reverse("admin:desk"))

    browser.find_element(
        By.CSS_SELECTOR, f"button[formaction='{reverse('admin:desk_approve', args=[first.pk])}']"
    ).click()
    wait_for_text(browser, ".messagelist", f"Approved #{first.pk}")
    assert HardwareRequest.objects.get(pk=first.pk).status == Status.APPROVED

    for request in (second, third):
        browser.find_element(By.CSS_SELECTOR, f"input[name=requests][value='{request.pk}']").click()
    browser.execute_script("window.confirm = () => true")  # "Deny every ticked request?" Yes
    browser.find_element(By.CSS_SELECTOR, "button[form=desk-batch][value=deny]").click()
    wait_for_text(browser, ".messagelist", "Denied 2 request(s)")
    assert {HardwareRequest.objects.get(pk=r.pk).status for r in (second, third)} == {Status.DENIED}


def test_the_desk_patches_a_change_in_place_keeping_the_other_rows(browser, live_server, organiser):
    from selenium.webdriver.support.ui import WebDriverWait

    entry = stocked_entry(units=10, name="Pico")
    requests = [HardwareRequestFactory(entry=entry) for _ in range(6)]
    services.approve_request(hardware_request=requests[0], by=organiser)  # a pickup table
    approved, bystander = requests[3], requests[5]
    sign_in(browser, live_server, organiser)
    browser.get(live_server.url + reverse("admin:desk"))
    wait_for_text(browser, "#desk-queue", "Waiting for approval (5)")
    browser.execute_script(
        "document.getElementById(arguments[0]).survivor = true;"
        "document.getElementById('desk-queue').survivor = true;",
        f"dq-pending-{bystander.pk}",
    )

    services.approve_request(hardware_request=approved, by=organiser)

    wait_for_text(browser, "#desk-queue", "Waiting for approval (4)")
    wait_for_text(browser, "#desk-queue", "Ready for pickup (2)")
    WebDriverWait(browser, 3, poll_frequency=0.1).until(
        lambda driver: driver.execute_script(
            "return !!document.getElementById(arguments[0])"
            " && !document.getElementById(arguments[1])",
            f"dq-pickup-{approved.pk}",
            f"dq-pending-{approved.pk}",
        )
    )
    # Patched, not replaced: the untouched row and the queue itself are the same DOM nodes.
    assert browser.execute_script(
        "return [document.getElementById(arguments[0]).survivor,"
        " document.getElementById('desk-queue').survivor]",
        f"dq-pending-{bystander.pk}",
    ) == [True, True]
