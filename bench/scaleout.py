"""Two app servers on one database: a write through one seen by a poll through the other,
and the catalogue's throughput through HAProxy with one backend against two.

Both instances run gunicorn with the same settings and `workers` sync workers each, on
different ports. Nothing but PostgreSQL is shared (per-process caches), so a poll through B
sees a write through A as soon as the version token it reads has changed.
"""

import os
import re
import statistics
import time

import requests

from .harness import (
    HAProxy,
    Server,
    free_port,
    production_env,
    progress,
    run_django,
    run_wrk,
)

SNIPPET = """
import json, django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from core import live
from checkout.models import HardwareRequest
from inventory.models import Entry, Kind
User = get_user_model()
user = (User.objects.filter(is_staff=False, is_active=True).exclude(phone="")
        .exclude(location="").order_by("-pk").first())
taken = HardwareRequest.objects.open().filter(user=user).values("entry")
entry = (Entry.objects.filter(kind=Kind.CHECKOUT, is_visible=True, counted_stock__isnull=True)
         .exclude(pk__in=taken).order_by("pk").first())
client = Client()
client.force_login(user)
print("BENCH-JSON" + json.dumps({
    "cookie": {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value},
    "entry": entry.get_absolute_url(),
    "request": reverse("checkout:request", args=[entry.pk]),
    "poll": reverse("checkout:live", args=[live.poll_token(live.user_scope(user.pk))]),
}))
"""

ROUNDS = 3  # of each of the write-visibility round trips and the throughput comparisons


def _csrf(session, url):
    page = session.get(url, timeout=30)
    page.raise_for_status()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]


def _seen_through(session, poll_url, etag, since, timeout=10.0):
    """Poll every 100 ms with the old ETag until an answer shows the new version; seconds
    from `since` (the write's response) to that answer."""
    deadline = since + timeout
    while time.time() < deadline:
        response = session.get(poll_url, headers={"If-None-Match": etag}, timeout=10)
        if response.status_code == 200 and response.headers.get("ETag") != etag:
            return time.time() - since, response.headers["ETag"]
        time.sleep(0.1)
    return None, etag


def write_seen_elsewhere(a, b, signed):
    """A participant requests the entry through A (the catalogue's form, CSRF and all) and
    cancels it through A; B's poll is timed to each change."""
    session = requests.Session()
    session.cookies.update(signed["cookie"])
    poll = b + signed["poll"]
    etag = session.get(poll, timeout=30).headers["ETag"]
    delays = []
    for _ in range(ROUNDS):
        token = _csrf(session, a + signed["entry"])
        posted = session.post(
            a + signed["request"],
            data={"csrfmiddlewaretoken": token, "quantity": "1"},
            allow_redirects=False,
            timeout=30,
        )
        assert posted.status_code == 302, posted.status_code
        delay, etag = _seen_through(session, poll, etag, time.time())
        delays.append(delay)
        mine = session.get(a + "/me/hardware/", timeout=30)
        cancel = re.search(r'action="(/me/requests/\d+/cancel/)"', mine.text)[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', mine.text)[1]
        posted = session.post(
            a + cancel, data={"csrfmiddlewaretoken": token}, allow_redirects=False, timeout=30
        )
        assert posted.status_code == 302, posted.status_code
        delay, etag = _seen_through(session, poll, etag, time.time())
        delays.append(delay)
    seen = [d for d in delays if d is not None]
    return {
        "writes": len(delays),
        "seen": len(seen),
        "median": statistics.median(seen) if seen else None,
        "max": max(seen) if seen else None,
        "within_interval": len(seen) == len(delays) and max(seen) <= 2.0,
    }


def _instances(envs, ports, cpus=(None, None)):
    """Both instances, HAProxy in front of A alone and in front of both."""
    return (
        Server(envs[0], ports[0], cpu=cpus[0]),
        Server(envs[1], ports[1], cpu=cpus[1]),
        HAProxy([f"127.0.0.1:{ports[0]}"], free_port()),
        HAProxy([f"127.0.0.1:{port}" for port in ports], free_port()),
    )


def _compare(one, two, cookie, *, label, round_seconds, connections):
    """The catalogue through one backend and through two, in interleaved rounds."""
    rounds = {1: [], 2: []}
    for number in range(ROUNDS):
        for backends, proxy in ((1, one), (2, two)):
            wrk = run_wrk(
                proxy.base + "/inventory/",
                duration=round_seconds,
                connections=connections,
                headers=[f"Cookie: {cookie}"],
            )
            wrk.pop("output")
            rounds[backends].append(wrk)
            progress(
                f"scale-out ({label}): round {number + 1}, {backends} backend(s):"
                f" {wrk['requests_per_s']:.0f} req/s, p99 {wrk.get('p99', 0):.0f} ms"
            )
    throughput = {}
    for backends, runs in rounds.items():
        throughput[str(backends)] = {
            "requests_per_s": statistics.median(r["requests_per_s"] for r in runs),
            "p50": statistics.median(r.get("p50", 0) for r in runs),
            "p99": statistics.median(r.get("p99", 0) for r in runs),
            "errors": sum(r["non_2xx_3xx"] + r["socket_errors"] for r in runs),
            "rounds": [r["requests_per_s"] for r in runs],
        }
    ratio = throughput["2"]["requests_per_s"] / throughput["1"]["requests_per_s"]
    return throughput, ratio


def run(database_url, *, duration, workers, connections=20):
    """The write seen across instances; then the catalogue with one backend against two, first
    with both instances sharing the box's cores, then with each pinned to a core of its own
    (taskset), standing in for separate machines: one instance has one core, two have two.
    HAProxy, PostgreSQL and wrk are not pinned, as on the load balancer's and the database's
    own machines they would not share the app servers' cores."""
    ports = [free_port(), free_port()]
    # Same settings, SECRET_KEY included (sessions and poll tokens), on another port.
    env = production_env(database_url, ports[0], workers)
    envs = [env, {**env, "BIND": f"127.0.0.1:{ports[1]}"}]
    signed = run_django(envs[0], SNIPPET)
    cookie = "; ".join(f"{k}={v}" for k, v in signed["cookie"].items())
    round_seconds = max(5, duration // 3)
    options = {"round_seconds": round_seconds, "connections": connections}
    a, b, one, two = _instances(envs, ports)
    with a, b, one, two:
        progress("scale-out: a write through A, polled through B every 100 ms")
        visibility = write_seen_elsewhere(a.base, b.base, signed)
        progress(
            f"scale-out: seen through B after median {visibility['median']} s,"
            f" max {visibility['max']} s"
        )
        throughput, ratio = _compare(one, two, cookie, label="shared cores", **options)
    pinned = None
    if len(os.sched_getaffinity(0)) >= 2:
        cpus = sorted(os.sched_getaffinity(0))[:2]
        a, b, one, two = _instances(envs, ports, cpus)
        with a, b, one, two:
            pinned_throughput, pinned_ratio = _compare(
                one, two, cookie, label="a core each", **options
            )
        pinned = {"cpus": cpus, "throughput": pinned_throughput, "ratio": pinned_ratio}
    return {
        "workers_per_instance": workers,
        "connections": connections,
        "round_seconds": round_seconds,
        "rounds": ROUNDS,
        "visibility": visibility,
        "throughput": throughput,
        "ratio": ratio,
        "pinned": pinned,
    }
