"""Real writes during a load test, through checkout.services (so version tokens change).

    python -m bench.writer --interval 1 [--users 12,34,...]

Every `interval` seconds one participant (round robin over --users, or a random participant
with contact details) submits a request for a random visible checkout entry; the next turn of
a participant who has a request open from this writer cancels it instead. After printing
`WRITER-READY` and waiting one interval, one line per committed write on stdout:
`WRITE {"user": pk, "at": time.time() after the commit, ...}`. On SIGTERM it cancels what it
left open (the data ends as it began, less history rows) and prints `WRITER-DONE {"writes": n}`.

Run with the server's environment (DATABASE_URL, DJANGO_SETTINGS_MODULE, PYTHONPATH).
"""

import argparse
import json
import random
import signal
import sys
import threading
import time

import django


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--users", default="", help="comma-separated user pks to write for")
    args = parser.parse_args()
    django.setup()

    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from checkout import services
    from checkout.models import HardwareRequest
    from inventory.models import Entry, Kind

    User = get_user_model()
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())

    rng = random.Random(20180426)
    entries = list(
        Entry.objects.filter(kind=Kind.CHECKOUT, is_visible=True, counted_stock__isnull=True)
    )
    if args.users:
        users = list(User.objects.filter(pk__in=[int(p) for p in args.users.split(",")]))
    else:
        users = list(
            User.objects.filter(is_staff=False).exclude(phone="").exclude(location="")[:500]
        )
    organiser = User.objects.filter(is_staff=True).order_by("pk").first()
    open_requests = {}  # user pk -> the request this writer submitted for them
    writes = 0
    turn = 0

    def emit(kind, user, **extra):
        print("WRITE " + json.dumps({"kind": kind, "user": user.pk, "at": time.time(), **extra}))

    print("WRITER-READY", flush=True)
    next_at = time.monotonic() + args.interval  # the load starts from a settled state
    stopping.wait(args.interval)
    while not stopping.is_set():
        user = users[turn % len(users)] if args.users else rng.choice(users)
        turn += 1
        mine = open_requests.pop(user.pk, None)
        try:
            if mine is None:
                entry = rng.choice(entries)
                mine = services.submit_request(user=user, entry=entry, quantity=1)
                open_requests[user.pk] = mine
                emit("submit", user, request=mine.pk)
            else:
                services.cancel_request(hardware_request=mine, by=organiser)
                emit("cancel", user, request=mine.pk)
            writes += 1
        except ValidationError:
            pass  # a duplicate or an unrequestable entry: the next turn writes
        sys.stdout.flush()
        next_at += args.interval
        stopping.wait(max(0.0, next_at - time.monotonic()))

    for mine in open_requests.values():
        if HardwareRequest.objects.filter(pk=mine.pk).open().exists():
            services.cancel_request(hardware_request=mine, by=organiser)
    print("WRITER-DONE " + json.dumps({"writes": writes}), flush=True)


if __name__ == "__main__":
    main()
