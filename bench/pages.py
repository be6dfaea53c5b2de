"""The pages of the app measured one by one: queries, sequential latency and the burst."""

import json
import statistics
import subprocess
import sys
import threading
import time

import requests

from .harness import PYTHON, ROOT, Server, percentile, progress

PAGES = [
    # (label, path, who)
    ("trivial view (ceiling)", "/healthz", None),
    ("catalogue, participant", "/inventory/", "participant"),
    ("catalogue, organiser", "/inventory/", "organiser"),
    ("My hardware", "/me/hardware/", "participant"),
    ("desk queue", "/admin/desk/", "organiser"),
    ("dashboard", "/admin/desk/dashboard/", "organiser"),
    ("admin: entries", "/admin/inventory/entry/", "organiser"),
    ("admin: requests", "/admin/checkout/hardwarerequest/", "organiser"),
    ("close-out report", "/admin/desk/close-out/", "organiser"),
]

BURSTS = 5
# The organisers' reports are read a few times at the end of an event, not in the rush: they
# get 20 sequential requests and one burst (the close-out report lists every row outstanding,
# about a second at 10x, so the full treatment would take ten minutes of the benchmark).
REPORTS = {"dashboard", "close-out report"}
REPORT_SEQUENTIAL = 20

TARGETS_1X = {
    "catalogue median": ("catalogue, participant", "median", 9.0),
    "desk median": ("desk queue", "median", 25.0),
}

SNIPPET = """
import json, os, django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
User = get_user_model()
organiser = User.objects.filter(is_staff=True, groups__name="Organisers").order_by("pk").first()
wanted = os.environ.get("BENCH_PARTICIPANT")
participant = (User.objects.get(email=wanted) if wanted else
               User.objects.filter(is_staff=False).annotate(n=Count("hardware_requests"))
               .order_by("-n", "pk").first())
out = {"sessions": {}, "queries": {}, "users": {}, "cookie": settings.SESSION_COOKIE_NAME}
for role, user in (("organiser", organiser), ("participant", participant)):
    signed_in = Client()
    signed_in.force_login(user)
    out["sessions"][role] = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
    out["users"][role] = {"id": user.pk, "email": user.email,
                          "requests": user.hardware_requests.count()}
# A running server refreshes its snapshot of the live versions once per LIVE_SNAPSHOT_SECONDS,
# not per request: counted per request, that query would land on whichever page a slow
# predecessor left it to. Stopped here, so each page's own queries are counted.
from core.live_snapshot import snapshot
snapshot.clock = lambda: 0.0
for label, path, who in json.loads(os.environ["BENCH_PAGES"]):
    client = Client()
    if who:
        client.cookies[settings.SESSION_COOKIE_NAME] = out["sessions"][who]
    client.get(path)  # warm caches the way a running server would have them
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    out["queries"][label] = len(queries)
print("BENCH-JSON" + json.dumps(out))
"""


def sessions_and_queries(env):
    """Sign the two users in (sessions in the database) and count each page's queries
    in-process, with the same settings and data the server uses."""
    result = subprocess.run(
        [PYTHON, "-c", SNIPPET],
        cwd=ROOT,
        env={**env, "BENCH_PAGES": json.dumps(PAGES)},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(result.stderr)
    line = next(x for x in result.stdout.splitlines() if x.startswith("BENCH-JSON"))
    return json.loads(line.removeprefix("BENCH-JSON"))


def bench_participant_email():
    data = json.loads((ROOT / "bench" / "cog_dataset_seed20180426.json").read_text())
    wanted = data["bench_users"]["participant"]["id"]
    return next(u["email"] for u in data["user"] if u["id"] == wanted).lower()


def sequential(url, cookies, count):
    session = requests.Session()
    session.cookies.update(cookies)
    for _ in range(5):
        session.get(url, timeout=30)  # warm up workers and connections
    times, size = [], 0
    for _ in range(count):
        started = time.perf_counter()
        response = session.get(url, timeout=30)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.content)
    return {"median": statistics.median(times), "p95": percentile(times, 0.95), "bytes": size}


def burst(url, cookies, clients):
    """`clients` threads, each with its own connection, fire one GET at the same moment."""
    barrier = threading.Barrier(clients)
    results = [None] * clients

    def fire(index):
        session = requests.Session()
        session.cookies.update(cookies)
        barrier.wait()
        started = time.perf_counter()
        try:
            status = session.get(url, timeout=60).status_code
        except requests.RequestException:
            status = 0
        results[index] = (started, time.perf_counter(), status)

    threads = [threading.Thread(target=fire, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies = [(end - start) * 1000 for start, end, _ in results]
    span = max(end for _, end, _ in results) - min(start for start, _, _ in results)
    return {
        "ok": sum(1 for *_, status in results if status == 200),
        "min": min(latencies),
        "median": statistics.median(latencies),
        "p95": percentile(latencies, 0.95),
        "max": max(latencies),
        "throughput": clients / span,
    }


def measure(scale, env, port, sequential_count, clients, pages=PAGES):
    info = sessions_and_queries(env)
    rows = []
    with Server(env, port) as server:
        for label, path, who in pages:
            cookies = {info["cookie"]: info["sessions"][who]} if who else {}
            report = label in REPORTS
            count = min(sequential_count, REPORT_SEQUENTIAL) if report else sequential_count
            seq = sequential(server.base + path, cookies, count)
            # Five bursts; the one with the median throughput is reported (one burst of 100
            # requests is over in a fraction of a second, so a single run is noisy).
            bursts = []
            for _ in range(1 if report else BURSTS):
                time.sleep(0.5)
                bursts.append(burst(server.base + path, cookies, clients))
            hit = sorted(bursts, key=lambda b: b["throughput"])[len(bursts) // 2]
            rows.append(
                {
                    "page": label,
                    "path": path,
                    "who": who,
                    "queries": info["queries"][label],
                    **{f"seq_{k}": v for k, v in seq.items()},
                    **{f"burst_{k}": v for k, v in hit.items()},
                }
            )
            progress(
                f"[{scale}] {label}: {info['queries'][label]} queries, median "
                f"{seq['median']:.1f} ms, burst max {hit['max']:.0f} ms"
            )
    ceiling = rows[0]["burst_throughput"]
    for row in rows:
        row["of_ceiling"] = row["burst_throughput"] / ceiling
    return {"scale": scale, "users": info["users"], "rows": rows}, info
