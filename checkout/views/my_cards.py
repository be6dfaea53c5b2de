"""A participant's own state on the shared, cached catalogue: their request or loan in place of
a card's request button, and their CSRF token in its form.

The cached body marks each card's action area `<!--act:PK:FLAG-->…<!--/act-->` (FLAG "L" on a
lottery whose entrants may enter one lottery at a time) and writes `CSRF_SLOT` where the token
goes. Filling them costs two queries (open requests, open loans), whatever the inventory's size.
"""

import re

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from inventory.models import Kind

from ..models import HardwareRequest, Loan

CSRF_SLOT = "__cog_csrf_token__"
ACTION = re.compile(r"<!--act:(\d+):(L?)-->(.*?)<!--/act-->", re.S)


def other_lottery(open_requests, *, entry, event):
    """The open lottery request (for another entry) that stops this lottery entry, or None:
    participants enter one lottery at a time unless the event allows more."""
    if entry.kind != Kind.LOTTERY or event.lottery_multiple_entries:
        return None
    return next(
        (r for r in open_requests if r.entry.kind == Kind.LOTTERY and r.entry_id != entry.pk),
        None,
    )


def personalise(body, *, user, csrf_token):
    """The catalogue body with `user`'s own state on their cards and their CSRF token."""
    requests = {
        r.entry_id: r
        for r in HardwareRequest.objects.open().filter(user=user).select_related("entry")
    }
    held = dict(
        Loan.objects.open()
        .filter(user=user)
        .values_list("unit__entry_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    in_lottery = next((r for r in requests.values() if r.entry.kind == Kind.LOTTERY), None)

    def fill(match):
        pk, one_lottery, default = int(match[1]), match[2], match[3]
        mine = requests.get(pk)
        blocked = bool(one_lottery and in_lottery)
        if mine is None and pk not in held and not blocked:
            return default
        context = {
            "mine": mine,
            "held": held.get(pk, 0),
            "blocked_by": in_lottery if blocked else None,
            "default": mark_safe(default),  # the cached body's own markup for this card
        }
        return render_to_string("checkout/includes/_my_card_status.html", context)

    return ACTION.sub(fill, body).replace(CSRF_SLOT, csrf_token)
