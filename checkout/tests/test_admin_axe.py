"""Every admin page an organiser fills in or reads (each registered model's list, add and
change page) passes axe-core, in a real headless Chromium at a laptop's and a phone's width."""

import pytest
from django.contrib import admin

from accounts.models import AllowListedEmail
from accounts.tests.factories import UserFactory
from checkout import services
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from checkout.tests.past_events import past_event

from .conftest import CHROMEDRIVER, CHROMIUM, axe_violations, sign_in
from .test_desk_browser import LAPTOP, PHONE, viewport

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER),
        reason="needs Debian's chromium and chromium-driver; .ci/run installs them",
    ),
]


def one_of_each(organiser):
    """An object for every change page: request, loan, ID, draw, hand-out, user, allow-list."""
    entry = stocked_entry(units=2, name="Arduino Uno")
    request = HardwareRequestFactory(entry=entry)
    services.approve_request(hardware_request=request, by=organiser)
    services.fulfil_request(hardware_request=request, by=organiser, id_storage_label="A1")
    AllowListedEmail.objects.create(email="lead@example.com")
    past_event(1)  # a past event and one of each of its rows


def admin_pages():
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        first = model._default_manager.order_by("pk").first()
        yield base
        yield base + "add/"
        if first is not None:
            yield f"{base}{first.pk}/change/"


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_every_admin_page_passes_axe(browser, live_server, organiser, size):
    one_of_each(organiser)
    superuser = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    viewport(browser, size)
    sign_in(browser, live_server, superuser)
    found, seen = [], 0
    for path in admin_pages():
        browser.get(live_server.url + path)
        found += [f"{path} {violation}" for violation in axe_violations(browser)]
        seen += 1
    assert seen > 30  # every model's list, add page and an object's change page
    print("\n".join(found))
    assert found == []
