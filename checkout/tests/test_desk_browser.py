"""The scan-first desk in a real headless Chromium: typed into by a "scanner" (keystrokes into
whatever has focus, then Enter), at a phone's width, checked by axe-core, and its printed codes
read back by a real decoder (ZXing-C++) from screenshots."""

import io
import os
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.badges import badge_code
from accounts.tests.factories import TeamFactory, UserFactory
from checkout import services
from checkout.models import IDCollateral, Loan
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Kind

from .conftest import CHROMEDRIVER, CHROMIUM, axe_violations, sign_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER),
        reason="needs Debian's chromium and chromium-driver; .ci/run installs them",
    ),
]
PHONE, LAPTOP = (390, 844), (1366, 900)
SHOTS = os.environ.get("SCREENSHOTS")  # a directory: save what the tests saw, to look at


def viewport(browser, size):
    width, height = size
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def shot(browser, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(SHOTS) / f"{name}.png"))


class Scanner:
    """A USB scanner: types into whatever has focus and presses Enter. Counts keys."""

    def __init__(self, browser):
        self.browser, self.scanned, self.typed = browser, 0, 0

    def _keys(self, text):
        from selenium.webdriver.common.action_chains import ActionChains

        ActionChains(self.browser).send_keys(text).perform()

    def scan(self, code):
        from selenium.webdriver.common.keys import Keys

        self._keys(code + Keys.ENTER)
        self.scanned += 1

    def type(self, text):
        """A person at the keyboard: every key counted."""
        self._keys(text)
        self.typed += len(text)

    def press(self, key):
        self._keys(key)
        self.typed += 1


def wait_for(browser, css, text, seconds=5):
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(
        browser,
        seconds,
        poll_frequency=0.05,
        ignored_exceptions=[StaleElementReferenceException, NoSuchElementException],
    ).until(lambda driver: text in driver.find_element(By.CSS_SELECTOR, css).text)


def focused_id(browser):
    return browser.execute_script("return document.activeElement && document.activeElement.id")


def open_desk(browser, live_server, organiser):
    sign_in(browser, live_server, organiser)
    browser.get(live_server.url + reverse("admin:desk"))
    browser.execute_script("window.sameDocument = true")  # gone after any full page load
    assert focused_id(browser) == "scan-code"


def no_page_load(browser):
    return browser.execute_script("return window.sameDocument === true")


def test_a_walk_up_is_two_scans_and_the_slot(browser, live_server, organiser):
    viewport(browser, LAPTOP)
    pat = UserFactory(name="Pat Walker")
    entry = stocked_entry(units=3, name="Arduino Uno")
    unit = entry.units.order_by("asset_tag")[1]  # not the first free one
    open_desk(browser, live_server, organiser)
    scanner = Scanner(browser)

    scanner.scan(badge_code(pat))
    wait_for(browser, "#scan-panel", "Pat Walker")
    wait_for(browser, "#scan-panel", "No ID held")
    scanner.scan(unit.asset_tag)
    wait_for(browser, "#scan-result", "Take Pat Walker's ID")
    assert focused_id(browser) == "scan-slot"  # Enter alone would take the suggested A1
    shot(browser, "desk-walk-up-slot")
    scanner.type("B2")
    scanner.press("\ue007")  # Enter
    wait_for(browser, "#scan-result", "Handed")
    shot(browser, "desk-walk-up-done")

    loan = Loan.objects.get()
    assert loan.unit == unit and loan.user == pat
    assert IDCollateral.objects.held().get(user=pat).storage_label == "B2"
    assert focused_id(browser) == "scan-code"
    assert no_page_load(browser)
    assert (scanner.scanned, scanner.typed) == (2, 3)  # two scans, "B2" and Enter
    print(f"\nwalk-up: {scanner.scanned} scans, {scanner.typed} keys typed, 0 page loads")


def test_returns_by_scan_keep_the_focus_in_the_scan_field(browser, live_server, organiser):
    viewport(browser, LAPTOP)
    holder = UserFactory(name="Hana Holder")
    loans = []
    for name in ("Servo", "Pi Pico"):
        request = HardwareRequestFactory(user=holder, entry=stocked_entry(units=1, name=name))
        services.approve_request(hardware_request=request, by=organiser)
        loans += services.fulfil_request(
            hardware_request=request, by=organiser, id_storage_label="C7"
        )
    open_desk(browser, live_server, organiser)
    scanner = Scanner(browser)

    scanner.scan(loans[0].unit.asset_tag)
    wait_for(browser, "#scan-result", "is back from Hana Holder")
    assert focused_id(browser) == "scan-code"
    scanner.scan(loans[1].unit.asset_tag)
    wait_for(browser, "#scan-result", "give back their ID from C7")
    assert focused_id(browser) == "scan-code"
    shot(browser, "desk-return-last-item")
    scanner.press("\ue034")  # F4: the ID was given back
    wait_for(browser, "#scan-result", "Gave Hana Holder's ID back from C7")
    assert focused_id(browser) == "scan-code"
    assert not IDCollateral.objects.held().exists()
    assert Loan.objects.open().count() == 0
    assert no_page_load(browser)
    scanner.press("\ue00c")  # Esc clears the card
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 5, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda b: "Hana Holder" not in b.find_element("css selector", "#scan-panel").text
    )
    assert focused_id(browser) == "scan-code" and no_page_load(browser)


def test_a_stray_click_says_not_ready_and_a_key_brings_the_focus_back(
    browser, live_server, organiser
):
    viewport(browser, LAPTOP)
    open_desk(browser, live_server, organiser)
    browser.find_element("css selector", "h2").click()
    assert browser.find_element("css selector", ".scan-not-ready").is_displayed()
    Scanner(browser).scan("NOPE-404")
    wait_for(browser, "#scan-result", "Nothing has the code")
    assert focused_id(browser) == "scan-code"


def test_deny_asks_before_it_acts(browser, live_server, organiser):
    from selenium.webdriver.common.by import By

    request = HardwareRequestFactory(entry=stocked_entry(units=1, name="Quest"))
    viewport(browser, LAPTOP)
    open_desk(browser, live_server, organiser)
    # The page's own confirm() answers as the organiser would, and says what it was asked.
    browser.execute_script(
        "window.asked = []; window.answer = false;"
        "window.confirm = (text) => { window.asked.push(text); return window.answer; };"
    )
    deny = f"button[formaction='{reverse('admin:desk_deny', args=[request.pk])}']"
    browser.find_element(By.CSS_SELECTOR, deny).click()
    asked = [f"Deny {request.user.get_full_name()}'s request for Quest?"]
    assert browser.execute_script("return window.asked") == asked
    request.refresh_from_db()
    assert request.status == "submitted" and no_page_load(browser)

    browser.execute_script("window.answer = true")
    browser.find_element(By.CSS_SELECTOR, deny).click()
    wait_for(browser, ".messagelist", f"Denied #{request.pk}")
    request.refresh_from_db()
    assert request.status == "denied"


def desk_pages(organiser):
    """Every desk page, with data in it."""
    person = UserFactory(
        name="Pat Long-Name-Participant", team=TeamFactory(name="The Hardware Heroes")
    )
    entry = stocked_entry(units=3, name="Raspberry Pi 5 with a long accessory kit name")
    ready = HardwareRequestFactory(user=person, entry=entry)
    services.approve_request(hardware_request=ready, by=organiser)
    HardwareRequestFactory(user=person, entry=stocked_entry(units=2, name="ESP32-S3"))
    lent = HardwareRequestFactory(user=person, entry=stocked_entry(units=1, name="Logic analyser"))
    services.approve_request(hardware_request=lent, by=organiser)
    services.fulfil_request(hardware_request=lent, by=organiser, id_storage_label="A1")
    lottery = stocked_entry(units=1, kind=Kind.LOTTERY, name="Quest 3")
    HardwareRequestFactory(entry=lottery, user=person, proposal="A robot arm.")
    HardwareRequestFactory(entry=lottery, proposal="A drone.")
    draw = services.run_lottery(entry=lottery, by=organiser)
    return {
        "desk": reverse("admin:desk") + "?q=pat",
        "participant": reverse("admin:desk_participant", args=[person.pk]),
        "fulfil": reverse("admin:desk_fulfil", args=[ready.pk]),
        "handout": reverse("admin:desk_handout"),
        "labels": reverse("admin:desk_labels") + f"?entries={entry.pk}",
        "badges": reverse("admin:desk_badges") + f"?ids={person.pk}",
        "commit-seed": reverse("admin:desk_commit_seed"),
        "draw-admin": reverse("admin:checkout_lotterydraw_change", args=[draw.pk]),
        "draw-public": reverse("checkout:lottery_draw", args=[draw.pk]),
    }


def overflow_and_small_targets(browser):
    return browser.execute_script(
        """
        const wide = document.documentElement.scrollWidth - window.innerWidth;
        const small = [];
        for (const el of document.querySelectorAll(
            '.desk button, .desk input:not([type=hidden]):not([type=checkbox]), .desk select, '
            + '.desk a.button, .scan-panel button, .tools a, .tools button')) {
          const box = el.getBoundingClientRect();
          if (box.width && box.height && (box.height < 44 || box.width < 44))
            small.push(el.outerHTML.slice(0, 80) + ' ' + Math.round(box.width) + 'x'
                       + Math.round(box.height));
        }
        return [wide, small];
        """
    )


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_every_desk_page_fits_has_big_targets_and_passes_axe(browser, live_server, organiser, size):
    pages = desk_pages(organiser)
    viewport(browser, size)
    sign_in(browser, live_server, organiser)
    problems = {}
    for name, path in pages.items():
        browser.get(live_server.url + path)
        shot(browser, f"desk-{name}-{size[0]}")
        wide, small = overflow_and_small_targets(browser)
        found = axe_violations(browser)
        if wide > 0 or small or found:
            problems[name] = {"overflow px": wide, "small targets": small, "axe": found}
    import pprint

    pprint.pprint(problems, width=150)
    assert problems == {}


def decode(png):
    import zxingcpp
    from PIL import Image

    return {result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))}


def test_printed_labels_and_badges_decode_to_what_the_desk_expects(browser, live_server, organiser):
    entry = stocked_entry(units=4, name="Arduino Nano")
    people = [UserFactory(name=f"Badge Person {n}") for n in range(3)]
    viewport(browser, (1000, 1400))
    sign_in(browser, live_server, organiser)

    browser.get(live_server.url + reverse("admin:desk_labels") + f"?entries={entry.pk}")
    shot(browser, "labels-sheet")
    tags = set(entry.units.values_list("asset_tag", flat=True))
    assert decode(browser.get_screenshot_as_png()) == tags

    ids = ",".join(str(p.pk) for p in people)
    browser.get(live_server.url + reverse("admin:desk_badges") + f"?ids={ids}")
    shot(browser, "badges-sheet")
    assert decode(browser.get_screenshot_as_png()) == {badge_code(p) for p in people}


def test_the_badge_on_my_hardware_decodes_to_the_participants_code(browser, live_server):
    pat = UserFactory(name="Pat Phone")
    viewport(browser, PHONE)
    sign_in(browser, live_server, pat)
    browser.get(live_server.url + reverse("checkout:my_hardware"))
    browser.execute_script("document.querySelector('.badge-qr').scrollIntoView()")
    shot(browser, "my-hardware-badge")
    assert decode(browser.get_screenshot_as_png()) == {badge_code(pat)}


def write_y4m(path, png, frames=30, size=480):
    """A short YUV4MPEG2 video of a picture, for Chromium's fake camera."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L").resize((size, size), Image.NEAREST)
    luma = image.tobytes()
    chroma = bytes([128]) * (size * size // 4)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{size} H{size} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + luma + chroma + chroma)


def test_the_phone_camera_reads_a_badge(live_server, organiser, tmp_path):
    """Chromium's fake camera plays a video of a badge's QR; the desk's Camera button reads it
    (jsQR: Linux Chromium has no BarcodeDetector) and opens the participant's card."""
    import segno

    from .conftest import start_chromium

    pat = UserFactory(name="Pat Camera")
    picture = io.BytesIO()
    segno.make_qr(badge_code(pat), error="m").save(picture, kind="png", scale=10, border=4)
    video = tmp_path / "badge.y4m"
    write_y4m(video, picture.getvalue())
    browser = start_chromium(
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    )
    try:
        viewport(browser, PHONE)
        open_desk(browser, live_server, organiser)
        camera = browser.find_element("css selector", "[data-camera]")
        assert camera.is_displayed()
        camera.click()
        wait_for(browser, "#scan-panel", "Pat Camera", seconds=10)
        shot(browser, "desk-camera-scan")
        assert no_page_load(browser)
        assert not browser.find_elements("css selector", ".scan-camera-box")  # camera closed
    finally:
        browser.quit()
