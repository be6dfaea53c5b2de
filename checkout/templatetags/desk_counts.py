"""The desk's counters, which stop counting at COUNT_LIMIT + 1 (checkout/desk/queue.py)."""

from django import template

from ..desk import queue

register = template.Library()


@register.filter
def desk_count(count):
    """A counter as the desk shows it: the number, or "1,000+" past the limit."""
    return f"{queue.COUNT_LIMIT:,}+" if count > queue.COUNT_LIMIT else count
