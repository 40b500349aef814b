"""The public catalogue: no login, published versions only, filters, search, constant queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from capdev.catalogue import adaptations as svc
from capdev.catalogue.models import Course, CourseVersion
from capdev.catalogue.tests.test_adaptation_builders import (
    derive,
    make_standard,
    make_trainer_framework,
    publish,
)
from capdev.competencies.models import VersionStatus
from capdev.reference.models import ThematicArea


@pytest.fixture
def fv(cast):
    return make_trainer_framework(cast.implementer)


@pytest.fixture
def anon():
    return Client()


@pytest.fixture
def catalogue(cast, fv):
    """A published ToT (blended, en, 2 ECTS, MQF 5), a published consular course (online, es+fr,
    no credits), a draft, and a published Portuguese adaptation of the ToT."""
    asylum = ThematicArea.objects.get(code="protection")
    consular = ThematicArea.objects.exclude(pk=asylum.pk).first()
    tot = make_standard(cast.implementer, fv)
    tot.thematic_areas.set([asylum])
    consular_course = make_standard(
        cast.implementer,
        None,
        code="consular",
        title="Consular protection in crises",
        mode="online",
        languages=["es", "fr"],
        ects_credits=None,
        qualification_framework="",
        qualification_level=None,
        summary="Protecting nationals abroad during emergencies.",
    )
    consular_course.thematic_areas.set([consular])
    draft = make_standard(
        cast.implementer, fv, code="secret", title="Secret draft", status=VersionStatus.DRAFT
    )
    adaptation = svc.create_adaptation(
        tot, actor=None, organisation=cast.org_a, language="pt", title="ToT em proteção internacional"
    )
    publish(adaptation)
    return {"tot": tot, "consular": consular_course, "draft": draft, "adaptation": adaptation}


def titles(response) -> list[str]:
    return [v.title for v in response.context["object_list"]]


def test_list_is_public_and_shows_published_products_and_adaptations(anon, catalogue):
    response = anon.get("/courses/")
    assert response.status_code == 200
    assert titles(response) == [
        "Consular protection in crises",
        "ToT em proteção internacional",
        "Vocational Train the Trainers",
    ]
    html = response.content.decode()
    assert "Secret draft" not in html
    assert "Adaptation" in html and "by DPU" in html
    assert 'id="main-nav"' not in html  # logged-out users get the layout without the navigation


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=consular", ["Consular protection in crises"]),
        ("q=trainers+vocational", ["Vocational Train the Trainers"]),
        ("q=DPU", ["ToT em proteção internacional"]),
        ("language=pt", ["ToT em proteção internacional"]),
        ("language=fr", ["Consular protection in crises"]),
        ("mode=online", ["Consular protection in crises"]),
        ("level=5", ["ToT em proteção internacional", "Vocational Train the Trainers"]),
        ("credits=none", ["Consular protection in crises"]),
        ("credits=upto2", ["ToT em proteção internacional", "Vocational Train the Trainers"]),
        ("credits=over5", []),
        ("kind=adaptation", ["ToT em proteção internacional"]),
        ("kind=standard", ["Consular protection in crises", "Vocational Train the Trainers"]),
    ],
)
def test_filters(anon, catalogue, query, expected):
    response = anon.get(f"/courses/?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


def test_thematic_area_filter(anon, catalogue):
    asylum = ThematicArea.objects.get(code="protection")
    assert titles(anon.get(f"/courses/?thematic_area={asylum.pk}")) == [
        "ToT em proteção internacional",  # an adaptation keeps its standard's thematic areas
        "Vocational Train the Trainers",
    ]


def test_htmx_request_gets_only_the_results(anon, catalogue):
    response = anon.get("/courses/?q=consular", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Consular protection in crises" in html
    assert "<html" not in html and 'role="search"' not in html


def test_empty_search_says_so(anon, catalogue):
    assert "No course matches this search" in anon.get("/courses/?q=zzzz").content.decode()


def test_detail_is_public_and_complete(anon, catalogue, cast):
    tot = catalogue["tot"]
    response = anon.get(f"/courses/{tot.course.uuid}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Vocational Train the Trainers",
        "Officials who train colleagues",
        "English",
        "50 in total",
        "2 ECTS",
        "level 5",
        "Online self-paced",
        "Must be completed before the next part",
        "5 days",
        "Apply adult-learning principles when designing a session",
        "Applies adult-learning principles",  # a competency developed
        "Expert",  # its highest target level (C4)
        "ToT em proteção internacional",  # adapted by partners
    ]:
        assert text in html, text
    assert "Adapt this course" not in html


def test_detail_shows_adapt_button_to_who_may_adapt(catalogue, cast):
    tot = catalogue["tot"]
    html = cast.client("focal").get(f"/courses/{tot.course.uuid}/").content.decode()
    assert f"/adaptations/new/{tot.pk}/" in html
    assert (
        "Adapt this course" not in cast.client("trainer").get(f"/courses/{tot.course.uuid}/").content.decode()
    )


def test_detail_of_an_adaptation_links_its_standard(anon, catalogue):
    adaptation = catalogue["adaptation"]
    html = anon.get(f"/courses/{adaptation.course.uuid}/").content.decode()
    assert "A localised adaptation by Defensoria Pública da União" in html
    assert f"/courses/{catalogue['tot'].course.uuid}/" in html
    assert "Português" in html or "Portuguese" in html


def test_drafts_are_not_public(anon, catalogue):
    assert anon.get(f"/courses/{catalogue['draft'].course.uuid}/").status_code == 404


def test_detail_shows_the_newest_published_version_not_a_newer_draft(anon, catalogue):
    tot = catalogue["tot"]
    v2 = derive(tot)
    CourseVersion.objects.filter(pk=v2.pk).update(title="ToT, second edition (draft)")
    html = anon.get(f"/courses/{tot.course.uuid}/").content.decode()
    assert "second edition" not in html
    publish(CourseVersion.objects.get(pk=v2.pk))
    assert "second edition" in anon.get(f"/courses/{tot.course.uuid}/").content.decode()
    # the list shows one row per course: its newest published version
    assert titles(anon.get("/courses/?kind=standard")) == [
        "Consular protection in crises",
        "ToT, second edition (draft)",
    ]


def test_unknown_course_is_404(anon, db):
    assert anon.get("/courses/00000000-0000-0000-0000-000000000000/").status_code == 404


def _bulk_products(owner, n: int) -> None:
    """`n` published standard products with a thematic area each, written in bulk."""
    area = ThematicArea.objects.first()
    start = Course.objects.count()
    courses = Course.objects.bulk_create([Course(code=f"bulk-{start + i}", owner=owner) for i in range(n)])
    versions = CourseVersion.objects.bulk_create(
        [
            CourseVersion(
                course=c,
                number=1,
                status=VersionStatus.PUBLISHED,
                title=f"Product {i:04d}",
                languages=["en", "fr"],
                mode="online",
                contact_hours=Decimal(10),
                ects_credits=Decimal(1) if i % 2 else None,
            )
            for i, c in enumerate(courses)
        ]
    )
    through = CourseVersion.thematic_areas.through
    through.objects.bulk_create([through(courseversion_id=v.pk, thematicarea_id=area.pk) for v in versions])


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", ["/courses/", "/courses/?q=product&credits=any&language=fr", "/courses/?page=2"]
)
def test_list_query_count_does_not_grow_with_the_catalogue(anon, cast, url):
    _bulk_products(cast.implementer, 30)
    small = _queries(anon, url)
    _bulk_products(cast.implementer, 100)
    assert _queries(anon, url) == small
    assert small <= 6


def test_list_query_count_10_vs_100(anon, cast):
    _bulk_products(cast.implementer, 10)
    ten = _queries(anon, "/courses/")
    _bulk_products(cast.implementer, 90)
    assert _queries(anon, "/courses/") == ten
