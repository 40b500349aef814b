"""The public catalogue with 1,000 published products, a product page, adaptations and coverage.

    uv run python benchmarks/bench_catalogue.py [--products 1000] [--runs 50]     # SQLite, temp dir
    DATABASE_URL=postgres://... uv run python benchmarks/bench_catalogue.py

Builds, in bulk, a published trainer-style framework (6 domains × 5 competencies × 2 indicators,
4 levels) and `--products` published standard products built on it (two delivery parts, three
modules of three objectives each, every objective mapped to a competency; varied modes, languages,
credits, levels and thematic areas), plus one adaptation for every tenth product (a partner's
Portuguese version, one objective reworded). Then measures with Django's test client, median and
95th percentile over `--runs` requests, and the SQL queries of one request:

- the public catalogue, anonymous: first page, a filtered page, a search, a late page, an htmx
  partial; a product page (the newest published version with its modules, objectives and
  competencies);
- logged in: the adaptations list and an adaptation side by side with its standard, and the
  coverage matrix of the framework (every product is a column: the worst case) with its CSV.
"""

from __future__ import annotations

import argparse
import platform
import random
import time
from collections.abc import Callable
from decimal import Decimal

from _harness import Result, engine, measure, setup_django, table

LANGS = [["en"], ["en", "fr"], ["es"], ["pt"], ["ar", "en"], ["ru"], ["fr"], ["en", "es", "pt"]]
MODES = ["online", "face_to_face", "blended"]
WORDS = [
    *("asylum", "border", "consular", "protection", "trafficking", "labour", "mobility", "health"),
    *("climate", "diaspora", "return", "integration", "data", "statistics", "reception", "interview"),
    *("investigation", "smuggling", "visa", "identity", "rights"),
]


def build(products: int) -> dict[str, object]:
    """Write the framework, the products and the adaptations in bulk; return what the pages need."""
    from django.utils import timezone

    from capdev.accounts.models import User
    from capdev.accounts.services import grant_role
    from capdev.catalogue.models import (
        Course,
        CourseKind,
        CourseVersion,
        DeliveryPart,
        LearningObjective,
        Module,
        ObjectiveCompetency,
    )
    from capdev.competencies.models import CompetencyItem, Framework, FrameworkVersion, ProficiencyLevel
    from capdev.core.roles import Role
    from capdev.organisations.models import Organisation, OrganisationType
    from capdev.reference.models import ThematicArea

    rng = random.Random("capdev-bench-catalogue")
    now = timezone.now()
    owner = Organisation.objects.create(
        name="Benchmark Institute", type=OrganisationType.TRAINING_INSTITUTION
    )
    partner = Organisation.objects.create(
        name="Benchmark Partner", acronym="BP", type=OrganisationType.PARTNER_AUTHORITY
    )
    staff = User.objects.create_user(
        "bench-staff@example.org", "bench-password-1", display_name="Bench Staff"
    )
    grant_role(staff, owner, Role.PROGRAMME_STAFF, actor=None)

    framework = Framework.objects.create(title="Benchmark framework", owner=owner)
    fv = FrameworkVersion.objects.create(
        framework=framework, number=1, title="Benchmark framework", status="published", published_at=now
    )
    levels = ProficiencyLevel.objects.bulk_create(
        [
            ProficiencyLevel(version=fv, position=i, name=n, is_threshold=i == 3)
            for i, n in enumerate(["Not yet", "Developing", "Proficient", "Expert"], start=1)
        ]
    )
    domains = CompetencyItem.objects.bulk_create(
        [
            CompetencyItem(version=fv, code=f"D{d}", kind="domain", statement=f"Domain {d}", position=d)
            for d in range(1, 7)
        ]
    )
    competencies = CompetencyItem.objects.bulk_create(
        [
            CompetencyItem(
                version=fv,
                parent=dom,
                code=f"{dom.code}.C{c}",
                kind="competency",
                statement=f"Competency {c} of {dom.statement.lower()}",
                position=c,
            )
            for dom in domains
            for c in range(1, 6)
        ]
    )
    CompetencyItem.objects.bulk_create(
        [
            CompetencyItem(
                version=fv,
                parent=comp,
                code=f"{comp.code}.I{i}",
                kind="indicator",
                statement=f"Indicator {i}",
                position=i,
            )
            for comp in competencies
            for i in range(1, 3)
        ]
    )
    areas = list(ThematicArea.objects.all())

    courses = Course.objects.bulk_create(
        [Course(code=f"bench-{i:05d}", owner=owner) for i in range(products)]
    )
    versions = CourseVersion.objects.bulk_create(
        [
            CourseVersion(
                course=c,
                number=1,
                status="published",
                published_at=now,
                title=f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} course {i:04d}",
                summary=" ".join(rng.choice(WORDS) for _ in range(30)),
                target_audience="Officials of migration authorities",
                languages=LANGS[i % len(LANGS)],
                mode=MODES[i % 3],
                framework_version=fv,
                contact_hours=Decimal(18),
                self_study_hours=Decimal(29),
                assessment_hours=Decimal(3),
                ects_credits=Decimal(2) if i % 3 == 0 else None,
                qualification_framework="EQF" if i % 3 == 0 else "",
                qualification_level=(4 + (i // 3) % 3) if i % 3 == 0 else None,
            )
            for i, c in enumerate(courses)
        ]
    )
    through = CourseVersion.thematic_areas.through
    through.objects.bulk_create(
        [
            through(courseversion_id=v.pk, thematicarea_id=areas[i % len(areas)].pk)
            for i, v in enumerate(versions)
        ]
        + [
            through(courseversion_id=v.pk, thematicarea_id=areas[(i + 3) % len(areas)].pk)
            for i, v in enumerate(versions)
            if i % 2
        ]
    )
    parts = DeliveryPart.objects.bulk_create(
        [
            DeliveryPart(version=v, position=p, kind=kind, gates_next=p == 1, days=None if p == 1 else 4)
            for v in versions
            for p, kind in ((1, "online_self_paced"), (2, "face_to_face"))
        ]
    )
    modules = Module.objects.bulk_create(
        [
            Module(version=v, position=m, title=f"Module {m}", part=parts[2 * i + (0 if m == 1 else 1)])
            for i, v in enumerate(versions)
            for m in range(1, 4)
        ]
    )
    objectives = LearningObjective.objects.bulk_create(
        [
            LearningObjective(
                module=m, position=o, text=f"Objective {o} of {m.title.lower()}", is_core=o == 1
            )
            for m in modules
            for o in range(1, 4)
        ]
    )
    ObjectiveCompetency.objects.bulk_create(
        [
            ObjectiveCompetency(
                objective=o, competency=rng.choice(competencies), target_level=rng.choice(levels[1:])
            )
            for o in objectives
        ]
    )

    # one adaptation for every tenth product, through the service (a real copy), then published
    from capdev.catalogue import adaptations

    sample = None
    for v in versions[::10]:
        a = adaptations.create_adaptation(
            v, actor=None, organisation=partner, language="pt", title=f"{v.title} (PT)"
        )
        first = a.modules.first().objectives.first()
        adaptations.reword_objective(first, actor=None, text="Objetivo reformulado")
        CourseVersion.objects.filter(pk=a.pk).update(status="published", published_at=now)
        sample = sample or a
    assert sample is not None
    del CourseKind
    return {"staff": staff, "fv": fv, "product": versions[len(versions) // 2], "adaptation": sample}


def count_queries(request: Callable[[], object]) -> int:
    """The SQL queries of one request (read right away: `measure` resets the query log before it
    reads its own count, which then comes out as 0)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        request()
    return len(ctx.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--data-dir")
    args = parser.parse_args()
    setup_django(args.data_dir)

    from django.db import reset_queries
    from django.test import Client

    from capdev.catalogue.models import CourseVersion
    from capdev.reference.models import ThematicArea

    start = time.perf_counter()
    objects = build(args.products)
    build_s = time.perf_counter() - start
    reset_queries()  # the build filled the query log; `measure` counts from a slice of it
    if engine() == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:  # statistics, as autovacuum would have gathered them
            cursor.execute("ANALYZE")
    anon = Client()
    staff = Client()
    staff.force_login(objects["staff"])
    product = objects["product"]
    adaptation = objects["adaptation"]
    fv = objects["fv"]
    area = ThematicArea.objects.order_by("position").first()
    published = CourseVersion.objects.filter(status="published").count()
    last = published // 25

    pages = [
        ("Catalogue, first page (anonymous)", lambda: anon.get("/courses/")),
        (
            "Catalogue, filtered: area + language + mode + credits",
            lambda: anon.get(f"/courses/?thematic_area={area.pk}&language=en&mode=online&credits=any"),
        ),
        ("Catalogue, search “asylum border”", lambda: anon.get("/courses/?q=asylum+border")),
        ("Catalogue, last page", lambda: anon.get(f"/courses/?page={last}")),
        (
            "Catalogue, htmx partial (level 5)",
            lambda: anon.get("/courses/?level=5", headers={"HX-Request": "true"}),
        ),
        ("Product page (anonymous)", lambda: anon.get(f"/courses/{product.course.uuid}/")),
        ("Adaptations list (staff)", lambda: staff.get("/adaptations/")),
        ("Adaptation side by side (staff)", lambda: staff.get(f"/adaptations/{adaptation.pk}/")),
        (f"Coverage matrix, {args.products} course columns", lambda: staff.get(f"/coverage/{fv.pk}/")),
        ("Coverage CSV (every module)", lambda: staff.get(f"/coverage/{fv.pk}/csv/")),
    ]
    results: list[Result] = []
    for name, fn in pages:
        runs = args.runs if "Coverage" not in name else max(5, args.runs // 5)
        result = measure(name, fn, runs=runs)
        result.queries = count_queries(fn)
        results.append(result)
    title = (
        f"{engine()} · {published:,} published versions ({args.products:,} products + "
        f"{args.products // 10:,} adaptations) · built in {build_s:.1f} s · "
        f"{platform.machine()} Python {platform.python_version()}"
    )
    print(table(results, title))


if __name__ == "__main__":
    main()
