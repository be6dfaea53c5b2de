"""Open "My hardware" pages polling every 2 s, the cost of a poll, and how fast a change shows.

wrk (bench/poll.lua) plays `pages` pages, each a participant's poll URL with that participant's
session cookie and the ETag of its last answer, through HAProxy to gunicorn (gunicorn's sync
workers want a proxy in front that hands them whole requests: a page idles 2 s between polls).
Meanwhile a writer (bench/writer.py) changes one of `probes` other participants' requests
through checkout.services every few seconds, and a thread per probe participant polls that
participant's URL every 2 s from a random phase, as a page does; the delay from each commit to
the probe's first answer showing it is the update latency. CPU time of gunicorn, HAProxy, the
PostgreSQL backends of the database and wrk is read from /proc over the run.
"""

import concurrent.futures
import json
import os
import random
import statistics
import subprocess
import tempfile
import threading
import time

import requests

from .harness import (
    PYTHON,
    ROOT,
    CpuMeter,
    HAProxy,
    Server,
    free_port,
    percentile,
    production_env,
    progress,
    run_django,
    run_wrk,
    stop,
)

PAGES_SNIPPET = """
import json, os, django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from core import live
User = get_user_model()
participants = User.objects.filter(is_staff=False, is_active=True).order_by("pk")
probes = list(participants.exclude(phone="").exclude(location="")[:int(os.environ["BENCH_PROBES"])])
pages = list(participants.exclude(pk__in=[u.pk for u in probes])[:int(os.environ["BENCH_PAGES"])])
def page(user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    path = reverse("checkout:live", args=[live.poll_token(live.user_scope(user.pk))])
    return {"user": user.pk, "path": path,
            "cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
print("BENCH-JSON" + json.dumps({"pages": [page(u) for u in pages],
                                 "probes": [page(u) for u in probes]}))
"""

WRK_THREADS = 2


def sign_in_pages(env, pages, probes):
    """Poll paths and session cookies for `pages` participants and `probes` others."""
    return run_django(env, PAGES_SNIPPET, {"BENCH_PAGES": str(pages), "BENCH_PROBES": str(probes)})


def fetch_etags(base, pages):
    """Give each page the version it was rendered with, as an open page holds it. A poll
    without a session answers 403 with the current ETag, without rendering anything."""

    def etag(page):
        page["etag"] = requests.get(base + page["path"], timeout=60).headers.get("ETag", "")

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(etag, pages))


class Probe(threading.Thread):
    """One open page of a probe participant: polls every `interval` s from a random phase
    with If-None-Match, logging (started, ended, status, since) where `since` is when the
    ETag it holds after the answer arrived."""

    def __init__(self, base, page, interval, stopping):
        super().__init__(daemon=True)
        self.url, self.cookie = base + page["path"], page["cookie"]
        self.user, self.interval, self.stopping = page["user"], interval, stopping
        self.etag = page["etag"]
        self.log = []

    def run(self):
        session = requests.Session()
        session.headers["Cookie"] = self.cookie
        etag, since = self.etag or None, None
        self.stopping.wait(random.uniform(0, self.interval))
        while not self.stopping.is_set():
            started = time.time()
            try:
                response = session.get(
                    self.url, headers={"If-None-Match": etag} if etag else {}, timeout=10
                )
                status = response.status_code
            except requests.RequestException:
                status = 0
            ended = time.time()
            if status == 200:
                etag, since = response.headers.get("ETag"), ended
            self.log.append((started, ended, status, since))
            self.stopping.wait(max(0.0, started + self.interval - time.time()))

    def seen(self, committed_at):
        """When this page showed a write committed at `committed_at`: the answer of its first
        200 to a poll sent after the commit (the fragment is rendered from the database, so it
        shows the write). A 304 in between is a process whose snapshot had not refreshed yet
        (LIVE_SNAPSHOT_SECONDS): the page still shows the old state, and the wait goes on."""
        for started, ended, status, _since in self.log:
            if started >= committed_at and status == 200:
                return ended
        return None


class Writer:
    """bench/writer.py in a subprocess, its WRITE lines collected as they come."""

    def __init__(self, env, interval, users=()):
        self.command = [PYTHON, "-m", "bench.writer", "--interval", str(interval)]
        if users:
            self.command += ["--users", ",".join(str(u) for u in users)]
        self.env, self.writes, self.done = env, [], {}
        self.ready = threading.Event()

    def _read(self):
        for line in self.process.stdout:
            kind, _, data = line.partition(" ")
            if kind == "WRITER-READY\n":
                self.ready.set()
            elif kind == "WRITE":
                self.writes.append(json.loads(data))
            elif kind == "WRITER-DONE":
                self.done = json.loads(data)

    def __enter__(self):
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, stdout=subprocess.PIPE, text=True
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        # Django starts slowly on a busy machine: the load begins once writes can.
        if not self.ready.wait(timeout=120):
            self.__exit__()
            raise SystemExit("the writer did not start")
        return self

    def __exit__(self, *exc):
        stop(self.process)
        self.reader.join(timeout=10)


def _cpu_summary(meter, wrk):
    used = meter.seconds()
    server = used["gunicorn"] + used.get("haproxy", 0.0) + used["postgres"]
    return {**used, "server": server, "wrk": wrk["client_cpu_s"], "elapsed": meter.elapsed}


def run(database_url, *, pages, duration, interval=2.0, probes=10, write_every=3.0, workers=None):
    name = database_url.rsplit("/", 1)[1]
    threads = WRK_THREADS
    pages -= pages % threads  # wrk gives each thread connections // threads connections
    port, proxy_port = free_port(), free_port()
    env = production_env(database_url, port, workers)
    progress(f"polling: signing in {pages} + {probes} participants")
    signed = sign_in_pages(env, pages, probes)
    result = {"pages": pages, "interval": interval, "duration": duration, "probes": probes}
    result["workers"] = workers or "default (2 x cores + 1)"
    result["wrk_threads"] = threads
    with (
        tempfile.NamedTemporaryFile("w", prefix="bench-pages-", suffix=".txt") as listing,
        Server(env, port, quiet=True) as server,  # not a line per 403 fetching the ETags
        HAProxy([f"127.0.0.1:{port}"], proxy_port) as proxy,
    ):
        progress("polling: fetching each page's ETag")
        fetch_etags(proxy.base, signed["pages"] + signed["probes"])
        listing.writelines(
            f"{p['path']} {p['etag'] or '-'} {p['cookie']}\n" for p in signed["pages"]
        )
        listing.flush()
        stopping = threading.Event()
        probe_threads = [Probe(proxy.base, p, interval, stopping) for p in signed["probes"]]
        users = [p["user"] for p in signed["probes"]]
        meter = CpuMeter(
            trees={"gunicorn": server.pid, "haproxy": proxy.pid}, databases={"postgres": name}
        )
        progress(f"polling: {pages} pages every {interval:g} s for {duration} s")
        try:
            with Writer(env, write_every, users) as writer, meter:
                for probe in probe_threads:
                    probe.start()
                wrk = run_wrk(
                    proxy.base + "/",
                    duration=duration,
                    connections=pages,
                    threads=threads,
                    script=ROOT / "bench" / "poll.lua",
                    args=[listing.name, str(int(interval * 1000)), str(pages)]
                    + [str(pages // threads)],
                )
                load_ended = time.time()
        finally:
            stopping.set()
            for probe in probe_threads:
                probe.join(timeout=15)
    output = wrk.pop("output")
    lines = {line.split(" ", 1)[0]: line for line in output.splitlines()}
    status = dict(part.split("=") for part in lines["POLL-STATUS"].split()[1:])
    other_codes = lines.get("POLL-OTHER", "").removeprefix("POLL-OTHER").strip()
    if "p99" not in wrk:
        print(output)
    cpu = _cpu_summary(meter, wrk)
    polls = wrk["requests"]
    by_user = {probe.user: probe for probe in probe_threads}
    # Only what the pages saw under the load counts: the writes committed at least two poll
    # intervals before it ended (a later one may not have been polled yet), each seen before
    # it ended (or it counts as unseen).
    timed = [w for w in writer.writes if w["at"] <= load_ended - 2 * interval]
    latencies = []
    for write in timed:
        seen = by_user[write["user"]].seen(write["at"])
        if seen is not None and seen <= load_ended:
            latencies.append(seen - write["at"])
    result.update(
        wrk=wrk,
        status={k: int(v) for k, v in status.items()},
        other_codes=other_codes,
        polls_per_s=wrk["requests_per_s"],
        asked_per_s=pages / interval,
        cpu=cpu,
        server_cpu_per_poll=cpu["server"] / polls if polls else None,
        writes=len(writer.writes),
        writer=writer.done,
        write_every=write_every,
        update_latency={
            "samples": len(latencies),
            "unseen": len(timed) - len(latencies),
            "after_window": len(writer.writes) - len(timed),
            "p50": statistics.median(latencies) if latencies else None,
            "p99": percentile(latencies, 0.99) if latencies else None,
            "max": max(latencies) if latencies else None,
        },
    )
    if result["server_cpu_per_poll"]:
        cores = os.cpu_count()
        result["pages_per_box"] = (0.5 * cores) / (result["server_cpu_per_poll"] / interval)
    progress(
        f"polling: {wrk['requests_per_s']:.0f} polls/s (pages ask {pages / interval:.0f}),"
        f" {result['status']}, p99 {wrk.get('p99', 0):.0f} ms, server CPU {cpu['server']:.1f} s,"
        f" wrk CPU {cpu['wrk']:.1f} s, update latency p99 {result['update_latency']['p99']}"
    )
    return result


def trivial(database_url, *, duration, connections=50, workers=None):
    """wrk on /healthz straight to gunicorn: the client's CPU beside the server's."""
    port = free_port()
    env = production_env(database_url, port, workers)
    with Server(env, port) as server:
        meter = CpuMeter(trees={"gunicorn": server.pid})
        with meter:
            wrk = run_wrk(
                server.base + "/healthz",
                duration=duration,
                connections=connections,
                threads=WRK_THREADS,
            )
    wrk.pop("output")
    used = meter.seconds()
    result = {
        "connections": connections,
        "duration": duration,
        "wrk": wrk,
        "cpu": {"server": used["gunicorn"], "wrk": wrk["client_cpu_s"], "elapsed": meter.elapsed},
    }
    progress(
        f"trivial view under wrk: {wrk['requests_per_s']:.0f} req/s, server CPU"
        f" {used['gunicorn']:.1f} s, wrk CPU {wrk['client_cpu_s']:.1f} s"
    )
    return result
