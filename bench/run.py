"""The benchmark behind docs/benchmarks.md: `make bench`.

Loads the standard dataset (1x) and then seed_demo at 10x into PostgreSQL, serves the app with
gunicorn and production settings (DEBUG off, WhiteNoise, persistent connections), and measures
each page: SQL queries per request, latency over sequential requests, and the Cog blog post's
burst (100 clients fire one GET at the same moment). A trivial view (/healthz: a few bytes, no
queries) served by the same gunicorn gives the ceiling. Writes docs/benchmarks.md.
"""

import argparse
import datetime
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/cog_bench"

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


def production_env(database_url, port):
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        COG_TESTING="0",
        # Measure production settings only, not a developer's .env from `make run`.
        ENV_FILE=os.devnull,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DATABASE_URL=database_url,
        DB_CONN_MAX_AGE="60",
        # TLS ends at the proxy in production; the benchmark talks plain HTTP on loopback.
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(ROOT / "staticfiles"),
        BIND=f"127.0.0.1:{port}",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="cogproject.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database(database_url):
    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    exists = subprocess.run(
        ["psql", admin_url, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", admin_url, "-c", f'CREATE DATABASE "{name}"'], check=True)


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


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, env, port):
        self.env, self.base = env, f"http://127.0.0.1:{port}"

    def __enter__(self):
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"], cwd=ROOT, env=self.env
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.ConnectionError:
                time.sleep(0.2)
        self.process.kill()
        sys.exit("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


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


def measure(scale, env, port, sequential_count, clients):
    info = sessions_and_queries(env)
    rows = []
    with Server(env, port) as server:
        for label, path, who in PAGES:
            cookies = {info["cookie"]: info["sessions"][who]} if who else {}
            seq = sequential(server.base + path, cookies, sequential_count)
            # Five bursts; the one with the median throughput is reported (one burst of 100
            # requests is over in a fraction of a second, so a single run is noisy).
            bursts = []
            for _ in range(BURSTS):
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
            print(
                f"[{scale}] {label}: {info['queries'][label]} queries, median "
                f"{seq['median']:.1f} ms, burst max {hit['max']:.0f} ms",
                flush=True,
            )
    ceiling = rows[0]["burst_throughput"]
    for row in rows:
        row["of_ceiling"] = row["burst_throughput"] / ceiling
    return {"scale": scale, "users": info["users"], "rows": rows}


def _first_line(command):
    try:
        return subprocess.run(command, capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        return "unknown"


def _proc_field(path, field):
    try:
        with open(path) as lines:
            return next(line.split(":", 1)[1].strip() for line in lines if line.startswith(field))
    except (OSError, StopIteration):
        return "unknown"


def machine():
    import django
    import gunicorn

    memory = _proc_field("/proc/meminfo", "MemTotal")
    if memory.endswith("kB"):
        memory = f"{int(memory.split()[0]) / 1024 / 1024:.0f} GiB"
    return {
        "cores": os.cpu_count(),
        "memory": memory,
        "cpu": _proc_field("/proc/cpuinfo", "model name"),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "postgresql": _first_line(["psql", "--version"]),
        "os": platform.platform(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--requests", type=int, default=100, help="sequential requests per page")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--skip-10x", action="store_true")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument(
        "--render-only", action="store_true", help="Rewrite the page from the last run's JSON."
    )
    args = parser.parse_args()
    if args.render_only:
        report = json.loads(Path(args.output).with_suffix(".json").read_text())
        Path(args.output).write_text(render(report))
        return

    prepare_database(args.database_url)
    port = free_port()
    env = production_env(args.database_url, port)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    results = []
    manage(env, "load_bench_dataset")
    # The dataset names the participant Cog was measured as (user 226, 7 requests).
    env["BENCH_PARTICIPANT"] = bench_participant_email()
    results.append(measure("1x", env, port, args.requests, args.clients))
    env.pop("BENCH_PARTICIPANT")
    if not args.skip_10x:
        manage(env, "flush", "--noinput")
        manage(
            env,
            "seed_demo",
            "--entries",
            "2000",
            "--units",
            "10",
            "--participants",
            "3000",
            "--requests",
            "6000",
        )
        results.append(measure("10x", env, port, args.requests, args.clients))
    report = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "results": results,
        "settings": {"sequential": args.requests, "clients": args.clients, "bursts": BURSTS},
    }
    (ROOT / "docs").mkdir(exist_ok=True)
    Path(args.output).write_text(render(report))
    Path(args.output).with_suffix(".json").write_text(json.dumps(report, indent=2))
    print(f"Wrote {args.output}")


def render(report):
    from bench.report import render_markdown

    return render_markdown(report, TARGETS_1X)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
