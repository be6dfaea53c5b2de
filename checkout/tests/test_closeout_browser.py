"""The close-out report in a real headless Chromium: it fits a phone and a laptop with 44 px
targets, axe-core finds nothing, and printed it drops the admin's chrome and starts each table
on a new sheet. With SCREENSHOTS_DIR set, saves closeout-desktop.png and closeout-phone.png
there (docs/screenshots/ holds the committed ones)."""

import base64
import os
import re
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.tests.factories import TeamFactory, UserFactory
from checkout.tests.closing_event import closing_event, lend
from checkout.tests.factories import stocked_entry

from .conftest import CHROMEDRIVER, CHROMIUM, axe_violations, sign_in
from .test_desk_browser import LAPTOP, PHONE, overflow_and_small_targets, viewport

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER),
        reason="needs Debian's chromium and chromium-driver; .ci/run installs them",
    ),
]
PAGE = reverse("admin:desk_closeout")


def a_long_row(organiser):
    """A participant whose every field is long: nothing may push the page sideways."""
    person = UserFactory(
        name="Maximiliana Featherstonehaugh-Cholmondeley",
        email="maximiliana.featherstonehaugh-cholmondeley@university-of-somewhere.example.com",
        location="Table H12 (by the windows, next to the sponsor booths)",
        team=TeamFactory(name="The Extraordinarily Long Team Name Collective"),
    )
    entry = stocked_entry(units=1, name="Raspberry Pi 5 with the long accessory kit")
    lend(person, entry, by=organiser, slot="LONG-SLOT-01")


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "desktop"])
def test_the_report_fits_has_big_targets_and_passes_axe(browser, live_server, organiser, size):
    closing_event(organiser)
    a_long_row(organiser)
    viewport(browser, size)
    sign_in(browser, live_server, organiser)
    browser.get(live_server.url + PAGE)
    assert "Close-out report" in browser.title

    wide, small = overflow_and_small_targets(browser)
    assert wide <= 0, f"{wide} px wider than the window"
    assert small == []
    assert axe_violations(browser) == []
    if os.environ.get("SCREENSHOTS_DIR"):
        folder = Path(os.environ["SCREENSHOTS_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        name = "closeout-phone" if size == PHONE else "closeout-desktop"
        browser.save_screenshot(str(folder / f"{name}.png"))


def test_printed_each_table_starts_a_page_and_the_admin_is_gone(browser, live_server, organiser):
    closing_event(organiser)
    viewport(browser, LAPTOP)
    sign_in(browser, live_server, organiser)
    browser.get(live_server.url + PAGE)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    hidden = browser.execute_script(
        """
        return ['#header', '.breadcrumbs', '.closeout-tools', '.closeout-contents'].map(
          (css) => [css, getComputedStyle(document.querySelector(css)).display]);
        """
    )
    assert dict(hidden) == dict.fromkeys(
        ["#header", ".breadcrumbs", ".closeout-tools", ".closeout-contents"], "none"
    )
    sections = browser.execute_script(
        """
        return [...document.querySelectorAll('.closeout-table, .closeout-reconciliation')].map(
          (s) => getComputedStyle(s).breakBefore);
        """
    )
    assert len(sections) == 4 and set(sections) == {"page"}  # 3 tables, the reconciliation
    # Black on white, so a black and white printer keeps every mark.
    colours = browser.execute_script(
        """
        return [...document.querySelectorAll('.closeout td, .closeout th, .closeout h2')].map(
          (el) => getComputedStyle(el).color + ' on ' + getComputedStyle(el).backgroundColor);
        """
    )
    assert set(colours) == {"rgb(0, 0, 0) on rgb(255, 255, 255)"}

    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {})["data"])
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages >= 1 + len(sections)  # the summary, then each section on its own sheet
