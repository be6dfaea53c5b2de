"""Rendered fragments cached under a version token, rendered once per change.

A page body (the catalogue) is cached with the version token it was rendered at. When the token
moves on, the first request to see it takes a short lock in the cache and renders; meanwhile
everyone else is served the body of the previous version, at most one render old, instead of
all rendering the same page at once (a stampede). With a shared cache (`CACHE_URL`, Redis) the
lock is shared too: one render per change across every worker and server; with the embedded
per-process cache, one per worker.
"""

from django.core.cache import cache as default_cache

# Longer than any render: a worker that died mid-render does not block the next one for long.
RENDER_LOCK_SECONDS = 10


def get_or_render(key, version, render, *, timeout, cache=default_cache):
    """The value cached under `key` for `version`, or `render()`'s (then cached).

    While another request renders `version`, the value of an earlier version is returned if
    there is one. On a cold cache every request renders (there is nothing older to serve).
    """
    cached = cache.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    if cached is None or cache.add(f"{key}:rendering:{version}", 1, RENDER_LOCK_SECONDS):
        value = render()
        cache.set(key, (version, value), timeout)
        return value
    return cached[1]
