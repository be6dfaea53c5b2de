"""The read API, version 1, mounted at /api/v1/ (cogproject/urls.py): its routers, its JSON
errors, and the published schema at /api/v1/openapi.json (committed as api/openapi.json)."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from . import catalogue, desk
from .ratelimit import PerCallerRateLimit, configured_rate

DESCRIPTION = """Read-only: the catalogue with stock for anyone; the desk's queue and open
loans for organisers, with an API token made in the admin (*API tokens*), sent as
`Authorization: Bearer <token>`.

Every answer has an ETag: send it back as `If-None-Match` and an unchanged answer is a 304
with no body. Each token (or, without one, each client address) may make API_RATE_LIMIT
requests per window (120 a minute unless the server sets otherwise); past that, 429 with
Retry-After. Bad input is a 400 with what was wrong; errors are JSON `{"detail": "..."}`."""

# Headers the schema promises, so the contract test holds the responses to them.
ETAG = {"ETag": {"schema": {"type": "string"}, "description": "Send back as If-None-Match."}}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "string"}, "description": "Seconds to wait."}}


class CogAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Ninja's schema, plus what it cannot say by itself: which headers come back, that
        a 304 has no body, and that a token is optional on the public endpoints."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation["responses"]  # keyed by int status codes
                responses[200]["headers"] = ETAG
                responses[304] = {"description": "Not Modified", "headers": ETAG}
                responses[429]["headers"] = RETRY_AFTER
                if "catalogue" in operation.get("tags", ()):
                    operation["security"] = [{}, *operation["security"]]
        return schema


api = CogAPI(
    title="Cog hardware desk API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    throttle=[PerCallerRateLimit()],
)
api.add_router("/", catalogue.router)
api.add_router("/", desk.router)


@api.exception_handler(ValidationError)
def invalid_input(request, exc):
    errors = [
        {"loc": [str(part) for part in error.get("loc", ())], "msg": error.get("msg", "")}
        for error in exc.errors
    ]
    said = "; ".join(
        f"{error['loc'][-1] if error['loc'] else '?'}: {error['msg']}" for error in errors
    )
    return api.create_response(
        request, {"detail": f"Invalid input. {said}", "errors": errors}, status=400
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


@api.exception_handler(HttpError)
def http_error(request, exc):
    body = {"detail": exc.message}
    if isinstance(exc, AuthenticationError):
        body["detail"] = "This endpoint needs an organiser's API token."
    if isinstance(exc, Throttled):
        rate = configured_rate()
        body = {
            "detail": f"Too many requests: at most {rate}.",
            "limit": rate.requests,
            "window_seconds": rate.seconds,
            "retry_after": exc.wait,
        }
    response = api.create_response(request, body, status=exc.status_code)
    if exc.status_code == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response
