"""Knowledge search over 20,000 lessons and the portfolio dashboard over 10,000 Actions and
100,000 activities.

    uv run python benchmarks/bench_knowledge.py [--scale 100] [--lessons 20000] [--runs 50]
    DATABASE_URL=postgres://... uv run python benchmarks/bench_knowledge.py

`--scale 100` loads the demo programme with the demo loaders (10,000 synthetic Actions with ten
activities each, 5,000 experts with their deployments); then `--lessons` lessons are written in
bulk with varied text (a domain vocabulary drawn at random, titles from templates, a few
languages, 2–4 of 300 tags, links to 1–3 Actions; a rare word in five lessons), through the
same insert path as the services (the full-text index is kept by the database: trigger on
SQLite, generated column on PostgreSQL).

Timed with Django's test client (median and p95 over `--runs` requests, SQL queries of one):
searches of one word, two words, a phrase and a rare word on the page (as staff and as a focal
point) and through the API, `search_lessons` alone; the portfolio dashboard cold (cache cleared
before every request: the five aggregate queries run each time), warm (from the 60-second
cache), filtered, for a focal point, and the XLSX export. Target (issue 4): p95 under 100 ms on
PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import time

from _harness import Result, engine, measure, settle_server, setup_django, table


def _words(text: str) -> list[str]:
    return text.split()


WORDS = _words(
    "training trainers curriculum handbook protocol assessment needs ownership partner authority "
    "institution ministry directorate academy school defenders consular protection asylum refugee "
    "trafficking border migration labour mobility diaspora integration return reintegration health "
    "climate displacement regional partnership coordination mechanism cohort module online course "
    "blended face-to-face session practice coaching mentoring feedback evaluation indicator baseline "
    "target certification certificate replica cascade colleagues officials staff managers experts peer "
    "study visit roundtable workshop seminar launch drafting validation translation interpretation "
    "budget procurement schedule calendar nomination selection gender balance women men sustainability "
    "handover yearly plan sequence pilot roll-out revision quality standard framework competency "
    "knowledge skill attitude proficiency adult learning objectives methods delivery design"
)
FRENCH = _words("formation formateurs institution partenaire appropriation évaluation besoins module")
SPANISH = _words("formación formadores réplicas protocolo institución evaluación cooperación salud")
PORTUGUESE = _words("formação formadores defensores apropriação curso avaliação instituição plano")
TITLES = (
    "{a} before {b}",
    "Involve the {a} early in the {b}",
    "{a} needs a {b}",
    "Keep the {a} and the {b} together",
    "A {a} without {b} does not last",
    "Plan the {a} with the {b}",
)
RARE = "zanzibarite"


def _sentence(rng: random.Random, words: list[str], n: int) -> str:
    return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."


def build_lessons(count: int, seed: str = "bench-knowledge") -> int:
    """Write `count` lessons in bulk (with tags and links); return how many exist afterwards."""
    from capdev.accounts.models import User
    from capdev.actions.models import Action, ActivityType
    from capdev.knowledge.models import Lesson, Tag
    from capdev.reference.models import Country, ThematicArea

    existing = Lesson.objects.filter(demo_key__startswith="bench-").count()
    if existing >= count:
        return Lesson.objects.count()
    rng = random.Random(seed)
    author = User.objects.filter(email="staff@capdev.example").first()
    tags = [
        Tag.objects.get_or_create(key=f"topic {n:03d}", defaults={"name": f"Topic {n:03d}"})[0]
        for n in range(300)
    ]
    action_ids = list(Action.objects.values_list("pk", flat=True))
    theme_ids = list(ThematicArea.objects.values_list("pk", flat=True))
    countries = list(Country.objects.exclude(region="eu_ms").values_list("code", flat=True))
    types = list(ActivityType.values)
    batch = 1000
    for start in range(existing, count, batch):
        rows, picks = [], []
        for n in range(start, min(start + batch, count)):
            language = rng.choices(("en", "fr", "es", "pt"), weights=(85, 5, 5, 5))[0]
            vocabulary = WORDS + {"fr": FRENCH, "es": SPANISH, "pt": PORTUGUESE}.get(language, []) * 6
            a, b = rng.sample(WORDS, 2)
            body = " ".join(_sentence(rng, vocabulary, rng.randint(8, 18)) for _ in range(rng.randint(5, 12)))
            if n % 4000 == 7:
                body += f" The {RARE} case was unique."
            chosen_tags = rng.sample(tags, rng.randint(2, 4))
            rows.append(
                Lesson(
                    kind=rng.choice(("lesson", "good_practice")),
                    title=rng.choice(TITLES).format(a=a, b=b).capitalize() + f" ({n})",
                    summary=_sentence(rng, vocabulary, rng.randint(10, 20)),
                    body=body,
                    language=language,
                    activity_types=sorted(rng.sample(types, rng.randint(0, 2))),
                    author=author,
                    published=rng.random() > 0.05,
                    search_tags=" ".join(t.name for t in sorted(chosen_tags, key=lambda t: t.key)),
                    demo_key=f"bench-{n}",
                )
            )
            picks.append(
                (
                    chosen_tags,
                    rng.sample(action_ids, min(len(action_ids), rng.randint(1, 3))),
                    rng.sample(theme_ids, 1),
                    rng.sample(countries, rng.randint(1, 2)),
                )
            )
        Lesson.objects.bulk_create(rows)
        Lesson.tags.through.objects.bulk_create(
            Lesson.tags.through(lesson_id=lesson.pk, tag_id=t.pk)
            for lesson, (ts, _a, _t, _c) in zip(rows, picks, strict=True)
            for t in ts
        )
        Lesson.actions.through.objects.bulk_create(
            Lesson.actions.through(lesson_id=lesson.pk, action_id=pk)
            for lesson, (_ts, acts, _t, _c) in zip(rows, picks, strict=True)
            for pk in acts
        )
        Lesson.thematic_areas.through.objects.bulk_create(
            Lesson.thematic_areas.through(lesson_id=lesson.pk, thematicarea_id=pk)
            for lesson, (_ts, _a, ths, _c) in zip(rows, picks, strict=True)
            for pk in ths
        )
        Lesson.countries.through.objects.bulk_create(
            Lesson.countries.through(lesson_id=lesson.pk, country_id=code)
            for lesson, (_ts, _a, _t, cs) in zip(rows, picks, strict=True)
            for code in cs
        )
    return Lesson.objects.count()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--lessons", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--data-dir")
    args = parser.parse_args()
    setup_django(args.data_dir)

    from django.core.cache import cache
    from django.test import Client

    from capdev.accounts.models import User
    from capdev.actions.models import Action, Activity
    from capdev.demo.actions import load_actions
    from capdev.demo.activities import load_activities
    from capdev.demo.experts import load_experts
    from capdev.demo.knowledge import load_knowledge
    from capdev.demo.loader import load_demo
    from capdev.knowledge.models import Lesson
    from capdev.knowledge.search import add_snippets, search_lessons

    timings: dict[str, float] = {}
    t = time.perf_counter()
    load_demo(scale=args.scale)
    load_actions(scale=args.scale)
    load_experts(scale=args.scale)
    load_activities(scale=args.scale)
    load_knowledge()
    timings["demo"] = time.perf_counter() - t
    t = time.perf_counter()
    build_lessons(args.lessons)
    timings["lessons"] = time.perf_counter() - t
    settle_server()

    staff = Client()
    staff.force_login(User.objects.get(email="staff@capdev.example"))
    focal = Client()
    focal.force_login(User.objects.get(email="focal@capdev.example"))
    staff_user = User.objects.get(email="staff@capdev.example")

    searches = [
        ("one word", "handover"),
        ("two words", "online course"),
        ("a phrase", '"training of trainers"'),
        ("a rare word", RARE),
    ]
    matches = {label: search_lessons(Lesson.objects.all(), q).count() for label, q in searches}

    def first_page(text: str) -> None:
        rows = list(search_lessons(Lesson.objects.visible_to(staff_user), text)[:25])
        add_snippets(rows)

    knowledge: list[Result] = [
        measure("Knowledge list, no search (staff)", lambda: staff.get("/knowledge/"), args.runs)
    ]
    for label, q in searches:
        knowledge.append(
            measure(
                f"Search page, {label} ({matches[label]:,} matches, staff)",
                lambda q=q: staff.get("/knowledge/", {"q": q}),
                args.runs,
            )
        )
    knowledge.append(
        measure(
            "Search page, two words (focal point)",
            lambda: focal.get("/knowledge/", {"q": "online course"}),
            args.runs,
        )
    )
    knowledge.append(
        measure(
            "Search page, two words + tag filter (staff)",
            lambda: staff.get("/knowledge/", {"q": "online course", "tag": "Topic 007"}),
            args.runs,
        )
    )
    knowledge.append(
        measure(
            "API search, two words (staff)",
            lambda: staff.get("/api/v1/lessons/", {"q": "online course"}),
            args.runs,
        )
    )
    for label, q in searches[:2]:
        knowledge.append(
            measure(f"search_lessons() first page, {label}", lambda q=q: first_page(q), args.runs)
        )

    def cold(client: Client, url: str, data: dict[str, str] | None = None) -> object:
        cache.clear()
        return client.get(url, data or {})

    filtered = {"year_from": "2015", "year_to": "2020", "region": "latin_america"}
    portfolio: list[Result] = [
        measure("Portfolio, staff, cold (cache cleared)", lambda: cold(staff, "/portfolio/"), args.runs),
        measure("Portfolio, staff, warm (cached figures)", lambda: staff.get("/portfolio/"), args.runs),
        measure("Portfolio, staff, filtered, cold", lambda: cold(staff, "/portfolio/", filtered), args.runs),
        measure("Portfolio, focal point, cold", lambda: cold(focal, "/portfolio/"), args.runs),
        measure(
            "Portfolio XLSX export (all sheets), cold",
            lambda: cold(staff, "/portfolio/export.xlsx"),
            args.runs,
        ),
    ]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    title = (
        f"{engine()} · {Lesson.objects.count():,} lessons · {Action.objects.count():,} Actions · "
        f"{Activity.objects.count():,} activities · "
        + ", ".join(f"load {k} {v:.0f} s" for k, v in timings.items())
        + f" · {platform.machine()} Python {platform.python_version()} · load average {load}"
    )
    print(table(knowledge, "Knowledge search — " + title))
    print()
    print(table(portfolio, "Portfolio dashboard — " + title))


if __name__ == "__main__":
    main()
