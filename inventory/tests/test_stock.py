import pytest
from django.db import IntegrityError, transaction

from inventory.models import Condition, Entry, Unit
from inventory.tests.factories import EntryFactory, UnitFactory

pytestmark = pytest.mark.django_db


def stock_of(entry):
    return Entry.objects.with_stock().get(pk=entry.pk)


def test_it_counts_only_units_in_service_as_stock():
    entry = EntryFactory()
    conditions = (
        [Condition.OK] * 37
        + [Condition.DAMAGED] * 5
        + [Condition.LOST] * 2
        + [Condition.RETIRED] * 6
    )
    for condition in conditions:
        UnitFactory(entry=entry, condition=condition)
    other = EntryFactory()
    UnitFactory.create_batch(4, entry=other)

    annotated = stock_of(entry)

    assert annotated.units_total == 50
    assert annotated.units_in_service == 37
    assert annotated.stock_total == 37
    assert annotated.stock_available == 37
    assert stock_of(other).stock_available == 4


def test_it_gives_zero_for_an_entry_without_units():
    annotated = stock_of(EntryFactory())
    assert (annotated.units_total, annotated.stock_total, annotated.stock_available) == (0, 0, 0)


def test_it_uses_the_counted_stock_of_a_consumable():
    entry = EntryFactory(counted_stock=120)
    annotated = stock_of(entry)
    assert annotated.stock_total == 120
    assert annotated.stock_available == 120
    assert annotated.units_total == 0


def test_it_stays_right_when_the_queryset_also_joins_units():
    # A Count() over units would be multiplied by this join (12 OK x 3 damaged rows); the
    # correlated subqueries are not affected by what the outer query joins.
    entry = EntryFactory()
    UnitFactory.create_batch(12, entry=entry)
    UnitFactory.create_batch(3, entry=entry, condition=Condition.DAMAGED)

    rows = list(Entry.objects.filter(units__condition=Condition.DAMAGED).with_stock())

    assert len(rows) == 3  # the join repeats the entry once per damaged unit
    assert {(row.units_total, row.units_in_service) for row in rows} == {(15, 12)}


def test_with_stock_is_one_query(named_queries):
    for _ in range(5):
        UnitFactory.create_batch(3, entry=EntryFactory())
    entries, queries = named_queries(lambda: list(Entry.objects.with_stock()))
    assert len(entries) == 5
    assert queries == ["SELECT inventory_entry"]


@pytest.mark.postgres
def test_the_database_rejects_a_duplicate_asset_tag_in_any_case():
    UnitFactory(asset_tag="ESP32-001")
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitFactory(asset_tag="esp32-001")
    assert Unit.objects.count() == 1


@pytest.mark.postgres
def test_the_database_rejects_negative_counted_stock():
    entry = EntryFactory(counted_stock=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(counted_stock=-1)
    entry.refresh_from_db()
    assert entry.counted_stock == 3


@pytest.mark.postgres
def test_the_database_rejects_a_zero_request_maximum():
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryFactory(max_request_quantity=0)
