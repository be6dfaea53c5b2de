"""The participant pages on the demo data at phone size, as the README shows them.

Always run: each page fits a 390x844 phone. With SCREENSHOTS_DIR set (`make screenshots` sets
it to docs/screenshots) each page is also saved there, so the README's pictures are regenerated
from the code rather than kept by hand.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from checkout import services
from checkout.management.commands.seed_demo import DEMO_ORGANISER, DEMO_PARTICIPANT
from checkout.models import HardwareRequest
from core.models import EventSettings
from inventory.models import Entry, Kind

from .conftest import CHROMEDRIVER, CHROMIUM, sign_in
from .test_desk_browser import PHONE, viewport

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER),
        reason="needs Debian's chromium and chromium-driver; .ci/run installs them",
    ),
]
OUT = os.environ.get("SCREENSHOTS_DIR")


def save(browser, name):
    if OUT:
        Path(OUT).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(OUT) / f"{name}.png"))


def demo_participant_with_a_morning_behind_them():
    """The demo data, and the demo participant with something ready, something held and a
    lottery entered: what My hardware looks like an hour into an event."""
    call_command("seed_demo", entries=60, participants=20, requests=0, verbosity=0)
    User = get_user_model()
    pat = User.objects.get(email=DEMO_PARTICIPANT[0])
    olive = User.objects.get(email=DEMO_ORGANISER[0])
    HardwareRequest.objects.filter(user=pat).delete()
    borrowable = list(
        Entry.objects.filter(kind=Kind.CHECKOUT, is_visible=True, counted_stock__isnull=True)
        .with_stock()
        .filter(stock_requestable__gt=1)
        .order_by("name")[:3]
    )
    held = services.submit_request(user=pat, entry=borrowable[0], quantity=1)
    services.approve_request(hardware_request=held, by=olive)
    services.fulfil_request(hardware_request=held, by=olive, id_storage_label="Box 1-07")
    ready = services.submit_request(user=pat, entry=borrowable[1], quantity=1)
    services.approve_request(hardware_request=ready, by=olive)
    services.submit_request(user=pat, entry=borrowable[2], quantity=1)
    lottery = (
        Entry.objects.filter(kind=Kind.LOTTERY, is_visible=True).with_stock().order_by("name")
    ).filter(stock_available__gt=0)[0]
    services.submit_request(
        user=pat,
        entry=lottery,
        quantity=1,
        proposal="A robot arm that sorts recycling by material, with a camera and a servo.",
    )
    return pat, borrowable[1]


def test_the_participant_pages_on_the_demo_data(browser, live_server):
    from datetime import timedelta

    from django.utils import timezone

    pat, entry = demo_participant_with_a_morning_behind_them()
    EventSettings.objects.filter(pk=1).update(
        lottery_draws_at=timezone.now().replace(minute=0, second=0) + timedelta(hours=2)
    )
    sign_in(browser, live_server, pat)
    viewport(browser, PHONE)
    pages = {
        "catalogue": reverse("checkout:catalogue"),
        "entry": reverse("checkout:entry", args=[entry.pk]),
        "my-hardware": reverse("checkout:my_hardware"),
        "profile": reverse("accounts:profile"),
    }
    overflow = {}
    for name, path in pages.items():
        browser.get(live_server.url + path)
        save(browser, f"phone-{name}")
        wide = browser.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth"
        )
        if wide > 0:
            overflow[name] = wide
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": "dark"}]},
    )
    browser.get(live_server.url + pages["catalogue"])
    save(browser, "phone-catalogue-dark")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    assert overflow == {}
