"""The content of a draft version: delivery parts, modules, learning objectives and their
competencies, completion rules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

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
    PartKind,
    RuleKind,
    format_number,
)
from capdev.catalogue.services._common import (
    LEVEL_RULES,
    MODULE_FIELDS,
    OBJECTIVE_FIELDS,
    PART_FIELDS,
    PERCENT_RULES,
    POINTS_RULES,
    _apply_order,
    _check_fields,
    _decimal,
    _delete_files_later,
    _lock_draft,
    _next_position,
    _refuse_adaptation,
    _renumber,
)
from capdev.competencies.models import (
    CompetencyItem,
    ItemKind,
    ProficiencyLevel,
)
from capdev.core import audit
from capdev.core.errors import DomainError

# --- delivery parts ------------------------------------------------------------------------------


def _validate_part(part: DeliveryPart) -> None:
    if part.kind not in PartKind.values:
        raise DomainError(_("Choose the kind of part."), field="kind")
    for field, label in (("days", _("Days")), ("weeks", _("Weeks"))):
        value = getattr(part, field)
        if value in ("", None):
            setattr(part, field, None)
            continue
        try:
            value = int(value)
        except (TypeError, ValueError) as exc:
            raise DomainError(_("%(label)s must be a whole number.") % {"label": label}, field=field) from exc
        if value < 1:
            raise DomainError(_("%(label)s must be at least 1.") % {"label": label}, field=field)
        setattr(part, field, value)
    part.hours = _decimal(part.hours, "hours", _("Hours"))
    if part.kind == PartKind.FACE_TO_FACE and not (part.days or part.weeks):
        raise DomainError(_("Give the number of face-to-face days (or weeks)."), field="days")
    part.title = (part.title or "").strip()


@transaction.atomic
def add_part(version: CourseVersion, *, actor: Any, **values: Any) -> DeliveryPart:
    """Append a delivery part (see PART_FIELDS) at the end of the sequence."""
    _check_fields(values, PART_FIELDS)
    version = _lock_draft(version.pk)
    part = DeliveryPart(version=version, position=_next_position(version.parts.all()), **values)
    _validate_part(part)
    part.save()
    audit.record(actor, "course_version.part_added", version, data={"part": part.description})
    return part


@transaction.atomic
def update_part(part: DeliveryPart, *, actor: Any, **values: Any) -> DeliveryPart:
    _check_fields(values, PART_FIELDS)
    version = _lock_draft(part.version_id)
    part = DeliveryPart.objects.get(pk=part.pk)
    before = audit.snapshot(part, PART_FIELDS)
    for name, value in values.items():
        setattr(part, name, value)
    _validate_part(part)
    part.save()
    changes = audit.diff(before, audit.snapshot(part, PART_FIELDS))
    if changes:
        audit.record(
            actor, "course_version.part_updated", version, changes=changes, data={"part": part.description}
        )
    return part


@transaction.atomic
def remove_part(part: DeliveryPart, *, actor: Any) -> None:
    """Remove a part; its modules stay in the version, without a part."""
    version = _lock_draft(part.version_id)
    description = part.description
    part.delete()
    _renumber(list(DeliveryPart.objects.filter(version=version).order_by("position")))
    audit.record(actor, "course_version.part_removed", version, data={"part": description})


@transaction.atomic
def reorder_parts(version: CourseVersion, *, actor: Any, order: Sequence[int | str]) -> None:
    """Put the version's parts in the order of the ids in `order`."""
    version = _lock_draft(version.pk)
    parts = list(DeliveryPart.objects.filter(version=version).order_by("position"))
    if _apply_order(parts, order, _("parts")):
        audit.record(
            actor, "course_version.parts_reordered", version, data={"order": [str(p) for p in parts]}
        )


# --- modules -------------------------------------------------------------------------------------


def _validate_module(module: Module, version: CourseVersion) -> None:
    module.title = (module.title or "").strip()
    if not module.title:
        raise DomainError(_("Give the module a title."), field="title")
    if module.part_id and not DeliveryPart.objects.filter(pk=module.part_id, version=version).exists():
        raise DomainError(_("Choose a delivery part of this version."), field="part")


@transaction.atomic
def add_module(version: CourseVersion, *, actor: Any, **values: Any) -> Module:
    """Append a module (see MODULE_FIELDS); `part` is one of the version's delivery parts."""
    _check_fields(values, MODULE_FIELDS)
    version = _lock_draft(version.pk)
    module = Module(version=version, position=_next_position(version.modules.all()), **values)
    _validate_module(module, version)
    module.save()
    audit.record(actor, "course_version.module_added", version, data={"module": module.title})
    return module


@transaction.atomic
def update_module(module: Module, *, actor: Any, **values: Any) -> Module:
    _check_fields(values, MODULE_FIELDS)
    version = _lock_draft(module.version_id)
    module = Module.objects.get(pk=module.pk)
    before = audit.snapshot(module, MODULE_FIELDS)
    for name, value in values.items():
        setattr(module, name, value)
    _validate_module(module, version)
    module.save()
    changes = audit.diff(before, audit.snapshot(module, MODULE_FIELDS))
    if changes:
        audit.record(
            actor, "course_version.module_updated", version, changes=changes, data={"module": module.title}
        )
    return module


@transaction.atomic
def remove_module(module: Module, *, actor: Any) -> None:
    """Remove a module with its objectives and materials."""
    version = _lock_draft(module.version_id)
    _refuse_adaptation(version)
    files = list(Material.objects.filter(module=module).values_list("file", flat=True))
    title = module.title
    module.delete()
    _renumber(list(Module.objects.filter(version=version).order_by("position", "pk")))
    _delete_files_later(files)
    audit.record(actor, "course_version.module_removed", version, data={"module": title})


@transaction.atomic
def reorder_modules(version: CourseVersion, *, actor: Any, order: Sequence[int | str]) -> None:
    version = _lock_draft(version.pk)
    modules = list(Module.objects.filter(version=version).order_by("position", "pk"))
    if _apply_order(modules, order, _("modules")):
        audit.record(actor, "course_version.modules_reordered", version)


# --- learning objectives and their competencies --------------------------------------------------


def _validate_objective(objective: LearningObjective) -> None:
    objective.text = (objective.text or "").strip()
    if not objective.text:
        raise DomainError(_("Write the learning objective."), field="text")


@transaction.atomic
def add_objective(
    module: Module,
    *,
    actor: Any,
    text: str,
    is_core: bool = False,
    mappings: Iterable[tuple[CompetencyItem, ProficiencyLevel]] = (),
) -> LearningObjective:
    """Append a learning objective to a module, optionally with its competency mappings."""
    version = _lock_draft(module.version_id)
    objective = LearningObjective(
        module=module, position=_next_position(module.objectives.all()), text=text, is_core=bool(is_core)
    )
    _validate_objective(objective)
    objective.save()
    for competency, level in mappings:
        _check_mapping(version, competency, level)
        ObjectiveCompetency.objects.create(objective=objective, competency=competency, target_level=level)
    audit.record(
        actor,
        "course_version.objective_added",
        version,
        data={"module": module.title, "objective": objective.text, "core": objective.is_core},
    )
    return objective


@transaction.atomic
def update_objective(objective: LearningObjective, *, actor: Any, **values: Any) -> LearningObjective:
    _check_fields(values, OBJECTIVE_FIELDS)
    version = _lock_draft(objective.module.version_id)
    objective = LearningObjective.objects.get(pk=objective.pk)
    before = audit.snapshot(objective, OBJECTIVE_FIELDS)
    for name, value in values.items():
        setattr(objective, name, value)
    _validate_objective(objective)
    objective.save()
    changes = audit.diff(before, audit.snapshot(objective, OBJECTIVE_FIELDS))
    if changes:
        audit.record(actor, "course_version.objective_updated", version, changes=changes)
    return objective


@transaction.atomic
def remove_objective(objective: LearningObjective, *, actor: Any) -> None:
    version = _lock_draft(objective.module.version_id)
    _refuse_adaptation(version)
    module_id, text = objective.module_id, objective.text
    objective.delete()
    _renumber(list(LearningObjective.objects.filter(module_id=module_id).order_by("position", "pk")))
    audit.record(actor, "course_version.objective_removed", version, data={"objective": text})


@transaction.atomic
def reorder_objectives(module: Module, *, actor: Any, order: Sequence[int | str]) -> None:
    version = _lock_draft(module.version_id)
    objectives = list(LearningObjective.objects.filter(module=module).order_by("position", "pk"))
    if _apply_order(objectives, order, _("objectives")):
        audit.record(actor, "course_version.objectives_reordered", version, data={"module": module.title})


def _check_mapping(version: CourseVersion, competency: CompetencyItem, level: ProficiencyLevel) -> None:
    framework = version.framework_version
    if framework is None:
        raise DomainError(
            _("Choose the version's competency framework before mapping objectives to competencies."),
            field="competency",
        )
    if competency.version_id != framework.pk:
        raise DomainError(
            _(
                "“%(item)s” belongs to another framework version (%(other)s), not to this version's "
                "framework (%(own)s). Choose a competency of %(own)s."
            )
            % {"item": competency.code, "other": competency.version, "own": framework},
            field="competency",
        )
    if competency.kind == ItemKind.DOMAIN:
        raise DomainError(
            _("“%(item)s” is a domain; map the objective to one of its competencies or indicators.")
            % {"item": competency.code},
            field="competency",
        )
    if level is None or level.version_id != framework.pk:
        raise DomainError(
            _("Choose the target level on the proficiency scale of %(own)s.") % {"own": framework},
            field="target_level",
        )


@transaction.atomic
def map_competency(
    objective: LearningObjective, *, actor: Any, competency: CompetencyItem, target_level: ProficiencyLevel
) -> ObjectiveCompetency:
    """Map an objective to a competency of the version's framework, with a target level of that
    framework version's scale (or change the target level of an existing mapping)."""
    version = _lock_draft(objective.module.version_id)
    _check_mapping(version, competency, target_level)
    mapping, _created = ObjectiveCompetency.objects.update_or_create(
        objective=objective, competency=competency, defaults={"target_level": target_level}
    )
    audit.record(
        actor,
        "course_version.competency_mapped",
        version,
        data={"objective": str(objective), "competency": competency.code, "target_level": target_level.name},
    )
    return mapping


@transaction.atomic
def unmap_competency(objective: LearningObjective, *, actor: Any, competency: CompetencyItem) -> None:
    version = _lock_draft(objective.module.version_id)
    deleted, _rows = ObjectiveCompetency.objects.filter(objective=objective, competency=competency).delete()
    if deleted:
        audit.record(
            actor,
            "course_version.competency_unmapped",
            version,
            data={"objective": str(objective), "competency": competency.code},
        )


@transaction.atomic
def set_mappings(
    objective: LearningObjective,
    *,
    actor: Any,
    mappings: Iterable[tuple[CompetencyItem, ProficiencyLevel]],
) -> list[ObjectiveCompetency]:
    """Replace all of an objective's competency mappings."""
    version = _lock_draft(objective.module.version_id)
    wanted: dict[int, tuple[CompetencyItem, ProficiencyLevel]] = {}
    for competency, level in mappings:
        _check_mapping(version, competency, level)
        wanted[competency.pk] = (competency, level)
    before = {
        m.competency.code: m.target_level.name
        for m in objective.mappings.select_related("competency", "target_level")
    }
    ObjectiveCompetency.objects.filter(objective=objective).delete()
    rows = ObjectiveCompetency.objects.bulk_create(
        [ObjectiveCompetency(objective=objective, competency=c, target_level=lv) for c, lv in wanted.values()]
    )
    after = {c.code: lv.name for c, lv in wanted.values()}
    if before != after:
        audit.record(
            actor,
            "course_version.competencies_set",
            version,
            changes={"competencies": [before, after]},
            data={"objective": str(objective)},
        )
    return rows


# --- completion rules ----------------------------------------------------------------------------


@transaction.atomic
def set_completion_rule(
    version: CourseVersion,
    *,
    actor: Any,
    kind: str,
    threshold: Any = None,
    level: ProficiencyLevel | None = None,
) -> CompletionRule:
    """Add a completion rule, or change its threshold or level (one rule of each kind)."""
    version = _lock_draft(version.pk)
    if kind not in RuleKind.values:
        raise DomainError(_("Choose a kind of completion rule."), field="kind")
    label = RuleKind(kind).label
    value: Decimal | None = None
    if kind in PERCENT_RULES:
        value = _decimal(threshold, "threshold", _("The percentage"))
        if value is None:
            raise DomainError(
                _("Give the minimum percentage for “%(rule)s”.") % {"rule": label}, field="threshold"
            )
        if value > 100:
            raise DomainError(
                _("A percentage is between 0 and 100; %(v)s is not.") % {"v": format_number(value)},
                field="threshold",
            )
    elif kind in POINTS_RULES:
        value = _decimal(threshold, "threshold", _("The points"))
        if value is None:
            raise DomainError(_("Give the minimum number of points."), field="threshold")
    if kind in LEVEL_RULES:
        if version.framework_version_id is None:
            raise DomainError(
                _(
                    "Choose the version's competency framework first: the level comes from its proficiency scale."
                ),
                field="level",
            )
        if level is None or level.version_id != version.framework_version_id:
            raise DomainError(
                _("Choose a level of the proficiency scale of %(fw)s.") % {"fw": version.framework_version},
                field="level",
            )
    else:
        level = None
    rule = CompletionRule.objects.filter(version=version, kind=kind).first()
    before = audit.snapshot(rule, ["threshold", "level"]) if rule else {}
    if rule is None:
        rule = CompletionRule(version=version, kind=kind)
    rule.threshold, rule.level = value, level
    rule.save()
    changes = audit.diff(before, audit.snapshot(rule, ["threshold", "level"]))
    if changes or not before:
        audit.record(actor, "course_version.rule_set", version, changes=changes, data={"rule": kind})
    return rule


@transaction.atomic
def remove_completion_rule(rule: CompletionRule, *, actor: Any) -> None:
    version = _lock_draft(rule.version_id)
    kind = rule.kind
    rule.delete()
    audit.record(actor, "course_version.rule_removed", version, data={"rule": kind})
