"""The form pages (no lists) keep a fixed query count however much data there is."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Kind
from inventory.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


def busy_event(organiser, n):
    """n participants holding a unit (with their ID at the desk), and n free entries."""
    for user in UserFactory.create_batch(n):
        request = HardwareRequestFactory(entry=stocked_entry(units=2), user=user)
        services.approve_request(hardware_request=request, by=organiser)
        services.fulfil_request(
            hardware_request=request, by=organiser, id_storage_label=f"A{request.pk}"
        )
        EntryFactory(kind=Kind.FREE, counted_stock=10)


PAGES = {
    # page: (who, url builder)
    "profile": ("participant", lambda ctx: reverse("accounts:profile")),
    "CV": ("participant", lambda ctx: reverse("accounts:cv")),
    "sign-out": ("participant", lambda ctx: reverse("account_logout")),
    "sign-in": (None, lambda ctx: reverse("account_login")),
    "password reset": (None, lambda ctx: reverse("account_reset_password")),
    "hand-out": ("organiser", lambda ctx: reverse("admin:desk_handout")),
    "fulfil": ("organiser", lambda ctx: reverse("admin:desk_fulfil", args=[ctx["request"].pk])),
    "add units": (
        "organiser",
        lambda ctx: reverse("admin:inventory_entry_add_units", args=[ctx["entry"].pk]),
    ),
    "import from sheet": ("organiser", lambda ctx: reverse("admin:inventory_entry_import_sheet")),
    "desk participant": (
        "organiser",
        lambda ctx: reverse("admin:desk_participant", args=[ctx["request"].user_id]),
    ),
}

# Exactly these, with 2 and with 25 of everything: the user, their permissions where the page
# checks one, and what the page shows, each in one query (DECLARE: a server-side cursor).
EXPECTED_QUERIES = {
    "CV": [
        "SELECT accounts_user",
        "SELECT core_eventsettings",
        "SELECT accounts_cv",
        "SELECT auth_permission",
    ],
    "add units": [
        "SELECT accounts_user",
        "SELECT inventory_entry",
        "SELECT auth_permission",
        "SELECT inventory_unit",
    ],
    "desk participant": [
        "SELECT accounts_user",
        "SELECT auth_permission",
        "SELECT accounts_user",
        "SELECT checkout_hardwarerequest",
        "SELECT checkout_loan",
        "SELECT checkout_loan",
        "SELECT checkout_idcollateral",
    ],
    "fulfil": [
        "SELECT accounts_user",
        "SELECT auth_permission",
        "SELECT checkout_hardwarerequest",
        "SELECT inventory_unit",
    ],
    "hand-out": ["SELECT accounts_user", "SELECT auth_permission", "DECLARE inventory_entry"],
    "import from sheet": ["SELECT accounts_user", "SELECT auth_permission"],
    "password reset": [],
    "profile": ["SELECT accounts_user"],
    "sign-in": [],
    "sign-out": ["SELECT accounts_user"],
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_form_page_query_count_is_fixed(client, participant, organiser, named_queries, page):
    # The hand-out page lists free entries in one query; the fulfil page its free units in one.
    who, url_for = PAGES[page]
    if who:
        client.force_login(participant if who == "participant" else organiser)
    entry = stocked_entry(units=3)
    request = HardwareRequestFactory(entry=entry, user=UserFactory())
    services.approve_request(hardware_request=request, by=organiser)
    context = {"entry": entry, "request": request}
    busy_event(organiser, 2)
    response, few = named_queries(client.get, url_for(context))
    assert response.status_code == 200
    busy_event(organiser, 25)
    response, many = named_queries(client.get, url_for(context))
    assert response.status_code == 200
    assert few == many == EXPECTED_QUERIES[page]
