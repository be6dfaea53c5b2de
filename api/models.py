"""API tokens: organisers' keys to the read API's desk endpoints (queue, loans).

Only a SHA-256 digest of each token is stored, with its first characters to tell tokens
apart; the token itself is shown once, when it is made (services.issue_token).
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

# Tokens look like "cog_<43 url-safe characters>"; the prefix names them in lists and logs.
TOKEN_PREFIX = "cog_"
SHOWN_CHARACTERS = 12


def digest_of(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def for_secret(self, secret):
        """The active token with this secret and its owner, or None. One query, by the digest's
        unique index (a token too long to be ours is not looked up at all)."""
        if len(secret) > 200:
            return None
        return self.active().filter(digest=digest_of(secret)).select_related("owner").first()


class ApiToken(models.Model):
    """A named key for the API's organiser endpoints, owned by an organiser: it works while
    it is not revoked and its owner may use the desk. Not a live model: nothing a live page
    shows changes when a token is used."""

    name = models.CharField(max_length=100, help_text="What uses it, e.g. “Desk screen”.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text="An organiser; the token stops working when they lose desk access.",
    )
    prefix = models.CharField(max_length=SHOWN_CHARACTERS, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # Written at most once a minute (services.note_use), not on every request.
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digest__regex=r"^[0-9a-f]{64}$"), name="apitoken_digest_sha256"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None
