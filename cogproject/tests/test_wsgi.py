"""The application gunicorn serves: unchanged live polls answered in front of Django."""

import pytest

from cogproject.wsgi import application as served
from core import live, live_snapshot
from core.tests.test_live_wsgi import call, poll_environ, poll_path

pytestmark = pytest.mark.django_db


def test_the_served_application_answers_polls_in_front_and_django_behind():
    """cogproject.wsgi.application, as gunicorn serves it: the unchanged poll is the wrapper's
    304; the stale one is Django's view, which refuses a poll without a session (403)."""
    scope = live.user_scope(42)
    current = live_snapshot.version(scope)
    path = poll_path(scope)
    unchanged = call(served, poll_environ(path, f'"{current}"'))
    assert unchanged["status"] == "304 Not Modified"
    stale = call(served, poll_environ(path, '"0.0"'))
    assert stale["status"].startswith("403")
    assert stale["headers"]["ETag"] == f'"{current}"'
