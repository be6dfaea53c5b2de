"""Issuing and revoking API tokens (api/services.py)."""

import hashlib

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from api import services
from api.models import ApiToken

pytestmark = pytest.mark.django_db


def test_it_stores_only_a_digest_and_a_short_prefix(organiser):
    token, secret = services.issue_token(owner=organiser, name="Bot", by=organiser)
    stored = ApiToken.objects.values().get(pk=token.pk)
    assert secret.startswith("cog_") and len(secret) > 40
    assert stored["digest"] == hashlib.sha256(secret.encode()).hexdigest()
    assert stored["prefix"] == secret[:12]
    assert secret not in str(stored)
    assert ApiToken.objects.for_secret(secret) == token


def test_every_token_is_different(organiser):
    secrets = {services.issue_token(owner=organiser, name="x", by=organiser)[1] for _ in range(5)}
    assert len(secrets) == 5


@pytest.mark.parametrize("who", ["participant", "staff without the desk"])
def test_it_refuses_an_owner_who_cannot_use_the_desk(organiser, who):
    owner = UserFactory(is_staff=who != "participant")
    with pytest.raises(ValidationError):
        services.issue_token(owner=owner, name="Bot", by=organiser)
    assert not ApiToken.objects.exists()


def test_revoking_is_for_good_and_once(organiser):
    token, secret = services.issue_token(owner=organiser, name="Bot", by=organiser)
    assert services.revoke_token(token=token, by=organiser) is True
    assert services.revoke_token(token=token, by=organiser) is False
    token.refresh_from_db()
    assert token.revoked_by == organiser and token.revoked_at is not None
    assert ApiToken.objects.for_secret(secret) is None
