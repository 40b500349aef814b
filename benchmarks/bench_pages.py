"""Foundation pages at national scale: dashboard, organisations and people lists and details.

    uv run python benchmarks/bench_pages.py --scale 100 [--runs 50]
    DATABASE_URL=postgres://... uv run python benchmarks/bench_pages.py --scale 100

Builds the demo with `--scale` (100 → 100,000 synthetic people), then measures each page with
Django's test client as the role that uses it. Goal (issue 2): p95 under 50 ms on PostgreSQL with
100,000 people, and a query count that does not grow with the data.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

from _harness import engine, measure, settle_server, setup_django, table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--data-dir")
    args = parser.parse_args()
    setup_django(args.data_dir)

    from django.test import Client

    from capdev.accounts.models import User
    from capdev.demo.loader import load_demo
    from capdev.organisations.models import Organisation
    from capdev.people.models import Person

    start = time.perf_counter()
    summary = load_demo(scale=args.scale)
    load_s = time.perf_counter() - start
    settle_server()

    staff = Client()
    staff.force_login(User.objects.get(email="staff@capdev.example"))
    focal = Client()
    focal.force_login(User.objects.get(email="focal@capdev.example"))
    org = Organisation.objects.order_by("-id").first()
    busiest = Organisation.objects.order_by("id").first()
    person = Person.objects.order_by("-id").first()
    last_page = Person.objects.count() // 25

    pages = [
        ("Dashboard (staff)", lambda: staff.get("/dashboard/")),
        ("Dashboard (focal point)", lambda: focal.get("/dashboard/")),
        ("Organisations list", lambda: staff.get("/organisations/")),
        (
            "Organisations, filtered by region + type",
            lambda: staff.get("/organisations/?region=africa&type=partner"),
        ),
        ("Organisations, search", lambda: staff.get("/organisations/?q=ministry")),
        ("Organisation detail", lambda: staff.get(f"/organisations/{org.pk}/")),
        ("Organisation detail (first)", lambda: staff.get(f"/organisations/{busiest.pk}/")),
        ("People list", lambda: staff.get("/people/")),
        ("People list, last page", lambda: staff.get(f"/people/?page={last_page}")),
        ("People, filtered by nationality + sex", lambda: staff.get("/people/?nationality=BR&sex=F")),
        ("People, search", lambda: staff.get("/people/?q=silva")),
        ("People list (focal point)", lambda: focal.get("/people/")),
        ("Person detail", lambda: staff.get(f"/people/{person.pk}/")),
        ("API people list", lambda: staff.get("/api/v1/people/")),
    ]
    results = [measure(name, fn, runs=args.runs) for name, fn in pages]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    title = (
        f"{engine()} · scale {args.scale} · {Person.objects.count():,} people · "
        f"{Organisation.objects.count():,} organisations · demo load {load_s:.0f} s · "
        f"{platform.machine()} {platform.processor() or ''} Python {platform.python_version()} · "
        f"load average {load}"
    )
    print(table(results, title))
    print()
    print("Loaded:", summary)


if __name__ == "__main__":
    main()
