"""The desk's queries and PostgreSQL's plans for them, for docs/benchmarks.md.

`desk_plans(database_url)` runs the desk's reads against that database exactly as the desk
does (the stats with the version, the queues, the lottery entries, the overdue loans, and a
live poll's snapshot refresh), captures their SQL, and returns EXPLAIN ANALYZE's plan for each,
flagging a sequential scan that reads more than half of a big table (more than BIG_TABLE_ROWS
rows): a read that grows with the event rather than with what the desk shows. It only reads
(EXPLAIN ANALYZE runs each SELECT inside a transaction that is rolled back).

    .venv/bin/python bench/explain.py postgres://postgres@127.0.0.1:5432/cog_seed100
"""

import os
import re
import sys
from pathlib import Path

BIG_TABLE_ROWS = 10_000
ROOT = Path(__file__).resolve().parent.parent


def _setup(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cogproject.settings")
    os.environ.setdefault("ENV_FILE", "/dev/null")
    os.environ.setdefault("SECRET_KEY", "bench-explain")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _captured(read):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        read()
    return [query["sql"] for query in captured.captured_queries]


def _desk_reads():
    """(label, callable) for every read the desk page and its poll make, in order."""
    from checkout.desk import queue
    from core import live
    from core.models import ChangeCounter

    stats = queue.desk_stats()
    newest = ChangeCounter.objects.order_by("-stamp").values_list("stamp", flat=True).first()
    return [
        ("desk stats and version", queue.desk_stats),
        ("desk queues", queue.desk_queues),
        ("desk lotteries", queue.desk_lotteries),
        ("desk overdue loans", lambda: queue.desk_queue_context(stats, queue.OVERDUE)),
        ("live poll snapshot refresh", lambda: live.changes_since(newest)),
    ]


_NODE = re.compile(r"Seq Scan on (\w+).*?actual time=[\d.]+\.\.[\d.]+ rows=(\d+) loops=(\d+)")


def seq_scans(plan):
    """(table, rows read) for each sequential scan in an EXPLAIN ANALYZE plan: the rows it
    returned and those its filter removed, times its loops. A scan under a LIMIT that stops
    early (a counter that counts up to its limit) reads few rows of a big table."""
    lines = plan.splitlines()
    found = []
    for n, line in enumerate(lines):
        node = _NODE.search(line)
        if not node:
            continue
        removed = 0
        for detail in lines[n + 1 :]:
            if "->" in detail or not detail.startswith(" "):
                break
            if match := re.search(r"Rows Removed by Filter: (\d+)", detail):
                removed = int(match[1])
        found.append((node[1], (int(node[2]) + removed) * int(node[3])))
    return found


def _is_big(table, sizes):
    """Counted, not read from pg_class.reltuples: a database never analysed says -1 there."""
    if table not in sizes:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # a name from the plan
            sizes[table] = cursor.fetchone()[0]
    return sizes[table] > BIG_TABLE_ROWS


def desk_plans(database_url):
    """[{label, sql, plan_text, uses_seq_scan_on_big_table}] for each of the desk's queries."""
    _setup(database_url)
    from django.db import connection, transaction

    plans, sizes = [], {}
    for label, read in _desk_reads():
        for n, sql in enumerate(_captured(read), 1):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plan = "\n".join(row for (row,) in cursor.fetchall())
                transaction.set_rollback(True)
            plans.append(
                {
                    "label": label if n == 1 else f"{label} ({n})",
                    "sql": sql,
                    "plan_text": plan,
                    "uses_seq_scan_on_big_table": any(
                        _is_big(table, sizes) and read > sizes[table] / 2
                        for table, read in seq_scans(plan)
                    ),
                }
            )
    return plans


def summary(plans):
    lines = []
    for plan in plans:
        time = re.search(r"Execution Time: ([\d.]+ ms)", plan["plan_text"])
        seq = set(re.findall(r"Seq Scan on (\w+)", plan["plan_text"]))
        lines.append(
            f"{plan['label']}: {time.group(1) if time else '?'}; "
            f"seq scans: {', '.join(sorted(seq)) or 'none'}"
            f"{' (BIG TABLE)' if plan['uses_seq_scan_on_big_table'] else ''}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    found = desk_plans(sys.argv[1] if len(sys.argv) > 1 else os.environ["DATABASE_URL"])
    if "-v" in sys.argv:
        for plan in found:
            print(f"== {plan['label']}\n{plan['sql']}\n{plan['plan_text']}\n")
    print(summary(found))
