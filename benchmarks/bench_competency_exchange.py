"""Exchange of a 5,000-item competency framework: CASE 1.1 and Moodle CSV, export and import.

    uv run python benchmarks/bench_competency_exchange.py [--runs 5]          # SQLite in a temp dir
    DATABASE_URL=postgres://... uv run python benchmarks/bench_competency_exchange.py

Builds one published framework of 8 domains × 24 competencies × 25 indicators (5,000 items, every
competency aligned to an ESCO URI), then times, as the median of `--runs` runs:

- CASE export (the CFPackage as a dict, then serialised to JSON, as /CFPackages/<id> does);
- the /ims/case/v1p1/CFPackages/<id> endpoint through Django's test client;
- CASE import of that package as a new framework (the item identifiers are taken, so every item
  gets a new uuid and keeps the source's lineage: the slowest path);
- Moodle CSV export and import, the same way.

Each import is deleted again after it is timed, so every run starts from the same database.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

from _harness import engine, setup_django


def timed(
    fn: Callable[[], Any], runs: int, cleanup: Callable[[Any], None] | None = None
) -> tuple[float, float, int]:
    """Median wall-clock and process-CPU milliseconds over `runs` calls (after one warm-up) and the
    SQL queries of one call. CPU time is steadier on a busy machine; it leaves out the time spent
    in a PostgreSQL server (SQLite runs inside the process, so it counts there)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = fn()
    if cleanup:
        cleanup(result)
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    queries = len(ctx.captured_queries)
    if cleanup:
        cleanup(result)
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        if cleanup:
            cleanup(result)
    return statistics.median(wall), statistics.median(cpu), queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data-dir")
    args = parser.parse_args()
    setup_django(args.data_dir)

    from django.test import Client

    from capdev.competencies.exchange import (
        export_case_package,
        export_moodle_csv,
        import_case_package,
        import_moodle_csv,
    )
    from capdev.competencies.exchange.samples import build_sample_version
    from capdev.competencies.models import Framework, FrameworkVersion
    from capdev.organisations.models import Organisation, OrganisationType

    owner, _created = Organisation.objects.get_or_create(
        name="Benchmark implementer", defaults={"type": OrganisationType.IMPLEMENTING}
    )
    start = time.perf_counter()
    version = build_sample_version(owner, domains=8, competencies=24, indicators=25, title="Benchmark 5,000")
    build_s = time.perf_counter() - start
    items = version.items.count()

    def fresh() -> FrameworkVersion:
        return FrameworkVersion.objects.get(pk=version.pk)

    # Imports as a *new* framework: the document identifier is replaced by a fresh one.
    case_bytes = (
        json.dumps(export_case_package(fresh())).replace(str(version.uuid), str(uuid.uuid4())).encode()
    )
    moodle_text = export_moodle_csv(fresh()).replace(str(version.uuid), "BENCH-5000", 1)
    moodle_bytes = moodle_text.encode()

    def drop(imported: FrameworkVersion) -> None:
        Framework.objects.filter(pk=imported.framework_id).delete()

    client = Client()
    rows = [
        ("CASE export (dict + JSON)", *timed(lambda: json.dumps(export_case_package(fresh())), args.runs)),
        (
            "CASE endpoint /CFPackages/<id>",
            *timed(lambda: client.get(f"/ims/case/v1p1/CFPackages/{version.uuid}"), args.runs),
        ),
        (
            "CASE import (schema check + write)",
            *timed(lambda: import_case_package(case_bytes, actor=None, owner=owner), args.runs, drop),
        ),
        ("Moodle CSV export", *timed(lambda: export_moodle_csv(fresh()), args.runs)),
        (
            "Moodle CSV import",
            *timed(lambda: import_moodle_csv(moodle_bytes, actor=None, owner=owner), args.runs, drop),
        ),
    ]
    assert client.get(f"/ims/case/v1p1/CFPackages/{version.uuid}").status_code == 200

    print(f"### Competency exchange, {items:,} items — {engine()}")
    print()
    print(
        f"Python {platform.python_version()}, {platform.machine()}, median of {args.runs} runs; "
        f"framework built in {build_s:.1f} s; CASE package {len(case_bytes) / 1e6:.1f} MB, "
        f"Moodle CSV {len(moodle_bytes) / 1e6:.1f} MB."
    )
    print()
    print(f"Load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.")
    print()
    print("| Operation | median wall (ms) | median CPU of this process (ms) | SQL queries |")
    print("|---|---:|---:|---:|")
    for name, ms, cpu_ms, queries in rows:
        print(f"| {name} | {ms:,.0f} | {cpu_ms:,.0f} | {queries} |")


if __name__ == "__main__":
    main()
