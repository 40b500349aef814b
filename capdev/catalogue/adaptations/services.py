"""Writes on adaptations: create, edit (modules, objectives, local examples), publish, new draft.

Every function runs in a transaction, checks the actor's permission (None is the system),
raises a DomainError a user can act on, and records an audit event.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.db import models, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from capdev.catalogue import services as catalogue_services
from capdev.catalogue.models import (
    Course,
    CourseKind,
    CourseVersion,
    DeliveryPart,
    LearningObjective,
    Material,
    Module,
)
from capdev.catalogue.services import copy_version_content
from capdev.competencies.models import VersionStatus
from capdev.core.audit import diff, record, snapshot
from capdev.core.errors import ConflictError, DomainError, PermissionDeniedError
from capdev.core.permissions import can
from capdev.organisations.models import Organisation

# --------------------------------------------------------------------------------------------
# Small helpers


def short(text: str, length: int = 32) -> str:
    """An objective as quoted in messages: its first words, cut at a word, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def _lock_draft(version: CourseVersion) -> CourseVersion:
    locked = (
        CourseVersion.objects.select_for_update(of=("self",))
        .select_related("course", "based_on")
        .get(pk=version.pk)
    )
    if locked.course.kind != CourseKind.ADAPTATION:
        raise DomainError(_("This is not an adaptation."))
    if locked.status != VersionStatus.DRAFT:
        raise ConflictError(
            _("Version %(number)s is %(status)s and can no longer be changed: start a new draft.")
            % {"number": locked.number, "status": locked.get_status_display().lower()}
        )
    return locked


def check_actor(actor: Any, perm: str, obj: Any) -> None:
    """Services also refuse what the actor's role does not allow (None is the system)."""
    if actor is not None and not can(actor, perm, obj):
        raise PermissionDeniedError(_("You may not change this adaptation."))


def core_lineages(standard: CourseVersion | None) -> dict[UUID, LearningObjective]:
    """The core objectives of a standard version, by lineage (none without a version)."""
    if standard is None:
        return {}
    return {
        o.lineage: o
        for o in LearningObjective.objects.filter(module__version=standard, is_core=True).order_by(
            "module__position", "position", "pk"
        )
    }


def _is_core_of_standard(objective: LearningObjective, version: CourseVersion) -> LearningObjective | None:
    if version.based_on_id is None:
        return None
    return LearningObjective.objects.filter(
        module__version_id=version.based_on_id, lineage=objective.lineage, is_core=True
    ).first()


def _next_position(qs: models.QuerySet[Any]) -> int:
    return int(qs.aggregate(m=Max("position"))["m"] or 0) + 1


def _unique_code(base: str) -> str:
    base = slugify(base)[:52].strip("-") or "adaptation"
    code, n = base, 2
    while Course.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


# --------------------------------------------------------------------------------------------
# Creating and editing an adaptation


@transaction.atomic
def create_adaptation(
    standard_version: CourseVersion,
    *,
    actor: Any,
    organisation: Organisation,
    language: str,
    title: str,
) -> CourseVersion:
    """Create a partner's adaptation of a published standard version.

    Makes a Course (kind adaptation, owned by the partner, adapted from the standard course) with
    a draft version 1 based on `standard_version`: its description, hours, delivery parts,
    completion rules, modules, objectives and competency mappings are copied keeping their
    lineage, so everything starts as "kept". Returns the draft version.
    """
    check_actor(actor, "catalogue.adapt", organisation)
    standard = CourseVersion.objects.select_related("course").get(pk=standard_version.pk)
    if standard.course.kind != CourseKind.STANDARD:
        raise DomainError(_("Only a standard product can be adapted; adapt the standard it comes from."))
    if standard.status != VersionStatus.PUBLISHED:
        raise DomainError(
            _("Only a published version can be adapted; this one is %(status)s.")
            % {"status": standard.get_status_display().lower()}
        )
    title = title.strip()
    if not title:
        raise DomainError(_("Give the adaptation a title."), field="title")
    if not language:
        raise DomainError(_("Choose the language of the adaptation."), field="language")
    course = Course.objects.create(
        kind=CourseKind.ADAPTATION,
        code=_unique_code(f"{standard.course.code}-{organisation.acronym or organisation.name}-{language}"),
        owner=organisation,
        adapted_from=standard.course,
    )
    version = CourseVersion.objects.create(
        course=course,
        number=1,
        status=VersionStatus.DRAFT,
        title=title,
        summary=standard.summary,
        target_audience=standard.target_audience,
        languages=[language],
        mode=standard.mode,
        framework_version_id=standard.framework_version_id,
        contact_hours=standard.contact_hours,
        self_study_hours=standard.self_study_hours,
        assessment_hours=standard.assessment_hours,
        ects_credits=standard.ects_credits,
        qualification_framework=standard.qualification_framework,
        qualification_level=standard.qualification_level,
        based_on=standard,
        change_note=_("Adapted from %(standard)s.") % {"standard": standard},
    )
    version.thematic_areas.set(standard.thematic_areas.all())
    copy_version_content(standard, version, keep_lineage=True)
    record(
        actor,
        "adaptation.created",
        version,
        data={
            "standard_version": standard,
            "organisation": organisation,
            "language": language,
        },
    )
    return version


ADAPTATION_FIELDS = ("title", "summary", "target_audience", "languages")


@transaction.atomic
def update_adaptation(version: CourseVersion, *, actor: Any, **changes: Any) -> CourseVersion:
    """Change the description of a draft adaptation: title, summary, audience, language(s).

    `language` (one code) is accepted as a shortcut for `languages=[language]`.
    """
    version = _lock_draft(version)
    check_actor(actor, "catalogue.change_adaptation", version)
    if "language" in changes:
        language = changes.pop("language")
        changes["languages"] = [language] if language else []
    unknown = set(changes) - set(ADAPTATION_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    if "title" in changes and not str(changes["title"]).strip():
        raise DomainError(_("Give the adaptation a title."), field="title")
    if "languages" in changes and not changes["languages"]:
        raise DomainError(_("Choose the language of the adaptation."), field="language")
    before = snapshot(version, ADAPTATION_FIELDS)
    for name, value in changes.items():
        setattr(version, name, value.strip() if isinstance(value, str) else value)
    version.save()
    record(
        actor,
        "adaptation.changed",
        version,
        changes=diff(before, snapshot(version, ADAPTATION_FIELDS)),
    )
    return version


@transaction.atomic
def add_module(
    version: CourseVersion,
    *,
    actor: Any,
    title: str,
    summary: str = "",
    local_examples: str = "",
    objectives: Sequence[str] = (),
    position: int | None = None,
    part: DeliveryPart | None = None,
) -> Module:
    """Add a module of the partner's own to a draft adaptation (new lineage: "added"), optionally
    in one of the version's delivery parts."""
    version = _lock_draft(version)
    check_actor(actor, "catalogue.change_adaptation", version)
    if not title.strip():
        raise DomainError(_("Give the module a title."), field="title")
    if part is not None and part.version_id != version.pk:
        raise DomainError(_("Choose a delivery part of this version."), field="part")
    modules = Module.objects.filter(version=version)
    if position is None:
        position = _next_position(modules)
    else:
        _shift(modules.filter(position__gte=position))
    module = Module.objects.create(
        version=version,
        position=position,
        title=title.strip(),
        summary=summary.strip(),
        local_examples=local_examples.strip(),
        part=part,
    )
    texts = [t.strip() for t in objectives if t.strip()]
    LearningObjective.objects.bulk_create(
        [LearningObjective(module=module, position=i, text=t) for i, t in enumerate(texts, start=1)]
    )
    record(
        actor,
        "adaptation.module_added",
        version,
        data={"module": module.title, "objectives": texts},
    )
    return module


def _shift(qs: models.QuerySet[Any]) -> None:
    """Make room at a position: the rows from there on move one place down."""
    qs.update(position=F("position") + 1)


def _module_of_draft(module: Module) -> tuple[Module, CourseVersion]:
    version = _lock_draft(module.version)
    module = Module.objects.get(pk=module.pk)
    return module, version


@transaction.atomic
def replace_module(
    module: Module,
    *,
    actor: Any,
    title: str,
    summary: str = "",
    local_examples: str = "",
    objectives: Sequence[str] = (),
) -> Module:
    """Replace a module by one of the partner's own, in the same place.

    The new module and its objectives are "added"; the module it replaces shows as "removed".
    Core objectives of the standard cannot be dropped this way: they move into the new module
    (where they may be reworded), and the message of the page says so.
    """
    module, version = _module_of_draft(module)
    check_actor(actor, "catalogue.change_adaptation", version)
    if not title.strip():
        raise DomainError(_("Give the module a title."), field="title")
    cores = core_lineages(version.based_on)
    carried = [o for o in module.objectives.order_by("position", "pk") if o.lineage in cores]
    new = Module.objects.create(
        version=version,
        position=module.position,
        title=title.strip(),
        summary=summary.strip(),
        part_id=module.part_id,
        local_examples=local_examples.strip(),
    )
    position = 0
    for o in carried:
        position += 1
        LearningObjective.objects.filter(pk=o.pk).update(module=new, position=position)
    texts = [t.strip() for t in objectives if t.strip()]
    LearningObjective.objects.bulk_create(
        [LearningObjective(module=new, position=position + i, text=t) for i, t in enumerate(texts, start=1)]
    )
    Material.objects.filter(module=module).delete()
    old_title = module.title
    module.delete()
    record(
        actor,
        "adaptation.module_replaced",
        version,
        data={
            "replaced": old_title,
            "module": new.title,
            "objectives": texts,
            "core_kept": [o.text for o in carried],
        },
    )
    return new


@transaction.atomic
def remove_module(module: Module, *, actor: Any) -> None:
    """Remove a module from a draft adaptation; refused while it holds a core objective."""
    module, version = _module_of_draft(module)
    check_actor(actor, "catalogue.change_adaptation", version)
    cores = core_lineages(version.based_on)
    core_here = [o for o in module.objectives.order_by("position", "pk") if o.lineage in cores]
    if core_here:
        raise DomainError(
            _(
                "“%(module)s” holds the core objective “%(objective)s” of the standard, which must be "
                "kept: reword it, or replace the module (core objectives move into the new one)."
            )
            % {"module": short(module.title, 60), "objective": short(core_here[0].text)},
            code="core_objective",
        )
    title = module.title
    module.delete()
    record(actor, "adaptation.module_removed", version, data={"module": title})


MODULE_FIELDS = ("title", "summary", "local_examples")


@transaction.atomic
def update_module(module: Module, *, actor: Any, **changes: str) -> Module:
    """Change a module's title, summary or local examples (cases, laws and institutions of the
    partner's country). A module keeps its lineage: a new title or summary shows as "changed"."""
    module, version = _module_of_draft(module)
    check_actor(actor, "catalogue.change_adaptation", version)
    unknown = set(changes) - set(MODULE_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    if "title" in changes and not changes["title"].strip():
        raise DomainError(_("Give the module a title."), field="title")
    before = snapshot(module, MODULE_FIELDS)
    for name, value in changes.items():
        setattr(module, name, value.strip())
    module.save(update_fields=list(changes))
    record(
        actor,
        "adaptation.module_changed",
        version,
        changes=diff(before, snapshot(module, MODULE_FIELDS)),
        data={"module": module.title},
    )
    return module


def set_local_examples(module: Module, *, actor: Any, local_examples: str) -> Module:
    """Record the local examples of a module (see `update_module`)."""
    return update_module(module, actor=actor, local_examples=local_examples)


@transaction.atomic
def add_objective(module: Module, *, actor: Any, text: str) -> LearningObjective:
    """Add an objective of the partner's own to a module ("added")."""
    module, version = _module_of_draft(module)
    check_actor(actor, "catalogue.change_adaptation", version)
    if not text.strip():
        raise DomainError(_("Write the objective."), field="text")
    objective = LearningObjective.objects.create(
        module=module, position=_next_position(module.objectives.all()), text=text.strip()
    )
    record(
        actor,
        "adaptation.objective_added",
        version,
        data={"module": module.title, "text": objective.text},
    )
    return objective


@transaction.atomic
def reword_objective(objective: LearningObjective, *, actor: Any, text: str) -> LearningObjective:
    """Reword an objective. Its lineage is kept, so it shows as "changed" (core ones included)."""
    objective = LearningObjective.objects.select_related("module").get(pk=objective.pk)
    version = _lock_draft(objective.module.version)
    check_actor(actor, "catalogue.change_adaptation", version)
    text = text.strip()
    if not text:
        raise DomainError(_("Write the objective; to drop it, remove it instead."), field="text")
    before = objective.text
    objective.text = text
    objective.save(update_fields=["text"])
    record(actor, "adaptation.objective_reworded", version, changes={"text": [before, text]})
    return objective


@transaction.atomic
def remove_objective(objective: LearningObjective, *, actor: Any) -> None:
    """Remove an objective; a core objective of the standard is refused (it may be reworded)."""
    objective = LearningObjective.objects.select_related("module").get(pk=objective.pk)
    version = _lock_draft(objective.module.version)
    check_actor(actor, "catalogue.change_adaptation", version)
    core = _is_core_of_standard(objective, version)
    if core is not None:
        raise DomainError(
            _("“%(objective)s” is a core objective of the standard and must be kept; you may reword it.")
            % {"objective": short(core.text)},
            code="core_objective",
        )
    text = objective.text
    objective.delete()
    record(actor, "adaptation.objective_removed", version, data={"text": text})


def missing_core_objectives(version: CourseVersion) -> list[LearningObjective]:
    """The standard's core objectives that `version` does not contain (by lineage)."""
    if version.based_on_id is None:
        return []
    present = set(LearningObjective.objects.filter(module__version=version).values_list("lineage", flat=True))
    return [o for lineage, o in core_lineages(version.based_on).items() if lineage not in present]


@transaction.atomic
def publish_adaptation(version: CourseVersion, *, actor: Any) -> CourseVersion:
    """Publish a draft adaptation. Every core objective of its standard must be present; then the
    catalogue's publishing rules apply (`catalogue.services.publish_version`: description, ECTS
    rule, parts, modules, rules; the previously published version is retired), except that the
    adaptation's own objectives need not map to a competency of the standard's framework (a
    module on legal assistance to asylum seekers develops no trainer competency).
    """
    version = _lock_draft(version)
    check_actor(actor, "catalogue.change_adaptation", version)
    missing = missing_core_objectives(version)
    if missing:
        raise DomainError(
            _(
                "The adaptation lacks %(count)s core objective(s) of the standard: %(list)s. "
                "Add them back before publishing."
            )
            % {"count": len(missing), "list": "; ".join(f"“{short(o.text)}”" for o in missing)},
            code="core_objective",
        )
    # The catalogue's rules, except "every objective is mapped" (see the docstring).
    problems = [p for p in catalogue_services.publishing_problems(version) if p.field != "objectives"]
    if problems:
        raise catalogue_services.NotReadyToPublish(problems)
    now = timezone.now()
    for old in CourseVersion.objects.select_for_update().filter(
        course_id=version.course_id, status=VersionStatus.PUBLISHED
    ):
        old.status, old.retired_at = VersionStatus.RETIRED, now
        old.save(update_fields=["status", "retired_at", "updated_at"])
        record(actor, "course_version.retired", old, data={"replaced_by": version.number})
    version.status, version.published_at = VersionStatus.PUBLISHED, now
    version.save(update_fields=["status", "published_at", "updated_at"])
    record(actor, "adaptation.published", version, data={"based_on": version.based_on})
    return version


@transaction.atomic
def start_adaptation_draft(version: CourseVersion, *, actor: Any) -> CourseVersion:
    """A new draft of a published adaptation, on the same standard version (to keep editing)."""
    version = CourseVersion.objects.select_related("course").get(pk=version.pk)
    check_actor(actor, "catalogue.change_adaptation", version)
    if version.course.kind != CourseKind.ADAPTATION:
        raise DomainError(_("This is not an adaptation."))
    return catalogue_services.derive_version(version, actor=actor)


@transaction.atomic
def discard_adaptation_draft(version: CourseVersion, *, actor: Any) -> Course | None:
    """Delete a draft adaptation version (the adaptation itself when it was its only version)."""
    version = _lock_draft(version)
    check_actor(actor, "catalogue.change_adaptation", version)
    return catalogue_services.discard_draft(version, actor=actor)
