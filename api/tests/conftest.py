import pytest
from django.utils import timezone

from api import services
from api.models import ApiToken


@pytest.fixture
def token(organiser):
    """An organiser's API token, as (row, secret), already used this minute (so requests
    in a test do not write last_used_at)."""
    row, secret = services.issue_token(owner=organiser, name="Desk screen", by=organiser)
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    row.refresh_from_db()
    return row, secret


@pytest.fixture
def bearer(token):
    """Extra arguments for the test client's get(): the token's Authorization header."""
    return {"HTTP_AUTHORIZATION": f"Bearer {token[1]}"}
