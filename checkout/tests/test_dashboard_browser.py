"""The dashboard in a real headless Chromium, at a laptop's and a phone's size, over a day of
an event: nothing wider than the screen, every control a 44 px target, axe-core clean.

`SCREENSHOTS_DIR=docs/screenshots .venv/bin/pytest checkout/tests/test_dashboard_browser.py`
saves full-page pictures (dashboard-desktop.png, dashboard-phone.png) to look at.
"""

import base64
import io
import os
import random
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from checkout import services
from checkout.models import Handout, HardwareRequest, Loan, Status
from checkout.tests.factories import HardwareRequestFactory
from inventory.models import Entry, Kind

from .conftest import CHROMEDRIVER, CHROMIUM, axe_violations, sign_in
from .test_desk_browser import viewport

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER),
        reason="needs Debian's chromium and chromium-driver; .ci/run installs them",
    ),
]
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


def a_day_of_an_event(organiser):
    """The demo data, spread over the last 30 hours as a hackathon's day goes: busy after the
    opening and after dinner, quiet at night; a few free hand-outs, waitlists, overdue loans."""
    call_command("seed_demo", requests=240, participants=90, stdout=io.StringIO())
    rng = random.Random(12)
    now = timezone.now()
    busy = [1, 1, 2, 6, 9, 8, 5, 4, 3, 3, 5, 7, 8, 6, 3, 1, 0, 0, 0, 1, 2, 4, 6, 5, 4, 3, 2, 2, 1]
    hours = [len(busy) - hour for hour, weight in enumerate(busy) for _ in range(weight)]
    for request in HardwareRequest.objects.order_by("pk"):
        made = now - timedelta(hours=rng.choice(hours), minutes=rng.randrange(60))
        HardwareRequest.objects.filter(pk=request.pk).update(created_at=made)
        Loan.objects.filter(request=request).update(lent_at=made + timedelta(minutes=20))
    free = list(Entry.objects.filter(kind=Kind.FREE, counted_stock__gt=10).order_by("pk")[:4])
    for _ in range(25):
        handout = services.record_handout(
            entry=rng.choice(free), quantity=rng.randint(1, 4), by=organiser
        )
        at = now - timedelta(hours=rng.choice(hours), minutes=rng.randrange(60))
        Handout.objects.filter(pk=handout.pk).update(at=at)
    scarce = Entry.objects.filter(kind=Kind.CHECKOUT, is_visible=True).order_by("pk")[:3]
    # seed_demo's participants (not the demo accounts, who sign in)
    users = list(
        organiser._meta.model.objects.filter(is_staff=False, location__startswith="Table")
        .exclude(email="participant@example.com")
        .order_by("pk")
    )
    assert len(users) >= 18
    for place, entry in enumerate(scarce):
        asked = set(
            HardwareRequest.objects.open().filter(entry=entry).values_list("user_id", flat=True)
        )
        free_users = [user for user in users if user.pk not in asked]
        for user in free_users[place * 7 : place * 7 + 6 - 2 * place]:
            HardwareRequestFactory(entry=entry, user=user, status=Status.WAITLISTED)
    overdue = Loan.objects.open().order_by("pk")[:4]
    Loan.objects.filter(pk__in=[loan.pk for loan in overdue]).update(
        due_at=now - timedelta(minutes=30)
    )


def full_page_png(browser):
    """The whole page, not only what the window shows."""
    size = browser.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = browser.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        },
    )
    return base64.b64decode(shot["data"])


def overflow_and_small_targets(browser):
    """How far the page is wider than the window, what sticks out of the window on the right
    (an ancestor may hide it from the page's width), and controls smaller than 44 px."""
    return browser.execute_script(
        """
        const wide = document.documentElement.scrollWidth - window.innerWidth;
        const edge = document.documentElement.clientWidth;
        const out = [...document.querySelectorAll('.dashboard *')]
          .filter((el) => el.getBoundingClientRect().right > edge + 0.5)
          .map((el) => el.outerHTML.slice(0, 60) + ' ' + el.getBoundingClientRect().right);
        const small = [];
        for (const el of document.querySelectorAll(
            '.dashboard a, .dashboard button, .dashboard summary, .dashboard input')) {
          const box = el.getBoundingClientRect();
          if (box.width && box.height && (box.height < 44 || box.width < 44))
            small.push(el.outerHTML.slice(0, 80) + ' ' + Math.round(box.width) + 'x'
                       + Math.round(box.height));
        }
        return [wide, out.slice(0, 5), small];
        """
    )


@pytest.mark.parametrize("name", SIZES)
def test_the_dashboard_fits_has_big_targets_and_passes_axe(browser, live_server, organiser, name):
    a_day_of_an_event(organiser)
    viewport(browser, SIZES[name])
    sign_in(browser, live_server, organiser)
    browser.get(live_server.url + reverse("admin:desk_dashboard"))
    charts = browser.find_elements("css selector", "svg.chart")
    assert len(charts) == 4
    assert all(
        chart.size["width"] > 0.8 * SIZES[name][0] / (2 if name == "desktop" else 1.2)
        for chart in charts
    )
    if os.environ.get("SCREENSHOTS_DIR"):
        folder = Path(os.environ["SCREENSHOTS_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"dashboard-{name}.png").write_bytes(full_page_png(browser))
    closed = overflow_and_small_targets(browser), axe_violations(browser)
    # Each chart's table opens, for anyone who wants the numbers.
    summaries = browser.find_elements("css selector", ".chart-card summary")
    for summary in summaries:
        summary.click()
    tables = browser.find_elements("css selector", ".chart-card details table")
    assert len(tables) == len(summaries) == 4 and all(t.is_displayed() for t in tables)
    opened = overflow_and_small_targets(browser), axe_violations(browser)
    for (wide, out, small), found in (closed, opened):
        assert (max(wide, 0), out, small, found) == (0, [], [], [])  # < 0: a scroll bar


@pytest.mark.parametrize("name", SIZES)
def test_the_overdue_desk_due_back_and_close_pages_fit_and_pass_axe(
    browser, live_server, organiser, name
):
    from accounts.roles import lead_organisers_group

    from .test_desk_browser import overflow_and_small_targets as desk_problems

    a_day_of_an_event(organiser)
    organiser.groups.add(lead_organisers_group())  # who may close the event
    viewport(browser, SIZES[name])
    sign_in(browser, live_server, organiser)
    problems = {}
    pages = (
        reverse("admin:desk") + "?show=overdue",
        reverse("admin:desk_due_back"),
        reverse("admin:desk_close_event"),
    )
    for page in pages:
        browser.get(live_server.url + page)
        if page == pages[-1] and os.environ.get("SCREENSHOTS_DIR"):
            folder = Path(os.environ["SCREENSHOTS_DIR"])
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"close-event-{name}.png").write_bytes(full_page_png(browser))
        if page == pages[1]:  # the due-back page picks a time with the browser's own picker
            assert browser.find_elements("css selector", "input[type=datetime-local]")
        wide, small = desk_problems(browser)
        found = axe_violations(browser)
        if wide > 0 or small or found:
            problems[page] = {"overflow px": wide, "small targets": small, "axe": found}
    assert problems == {}
