"""The benchmark behind docs/benchmarks.md: `make bench`.

Loads the standard dataset (1x) and then seed_demo at 10x into PostgreSQL, serves the app with
gunicorn and production settings (DEBUG off, WhiteNoise, persistent connections), and measures
each page: SQL queries per request, latency over sequential requests, and the Cog blog post's
burst (100 clients fire one GET at the same moment). A trivial view (/healthz: a few bytes, no
queries) served by the same gunicorn gives the ceiling. Writes docs/benchmarks.md.
"""

import argparse
import datetime
import importlib.util
import json
import os
import platform
import signal
import subprocess
from pathlib import Path

from . import polling, scale, scaleout
from .harness import (
    ROOT,
    analyze,
    drop_database,
    free_port,
    manage,
    prepare_database,
    production_env,
    progress,
    require_tools,
)
from .pages import BURSTS, TARGETS_1X, bench_participant_email, measure

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/cog_bench"
PARTS = ("1x", "10x", "100x", "polling", "scaleout")
SEED_10X = ["seed_demo", "--entries", "2000", "--units", "10", "--participants", "3000"]
SEED_10X += ["--requests", "6000"]


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
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help=f"comma-separated parts to run (default all: {','.join(PARTS)})",
    )
    parser.add_argument("--skip-10x", action="store_true", help="same as leaving 10x out of --only")
    parser.add_argument(
        "--duration", type=int, default=30, help="seconds of each wrk load test (default 30)"
    )
    parser.add_argument("--pages", type=int, default=3000, help="open pages polling (default 3000)")
    parser.add_argument(
        "--instance-workers",
        type=int,
        default=3,
        help="WEB_CONCURRENCY of each of the two scale-out instances (default 3)",
    )
    parser.add_argument(
        "--template-100x",
        help="copy the 100x data from this database instead of seeding it (development)",
    )
    parser.add_argument(
        "--keep-databases", action="store_true", help="keep the 100x database afterwards"
    )
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument(
        "--render-only", action="store_true", help="Rewrite the page from the last run's JSON."
    )
    args = parser.parse_args()
    # SIGTERM unwinds like Ctrl-C, so every finally block stops its processes.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    if args.render_only:
        report = json.loads(Path(args.output).with_suffix(".json").read_text())
        Path(args.output).write_text(render(report))
        return
    parts = [part.strip() for part in args.only.split(",") if part.strip()]
    if unknown := set(parts) - set(PARTS):
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    if args.skip_10x and "10x" in parts:
        parts.remove("10x")
    if {"100x", "polling", "scaleout"} & set(parts):
        require_tools("wrk", "haproxy")

    report = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "parts": parts,
        "results": [],
        "settings": {
            "sequential": args.requests,
            "clients": args.clients,
            "bursts": BURSTS,
            "duration": args.duration,
        },
    }
    if "1x" in parts or "10x" in parts:
        report["results"] = small_scales(args, parts)
    if {"100x", "polling", "scaleout"} & set(parts):
        report.update(large_scale(args, parts))
    (ROOT / "docs").mkdir(exist_ok=True)
    Path(args.output).write_text(render(report))
    Path(args.output).with_suffix(".json").write_text(json.dumps(report, indent=2))
    progress(f"Wrote {args.output}")


def small_scales(args, parts):
    """The standard dataset (1x) and seed_demo at 10x, in the bench database."""
    prepare_database(args.database_url)
    port = free_port()
    env = production_env(args.database_url, port)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    results = []
    if "1x" in parts:
        progress("1x: loading the standard dataset")
        manage(env, "load_bench_dataset")
        analyze(args.database_url)
        # The dataset names the participant Cog was measured as (user 226, 7 requests).
        env["BENCH_PARTICIPANT"] = bench_participant_email()
        results.append(measure("1x", env, port, args.requests, args.clients)[0])
        env.pop("BENCH_PARTICIPANT")
    if "10x" in parts:
        progress("10x: seeding")
        manage(env, "flush", "--noinput")
        manage(env, *SEED_10X)
        analyze(args.database_url)
        results.append(measure("10x", env, port, args.requests, args.clients)[0])
    return results


def large_scale(args, parts):
    """100x data in a database of its own (dropped afterwards): the pages and the catalogue
    under load, the polling pages, and two instances behind HAProxy."""
    big = args.database_url + "_100x"
    out = {}
    try:
        scale.prepare(big, args.template_100x)
        manage(production_env(big, 0), "collectstatic", "--noinput", "-v0")
        if "100x" in parts:
            out["scale_100x"] = scale.run(
                big, duration=args.duration, requests=args.requests, clients=args.clients
            )
            out["explain"] = explain_plans(big)
        if "polling" in parts:
            out["trivial_wrk"] = polling.trivial(big, duration=args.duration)
            out["polling"] = polling.run(big, pages=args.pages, duration=args.duration)
        if "scaleout" in parts:
            out["scaleout"] = scaleout.run(
                big, duration=args.duration, workers=args.instance_workers
            )
    finally:
        if args.keep_databases:
            progress(f"kept {big}")
        else:
            drop_database(big)
            progress(f"dropped {big}")
    return out


def explain_plans(database_url):
    """The desk's query plans at 100x, from bench/explain.py when it exists."""
    if importlib.util.find_spec("bench.explain") is None:
        return {"available": False}
    from bench import explain

    progress("100x: EXPLAIN of the desk's queries")
    return {"available": True, "plans": explain.desk_plans(database_url)}


def render(report):
    from bench.report import render_markdown

    return render_markdown(report, TARGETS_1X)


if __name__ == "__main__":
    main()
