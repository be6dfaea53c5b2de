"""count_up_to: a COUNT that reads no more than its limit of rows."""

import pytest

from core.aggregates import count_up_to
from core.live import ChangeCounter
from core.models import EventSettings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("rows", "limit", "counted"), [(0, 4, 0), (2, 4, 2), (4, 4, 4), (9, 4, 4)])
def test_it_counts_up_to_the_limit(rows, limit, counted):
    ChangeCounter.objects.bulk_create(
        ChangeCounter(scope=f"test:{n}", version="v") for n in range(rows)
    )
    EventSettings.load()
    counters = ChangeCounter.objects.filter(scope__startswith="test:")
    row = EventSettings.objects.filter(pk=1).annotate(n=count_up_to(counters, limit))
    assert row.values_list("n", flat=True).get() == counted
