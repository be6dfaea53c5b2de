"""Every unit accounted for on the demo data and at 10x: out + on the shelf + damaged or lost
+ retired = units, per entry and in all, by the report's SQL and by counting rows here."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from checkout import services
from checkout.closeout import close_out
from checkout.models import Loan
from checkout.tests.test_closeout import REPORT_QUERIES, Tables, independent_reconciliation
from inventory.models import Condition, Entry, Kind

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
SIDES = ["out", "on_shelf", "damaged_or_lost", "retired", "units_total"]


def close_the_desk_a_little():
    """What happens at a desk after seeding: some units come back damaged, some lost, some
    OK, and free tagged units are handed out (retired). Every side of the sum gets rows."""
    organiser = get_user_model().objects.get(email="organiser@example.com")
    loans = list(Loan.objects.open().order_by("pk"))
    assert len(loans) >= 6, "the seed should leave units out"
    conditions = [Condition.DAMAGED, Condition.LOST, Condition.OK]
    for number, loan in enumerate(loans[: len(loans) // 2]):
        services.return_loan(loan=loan, by=organiser, condition=conditions[number % 3])
    free = Entry.objects.filter(kind=Kind.FREE, counted_stock__isnull=True).with_stock()
    for entry in free.filter(stock_available__gte=1)[:10]:
        services.record_handout(entry=entry, quantity=1, by=organiser)


def assert_every_unit_is_accounted_for():
    report = close_out()
    expected = independent_reconciliation()
    assert [(e.name, *(getattr(e, side) for side in SIDES)) for e in report.entries] == expected
    assert all(e.balances for e in report.entries)
    totals = [report.figures[side] for side in SIDES]
    assert totals == [sum(row[i] for row in expected) for i in range(1, 6)]
    assert report.figures["balances"] and report.figures["unbalanced_entries"] == 0
    for side in SIDES[:4]:  # the data exercises every side
        assert report.figures[side] > 0, side


def assert_the_page_shows_it(client, named_queries):
    client.force_login(get_user_model().objects.get(email="organiser@example.com"))
    response, names = named_queries(client.get, reverse("admin:desk_closeout"))
    assert names == REPORT_QUERIES
    page = Tables(response.content.decode())
    marks = {row[-1] for row in page.sections["Every unit accounted for"][""]}
    assert marks == {"✓ yes"}


def test_the_demo_data_balances(client, named_queries):
    call_command("seed_demo", verbosity=0)
    close_the_desk_a_little()
    assert_every_unit_is_accounted_for()
    assert_the_page_shows_it(client, named_queries)


def test_ten_times_the_demo_data_balances(client, named_queries):
    call_command("seed_demo", entries=400, participants=300, requests=600, verbosity=0)
    close_the_desk_a_little()
    assert_every_unit_is_accounted_for()
    assert_the_page_shows_it(client, named_queries)
