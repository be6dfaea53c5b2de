from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.tests.factories import TeamFactory
from api import services
from api.models import ApiToken
from checkout import services as services_checkout
from checkout.models import Loan, Status
from checkout.tests.factories import HardwareRequestFactory, stocked_entry


@pytest.fixture
def token(organiser):
    """An organiser's API token, as (row, secret), already used this minute (so requests
    in a test do not write last_used_at)."""
    row, secret = services.issue_token(owner=organiser, name="Desk screen", by=organiser)
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    row.refresh_from_db()
    return row, secret


@pytest.fixture
def bearer(token):
    """Extra arguments for the test client's get(): the token's Authorization header."""
    return {"HTTP_AUTHORIZATION": f"Bearer {token[1]}"}


def desk_activity(organiser, n):
    """n requests in each desk queue (awaiting approval, ready, waitlisted), n loans overdue
    and n due later, each for its own participant and entry."""
    for _ in range(n):
        HardwareRequestFactory(entry=stocked_entry(units=1))
        ready = HardwareRequestFactory(entry=stocked_entry(units=1))
        services_checkout.approve_request(hardware_request=ready, by=organiser)
        HardwareRequestFactory(entry=stocked_entry(units=0), status=Status.WAITLISTED)
        lend(organiser, due_in=-timedelta(hours=1))
        lend(organiser, due_in=timedelta(hours=2))
    # Everyone in a team, which every row shows: a team read per row would show in the budgets.
    get_user_model().objects.filter(team=None, is_staff=False).update(team=TeamFactory())


def lend(organiser, *, due_in):
    """One unit lent, due back `due_in` from now (negative: overdue)."""
    request = HardwareRequestFactory(entry=stocked_entry(units=1))
    services_checkout.approve_request(hardware_request=request, by=organiser)
    (loan,) = services_checkout.fulfil_request(
        hardware_request=request, by=organiser, id_storage_label=f"S{request.pk}"
    )
    Loan.objects.filter(pk=loan.pk).update(due_at=timezone.now() + due_in)
    loan.refresh_from_db()
    return loan
