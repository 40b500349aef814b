"""Writes on the catalogue: standard products, their versions and everything inside a version."""

from __future__ import annotations

from uuid import UUID, uuid4

from django.db import transaction
from django.utils.translation import gettext as _

from capdev.catalogue.models import (
    CompletionRule,
    CourseVersion,
    DeliveryPart,
    LearningObjective,
    Material,
    Module,
    ObjectiveCompetency,
)
from capdev.core.errors import ConflictError, DomainError


@transaction.atomic
def copy_version_content(source: CourseVersion, target: CourseVersion, *, keep_lineage: bool = True) -> None:
    """Deep-copy the content of `source` into the empty draft `target`.

    Copies delivery parts, modules (assigned to the copied parts), learning objectives (with
    `is_core`), their competency mappings, completion rules and materials (a copied material
    points at the same stored file; files are never deleted while a row refers to them).
    With `keep_lineage` the copies of modules and objectives share the originals' lineage,
    which is how versions and adaptations are compared; without it they get new lineages.

    Runs a constant number of queries whatever the size of the version (one read and one bulk
    insert per kind of row). The caller records the audit event.
    """
    if target.pk == source.pk:
        raise DomainError(_("A version cannot be copied into itself."))
    if target.status != "draft":
        raise DomainError(_("Published versions cannot be changed: derive a new version."))
    if (
        target.framework_version_id != source.framework_version_id
        and ObjectiveCompetency.objects.filter(objective__module__version=source).exists()
    ):
        raise DomainError(
            _(
                "The new version uses another competency framework version than the version it "
                "copies; its objectives' competencies cannot be carried over."
            ),
            field="framework_version",
        )
    if (
        DeliveryPart.objects.filter(version=target).exists()
        or Module.objects.filter(version=target).exists()
        or CompletionRule.objects.filter(version=target).exists()
    ):
        raise ConflictError(_("The version to copy into already has content."))

    def lineage(value: UUID) -> UUID:
        return value if keep_lineage else uuid4()

    parts = list(DeliveryPart.objects.filter(version=source).order_by("position"))
    new_parts = DeliveryPart.objects.bulk_create(
        [
            DeliveryPart(
                version=target,
                position=p.position,
                kind=p.kind,
                title=p.title,
                days=p.days,
                weeks=p.weeks,
                hours=p.hours,
                gates_next=p.gates_next,
            )
            for p in parts
        ]
    )
    part_map = {old.pk: new.pk for old, new in zip(parts, new_parts, strict=True)}

    modules = list(Module.objects.filter(version=source).order_by("position", "pk"))
    new_modules = Module.objects.bulk_create(
        [
            Module(
                version=target,
                lineage=lineage(m.lineage),
                position=m.position,
                title=m.title,
                summary=m.summary,
                part_id=part_map.get(m.part_id) if m.part_id else None,
                local_examples=m.local_examples,
            )
            for m in modules
        ]
    )
    module_map = {old.pk: new.pk for old, new in zip(modules, new_modules, strict=True)}

    objectives = list(
        LearningObjective.objects.filter(module__version=source).order_by("module_id", "position", "pk")
    )
    new_objectives = LearningObjective.objects.bulk_create(
        [
            LearningObjective(
                module_id=module_map[o.module_id],
                lineage=lineage(o.lineage),
                position=o.position,
                text=o.text,
                is_core=o.is_core,
            )
            for o in objectives
        ]
    )
    objective_map = {old.pk: new.pk for old, new in zip(objectives, new_objectives, strict=True)}

    ObjectiveCompetency.objects.bulk_create(
        [
            ObjectiveCompetency(
                objective_id=objective_map[m.objective_id],
                competency_id=m.competency_id,
                target_level_id=m.target_level_id,
            )
            for m in ObjectiveCompetency.objects.filter(objective__module__version=source).order_by("pk")
        ]
    )
    CompletionRule.objects.bulk_create(
        [
            CompletionRule(version=target, kind=r.kind, threshold=r.threshold, level_id=r.level_id)
            for r in CompletionRule.objects.filter(version=source).order_by("pk")
        ]
    )
    Material.objects.bulk_create(
        [
            Material(
                module_id=module_map[m.module_id],
                language=m.language,
                title=m.title,
                file=m.file.name,
                url=m.url,
                content_type=m.content_type,
                size=m.size,
            )
            for m in Material.objects.filter(module__version=source).order_by("pk")
        ]
    )
