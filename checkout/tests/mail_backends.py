"""Mail servers that fail, for EMAIL_BACKEND in tests."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class DownBackend(LocmemBackend):
    """A mail server that cannot be reached: every send raises."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class BouncingBackend(LocmemBackend):
    """Refuses addresses starting with "bounce"; delivers the rest to mail.outbox."""

    def send_messages(self, messages):
        for message in messages:
            refused = [to for to in message.to if to.startswith("bounce")]
            if refused:
                raise smtplib.SMTPRecipientsRefused(dict.fromkeys(refused, (550, b"No such user")))
        return super().send_messages(messages)
