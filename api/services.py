"""Writes to API tokens: issuing, revoking and noting use. The admin calls these."""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from checkout.desk.access import can_use_desk

from .models import SHOWN_CHARACTERS, TOKEN_PREFIX, ApiToken, digest_of

# last_used_at is for "is this token still in use?", not an access log: one write a minute.
USE_NOTED_EVERY = timedelta(minutes=1)


def issue_token(*, owner, name, by):
    """Make a token for `owner` (an organiser who may use the desk) and return it with its
    secret, which is stored only as a digest: show it now, it cannot be read back."""
    if not can_use_desk(owner):
        raise ValidationError({"owner": f"{owner} cannot use the desk, so cannot own a token."})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name,
        owner=owner,
        prefix=secret[:SHOWN_CHARACTERS],
        digest=digest_of(secret),
        created_by=by,
    )
    return token, secret


@transaction.atomic
def revoke_token(*, token, by):
    """Revoke a token for good (its next request gets 401). Revoking it again changes
    nothing. Returns whether this call revoked it."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.revoked_by = by
    token.save(update_fields=["revoked_at", "revoked_by"])
    return True


def note_use(token):
    """Record that the token was used, unless that was recorded less than a minute ago: one
    UPDATE a minute per token, conditional, so concurrent requests do not queue on the row."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < USE_NOTED_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - USE_NOTED_EVERY)
    ).update(last_used_at=now)
    token.last_used_at = now
