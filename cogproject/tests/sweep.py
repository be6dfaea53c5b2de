"""Walk every URL the project serves, as everyone who can reach it, with good and bad input.

Used by test_url_sweep.py (no answer is a 5xx) and test_get_changes_nothing.py (no GET writes).
The routes come from the URL resolver, so a new view is swept the day it is added; a route
whose path takes a value must say, in VALID, which object a good value names, or the walk
fails and asks for it.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver

# Values a careless or hostile client sends. NUL is refused by PostgreSQL in any string.
BAD_VALUES = {
    "nul": "a\x00b",
    "long": "x" * 5000,
    "unicode": "ü☃𝄞\u202e",
    "huge": "99999999999999999999",
    "negative": "-1",
    "nan": "NaN",
}
# Path segments: the resolver decides which of these reach a view.
BAD_PATH_VALUES = ["0", "-1", "99999999999999999999", "2147483648", "NaN", "%00", "ü☃", "x" * 300]
# Query and form names sent to every page besides the ones its own HTML uses.
COMMON_NAMES = [
    "q",
    "p",
    "o",
    "e",
    "page",
    "next",
    "format",
    "entry",
    "category",
    "_changelist_filters",
    "_popup",
    "_to_field",
    "all",
    "action",
    "_selected_action",
    "select_across",
    "requests",
    "seed",
    "storage_label",
    "asset_tag",
    "condition",
    "quantity",
    "units",
    "email",
    "late_ok",
    "post",
]
SLOT = re.compile(r"\{(\w+)\}")


@dataclass
class Route:
    template: str  # "/admin/desk/approve/{pk}/"
    name: str
    params: dict  # slot name -> converter ("int", "str", "path", ...) or a regex


def routes():
    """Every URL pattern the project serves, as a template with a {slot} per path value."""

    def walk(patterns, prefix, params):
        for pattern in patterns:
            template, own = _template(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + template, {**params, **own})
            else:
                yield Route("/" + prefix + template, pattern.name or "", {**params, **own})

    return list(walk(get_resolver().url_patterns, "", {}))


def _template(pattern):
    """A pattern's text with a {slot} for each value, and what each slot accepts."""
    text = str(pattern)
    params = {}
    if hasattr(pattern, "_route"):  # path("inventory/<int:pk>/")

        def slot(match):
            name = match.group(2)
            params[name] = match.group(1) or "str"
            return f"{{{name}}}"

        return re.sub(r"<(?:(\w+):)?(\w+)>", slot, text), params
    # re_path: drop anchors, turn each named group into a slot, unescape the rest.
    text = text.removeprefix("^").removesuffix("$").removesuffix("\\Z")

    def group(match):
        params[match.group(1)] = match.group(2)
        return f"{{{match.group(1)}}}"

    text = re.sub(r"\(\?P<(\w+)>([^()]*)\)", group, text)
    return re.sub(r"\\(.)", r"\1", text), params


def fill(route, values):
    """The route's path with each slot set from `values` (already URL-safe or quoted here)."""
    return SLOT.sub(lambda m: quote(values[m.group(1)], safe="%/"), route.template)


def good_value(route, slot, valid):
    """The value naming a real object: VALID by (route name, slot), the admin's own model by
    its URL, or the first alternative of a regex group. None if nothing is known."""
    if (route.name, slot) in valid:
        return str(valid[(route.name, slot)])
    match = re.match(r"^/admin/(\w+)/(\w+)/\{object_id\}", route.template)
    if match and slot == "object_id":
        key = f"{match.group(1)}.{match.group(2)}"
        return str(valid[key]) if key in valid else None
    accepted = route.params[slot]
    if accepted not in ("int", "str", "path", "slug", "uuid"):
        first = accepted.split("|")[0]
        if re.fullmatch(accepted, first):
            return first
        for candidate in ("1", "abc", "1-abc"):
            if re.fullmatch(accepted, candidate):
                return candidate
    return None


class FormReader(HTMLParser):
    """The forms on a page (method, action, fields with their current values) and the query
    names its same-page links use."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.link_names = [], set()
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and (attrs.get("href") or "").startswith("?"):
            self.link_names.update(name for name, _ in parse_qsl(attrs["href"][1:]))
        elif tag == "form":
            self._form = Form(
                method=(attrs.get("method") or "get").lower(), action=attrs.get("action") or ""
            )
            self.forms.append(self._form)
        elif tag == "option" and self._select and self._form is not None:
            if "selected" in attrs:  # a browser sends the selected options
                self._form.add(self._select, attrs.get("value") or "")
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                self._form.names.add(attrs["name"])
                return
            default = "on" if kind == "checkbox" else ""
            self._form.add(attrs["name"], attrs.get("value") or default)
        elif tag == "select":
            self._select = attrs["name"]
            self._form.names.add(self._select)
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._form.add(self._textarea, "")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form.fields[-1] = (self._textarea, self._form.fields[-1][1] + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@dataclass
class Form:
    method: str
    action: str
    fields: list = field(default_factory=list)
    names: set = field(default_factory=set)

    def add(self, name, value):
        self.fields.append((name, value))
        self.names.add(name)

    def data(self):
        """The form as a browser would send it untouched: {name: [values]}."""
        data = {}
        for name, value in self.fields:
            data.setdefault(name, []).append(value)
        return data


def read_page(html):
    reader = FormReader()
    reader.feed(html)
    return reader


def same_page_forms(page, path):
    """The page's forms that post back to the page itself (or to a path given in `action`)."""
    for form in page.forms:
        target = urlsplit(form.action).path or path
        yield form, target


@dataclass
class Report:
    requests: int = 0
    server_errors: list = field(default_factory=list)  # (role, method, path, what was sent, status)
    writes_on_get: list = field(default_factory=list)  # (role, path, the statement)
    unknown_slots: list = field(default_factory=list)  # (route, slot): add it to VALID
    by_status: dict = field(default_factory=dict)

    def server_error_kinds(self):
        """One line per (role, method, path, what was sent) that answered 5xx, sorted."""
        return sorted({" ".join(map(str, error)) for error in self.server_errors})


FIELD_BAD = ("nul", "long", "huge")  # one field at a time: enough to find an unguarded field
QUERY_BAD = ("nul", "long", "huge", "negative")  # for each query name the page itself uses
# For every common name at once. NUL is left out: the middleware refuses it before any view.
ALL_BAD = ("long", "unicode", "huge", "nan")
# Bad path values as these roles: sponsors reach what participants do, superusers what
# organisers do, and the resolver, not the role, decides most of these answers.
BAD_PATH_ROLES = ("anonymous", "participant", "organiser")
WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)
SESSION_TABLES = {"django_session"}


class Walker:
    """Sends the requests and records what came back. `clients` maps a role to a pair of
    test clients (plain, and one that enforces CSRF) signed in as that role."""

    def __init__(self, clients, users, valid, connection):
        self.clients, self.users, self.valid, self.connection = clients, users, valid, connection
        self.report = Report()

    # One request -----------------------------------------------------------------------

    def send(self, role, method, path, data=None, *, csrf=False, sent=""):
        client = self.clients[role][1 if csrf else 0]
        with CaptureQueriesContext(self.connection) as queries:
            if method == "get":
                response = client.get(path, data or {})
            else:
                response = getattr(client, method)(path, data or {})
        self.report.requests += 1
        status = response.status_code
        self.report.by_status[status // 100] = self.report.by_status.get(status // 100, 0) + 1
        if status >= 500:
            self.report.server_errors.append((role, method.upper(), path, sent, status))
        if method == "get":
            for query in queries.captured_queries:
                match = WRITE.match(query["sql"])
                if match and match.group(2) not in SESSION_TABLES:
                    self.report.writes_on_get.append((role, path, query["sql"][:200]))
        user = self.users[role]
        if user is not None and method != "get" and "_auth_user_id" not in client.session:
            for each in self.clients[role]:  # signed out (or the session was flushed): sign in
                each.force_login(user)
        return response

    # One route -------------------------------------------------------------------------

    def good_path(self, route):
        values = {}
        for slot in route.params:
            value = good_value(route, slot, self.valid)
            if value is None:
                self.report.unknown_slots.append((route.template, slot))
                return None
            values[slot] = value
        return values

    def paths_with_bad_values(self, route, good):
        for slot in route.params:
            for bad in BAD_PATH_VALUES:
                yield fill(route, {**good, slot: bad})

    def sweep_route(self, route, roles, *, bad_paths=True, bad_queries=True, bad_bodies=True):
        good = self.good_path(route)
        if good is None:
            return
        path = fill(route, good)
        for role in roles:
            if bad_paths and role in BAD_PATH_ROLES:
                for bad_path in self.paths_with_bad_values(route, good):
                    self.send(role, "get", bad_path, sent="bad path value")
            response = self.send(role, "get", path)
            page = None
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                page = read_page(response.content.decode(errors="replace"))
            if bad_queries:
                self.bad_queries(role, path, page)
            if bad_bodies:
                self.bad_bodies(role, path, page)

    def bad_queries(self, role, path, page):
        own = set()
        if page is not None:
            own = set(page.link_names)
            for form in page.forms:
                if form.method == "get":
                    own |= form.names
        for name in sorted(own):
            for key in QUERY_BAD:
                self.send(role, "get", path, {name: BAD_VALUES[key]}, sent=f"?{name}={key}")
        for key in ALL_BAD:
            query = dict.fromkeys(COMMON_NAMES, BAD_VALUES[key])
            self.send(role, "get", path, query, sent=f"?all={key}")

    def bad_bodies(self, role, path, page):
        for form, target in same_page_forms(page, path) if page else ():
            if form.method != "post" or target != path:
                continue
            base = form.data()
            self.send(role, "post", target, base, sent="the form as shown")
            for name in sorted(form.names):
                for key in FIELD_BAD:
                    body = {**base, name: BAD_VALUES[key]}
                    self.send(role, "post", target, body, sent=f"{name}={key}")
        self.send(role, "post", path, {}, sent="empty body")
        for key in ALL_BAD:
            body = dict.fromkeys(COMMON_NAMES, BAD_VALUES[key])
            self.send(role, "post", path, body, sent=f"all={key}")
        self.send(role, "post", path, {"next": "desk"}, csrf=True, sent="no CSRF token")
        self.send(role, "put", path, sent="PUT")
        self.send(role, "delete", path, sent="DELETE")
