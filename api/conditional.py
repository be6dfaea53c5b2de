"""ETags for API responses: the SHARED live version (core.live) plus what was asked.

Every row the API shows is a live model's, and a due time or pickup deadline passing changes
the version by itself, so an unchanged version means an unchanged answer to the same request.
A matching If-None-Match is answered 304 after one query, before anything is rendered.
"""

import hashlib
import json

from django.http import HttpResponseNotModified

from core import live


def etag_for(request, params):
    """A strong ETag for this path and these validated parameters under the current SHARED
    version. One query."""
    version = live.version(live.SHARED)
    raw = json.dumps([request.path, version, params], sort_keys=True, default=str)
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def matches(if_none_match, etag):
    """If-None-Match's weak comparison (RFC 9110): any listed tag, W/ or not, or *."""
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return etag in tags or "*" in tags


def not_modified(etag):
    response = HttpResponseNotModified()
    response["ETag"] = etag
    return response


def cache_headers(response, etag, *, private):
    """Clients may keep the answer but must revalidate it; a token's answers are theirs only."""
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache" if private else "no-cache"
    if private:
        response["Vary"] = "Authorization"
