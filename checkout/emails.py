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


def _send(emails):
    """Send each (request, template, subject) over one connection. One refused address or a
    mail outage must not stop the others nor break the desk: the pages show the status."""
    connection = get_connection()
    for hardware_request, template, subject in emails:
        try:
            connection.send_messages([_message(hardware_request, template, subject)])
        except Exception:
            logger.exception(
                "Could not email %s about request %s",
                hardware_request.user.email,
                hardware_request.pk,
            )


def send_ready_for_pickup(request_id):
    hardware_request = HardwareRequest.objects.select_related("user", "entry").get(pk=request_id)
    _send([(hardware_request, *READY)])


def send_lottery_results(*, won, lost):
    """One read and one connection for a whole draw, however many entered."""
    chosen = HardwareRequest.objects.select_related("user", "entry", "lottery_draw").filter(
        pk__in=[*won, *lost]
    )
    winners = set(won)
    _send([(r, *(WON if r.pk in winners else LOST)) for r in chosen.order_by("pk")])
