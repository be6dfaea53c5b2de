"""Rate limiting for the API: so many requests per caller in a window.

The caller is the token when a request has one, else the client's address. The window is
fixed and opens at the caller's first request (so a burst cannot straddle two windows the way
clock-aligned windows allow, and Retry-After is exact). Counts live in Django's cache: atomic
`add` and `incr`, shared by every server with CACHE_URL (Redis), per process without it.
"""

import math
import threading
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from ninja.throttling import BaseThrottle

PERIODS = {"sec": 1, "s": 1, "min": 60, "m": 60, "hour": 3600, "h": 3600, "day": 86400, "d": 86400}


@dataclass(frozen=True)
class Rate:
    requests: int
    seconds: int

    def __str__(self):
        unit = {1: "second", 60: "minute", 3600: "hour", 86400: "day"}[self.seconds]
        return f"{self.requests} requests per {unit}"


@lru_cache
def parse_rate(text):
    """ "120/min" -> Rate(120, 60). Raises ImproperlyConfigured for anything else."""
    count, _, period = text.strip().partition("/")
    if not count.isdigit() or int(count) < 1 or period.strip() not in PERIODS:
        raise ImproperlyConfigured(
            f"API_RATE_LIMIT must look like 120/min (per sec, min, hour or day), not {text!r}"
        )
    return Rate(int(count), PERIODS[period.strip()])


def configured_rate():
    return parse_rate(settings.API_RATE_LIMIT)


def hit(caller, rate):
    """Count one request by `caller`; return the seconds to wait if it is over the limit, else
    None. Four cache operations; a window that expires between them starts a new one."""
    now = time.time()
    window_key = f"api-rate:{rate.requests}/{rate.seconds}:{caller}"
    cache.add(window_key, now, timeout=rate.seconds)
    opened = cache.get(window_key, now)
    count_key = f"{window_key}:{opened}"
    cache.add(count_key, 0, timeout=rate.seconds)
    try:
        count = cache.incr(count_key)
    except ValueError:  # the window closed meanwhile: this request opens the next
        count = 1
    if count <= rate.requests:
        return None
    return max(1, math.ceil(opened + rate.seconds - now))


class PerCallerRateLimit(BaseThrottle):
    """django-ninja's throttle hook, run after authentication: per token, else per address.
    One instance serves every request, so the wait is kept per thread."""

    def __init__(self):
        self.last = threading.local()

    def allow_request(self, request):
        token = getattr(request, "auth", None)
        caller = (
            f"token:{token.pk}" if getattr(token, "pk", None) else f"ip:{self.get_ident(request)}"
        )
        self.last.retry_after = hit(caller, configured_rate())
        return self.last.retry_after is None

    def wait(self):
        return self.last.retry_after
