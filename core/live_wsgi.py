"""Unchanged live polls answered before Django's request handling (cogproject/wsgi.py).

Every open live page polls every 2 s and almost every answer is a 304 from the process's
snapshot (core/live_snapshot.py), which Django's handler and middleware wrap in 0.18 ms of
work (measured in-process): building the request, the request signals, a dozen middleware.
This WSGI wrapper gives that 304 itself: a GET of a live poll URL whose If-None-Match is the
current version gets 304 with the ETag, and anything else (a changed version, a bad token,
another method or path) goes to Django, whose view (checkout/views/live.py) makes the same
decision with the same function.

The 304 carries no body and tells nothing the caller did not send: versions are random
tokens, and the URL's token is signed, so a guess neither matches nor names another scope.
For the same reason it skips what the middleware would have done to it (the HTTPS redirect,
the Host check, security headers): those protect content, and there is none.
"""

from django.db import Error as DatabaseError
from django.db import connections
from django.urls import get_script_prefix, reverse

from . import live_snapshot

PLACEHOLDER = "token"


class UnchangedPolls:
    def __init__(self, application, url_name="checkout:live"):
        self.application = application
        self.url_name = url_name
        self._prefix = None

    def prefix(self):
        """The poll URLs' path before the token, as PATH_INFO has it (without SCRIPT_NAME, which
        reverse() adds once Django has handled a request under one)."""
        if self._prefix is None:  # the URLconf is loaded at the first request, not at import
            url = reverse(self.url_name, args=[PLACEHOLDER]).removesuffix(f"{PLACEHOLDER}/")
            self._prefix = "/" + url.removeprefix(get_script_prefix())
        return self._prefix

    def __call__(self, environ, start_response):
        held = environ.get("HTTP_IF_NONE_MATCH")
        if held and environ.get("REQUEST_METHOD") == "GET":
            path = environ.get("PATH_INFO", "")
            prefix = self.prefix()
            if path.startswith(prefix) and path.endswith("/"):
                token = path[len(prefix) : -1]
                if "/" not in token and (current := self._unchanged(token, held)):
                    start_response(
                        "304 Not Modified",
                        [("ETag", f'"{current}"'), ("Cache-Control", "no-store")],
                    )
                    return []
        return self.application(environ, start_response)

    @staticmethod
    def _unchanged(token, held):
        """The current version if the poll is up to date, else None.

        The snapshot's refresh may query, outside Django's request signals: so first do what
        their close_old_connections does (drop a broken or expired connection, have a reused
        one's health checked), and leave a database error to Django's handler, which
        reconnects, instead of answering 500 to every poll."""
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:  # never at a request's start, but in a test
                connection.close_if_unusable_or_obsolete()
        try:
            _, current, unchanged = live_snapshot.unchanged(token, held)
        except DatabaseError:
            return None
        return current if unchanged else None
