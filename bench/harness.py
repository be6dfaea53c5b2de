"""What every benchmark scenario shares: settings, databases, servers, wrk, HAProxy and CPU.

Each helper that starts a process is a context manager that stops it on the way out, so an
interrupted run leaves nothing behind.
"""

import os
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def progress(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def require_tools(*names):
    missing = [name for name in names if not shutil.which(name)]
    if missing:
        sys.exit(
            f"make bench needs {' and '.join(missing)}: apt-get install {' '.join(missing)}"
            " (Debian packages)."
        )


def production_env(database_url, port, workers=None):
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
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    return env


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _admin(database_url):
    return database_url.rsplit("/", 1)[0] + "/postgres", database_url.rsplit("/", 1)[1]


def prepare_database(database_url, template=None):
    """Create the database if missing; with `template`, a fresh copy of that database."""
    admin_url, name = _admin(database_url)
    if template:
        drop_database(database_url)
        subprocess.run(
            ["psql", admin_url, "-qc", f'CREATE DATABASE "{name}" TEMPLATE "{template}"'],
            check=True,
        )
        return
    exists = subprocess.run(
        ["psql", admin_url, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{name}"'], check=True)


def analyze(database_url):
    """ANALYZE after a bulk load: a live database's statistics are kept by autovacuum, a freshly
    seeded one has none until autovacuum comes round, and plans (and figures) depend on when."""
    subprocess.run(["psql", database_url, "-qc", "ANALYZE"], check=True)


def drop_database(database_url):
    admin_url, name = _admin(database_url)
    subprocess.run(
        ["psql", admin_url, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=True
    )


def run_django(env, code, extra_env=None, marker="BENCH-JSON"):
    """Run `code` (which calls django.setup()) in a subprocess; return what it printed after
    `marker`, as JSON."""
    import json

    result = subprocess.run(
        [PYTHON, "-c", code],
        cwd=ROOT,
        env={**env, **(extra_env or {})},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(result.stderr)
    line = next(x for x in result.stdout.splitlines() if x.startswith(marker))
    return json.loads(line.removeprefix(marker))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, process, what):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{what} exited with {process.returncode}")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.2)
    sys.exit(f"{what} did not start")


def stop(process, timeout=30):
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Server:
    """gunicorn with gunicorn.conf.py on the port `env` binds; `quiet` drops its log (a line
    per 4xx answer from Django's request logger)."""

    def __init__(self, env, port, quiet=False, cpu=None):
        self.env, self.base = env, f"http://127.0.0.1:{port}"
        self.quiet, self.process = quiet, None
        self.cpu = cpu  # pin the master and its workers to this core (taskset), or None

    @property
    def pid(self):
        return self.process.pid

    def __enter__(self):
        # No control socket: its default path is one per user, and the scale-out runs two.
        command = [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--no-control-socket"]
        if self.cpu is not None:
            command = ["taskset", "--cpu-list", str(self.cpu), *command]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stderr=subprocess.DEVNULL if self.quiet else None,
        )
        try:
            wait_for(self.base + "/healthz", self.process, "gunicorn")
        except BaseException:
            stop(self.process)
            raise
        return self

    def __exit__(self, *exc):
        stop(self.process)


HAPROXY_CONFIG = """\
global
    maxconn {maxconn}
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    option http-keep-alive
    maxconn {maxconn}
frontend bench
    bind 127.0.0.1:{port}
    default_backend app
backend app
    balance roundrobin
{servers}
"""


class HAProxy:
    """HAProxy in HTTP mode, round robin over `backends` ("127.0.0.1:8001", ...), from a
    temporary config file. It keeps clients' connections alive and hands gunicorn's sync
    workers whole requests, as a production proxy in front of them does."""

    def __init__(self, backends, port):
        # Each connection takes a client and a server socket: stay under the hard limit.
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        self.maxconn = 10000 if hard == resource.RLIM_INFINITY else min(10000, hard // 2 - 100)
        self.backends, self.port = backends, port
        self.base = f"http://127.0.0.1:{port}"
        self.process = None

    @property
    def pid(self):
        return self.process.pid

    def __enter__(self):
        servers = "\n".join(
            f"    server app{i} {address} maxconn 64" for i, address in enumerate(self.backends)
        )
        config = HAPROXY_CONFIG.format(maxconn=self.maxconn, port=self.port, servers=servers)
        self.config = tempfile.NamedTemporaryFile("w", suffix=".cfg", prefix="bench-haproxy-")
        self.config.write(config)
        self.config.flush()
        self.process = subprocess.Popen(
            ["haproxy", "-db", "-f", self.config.name], preexec_fn=raise_file_limit
        )
        try:
            wait_for(self.base + "/healthz", self.process, "haproxy")
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        stop(self.process)
        self.config.close()


def raise_file_limit():
    """In a child before exec: as many open files as the hard limit allows (3,000 pages are
    3,000 sockets for wrk and as many for HAProxy)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


# CPU accounting ---------------------------------------------------------------------------------


def _stat(pid):
    """(ppid, utime + stime, cutime + cstime) in seconds, or None if the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # After the ")" that ends the name: state is field 3, so ppid is [1], utime [11], ...
    return (
        int(fields[1]),
        (int(fields[11]) + int(fields[12])) / CLOCK_TICKS,
        (int(fields[13]) + int(fields[14])) / CLOCK_TICKS,
    )


def _cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class CpuMeter:
    """CPU seconds used over a window by process groups, sampled from /proc twice a second:

    - a process tree by its root pid (gunicorn: the master, its workers, and through the
      master's cutime/cstime the workers that exited and were reaped during the window: a
      reaped worker's whole life is in that figure, so what it had used before the window,
      and what it was last seen using, are not counted again);
    - PostgreSQL backends serving one database (their process title names it); a backend
      that ends between samples loses at most its last half second.

    A process first seen during the window counts its whole CPU time (it started in it).
    """

    def __init__(self, trees=None, databases=None, interval=0.5):
        self.trees = trees or {}  # label -> root pid
        self.databases = databases or {}  # label -> database name
        self.interval = interval
        self.first, self.last = {}, {}  # (label, pid) -> seconds
        self.alive = {}  # tree label -> pids in the tree at the latest sample
        self._stop = threading.Event()

    def _sample(self, initial=False):
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
        stats = {pid: s for pid in pids if (s := _stat(pid))}
        for label, root in self.trees.items():
            members = {root}
            grew = True
            while grew:
                more = {pid for pid, s in stats.items() if s[0] in members} - members
                grew = bool(more)
                members |= more
            alive = set()
            for pid in members:
                if pid in stats:
                    used = stats[pid][1] + (stats[pid][2] if pid == root else 0)
                    self._record(label, pid, used, initial)
                    alive.add(pid)
            self.alive[label] = alive
        for label, name in self.databases.items():
            # "postgres: [cluster: ]user database host(port) state"
            pattern = re.compile(rf"^postgres: (\S+: )?\S+ {re.escape(name)} ")
            for pid, s in stats.items():
                if pattern.match(_cmdline(pid)):
                    self._record(label, pid, s[1], initial)

    def _record(self, label, pid, used, initial):
        key = (label, pid)
        if initial:
            self.first[key] = used
        self.last[key] = max(used, self.last.get(key, 0.0))

    def _run(self):
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self):
        self._sample(initial=True)
        self.started = time.monotonic()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample()
        self.elapsed = time.monotonic() - self.started

    def seconds(self):
        used = dict.fromkeys((*self.trees, *self.databases), 0.0)
        for (label, pid), last in self.last.items():
            first = self.first.get((label, pid), 0.0)
            if label in self.trees and pid != self.trees[label] and pid not in self.alive[label]:
                used[label] -= first  # reaped: its whole life is in the root's cutime
            else:
                used[label] += last - first
        return used


# wrk ---------------------------------------------------------------------------------------------


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(output):
    """wrk --latency's figures: requests/s, p50/p75/p90/p99 ms, errors and non-2xx/3xx."""
    result = {"requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])}
    result["requests"] = int(re.search(r"(\d+) requests in", output)[1])
    for label, value in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", output, re.M):
        result[f"p{label}"] = _ms(value)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    result["socket_errors"] = sum(int(n) for n in errors.groups()) if errors else 0
    result["timeouts"] = int(errors[4]) if errors else 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["non_2xx_3xx"] = int(non_2xx[1]) if non_2xx else 0
    return result


def run_wrk(url, *, duration, connections, threads=2, headers=(), script=None, args=()):
    """Run wrk with --latency; return its parsed figures, its CPU seconds and its output."""
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={duration}s",
        "--timeout=10s",  # slow answers count in the latency, not as timeouts
        "--latency",
    ]
    for header in headers:
        command += ["--header", header]
    if script:
        command += ["--script", str(script)]
    command.append(url)
    if args:
        command += ["--", *args]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=raise_file_limit,
    )
    try:
        output = process.stdout.read()
        # wait4 gives the child's own rusage: the client's CPU, beside the server's.
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            process.wait()
    if process.returncode:
        sys.exit(f"wrk failed ({process.returncode}):\n{output}")
    result = parse_wrk(output)
    result["client_cpu_s"] = usage.ru_utime + usage.ru_stime
    result["output"] = output
    return result
