"""Builders shared by the adaptation, public catalogue and coverage tests (no tests here).

Rows are written directly, not through the services, so that each test starts from a known state.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from capdev.catalogue.models import (
    Course,
    CourseKind,
    CourseVersion,
    DeliveryPart,
    LearningObjective,
    Module,
    ObjectiveCompetency,
    PartKind,
)
from capdev.catalogue.services import copy_version_content
from capdev.competencies.models import (
    CompetencyItem,
    Framework,
    FrameworkVersion,
    ItemKind,
    ProficiencyLevel,
    VersionStatus,
)

LEVELS = ["Not yet", "Developing", "Proficient", "Expert"]

# (code, statement) per domain
TRAINER_FRAMEWORK = {
    ("D1", "Designing training"): [
        ("C1", "Analyses training needs"),
        ("C2", "Writes learning objectives"),
        ("C3", "Applies adult-learning principles"),
    ],
    ("D2", "Delivering and evaluating"): [
        ("C4", "Uses varied training methods"),
        ("C5", "Evaluates a training"),
        ("C6", "Coaches peers"),
    ],
}

# module title -> [(objective, is_core, [(competency code, level name)])]
TOT_CONTENT: dict[str, list[tuple[str, bool, list[tuple[str, str]]]]] = {
    "The training cycle": [
        ("Describe the steps of the training cycle", True, [("C1", "Developing")]),
        ("Relate the cycle to your institution's training calendar", False, [("C1", "Proficient")]),
    ],
    "Design and objectives": [
        ("Write learning objectives that can be observed", True, [("C2", "Proficient")]),
        ("Apply adult-learning principles when designing a session", True, [("C3", "Proficient")]),
    ],
    "Evaluation and closing": [
        ("Choose an evaluation level for a training", False, [("C5", "Developing")]),
        ("Close a session with a summary and feedback", True, [("C4", "Expert")]),
    ],
}


def make_trainer_framework(owner: Any, *, title: str = "Trainer competency framework") -> FrameworkVersion:
    framework = Framework.objects.create(title=title, owner=owner)
    fv = FrameworkVersion.objects.create(
        framework=framework,
        number=1,
        title=title,
        status=VersionStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    ProficiencyLevel.objects.bulk_create(
        [
            ProficiencyLevel(version=fv, position=i, name=name, is_threshold=name == "Proficient")
            for i, name in enumerate(LEVELS, start=1)
        ]
    )
    for d, ((dcode, dstatement), competencies) in enumerate(TRAINER_FRAMEWORK.items(), start=1):
        domain = CompetencyItem.objects.create(
            version=fv, code=dcode, kind=ItemKind.DOMAIN, statement=dstatement, position=d
        )
        for i, (code, statement) in enumerate(competencies, start=1):
            c = CompetencyItem.objects.create(
                version=fv,
                parent=domain,
                code=code,
                kind=ItemKind.COMPETENCY,
                statement=statement,
                position=i,
            )
            CompetencyItem.objects.create(
                version=fv,
                parent=c,
                code=f"{code}.1",
                kind=ItemKind.INDICATOR,
                statement=f"Indicator of {statement.lower()}",
                position=1,
            )
    return fv


def make_standard(
    owner: Any,
    fv: FrameworkVersion | None,
    *,
    code: str = "vttt",
    title: str = "Vocational Train the Trainers",
    status: str = VersionStatus.PUBLISHED,
    content: dict[str, list[tuple[str, bool, list[tuple[str, str]]]]] | None = None,
    **fields: Any,
) -> CourseVersion:
    """A standard product with version 1: an online part gating 5 face-to-face days, three modules."""
    course = Course.objects.create(code=code, owner=owner, kind=CourseKind.STANDARD)
    values: dict[str, Any] = {
        "title": title,
        "summary": "A blended course for trainers of migration authorities.",
        "target_audience": "Officials who train colleagues",
        "languages": ["en"],
        "mode": "blended",
        "contact_hours": Decimal(30),
        "self_study_hours": Decimal(15),
        "assessment_hours": Decimal(5),
        "ects_credits": Decimal(2),
        "qualification_framework": "MQF",
        "qualification_level": 5,
        **fields,
    }
    version = CourseVersion.objects.create(
        course=course,
        number=1,
        status=status,
        framework_version=fv,
        published_at=timezone.now() if status == VersionStatus.PUBLISHED else None,
        **values,
    )
    online = DeliveryPart.objects.create(
        version=version, position=1, kind=PartKind.ONLINE_SELF_PACED, gates_next=True, hours=Decimal(15)
    )
    f2f = DeliveryPart.objects.create(version=version, position=2, kind=PartKind.FACE_TO_FACE, days=5)
    fill(version, content or TOT_CONTENT, parts=[online, f2f, f2f])
    return version


def fill(
    version: CourseVersion,
    content: dict[str, list[tuple[str, bool, list[tuple[str, str]]]]],
    *,
    parts: list[DeliveryPart] | None = None,
) -> None:
    fv = version.framework_version
    for position, (title, objectives) in enumerate(content.items(), start=1):
        part = parts[position - 1] if parts and position <= len(parts) else None
        module = Module.objects.create(version=version, position=position, title=title, part=part)
        for i, (text, core, mappings) in enumerate(objectives, start=1):
            o = LearningObjective.objects.create(module=module, position=i, text=text, is_core=core)
            if fv is None:
                continue
            for code, level in mappings:
                ObjectiveCompetency.objects.create(
                    objective=o, competency=fv.items.get(code=code), target_level=fv.levels.get(name=level)
                )


def derive(version: CourseVersion, *, number: int | None = None) -> CourseVersion:
    """A draft copy of `version` (same course, next number), content copied keeping lineage."""
    new = CourseVersion.objects.create(
        course=version.course,
        number=number or version.number + 1,
        status=VersionStatus.DRAFT,
        title=version.title,
        summary=version.summary,
        languages=version.languages,
        mode=version.mode,
        framework_version=version.framework_version,
        contact_hours=version.contact_hours,
        self_study_hours=version.self_study_hours,
        assessment_hours=version.assessment_hours,
        derived_from=version,
    )
    copy_version_content(version, new)
    return new


def publish(version: CourseVersion) -> CourseVersion:
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save()
    return version


def objective(version: CourseVersion, starts: str) -> LearningObjective:
    return LearningObjective.objects.get(module__version=version, text__startswith=starts)


def module(version: CourseVersion, title: str) -> Module:
    return Module.objects.get(version=version, title=title)
