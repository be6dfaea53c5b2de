"""Unchanged live polls answered in front of Django (core/live_wsgi.py): a 304 with no query
and without Django's handler; anything else reaches Django untouched."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import live, live_snapshot
from core.live_wsgi import UnchangedPolls

pytestmark = pytest.mark.django_db


class Django:
    """The application behind the wrapper, recording what reached it."""

    def __init__(self):
        self.calls = []

    def __call__(self, environ, start_response):
        self.calls.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"from Django"]


def poll_environ(path, etag=None, method="GET"):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
    }
    if etag is not None:
        environ["HTTP_IF_NONE_MATCH"] = etag
    return environ


def call(app, environ):
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    answer["body"] = b"".join(app(environ, start_response))
    return answer


def poll_path(scope):
    return reverse("checkout:live", args=[live.poll_token(scope)])


@pytest.mark.parametrize("scope", [live.user_scope(42), live.SHARED])
def test_an_unchanged_poll_is_a_304_without_django_or_a_query(scope):
    django = Django()
    app = UnchangedPolls(django)
    current = live_snapshot.version(scope)  # the snapshot is warm, as in a serving process
    with CaptureQueriesContext(connection) as queries:
        answer = call(app, poll_environ(poll_path(scope), f'"{current}"'))
    assert answer["status"] == "304 Not Modified"
    assert answer["headers"] == {"ETag": f'"{current}"', "Cache-Control": "no-store"}
    assert answer["body"] == b""
    assert django.calls == []
    assert len(queries) == 0


@pytest.mark.parametrize(
    "case",
    ["stale etag", "no etag", "bad token", "token of two segments", "POST", "another page"],
)
def test_anything_else_reaches_django(case):
    django = Django()
    app = UnchangedPolls(django)
    scope = live.user_scope(42)
    current = f'"{live_snapshot.version(scope)}"'
    path = poll_path(scope)
    environ = {
        "stale etag": lambda: poll_environ(path, '"0.0"'),
        "no etag": lambda: poll_environ(path),
        "bad token": lambda: poll_environ(poll_path(scope).replace(":", ":x", 1), current),
        "token of two segments": lambda: poll_environ(path + "more/", current),
        "POST": lambda: poll_environ(path, current, method="POST"),
        "another page": lambda: poll_environ(reverse("checkout:catalogue"), current),
    }[case]()
    answer = call(app, environ)
    assert answer["status"] == "200 OK"
    assert answer["body"] == b"from Django"
    assert django.calls == [environ["PATH_INFO"]]


def test_a_database_error_in_the_snapshot_refresh_goes_to_django(monkeypatch, snapshot_clock):
    """A lost connection while the snapshot refreshes: Django's handler, which reconnects,
    answers the poll; the wrapper neither answers 500 nor keeps failing."""
    from django.db import OperationalError

    django = Django()
    app = UnchangedPolls(django)
    scope = live.user_scope(42)
    current = f'"{live_snapshot.version(scope)}"'
    snapshot_clock.advance(1)  # the refresh is due

    def lost(*args):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(live, "changes_since", lost)
    answer = call(app, poll_environ(poll_path(scope), current))
    assert answer["status"] == "200 OK"
    assert django.calls == [poll_path(scope)]
    monkeypatch.undo()
    assert call(app, poll_environ(poll_path(scope), current))["status"] == "304 Not Modified"


def test_the_prefix_is_the_path_info_one_under_a_script_name():
    from django.urls import set_script_prefix

    set_script_prefix("/cog/")  # as Django's handler leaves it after a request under /cog
    try:
        assert UnchangedPolls(Django()).prefix() == "/live/"
    finally:
        set_script_prefix("/")
