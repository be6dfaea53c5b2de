"""Correlated COUNT and SUM subqueries, the building blocks of every stock and queue figure.

A Subquery per term keeps each figure independent: two Counts over different joins in one
annotate() multiply each other (see inventory/tests/test_stock_with_loans.py's naive case).
"""

from django.db.models import F, Func, IntegerField, Subquery
from django.db.models.functions import Coalesce


def count_of(queryset):
    """COUNT(*) of `queryset` (filtered on an OuterRef) as an integer expression, 0 when empty."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def sum_of(queryset, field):
    """SUM(field) of `queryset` (filtered on an OuterRef) as an integer expression, 0 when empty."""
    summed = queryset.order_by().annotate(n=Func(F(field), function="SUM")).values("n")
    return Coalesce(Subquery(summed, output_field=IntegerField()), 0)


class _CountOfRows(Subquery):
    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"


def count_up_to(queryset, limit):
    """COUNT(*) of `queryset`, but of its first `limit` rows only, as an integer expression: a
    figure whose cost is bounded by `limit` whatever the table's size (a queue of thousands
    is shown as "limit or more", and never read whole)."""
    rows = queryset.order_by().values("pk")[:limit]
    return _CountOfRows(rows, output_field=IntegerField())
