"""Request and Action pages by role at programme scale (10,000 Actions, 100,000 activities).

    uv run python benchmarks/bench_action_pages.py [--scale 100] [--runs 30]
    DATABASE_URL=postgres://... uv run python benchmarks/bench_action_pages.py

Loads the same data as bench_actions.py (idempotent: a data directory or database already loaded
is reused), then times the Action list as each role sees it (scoped by Action.objects.visible_to),
filtered and deep in its pagination, an Action's detail as a steering member, its budget and
printable timeline, the request list and the steering committee's queue, and the Action API.
Target (issue 4): p95 under 100 ms on PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import platform

from _harness import measure, settle_server, setup_django, table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--data-dir")
    args = parser.parse_args()
    setup_django(args.data_dir)

    from django.test import Client

    from capdev.accounts.models import User
    from capdev.actions.models import Action, Activity, Request
    from capdev.demo.actions import load_actions
    from capdev.demo.activities import load_activities
    from capdev.demo.experts import load_experts
    from capdev.demo.loader import load_demo

    load_demo(scale=args.scale)
    load_actions(scale=args.scale)
    load_experts(scale=args.scale)
    load_activities(scale=args.scale)
    settle_server()

    def client(email: str) -> Client:
        c = Client()
        c.force_login(User.objects.get(email=email))
        return c

    staff, focal, trainer, steering = (
        client(f"{who}@capdev.example") for who in ("staff", "focal", "trainer", "steering")
    )
    chaco = Action.objects.get(demo_key="granchaco")
    pages = [
        ("Action list (staff)", lambda: staff.get("/actions/")),
        ("Action list (focal point)", lambda: focal.get("/actions/")),
        ("Action list (expert)", lambda: trainer.get("/actions/")),
        (
            "Action list, country + year + phase",
            lambda: staff.get("/actions/?country=BR&year=2022&phase=completed"),
        ),
        ("Action list, search + partner name", lambda: staff.get("/actions/?q=costa&organisation_name=DGME")),
        ("Action list, page 200", lambda: staff.get("/actions/?page=200")),
        ("Action list (htmx partial)", lambda: staff.get("/actions/?type=holistic", HTTP_HX_REQUEST="true")),
        ("Action detail (Gran Chaco, steering)", lambda: steering.get(f"/actions/{chaco.pk}/")),
        ("Budget page (Gran Chaco)", lambda: staff.get(f"/actions/{chaco.pk}/budget/")),
        ("Printable timeline (Gran Chaco)", lambda: staff.get(f"/actions/{chaco.pk}/timeline/")),
        ("Request list (staff)", lambda: staff.get("/requests/")),
        ("Steering queue", lambda: steering.get("/requests/queue/")),
        ("API Action list", lambda: staff.get("/api/v1/actions/")),
        ("API Action detail", lambda: staff.get(f"/api/v1/actions/{chaco.pk}/")),
    ]
    from _harness import engine

    title = (
        f"{engine()} · scale {args.scale} · {Action.objects.count():,} Actions · "
        f"{Activity.objects.count():,} activities · {Request.objects.count():,} requests · "
        f"{platform.machine()} Python {platform.python_version()}"
    )
    results = [measure(name, fn, runs=args.runs) for name, fn in pages]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(table(results, f"{title} · load average {load}"))


if __name__ == "__main__":
    main()
