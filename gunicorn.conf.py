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
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
