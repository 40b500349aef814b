"""Actions, activities and matching at programme scale: 10,000 Actions, 100,000 activities,
5,000 experts.

    uv run python benchmarks/bench_actions.py [--scale 100] [--runs 50]
    DATABASE_URL=postgres://... uv run python benchmarks/bench_actions.py

`--scale 100` loads the demo programme with 100 synthetic blocks (10,000 organisations,
100,000 people), 100 × 100 synthetic Actions (`capdev.demo.actions`), 50 × 100 synthetic experts
(`capdev.demo.experts`) and ten activities per synthetic Action with their deployments
(`capdev.demo.activities`). Each page is then requested ~50 times with Django's test client as
programme staff (and a few as the trainer): median and p95 in milliseconds and the SQL queries
of one request. Matching is also timed on its own (the ranking of the whole roster, without the
page); the roster statistics, cached a minute, also cold. Target (issue 4): p95 under 100 ms on
PostgreSQL.

Loading the scaled data takes minutes; `--data-dir` (SQLite) or the same DATABASE_URL reuses
it on the next run (the loaders are idempotent and then take about a second).
"""

from __future__ import annotations

import argparse
import os
import platform
import time

from _harness import Result, engine, measure, settle_server, setup_django, table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--data-dir")
    args = parser.parse_args()
    setup_django(args.data_dir)

    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from capdev.accounts.models import User
    from capdev.actions.models import Action, Activity
    from capdev.demo.activities import load_activities
    from capdev.demo.experts import load_experts
    from capdev.demo.loader import load_demo
    from capdev.experts.matching import shortlist
    from capdev.experts.models import Deployment, ExpertProfile

    timings = {}
    start = time.perf_counter()
    load_demo(scale=args.scale)
    timings["programme"] = time.perf_counter() - start
    try:
        from capdev.demo.actions import load_actions
    except ImportError:  # pragma: no cover - the Actions demo is loaded by its own module
        load_actions = None
    if load_actions is not None:
        t = time.perf_counter()
        load_actions(scale=args.scale)
        timings["actions"] = time.perf_counter() - t
    t = time.perf_counter()
    load_experts(scale=args.scale)
    timings["experts"] = time.perf_counter() - t
    t = time.perf_counter()
    load_activities(scale=args.scale)
    timings["activities"] = time.perf_counter() - t
    settle_server()

    staff = Client()
    staff.force_login(User.objects.get(email="staff@capdev.example"))
    trainer = Client()
    trainer.force_login(User.objects.get(email="trainer@capdev.example"))
    action = Action.objects.filter(demo_key="brazil-3").first() or Action.objects.order_by("-id").first()
    busiest = Action.objects.filter(demo_key__startswith="syn-action-").order_by("id").first() or action
    planned = (
        Activity.objects.filter(demo_key="act-ph-tna").first()
        or Activity.objects.filter(status="planned").order_by("start_date").first()
    )
    assert action is not None and planned is not None
    matched = Activity.objects.select_related(
        "action", "action__thematic_area", "country", "course_version"
    ).get(pk=planned.pk)

    from django.core.cache import cache

    from capdev.experts.statistics import CACHE_KEY

    def statistics_cold() -> object:
        cache.delete(CACHE_KEY)  # the figures are cached a minute: time their computation too
        return staff.get("/experts/statistics/")

    pages = []
    try:
        action_list = reverse("actions:action-list")
        action_detail = reverse("actions:action-detail", args=[action.pk])
        synthetic_detail = reverse("actions:action-detail", args=[busiest.pk])
    except NoReverseMatch:
        action_list = ""  # the Actions pages are not there yet: skipped
    if action_list:
        pages += [
            ("Action list", lambda: staff.get(action_list)),
            ("Action detail (Brazil III)", lambda: staff.get(action_detail)),
            ("Action detail (synthetic)", lambda: staff.get(synthetic_detail)),
        ]
    pages += [
        (
            "Matching page (one activity, whole roster)",
            lambda: staff.get(f"/activities/{planned.pk}/matching/"),
        ),
        ("Activity detail with top 5 (staff)", lambda: staff.get(f"/activities/{planned.pk}/")),
        ("Activity calendar, a busy month", lambda: staff.get("/activities/calendar/?month=2019-05")),
        ("Activity calendar (trainer)", lambda: trainer.get("/activities/calendar/?month=2022-07")),
        ("Activity list + counter", lambda: staff.get("/activities/")),
        ("Activity list, filtered", lambda: staff.get("/activities/?type=tot&region=latin_america")),
        (
            "Expert roster, language ≥ B2 + region",
            lambda: staff.get("/experts/?language=pt&min_level=B2&region=latin_america"),
        ),
        ("Roster statistics", lambda: staff.get("/experts/statistics/")),
        ("Roster statistics, cold (cache emptied)", statistics_cold),
        ("Action ICS feed (Brazil III)", lambda: staff.get(f"/actions/{action.pk}/calendar.ics")),
        ("API activity shortlist", lambda: staff.get(f"/api/v1/activities/{planned.pk}/shortlist/")),
    ]
    try:
        search = reverse("knowledge:lesson-list")
        pages.append(("Knowledge search", lambda: staff.get(search, {"q": "trainers"})))
    except NoReverseMatch:
        pass  # the knowledge base is not there yet: skipped

    results: list[Result] = [measure(name, fn, runs=args.runs) for name, fn in pages]
    results.append(
        measure("matching.shortlist() alone", lambda: shortlist(matched, limit=25), runs=args.runs)
    )
    title = (
        f"{engine()} · scale {args.scale} · {Action.objects.count():,} Actions · {Activity.objects.count():,} "
        f"activities · {ExpertProfile.objects.count():,} experts · {Deployment.objects.count():,} deployments · "
        + ", ".join(f"load {k} {v:.0f} s" for k, v in timings.items())
        + f" · {platform.machine()} Python {platform.python_version()}"
        + " · load average "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
    )
    print(table(results, title))


if __name__ == "__main__":
    main()
