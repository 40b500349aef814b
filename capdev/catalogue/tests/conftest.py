"""Fixtures for the catalogue tests: a small trainer framework and a built-up course version."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from capdev.catalogue.models import (
    CompletionRule,
    Course,
    CourseVersion,
    DeliveryPart,
    LearningObjective,
    Material,
    Module,
    ObjectiveCompetency,
    PartKind,
    RuleKind,
)
from capdev.competencies.models import (
    CompetencyItem,
    Framework,
    FrameworkVersion,
    ItemKind,
    ProficiencyLevel,
    VersionStatus,
)


def make_framework(
    owner: Any, *, title: str = "Trainer competency framework", number: int = 1
) -> FrameworkVersion:
    """A published framework version with a 4-level scale and three competencies under one domain."""
    framework = Framework.objects.create(title=title, owner=owner)
    fv = FrameworkVersion.objects.create(
        framework=framework, number=number, title=title, status=VersionStatus.PUBLISHED
    )
    for i, name in enumerate(["Not yet", "Developing", "Proficient", "Expert"], start=1):
        ProficiencyLevel.objects.create(version=fv, position=i, name=name, is_threshold=name == "Proficient")
    domain = CompetencyItem.objects.create(
        version=fv, code="D1", kind=ItemKind.DOMAIN, statement="Designing training", position=1
    )
    for i, statement in enumerate(
        ["Analyses training needs", "Writes learning objectives", "Uses adult-learning principles"], start=1
    ):
        CompetencyItem.objects.create(
            version=fv, parent=domain, code=f"C{i}", kind=ItemKind.COMPETENCY, statement=statement, position=i
        )
    return fv


@pytest.fixture
def framework(cast: Any) -> FrameworkVersion:
    return make_framework(cast.implementer)


@pytest.fixture
def other_framework(cast: Any) -> FrameworkVersion:
    return make_framework(cast.implementer, title="Consular officer framework")


def level(fv: FrameworkVersion, name: str) -> ProficiencyLevel:
    return fv.levels.get(name=name)


def competency(fv: FrameworkVersion, code: str) -> CompetencyItem:
    return fv.items.get(code=code)


def build_version(
    owner: Any, fv: FrameworkVersion | None, *, code: str = "tot", status: str = VersionStatus.DRAFT
) -> CourseVersion:
    """A version with two parts (online gating face-to-face), two modules, three objectives mapped
    to competencies, two completion rules and a link material. Written directly (not through the
    services) so that service tests start from a known state."""
    course = Course.objects.create(code=code, owner=owner)
    version = CourseVersion.objects.create(
        course=course,
        number=1,
        title="Vocational Train the Trainers",
        mode="blended",
        framework_version=fv,
        status=status,
        contact_hours=Decimal(30),
        self_study_hours=Decimal(10),
    )
    online = DeliveryPart.objects.create(
        version=version, position=1, kind=PartKind.ONLINE_SELF_PACED, gates_next=True, hours=Decimal(10)
    )
    f2f = DeliveryPart.objects.create(version=version, position=2, kind=PartKind.FACE_TO_FACE, days=5)
    m1 = Module.objects.create(version=version, position=1, title="The training cycle", part=online)
    m2 = Module.objects.create(version=version, position=2, title="Delivery and methods", part=f2f)
    o1 = LearningObjective.objects.create(
        module=m1, position=1, text="Describe the training cycle", is_core=True
    )
    o2 = LearningObjective.objects.create(module=m1, position=2, text="Analyse a training need")
    o3 = LearningObjective.objects.create(module=m2, position=1, text="Deliver a session", is_core=True)
    if fv is not None:
        proficient = level(fv, "Proficient")
        ObjectiveCompetency.objects.create(
            objective=o1, competency=competency(fv, "C1"), target_level=proficient
        )
        ObjectiveCompetency.objects.create(
            objective=o2, competency=competency(fv, "C1"), target_level=level(fv, "Developing")
        )
        ObjectiveCompetency.objects.create(
            objective=o3, competency=competency(fv, "C3"), target_level=proficient
        )
        CompletionRule.objects.create(version=version, kind=RuleKind.PRACTICAL_CORE_LEVEL, level=proficient)
    CompletionRule.objects.create(version=version, kind=RuleKind.ATTENDANCE_MIN, threshold=Decimal(80))
    Material.objects.create(module=m1, language="en", title="Cycle slides", url="https://example.org/cycle")
    return version


@pytest.fixture
def draft(cast: Any, framework: FrameworkVersion) -> CourseVersion:
    return build_version(cast.org_a, framework)


@pytest.fixture
def published(cast: Any, framework: FrameworkVersion) -> CourseVersion:
    return build_version(cast.org_a, framework, code="tot-published", status=VersionStatus.PUBLISHED)


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> Any:
    """Uploaded files go to a temporary folder, never to the project's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
