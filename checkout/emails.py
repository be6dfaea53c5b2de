"""Emails to participants, sent after the change that prompts them has committed."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Request

logger = logging.getLogger(__name__)


def _send(request_id, template, subject):
    request = Request.objects.select_related("user", "entry").get(pk=request_id)
    context = {
        "request": request,
        "event_name": settings.EVENT_NAME,
        "deadline": request.pickup_deadline and timezone.localtime(request.pickup_deadline),
    }
    try:
        send_mail(
            subject=f"[{settings.EVENT_NAME}] {subject}",
            message=render_to_string(template, context),
            from_email=None,
            recipient_list=[request.user.email],
        )
    except Exception:  # a mail outage must not break the desk; the page shows the status anyway
        logger.exception("Could not email %s about request %s", request.user.email, request.pk)


def send_ready_for_pickup(request_id):
    _send(request_id, "checkout/email/ready_for_pickup.txt", "Your hardware is ready for pickup")


def send_lottery_result(request_id, *, won):
    if won:
        _send(request_id, "checkout/email/lottery_won.txt", "You won the hardware lottery")
    else:
        _send(request_id, "checkout/email/lottery_lost.txt", "Hardware lottery result")
