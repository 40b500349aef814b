"""The demo catalogue: the ToT, the accredited award and the diploma programme."""

from __future__ import annotations

import builtins
from decimal import Decimal

import pytest

from capdev.catalogue.models import Course, CourseVersion, Material, ObjectiveCompetency
from capdev.catalogue.services import publishing_problems
from capdev.core.models import AuditEvent
from capdev.demo.catalogue import demo_pdf, load_catalogue


@pytest.fixture
def without_framework(monkeypatch):
    """As if capdev.demo.competencies did not exist yet."""
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "capdev.demo.competencies":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)


def test_load_catalogue_writes_the_products_once(db):
    first = load_catalogue()
    assert first == {"courses": 5, "versions": 6}
    assert load_catalogue() == first  # idempotent
    tot = Course.objects.get(demo_key="tot-standard")
    v1, v2 = tot.versions.order_by("number")
    assert (v1.status, v2.status) == ("published", "draft")
    assert [p.description for p in v1.parts.order_by("position")] == [
        "Online self-paced part · 3 weeks · 12 hours",
        "5 face-to-face days · 35 hours",
    ]
    assert v1.parts.get(position=1).gates_next
    assert list(v1.modules.filter(part__position=1).values_list("title", flat=True)) == [
        "The training cycle",
        "Training design",
        "Learning objectives",
        "Principles of adult learning",
        "Delivery and methods",
        "Evaluation and closing",
    ]
    assert sorted(r.sentence for r in v1.rules.all()) == [
        "Attend at least 80 % of the sessions.",
        "Complete the online self-paced part.",
        "Reach at least “Proficient” in the practical assessment on every core competency.",
        "Score at least 70 % in the post-test.",
    ]
    assert ObjectiveCompetency.objects.filter(objective__module__version=v1).exists()
    assert v2.change_note.startswith("After the Brazil III pilot")
    assert publishing_problems(v2) == []
    assert AuditEvent.objects.filter(verb="course_version.published").count() >= 5


def test_the_accredited_award_adds_up(db):
    load_catalogue()
    award = CourseVersion.objects.get(course__demo_key="mcp-award-training")
    assert award.ects_credits == Decimal(2)
    assert (award.contact_hours, award.self_study_hours, award.assessment_hours) == (18, 29, 3)
    assert (award.qualification_framework, award.qualification_level) == ("MQF", 5)
    assert "Malta Further and Higher Education Authority" in award.accredited_by
    assert award.languages == ["en", "ar"]
    assert award.course.owner.acronym == "MCP Med TI"
    assert set(Material.objects.filter(module__version=award).values_list("language", flat=True)) == {
        "en",
        "ar",
    }
    assert award.parts.get(position=2).description.startswith("4 face-to-face days")


def test_the_diploma_programme_is_three_courses_of_four_weeks_with_field_trips(db):
    load_catalogue()
    courses = CourseVersion.objects.filter(course__demo_key__startswith="mmdp-course-").order_by(
        "course__code"
    )
    assert courses.count() == 3
    trips = [c.parts.get(position=2).title for c in courses]
    assert [t.split(":")[0] for t in trips] == [
        "Field trip to The Hague",
        "Field trip to Geneva",
        "Field trip to Brussels",
    ]
    assert all(c.parts.get(position=1).weeks == 4 for c in courses)


def test_without_the_competency_demo_the_catalogue_still_loads(db, without_framework):
    assert load_catalogue()["courses"] == 5
    tot = CourseVersion.objects.get(course__demo_key="tot-standard", number=1)
    assert tot.framework_version is None and tot.status == "published"
    assert not ObjectiveCompetency.objects.exists()


def test_the_demo_pdf_is_accepted_by_the_upload_checks():
    from io import BytesIO

    from capdev.catalogue.materials import check_upload

    data = demo_pdf("Title (demo)", ["A line"])
    assert check_upload("x.pdf", BytesIO(data), len(data)).label == "PDF"
