"""The app at 100x: every page measured as at 1x and 10x, then the catalogue under wrk for
`duration` seconds while a real write commits every second (no stampede when every write
changes the version the cached catalogue is keyed on)."""

from .harness import (
    Server,
    analyze,
    free_port,
    manage,
    prepare_database,
    production_env,
    progress,
    run_wrk,
)
from .pages import PAGES, measure
from .polling import Writer

SEED_100X = ["--entries", "20000", "--units", "10", "--participants", "30000"]
SEED_100X += ["--requests", "60000"]
LOAD_PATH = "/inventory/"
# The organiser reports (O(1) queries, but every row at 100x) take seconds each here and
# longer than gunicorn's 30 s timeout under the 100-client burst: the rush-path pages only.
REPORTS = ("/admin/desk/dashboard/", "/admin/desk/close-out/")
PAGES_100X = [page for page in PAGES if page[1] not in REPORTS]


def prepare(database_url, template=None):
    """A database with the 100x data: seeded (about half a minute), or copied from
    `template` (a database seeded the same way, for development runs)."""
    prepare_database(database_url, template)
    env = production_env(database_url, free_port())
    manage(env, "migrate", "--noinput", "-v0")
    if template:
        progress(f"100x: copied {template}")
    else:
        progress("100x: seeding " + " ".join(SEED_100X))
        manage(env, "seed_demo", *SEED_100X)
    analyze(database_url)


# The shared cache the catalogue can use instead of one per process (CACHE_URL): a database
# of the Redis server running beside PostgreSQL, emptied before and after.
REDIS_URL = "redis://127.0.0.1:6379/15"


def run(database_url, *, duration, requests, clients, connections=20):
    port = free_port()
    env = production_env(database_url, port)
    result, info = measure("100x", env, port, requests, clients, PAGES_100X)
    cookie = f"{info['cookie']}={info['sessions']['participant']}"
    result["load"] = _load(env, port, cookie, duration, connections, "per-process cache")
    if _redis_flushed(REDIS_URL):
        shared = {**env, "CACHE_URL": REDIS_URL}
        result["load_redis"] = _load(shared, port, cookie, duration, connections, "Redis cache")
        _redis_flushed(REDIS_URL)
    return result


def _redis_flushed(url):
    """Empty that Redis database; False (and the comparison skipped) if Redis is not there."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.RedisError as exc:
        progress(f"100x: no Redis at {url} ({exc}): the shared-cache comparison is skipped")
        return False
    return True


def _load(env, port, cookie, duration, connections, cache):
    progress(
        f"100x: catalogue under wrk ({connections} connections, {duration} s), writes 1/s, {cache}"
    )
    with Server(env, port) as server, Writer(env, 1.0) as writer:
        wrk = run_wrk(
            server.base + LOAD_PATH,
            duration=duration,
            connections=connections,
            headers=[f"Cookie: {cookie}"],
        )
    wrk.pop("output")
    progress(
        f"100x: catalogue under load ({cache}) {wrk['requests_per_s']:.0f} req/s, p50"
        f" {wrk.get('p50', 0):.0f} ms, p99 {wrk.get('p99', 0):.0f} ms, {len(writer.writes)} writes,"
        f" {wrk['non_2xx_3xx'] + wrk['socket_errors']} errors"
    )
    return {
        "path": LOAD_PATH,
        "connections": connections,
        "duration": duration,
        "cache": cache,
        "wrk": wrk,
        "writes": len(writer.writes),
    }
