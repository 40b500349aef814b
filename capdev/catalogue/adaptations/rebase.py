"""Rebase: a new draft of an adaptation on a newer published version of its standard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from django.db import models, transaction
from django.utils.translation import gettext as _

from capdev.catalogue.adaptations.comparison import newest_published
from capdev.catalogue.adaptations.services import check_actor
from capdev.catalogue.models import (
    CompletionRule,
    CourseKind,
    CourseVersion,
    DeliveryPart,
    LearningObjective,
    Material,
    Module,
    ObjectiveCompetency,
)
from capdev.competencies.models import CompetencyItem, ProficiencyLevel, VersionStatus
from capdev.core.audit import record
from capdev.core.errors import ConflictError, DomainError

# --------------------------------------------------------------------------------------------
# Rebase


@dataclass
class _PlanObjective:
    lineage: UUID
    text: str
    is_core: bool
    mappings: list[tuple[int, int]]  # (competency id, level id)


@dataclass
class _PlanModule:
    lineage: UUID
    title: str
    summary: str
    local_examples: str
    part_position: int | None
    part_kind: str | None
    objectives: list[_PlanObjective]
    materials_from: Module | None = None
    dropped_by_standard: bool = False


def _mappings_of(objective: LearningObjective) -> list[tuple[int, int]]:
    return [(m.competency_id, m.target_level_id) for m in objective.mappings.all()]


def _content(version: CourseVersion) -> list[Module]:
    return list(
        Module.objects.filter(version=version)
        .select_related("part")
        .order_by("position", "pk")
        .prefetch_related(
            models.Prefetch(
                "objectives",
                queryset=LearningObjective.objects.order_by("position", "pk").prefetch_related("mappings"),
            )
        )
    )


@transaction.atomic
def rebase_adaptation(
    version: CourseVersion, *, actor: Any, onto: CourseVersion | None = None
) -> CourseVersion:
    """Build a new draft of the adaptation based on a newer published standard version.

    Merge rule, by lineage, between the old standard (base), the adaptation (local) and the new
    standard (onto):

    1. The adaptation's structure and order are kept: its modules, its own modules and objectives,
       its removals of non-core objectives, its local examples, its delivery parts and rules.
    2. A text the adaptation changed (objective rewording, module title or summary) keeps the
       adaptation's wording; a text it did not change takes the new standard's wording.
    3. Objectives new in the standard are added to the module with the same lineage, after the
       objective that precedes them in the standard; modules new in the standard are added after
       the module that precedes them in the standard.
    4. Every core objective of the new standard is present afterwards: one the adaptation had
       removed while it was not core is brought back; if its module was removed or replaced, that
       module comes back with just those objectives.
    5. Standard content the new version dropped is dropped too, unless the adaptation had
       reworded it (it then stays as the adaptation's own content, shown as "added").
    6. Competency mappings of standard objectives come from the new standard; the adaptation's own
       objectives keep theirs (translated by lineage when the framework version changed).

    When `version` is a draft it is replaced by the rebased draft (same number); otherwise the
    rebased draft is the adaptation's next version.
    """
    version = (
        CourseVersion.objects.select_for_update(of=("self",))
        .select_related("course", "based_on")
        .get(pk=version.pk)
    )
    check_actor(actor, "catalogue.change_adaptation", version)
    if version.course.kind != CourseKind.ADAPTATION or version.based_on is None:
        raise DomainError(_("Only an adaptation can be rebased."))
    base = version.based_on
    if onto is None:
        onto = newest_published(base.course_id)
    if onto is None or onto.course_id != base.course_id:
        raise DomainError(_("Rebase onto a version of the same standard product."))
    if onto.status != VersionStatus.PUBLISHED:
        raise DomainError(_("An adaptation can only be based on a published version of the standard."))
    if onto.number <= base.number:
        raise ConflictError(
            _("This adaptation is already based on version %(number)s of the standard, the newest published.")
            % {"number": base.number}
        )
    newest = CourseVersion.objects.filter(course=version.course).order_by("-number").first()
    if newest is not None and newest.pk != version.pk:
        raise ConflictError(
            _("Rebase the newest version of the adaptation (version %(number)s).") % {"number": newest.number}
        )

    plan = _merge(_content(base), _content(version), _content(onto))
    materials = {
        m.pk: list(
            Material.objects.filter(module=m).values(
                "language", "title", "file", "url", "content_type", "size"
            )
        )
        for m in Module.objects.filter(version=version)
    }
    parts = list(DeliveryPart.objects.filter(version=version).order_by("position"))
    rules = list(CompletionRule.objects.filter(version=version).order_by("pk"))
    thematic_ids = list(version.thematic_areas.values_list("pk", flat=True))
    replaces_draft = version.status == VersionStatus.DRAFT
    if replaces_draft:
        # Everything the draft holds has been read above; the rebased draft takes its place.
        number, derived_from = version.number, version.derived_from
        try:
            version.delete()
        except models.ProtectedError as exc:
            raise ConflictError(_("This draft is in use and cannot be replaced by a rebased one.")) from exc
    else:
        number, derived_from = version.number + 1, version
    source = version  # its field values stay readable after a delete

    new = CourseVersion.objects.create(
        course=source.course,
        number=number,
        status=VersionStatus.DRAFT,
        title=source.title,
        summary=source.summary,
        target_audience=source.target_audience,
        languages=list(source.languages),
        mode=source.mode,
        framework_version_id=onto.framework_version_id,
        contact_hours=source.contact_hours,
        self_study_hours=source.self_study_hours,
        assessment_hours=source.assessment_hours,
        ects_credits=source.ects_credits,
        qualification_framework=source.qualification_framework,
        qualification_level=source.qualification_level,
        accredited_by=source.accredited_by,
        based_on=onto,
        derived_from=derived_from,
        change_note=_("Rebased on version %(number)s of the standard.") % {"number": onto.number},
    )
    new.thematic_areas.set(thematic_ids)
    new_parts = DeliveryPart.objects.bulk_create(
        [
            DeliveryPart(
                version=new,
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
    part_by_position = {p.position: p for p in new_parts}
    part_by_kind: dict[str, DeliveryPart] = {}
    for p in new_parts:
        part_by_kind.setdefault(p.kind, p)
    CompletionRule.objects.bulk_create(
        [CompletionRule(version=new, kind=r.kind, threshold=r.threshold, level_id=r.level_id) for r in rules]
    )
    translate = _mapping_translator(base.framework_version_id, onto.framework_version_id)
    for position, pm in enumerate(plan, start=1):
        part = (
            part_by_position.get(pm.part_position)
            if pm.part_position is not None and pm.materials_from is not None
            else part_by_kind.get(pm.part_kind or "")
        )
        module = Module.objects.create(
            version=new,
            lineage=pm.lineage,
            position=position,
            title=pm.title,
            summary=pm.summary,
            local_examples=pm.local_examples,
            part=part,
        )
        objectives = LearningObjective.objects.bulk_create(
            [
                LearningObjective(
                    module=module, lineage=o.lineage, position=i, text=o.text, is_core=o.is_core
                )
                for i, o in enumerate(pm.objectives, start=1)
            ]
        )
        ObjectiveCompetency.objects.bulk_create(
            [
                ObjectiveCompetency(objective=obj, competency_id=c, target_level_id=lvl)
                for obj, po in zip(objectives, pm.objectives, strict=True)
                for c, lvl in dict(translate(po.mappings)).items()
            ]
        )
        if pm.materials_from is not None:
            Material.objects.bulk_create(
                [Material(module=module, **row) for row in materials.get(pm.materials_from.pk, [])]
            )
    record(
        actor,
        "adaptation.rebased",
        new,
        data={"from_standard": base, "onto_standard": onto, "replaced_draft": replaces_draft},
    )
    return new


def _mapping_translator(old_fv: int | None, new_fv: int | None) -> Any:
    """Mappings onto another framework version: competencies by lineage, levels by position."""
    if old_fv == new_fv or new_fv is None:
        return lambda mappings: mappings
    items = dict(CompetencyItem.objects.filter(version_id=new_fv).values_list("lineage", "pk"))
    levels = dict(ProficiencyLevel.objects.filter(version_id=new_fv).values_list("position", "pk"))
    item_lineage = dict(CompetencyItem.objects.filter(version_id=old_fv).values_list("pk", "lineage"))
    level_position = dict(ProficiencyLevel.objects.filter(version_id=old_fv).values_list("pk", "position"))
    new_item_ids = set(items.values())
    new_level_ids = set(levels.values())

    def translate(mappings: list[tuple[int, int]]) -> list[tuple[int, int]]:
        out = []
        for c, lvl in mappings:
            if c in new_item_ids and lvl in new_level_ids:
                out.append((c, lvl))
                continue
            c2 = items.get(item_lineage.get(c, uuid4()))
            l2 = levels.get(level_position.get(lvl, -1))
            if c2 and l2:
                out.append((c2, l2))
        return out

    return translate


def _merge(base: list[Module], local: list[Module], theirs: list[Module]) -> list[_PlanModule]:
    """The merge rule of `rebase_adaptation`, on rows already read (no queries)."""
    b_mod = {m.lineage: m for m in base}
    t_mod = {m.lineage: m for m in theirs}
    b_obj = {o.lineage: o for m in base for o in m.objectives.all()}
    t_obj = {o.lineage: o for m in theirs for o in m.objectives.all()}

    def pick(local_value: str, base_value: str | None, their_value: str | None) -> str:
        if base_value is None or their_value is None or local_value != base_value:
            return local_value
        return their_value

    plan: list[_PlanModule] = []
    for m in local:
        bm, tm = b_mod.get(m.lineage), t_mod.get(m.lineage)
        objectives: list[_PlanObjective] = []
        for o in m.objectives.all():
            bo, to = b_obj.get(o.lineage), t_obj.get(o.lineage)
            if bo is None:  # the adaptation's own objective
                objectives.append(_PlanObjective(o.lineage, o.text, False, _mappings_of(o)))
            elif to is None:  # dropped by the new standard: kept only if the adaptation reworded it
                if o.text != bo.text:
                    objectives.append(_PlanObjective(o.lineage, o.text, False, _mappings_of(o)))
            else:
                objectives.append(
                    _PlanObjective(o.lineage, pick(o.text, bo.text, to.text), to.is_core, _mappings_of(to))
                )
        plan.append(
            _PlanModule(
                lineage=m.lineage,
                title=pick(m.title, bm.title if bm else None, tm.title if tm else None),
                summary=pick(m.summary, bm.summary if bm else None, tm.summary if tm else None),
                local_examples=m.local_examples,
                part_position=m.part.position if m.part else None,
                part_kind=m.part.kind if m.part else None,
                objectives=objectives,
                materials_from=m,
                dropped_by_standard=bm is not None and tm is None,
            )
        )

    present = {o.lineage for pm in plan for o in pm.objectives}
    for index, tm in enumerate(theirs):
        wanted = [
            o
            for o in tm.objectives.all()
            if o.lineage not in present and (o.lineage not in b_obj or o.is_core)
        ]
        target = next((pm for pm in plan if pm.lineage == tm.lineage), None)
        if target is None and tm.lineage in b_mod and not wanted:
            continue  # removed or replaced by the adaptation, nothing it must bring back
        if target is None:
            # A module new in the standard comes whole; a removed one only with what must be present.
            objectives = [
                _PlanObjective(o.lineage, o.text, o.is_core, _mappings_of(o))
                for o in (tm.objectives.all() if tm.lineage not in b_mod else wanted)
            ]
            target = _PlanModule(
                lineage=tm.lineage,
                title=tm.title,
                summary=tm.summary,
                local_examples="",
                part_position=None,
                part_kind=tm.part.kind if tm.part else None,
                objectives=objectives,
            )
            previous = {t.lineage for t in theirs[:index]}
            anchor = max((i for i, pm in enumerate(plan) if pm.lineage in previous), default=-1)
            plan.insert(anchor + 1, target)
        else:
            their_order = [o.lineage for o in tm.objectives.all()]
            for o in wanted:
                before = set(their_order[: their_order.index(o.lineage)])
                anchor = max(
                    (i for i, po in enumerate(target.objectives) if po.lineage in before), default=-1
                )
                target.objectives.insert(
                    anchor + 1, _PlanObjective(o.lineage, o.text, o.is_core, _mappings_of(o))
                )
        present |= {o.lineage for o in target.objectives}

    return [pm for pm in plan if not (pm.dropped_by_standard and not pm.objectives and not pm.local_examples)]
