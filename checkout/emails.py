"""Emails to participants, sent after the change that prompts them has committed."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone

from .models import HardwareRequest

logger = logging.getLogger(__name__)

READY = ("checkout/email/ready_for_pickup.txt", "Your hardware is ready for pickup")
WON = ("checkout/email/lottery_won.txt", "You won the hardware lottery")
LOST = ("checkout/email/lottery_lost.txt", "Hardware lottery result")


def _message(hardware_request, template, subject):
    deadline = hardware_request.pickup_deadline
    context = {
        "hardware_request": hardware_request,
        "event_name": settings.EVENT_NAME,
        "deadline": deadline and timezone.localtime(deadline),
    }
    return EmailMessage(
        subject=f"[{settings.EVENT_NAME}] {subject}",
        body=render_to_string(template, context),
        to=[hardware_request.user.email],
    )


def _send(messages):
    """Send over one connection. A mail outage must not break the desk: the participant's
    page shows the status anyway."""
    try:
        get_connection().send_messages(messages)
    except Exception:
        logger.exception(
            "Could not send %d email(s) to %s", len(messages), [m.to for m in messages]
        )


def send_ready_for_pickup(request_id):
    hardware_request = HardwareRequest.objects.select_related("user", "entry").get(pk=request_id)
    _send([_message(hardware_request, *READY)])


def send_lottery_results(*, won, lost):
    """One read and one connection for a whole draw, however many entered."""
    chosen = HardwareRequest.objects.select_related("user", "entry").filter(pk__in=[*won, *lost])
    winners = set(won)
    _send([_message(r, *(WON if r.pk in winners else LOST)) for r in chosen.order_by("pk")])
