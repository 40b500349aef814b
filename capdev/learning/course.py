"""One participant's online course, read in a constant number of queries: the modules of the
online self-paced part(s) in order, each with its lessons and SCORM package and their status, the
module's materials (the participant's language first), and the gate to the next part."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils import translation

from capdev.catalogue.models import DeliveryPart, Material, Module, PartKind
from capdev.learning.models import LessonProgress, OnlineLesson, ScormAttempt, ScormPackage

NOT_STARTED, STARTED, DONE = "not_started", "started", "done"


@dataclass
class LessonRow:
    lesson: OnlineLesson
    progress: LessonProgress | None = None

    @property
    def status(self) -> str:
        if self.progress is None:
            return NOT_STARTED
        return DONE if self.progress.completed_at else STARTED

    @property
    def done(self) -> bool:
        return self.status == DONE


@dataclass
class ScoRow:
    sco: dict[str, Any]
    attempt: ScormAttempt | None = None

    @property
    def status(self) -> str:
        if self.attempt is None or self.attempt.launches == 0:
            return NOT_STARTED
        return DONE if self.attempt.done_at else STARTED


@dataclass
class PackageRow:
    package: ScormPackage
    scos: list[ScoRow] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return bool(self.scos) and all(s.status == DONE for s in self.scos)

    @property
    def status(self) -> str:
        if self.done:
            return DONE
        return STARTED if any(s.status != NOT_STARTED for s in self.scos) else NOT_STARTED

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.scos if s.status == DONE)


@dataclass
class ModuleRow:
    module: Module
    lessons: list[LessonRow] = field(default_factory=list)
    package: PackageRow | None = None
    materials: list[Material] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return len(self.lessons) + (1 if self.package else 0)

    @property
    def done_count(self) -> int:
        return sum(1 for x in self.lessons if x.done) + (1 if self.package and self.package.done else 0)


@dataclass
class Outline:
    enrolment: Any
    modules: list[ModuleRow]
    gate: DeliveryPart | None  # the online part that gates the next one
    next_part: DeliveryPart | None

    @property
    def item_count(self) -> int:
        return sum(m.item_count for m in self.modules)

    @property
    def done_count(self) -> int:
        return sum(m.done_count for m in self.modules)

    @property
    def lessons(self) -> list[LessonRow]:
        return [row for m in self.modules for row in m.lessons]

    @property
    def gate_to_face_to_face(self) -> bool:
        return self.next_part is not None and self.next_part.kind == PartKind.FACE_TO_FACE

    def neighbours(self, lesson_id: int) -> tuple[OnlineLesson | None, OnlineLesson | None]:
        """The lessons before and after a lesson, across modules."""
        lessons = [row.lesson for row in self.lessons]
        ids = [x.pk for x in lessons]
        if lesson_id not in ids:
            return None, None
        i = ids.index(lesson_id)
        return (lessons[i - 1] if i > 0 else None), (lessons[i + 1] if i + 1 < len(lessons) else None)


def language_order(preferred: list[str]) -> Any:
    def key(material: Material) -> tuple[int, str, str]:
        rank = preferred.index(material.language) if material.language in preferred else len(preferred)
        return rank, material.language, material.title

    return key


def course_outline(
    enrolment: Any, *, request: HttpRequest | None = None, with_materials: bool = True
) -> Outline:
    """The participant's online course (6–7 queries whatever its size)."""
    version_id = enrolment.run.course_version_id
    parts = list(DeliveryPart.objects.filter(version_id=version_id).order_by("position"))
    gate: DeliveryPart | None = None
    next_part: DeliveryPart | None = None
    for i, part in enumerate(parts):
        if part.kind == PartKind.ONLINE_SELF_PACED and part.gates_next and i + 1 < len(parts):
            gate, next_part = part, parts[i + 1]
            break
    online_parts = {p.pk for p in parts if p.kind == PartKind.ONLINE_SELF_PACED}
    modules = list(
        Module.objects.filter(version_id=version_id, part_id__in=online_parts).order_by("position", "pk")
    )
    module_ids = [m.pk for m in modules]
    lessons = list(OnlineLesson.objects.filter(module_id__in=module_ids).order_by("position", "pk"))
    packages = list(ScormPackage.objects.filter(module_id__in=module_ids).order_by("pk"))
    progress = {
        p.lesson_id: p
        for p in LessonProgress.objects.filter(enrolment=enrolment, lesson_id__in=[x.pk for x in lessons])
    }
    attempts: dict[tuple[int, str], ScormAttempt] = {
        (a.package_id, a.sco_id): a
        for a in ScormAttempt.objects.filter(enrolment=enrolment, package_id__in=[p.pk for p in packages])
    }
    materials: list[Material] = []
    if with_materials and module_ids:
        preferred = [translation.get_language() or "en", enrolment.run.language]
        materials = sorted(Material.objects.filter(module_id__in=module_ids), key=language_order(preferred))
    rows = {m.pk: ModuleRow(module=m) for m in modules}
    for lesson in lessons:
        rows[lesson.module_id].lessons.append(LessonRow(lesson, progress.get(lesson.pk)))
    for package in packages:
        rows[package.module_id].package = PackageRow(
            package, [ScoRow(sco, attempts.get((package.pk, sco["id"]))) for sco in package.scos or []]
        )
    for material in materials:
        rows[material.module_id].materials.append(material)
    return Outline(enrolment=enrolment, modules=list(rows.values()), gate=gate, next_part=next_part)
