"""The one place emails to participants are built: one plain-text message per batch.

Each kind of notification has a paragraph template, `checkout/email/includes/_<kind>.txt`,
given every item of that kind in the batch (`items`: requests, or loans for loan kinds);
`checkout/email/update.txt` puts the paragraphs together with a greeting and a link to My
hardware. Plain text: nothing is HTML-escaped (an entry called "R&D kit" reads as typed).
"""

import re

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse

from ..models import IDCollateral, Loan
from ..models import NotificationKind as Kind

# The order paragraphs come in: what to do now first.
SUBJECTS = {
    Kind.READY: "Your hardware is ready for pickup",
    Kind.MOVED_UP: "Your turn: your waitlisted hardware is ready for pickup",
    Kind.WON: "You won the hardware lottery",
    Kind.OVERDUE: "Please bring your hardware back",
    Kind.DUE_SOON: "Your hardware is due back soon",
    Kind.NOT_DRAWN: "Hardware lottery result",
    Kind.DENIED: "Your hardware request was denied",
    Kind.EXPIRED: "Your hardware pickup time ran out",
    Kind.RETURNED: "Receipt: hardware returned",
}
MIXED_SUBJECT = "Updates on your hardware"


def my_hardware_url():
    return settings.SITE_URL + reverse("checkout:my_hardware")


def update_for(user, notifications):
    """One email telling `user` about `notifications` (theirs, fetched `for_email()`). Reads
    the ID ledger and open loans when there is a return receipt; otherwise no queries."""
    sections = []
    for kind in SUBJECTS:
        ours = [n for n in notifications if n.kind == kind]
        if not ours:
            continue
        items = [n.loan if n.loan_id else n.request for n in ours]
        context = {"items": items}
        if kind == Kind.RETURNED:
            context.update(after_return(user, items))
        sections.append(render_to_string(f"checkout/email/includes/_{kind}.txt", context))
    kinds = {n.kind for n in notifications}
    subject = SUBJECTS[kinds.pop()] if len(kinds) == 1 else MIXED_SUBJECT
    body = render_to_string(
        "checkout/email/update.txt",
        {
            "name": user.get_short_name(),
            "sections": [tidy(section) for section in sections],
            "my_hardware_url": my_hardware_url(),
            "event_name": settings.EVENT_NAME,
        },
    )
    return EmailMessage(
        subject=f"[{settings.EVENT_NAME}] {subject}", body=tidy(body) + "\n", to=[user.email]
    )


def after_return(user, returned):
    """What a return receipt says next: what is still out, and where the ID is. Two queries.

    Read when the email is built (EMAIL_BATCH_SECONDS after the return), so an ID handed
    back at the desk in the meantime reads as given back."""
    still_out = list(
        Loan.objects.open().filter(user=user).select_related("unit__entry").order_by("due_at")
    )
    # The ID the desk holds, else the last one it gave back.
    card = (
        IDCollateral.objects.filter(user=user)
        .order_by(F("returned_at").desc(nulls_first=True), "-taken_at")
        .first()
    )
    first_back = min(loan.returned_at for loan in returned)
    return {
        "still_out": still_out,
        "id_held": card if card and card.returned_at is None else None,
        "id_given_back_at": card.returned_at
        if card and card.returned_at and card.returned_at >= first_back
        else None,
    }


def tidy(text):
    """Templates leave blank lines where tags were: at most one blank line in a row."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
