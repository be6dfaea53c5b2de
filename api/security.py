"""Who is calling: an organiser's API token (Authorization: Bearer cog_...), or no one.

Organiser endpoints require a token; public ones take one optionally (it then counts the
rate limit per token instead of per address). A token that is wrong, revoked, or whose owner
can no longer use the desk is refused with 401 wherever it is sent, so a misconfigured client
finds out at once rather than being served as anonymous.
"""

from ninja.errors import HttpError
from ninja.security import HttpBearer

from checkout.desk.access import can_use_desk

from . import services
from .models import ApiToken


class Unauthorized(HttpError):
    def __init__(self, message):
        super().__init__(401, message)


class Anonymous:
    """request.auth on a public endpoint called without a token (truthy, as ninja needs)."""

    pk = None

    def __bool__(self):
        return True


ANONYMOUS = Anonymous()


class OrganiserToken(HttpBearer):
    """Bearer authentication by ApiToken. Queries: the token with its owner, and the owner's
    permissions (can_use_desk); once a minute per token, an UPDATE of last_used_at."""

    def __init__(self, *, required=True):
        super().__init__()
        self.required = required

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if not header:
            if self.required:
                raise Unauthorized(
                    "This endpoint needs an organiser's API token: send it as "
                    "'Authorization: Bearer <token>'."
                )
            return ANONYMOUS
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise Unauthorized("Send the token as 'Authorization: Bearer <token>'.")
        return self.authenticate(request, secret.strip())

    def authenticate(self, request, token):
        found = ApiToken.objects.for_secret(token)
        if found is None or not can_use_desk(found.owner):
            raise Unauthorized(
                "This token is not valid: unknown, revoked, or its owner can no longer use "
                "the desk."
            )
        services.note_use(found)
        return found
