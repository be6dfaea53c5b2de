"""A small fake MyMLH (OAuth2 authorize, token and v4 user endpoints) on 127.0.0.1.

It speaks real HTTP, checks what a real provider would check (client credentials in the body,
the code it issued, the Bearer token), gives the phone number only to a token with the
`user:read:phone` scope (education only when expanded), and can misbehave on demand.
"""

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

LOGIN = "/accounts/mymlh/login/?process=login"
DEFAULT_SCOPES = ("public", "user:read:profile", "user:read:email")  # as in settings
CLIENT_ID = "test-client-id"
CLIENT_SECRET = "test-client-secret"


class FakeMyMLH:
    def __init__(self):
        self.user = {
            "id": "c2ac35c6-aa8c-11ed-afa1-0242ac120002",
            "email": "Ada@Example.com",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "phone_number": "+1 617 555 0100",
            "education": [
                {"current": False, "school": {"name": "Old School"}},
                {"current": True, "school": {"name": "Analytical University"}},
            ],
        }
        self.wrap_in_data = True
        self.mode = (
            "ok"  # ok | token_error | token_timeout | user_error | user_malformed | user_no_id
        )
        self.delay = 0
        self.codes = {}  # authorization code: the scopes it grants
        self.tokens = {}  # access token: the scopes it grants
        self.requests = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status, body, content_type="application/json", headers=()):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                fake.requests.append(("GET", url.path, query, dict(self.headers)))
                if url.path == "/oauth/authorize":
                    code = secrets.token_urlsafe(8)
                    fake.codes[code] = set(query.get("scope", "public").split(" "))
                    back = urlencode({"code": code, "state": query.get("state", "")})
                    target = f"{query['redirect_uri']}?{back}"
                    return self.reply(302, b"", "text/plain", [("Location", target)])
                if url.path == "/v4/users/me":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token not in fake.tokens:
                        return self.reply(401, {"error": "invalid_token"})
                    if fake.mode == "user_error":
                        return self.reply(500, {"error": "server_error"})
                    if fake.mode == "user_malformed":
                        return self.reply(200, b"<html>not json", "text/html")
                    user = dict(fake.user)
                    if fake.mode == "user_no_id":
                        user.pop("id")
                    if "expand[]" not in query:
                        user.pop("education", None)
                    if "user:read:phone" not in fake.tokens[token]:  # as MyMLH: by scope
                        user.pop("phone_number", None)
                    return self.reply(200, {"data": user} if fake.wrap_in_data else user)
                return self.reply(404, {"error": "not_found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                fake.requests.append(("POST", self.path, form, dict(self.headers)))
                if self.path != "/oauth/token":
                    return self.reply(404, {"error": "not_found"})
                if fake.mode == "token_timeout":
                    time.sleep(fake.delay)
                if fake.mode == "token_error":
                    return self.reply(500, {"error": "server_error"})
                if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
                    return self.reply(401, {"error": "invalid_client"})
                if (
                    form.get("grant_type") != "authorization_code"
                    or form.get("code") not in fake.codes
                ):
                    return self.reply(400, {"error": "invalid_grant"})
                scopes = fake.codes.pop(form["code"])
                token = secrets.token_urlsafe(16)
                fake.tokens[token] = scopes
                return self.reply(
                    200,
                    {
                        "access_token": token,
                        "token_type": "Bearer",
                        "expires_in": 7200,
                        "scope": " ".join(sorted(scopes)),
                    },
                )

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path=""):
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def provider_settings(self, scopes=DEFAULT_SCOPES):
        return {
            "mymlh": {
                "APPS": [{"client_id": CLIENT_ID, "secret": CLIENT_SECRET, "key": ""}],
                "SCOPE": list(scopes),
                "AUTHORIZE_URL": self.url("/oauth/authorize"),
                "ACCESS_TOKEN_URL": self.url("/oauth/token"),
                "PROFILE_URL": self.url("/v4/users/me"),
            }
        }

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def dance(client, *, state=None, next_url=None):
    """Start sign-in (with `next_url`), follow MyMLH's authorize redirect over HTTP, come back
    to the callback. Returns the callback's response."""
    start = client.post(LOGIN + (f"&{urlencode({'next': next_url})}" if next_url else ""))
    assert start.status_code == 302
    authorize = start["Location"]
    answer = requests.get(authorize, allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    callback = urlsplit(answer.headers["Location"])
    query = parse_qs(callback.query)
    if state is not None:
        query["state"] = [state]
    return client.get(callback.path, {k: v[0] for k, v in query.items()})
