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
