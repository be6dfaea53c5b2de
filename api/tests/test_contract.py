"""The contract: every endpoint, called over real HTTP (a live server), answers as the
committed schema says: status code, content type, headers and body, for generated valid and
invalid input, anonymously and with an organiser's token. schemathesis generates the requests
from api/openapi.json; a fixed seed and a small number of examples keep it quick and repeatable.
"""

from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from checkout.models import Status
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Kind
from inventory.tests.factories import EntryFactory

from .conftest import lend
from .test_schema import COMMITTED

schema = schemathesis.openapi.from_path(COMMITTED)


@pytest.fixture
def event(organiser):
    """Something in every list: entries of each kind, requests in each queue, loans."""
    stocked_entry(units=3, name="Arduino Uno")
    drone = stocked_entry(units=1, kind=Kind.LOTTERY, name="Drone")
    HardwareRequestFactory(entry=drone, proposal="fly")
    EntryFactory(kind=Kind.FREE, name="Resistors", counted_stock=100)
    HardwareRequestFactory(entry=stocked_entry(units=1))
    HardwareRequestFactory(entry=stocked_entry(units=0), status=Status.WAITLISTED)
    lend(organiser, due_in=-timedelta(hours=1))
    lend(organiser, due_in=timedelta(hours=1))


@pytest.fixture
def caller(request, token):
    return {} if request.param == "anonymous" else {"Authorization": f"Bearer {token[1]}"}


@pytest.mark.postgres
@pytest.mark.parametrize("caller", ["anonymous", "organiser"], indirect=True)
@schema.parametrize()
@settings(
    max_examples=20,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_response_matches_the_schema(case, caller, live_server, event, settings):
    settings.API_RATE_LIMIT = "100000/min"
    case.call_and_validate(base_url=live_server.url, headers=caller)
