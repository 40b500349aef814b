"""Shared benchmark harness: Django setup on a throwaway data dir, timing and query counting."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(data_dir: str | None = None) -> str:
    """Configure Django for a benchmark run; SQLite in a temp dir unless DATABASE_URL is set."""
    data = data_dir or tempfile.mkdtemp(prefix="capdev-bench-")
    os.environ.setdefault("CAPDEV_DATA_DIR", data)
    os.environ["CAPDEV_DEMO"] = "1"
    os.environ.setdefault("SECRET_KEY", "benchmark-secret-key-benchmark-secret-key-benchmark-0123456789")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "capdev.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return data


def settle_server() -> None:
    """Bring a freshly loaded database and this process to the state a running server is in.

    Database (PostgreSQL): planner statistics (ANALYZE) and the visibility map (VACUUM), which
    index-only scans need. Measured right after a bulk load of 100,000 rows, before autovacuum
    has caught up, the planner has no statistics (the people search then read the whole table
    instead of its trigram indexes: 254 ms p95 instead of 30) and every index-only scan fetches
    each row from the heap (the last page of the directory: 141 ms instead of 30). That is a
    state a production database is in for a minute after a bulk import, not the one the pages
    are judged in. SQLite: nothing (its planner does not need statistics for these queries).

    Process: what `capdev.wsgi` does in each gunicorn worker before its first request
    (`capdev.core.runtime.settle_worker`: the objects alive after start-up are frozen out of the
    garbage collector's full collections).
    """
    from django.db import connection

    from capdev.core.runtime import settle_worker

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    settle_worker()


def engine() -> str:
    from django.db import connection

    return connection.vendor


@dataclass
class Result:
    name: str
    median_ms: float
    p95_ms: float
    queries: int
    status: int


def measure(
    name: str,
    request: Callable[[], object],
    runs: int = 50,
    warmup: int = 3,
    reset: Callable[[], object] | None = None,
) -> Result:
    """Time `request` `runs` times after `warmup` calls; count the queries of one call. For a
    request that changes data, `reset` puts the data back after each call, outside the timing."""
    from django.db import connection

    def put_back() -> None:
        if reset is not None:
            reset()

    for _ in range(warmup):
        request()
        put_back()
    executed: list[str] = []

    def counter(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    # execute_wrapper counts every statement, whatever resets the debug query log meanwhile.
    with connection.execute_wrapper(counter):
        response = request()
    put_back()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        request()
        timings.append((time.perf_counter() - start) * 1000)
        put_back()
    timings.sort()
    p95 = statistics.quantiles(timings, n=20, method="inclusive")[-1]
    return Result(name, statistics.median(timings), p95, len(executed), getattr(response, "status_code", 0))


def table(results: list[Result], title: str) -> str:
    lines = [
        f"### {title}",
        "",
        "| Page | median (ms) | p95 (ms) | SQL queries | status |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(f"| {r.name} | {r.median_ms:.1f} | {r.p95_ms:.1f} | {r.queries} | {r.status} |")
    return "\n".join(lines)
