"""A cached fragment is rendered once per version: while one request renders the new version,
the others get the previous one instead of all rendering at once."""

from django.core.cache import cache

from core.fragment_cache import get_or_render


def counting(value):
    calls = []

    def render():
        calls.append(value)
        return value

    return render, calls


def test_a_version_is_rendered_once_then_served_from_the_cache():
    render, calls = counting("v1 body")
    assert get_or_render("page", 1, render, timeout=60) == "v1 body"
    assert get_or_render("page", 1, render, timeout=60) == "v1 body"
    assert calls == ["v1 body"]


def test_a_new_version_is_rendered_by_the_first_to_ask_and_the_rest_get_the_old_one():
    get_or_render("page", 1, lambda: "v1 body", timeout=60)
    # Someone is rendering version 2 right now: they hold its lock.
    assert cache.add("page:rendering:2", 1, 10)
    render, calls = counting("v2 body")

    assert get_or_render("page", 2, render, timeout=60) == "v1 body"
    assert calls == []  # no second render of the same version

    # Once it is rendered, everyone gets it.
    cache.set("page", (2, "v2 by the other request"), 60)
    assert get_or_render("page", 2, render, timeout=60) == "v2 by the other request"


def test_the_next_request_after_a_change_renders_it_when_nobody_else_is():
    get_or_render("page", 1, lambda: "v1 body", timeout=60)
    render, calls = counting("v2 body")
    assert get_or_render("page", 2, render, timeout=60) == "v2 body"
    assert calls == ["v2 body"]


def test_a_cold_cache_renders_rather_than_serve_nothing():
    cache.add("page:rendering:1", 1, 10)  # even with the lock taken
    render, calls = counting("v1 body")
    assert get_or_render("page", 1, render, timeout=60) == "v1 body"
    assert calls == ["v1 body"]


def redis_url():
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return None
    return "redis://127.0.0.1:6379/15"


def test_with_a_shared_cache_one_server_renders_and_another_serves_the_previous():
    """Two app servers (two cache connections) on the real Redis: the render lock one takes is
    seen by the other."""
    import pytest
    from django.core.cache.backends.redis import RedisCache

    url = redis_url()
    if url is None:
        pytest.skip("needs the Redis at 127.0.0.1:6379 (this machine runs one; CI uses it)")
    first = RedisCache(url, {"KEY_PREFIX": "cog-test"})
    second = RedisCache(url, {"KEY_PREFIX": "cog-test"})
    first.clear()
    try:
        first.set("page", (1, "v1 body"), 60)
        assert first.add("page:rendering:2", 1, 10)  # server one is rendering version 2
        rendered = []
        body = get_or_render(
            "page", 2, lambda: rendered.append(1) or "v2", timeout=60, cache=second
        )
        assert (body, rendered) == ("v1 body", [])
    finally:
        first.clear()
