"""Standard products and their versions: create, describe, publish, retire, derive, discard, copy."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from capdev.catalogue.content_hooks import copy_module_content
from capdev.catalogue.models import (
    HOURS_PER_ECTS,
    CompletionRule,
    Course,
    CourseKind,
    CourseVersion,
    DeliveryMode,
    DeliveryPart,
    LearningObjective,
    Material,
    Module,
    ObjectiveCompetency,
    PartKind,
    QualificationFramework,
    RuleKind,
    format_number,
)
from capdev.catalogue.services._common import (
    VERSION_FIELDS,
    _check_fields,
    _decimal,
    _delete_files_later,
    _full_clean,
    _immutable,
    _lock_draft,
    _refuse_adaptation,
)
from capdev.competencies.models import (
    FrameworkVersion,
    VersionStatus,
)
from capdev.core import audit
from capdev.core.errors import ConflictError, DomainError
from capdev.reference.data import LANGUAGE_CODES


def _version_snapshot(version: CourseVersion) -> dict[str, Any]:
    data = audit.snapshot(version, [f for f in VERSION_FIELDS if f != "thematic_areas"])
    data["thematic_areas"] = (
        sorted(version.thematic_areas.values_list("code", flat=True)) if version.pk else []
    )
    return data


def _validate_version(version: CourseVersion) -> None:
    """Single-version rules checked on every save (publishing checks more)."""
    if not (version.title or "").strip():
        raise DomainError(_("Give the version a title."), field="title")
    version.title = version.title.strip()
    if version.mode not in DeliveryMode.values:
        raise DomainError(_("Choose how the product is delivered."), field="mode")
    languages = list(dict.fromkeys(version.languages or []))
    unknown = [code for code in languages if code not in LANGUAGE_CODES]
    if unknown:
        raise DomainError(
            _("Unknown language codes: %(codes)s.") % {"codes": ", ".join(map(str, unknown))},
            field="languages",
        )
    version.languages = languages
    for field, label in (
        ("contact_hours", _("Contact hours")),
        ("self_study_hours", _("Self-study hours")),
        ("assessment_hours", _("Assessment hours")),
    ):
        setattr(version, field, _decimal(getattr(version, field), field, label) or Decimal(0))
    if version.ects_credits is not None and version.ects_credits != "":
        credits = _decimal(version.ects_credits, "ects_credits", _("ECTS credits"))
        if credits is not None and credits <= 0:
            raise DomainError(
                _("ECTS credits must be more than 0; leave the field empty for none."), field="ects_credits"
            )
        version.ects_credits = credits
    else:
        version.ects_credits = None
    level: Any = version.qualification_level
    if level in ("", None):
        version.qualification_level = None
    else:
        try:
            level = int(level)
        except (TypeError, ValueError) as exc:
            raise DomainError(
                _("The qualification level is a number from 1 to 8."), field="qualification_level"
            ) from exc
        if not 1 <= level <= 8:
            raise DomainError(
                _("The qualification level is from 1 to 8 (EQF/MQF); %(level)s is not.") % {"level": level},
                field="qualification_level",
            )
        version.qualification_level = level
    if (
        version.qualification_framework
        and version.qualification_framework not in QualificationFramework.values
    ):
        raise DomainError(_("Choose EQF or MQF."), field="qualification_framework")
    if version.qualification_level and not version.qualification_framework:
        raise DomainError(
            _("A qualification level needs its framework: choose EQF or MQF."),
            field="qualification_framework",
        )


def _framework_check(
    version: CourseVersion, framework: FrameworkVersion | None, before_id: int | None
) -> None:
    if framework is not None and framework.status == VersionStatus.DRAFT:
        raise DomainError(
            _("Choose a published version of the competency framework; “%(fw)s” is still a draft.")
            % {"fw": framework},
            field="framework_version",
        )
    new_id = framework.pk if framework is not None else None
    if version.pk and new_id != before_id:
        if ObjectiveCompetency.objects.filter(objective__module__version=version).exists():
            raise DomainError(
                _(
                    "Objectives of this version are mapped to competencies of the current framework; "
                    "remove those mappings before changing the framework."
                ),
                field="framework_version",
            )
        if CompletionRule.objects.filter(version=version, level__isnull=False).exists():
            raise DomainError(
                _(
                    "A completion rule uses a level of the current framework's scale; remove it before "
                    "changing the framework."
                ),
                field="framework_version",
            )


# --- courses and versions ------------------------------------------------------------------------


@transaction.atomic
def create_course(
    *,
    actor: Any,
    owner: Any,
    title: str,
    mode: str = DeliveryMode.BLENDED,
    code: str = "",
    **fields: Any,
) -> CourseVersion:
    """Create a standard product and its version 1 (a draft); returns the version.

    `code` (a slug, unique) is made from the title when not given. Other keyword arguments are
    version fields (see VERSION_FIELDS).
    """
    _check_fields(fields, VERSION_FIELDS)
    if owner is None:
        raise DomainError(_("Choose the organisation that owns the product."), field="owner")
    if not (title or "").strip():
        raise DomainError(_("Give the product a title."), field="title")
    if code:
        code = slugify(code)
        if not code:
            raise DomainError(_("The code may only contain letters, digits and hyphens."), field="code")
        if Course.objects.filter(code=code).exists():
            raise ConflictError(_("The code “%(code)s” is already taken.") % {"code": code}, field="code")
    else:
        base = slugify(title)[:50] or "course"
        taken = set(Course.objects.filter(code__startswith=base).values_list("code", flat=True))
        code = base
        n = 2
        while code in taken:
            code, n = f"{base}-{n}", n + 1
    thematic = fields.pop("thematic_areas", None)
    framework = fields.get("framework_version")
    course = Course.objects.create(code=code, owner=owner, kind=CourseKind.STANDARD)
    version = CourseVersion(
        course=course, number=1, status=VersionStatus.DRAFT, title=title, mode=mode, **fields
    )
    _validate_version(version)
    _framework_check(version, framework, None)
    _full_clean(version, exclude=["course"])
    version.save()
    if thematic:
        version.thematic_areas.set(thematic)
    audit.record(actor, "course.created", course, data={"code": code, "owner": owner})
    audit.record(actor, "course_version.created", version, changes=audit.diff({}, _version_snapshot(version)))
    return version


@transaction.atomic
def update_version(version: CourseVersion, *, actor: Any, **values: Any) -> CourseVersion:
    """Change a draft's description, hours, credits or qualification (see VERSION_FIELDS)."""
    _check_fields(values, VERSION_FIELDS)
    version = _lock_draft(version.pk)
    before = _version_snapshot(version)
    before_framework = version.framework_version_id
    thematic = values.pop("thematic_areas", None)
    for name, value in values.items():
        setattr(version, name, value)
    _validate_version(version)
    _framework_check(version, version.framework_version, before_framework)
    _full_clean(version, exclude=["course"])
    version.save()
    if thematic is not None:
        version.thematic_areas.set(thematic)
    changes = audit.diff(before, _version_snapshot(version))
    if changes:
        audit.record(actor, "course_version.updated", version, changes=changes)
    return version


def ects_problem(version: CourseVersion) -> str | None:
    """The ECTS rule (1 ECTS = 25 hours), as a message when the hours do not add up."""
    if version.ects_credits is None:
        return None
    expected = Decimal(version.ects_credits) * HOURS_PER_ECTS
    total = version.total_hours
    if total == expected:
        return None
    return _(
        "%(ects)s ECTS = %(expected)s hours, but the hours add up to %(total)s "
        "(%(contact)s contact + %(self)s self-study + %(assessment)s assessment)."
    ) % {
        "ects": format_number(version.ects_credits),
        "expected": format_number(expected),
        "total": format_number(total),
        "contact": format_number(version.contact_hours),
        "self": format_number(version.self_study_hours),
        "assessment": format_number(version.assessment_hours),
    }


def publishing_problems(version: CourseVersion) -> list[DomainError]:
    """Everything that stops `version` from being published, in the order an author fixes it.

    A constant number of queries, whatever the size of the version.
    """
    problems: list[DomainError] = []

    def add(message: str, field: str | None = None) -> None:
        problems.append(DomainError(message, field=field, code="not_ready"))

    if not version.title.strip():
        add(_("Give the version a title."), "title")
    if not version.languages:
        add(_("Give at least one language the product is offered in."), "languages")
    if version.qualification_level and not version.qualification_framework:
        add(_("A qualification level needs its framework: choose EQF or MQF."), "qualification_framework")
    if version.qualification_framework and not version.qualification_level:
        add(
            _("Give the qualification level (1–8) in %(fw)s.") % {"fw": version.qualification_framework},
            "qualification_level",
        )
    ects = ects_problem(version)
    if ects:
        add(ects, "ects_credits")

    parts = list(DeliveryPart.objects.filter(version=version).order_by("position"))
    for i, part in enumerate(parts):
        if part.gates_next and i == len(parts) - 1:
            add(
                _(
                    "“%(part)s” must be completed before the next part, but no part follows it: move it "
                    "before the part it gates, or untick “must be completed before the next part”."
                )
                % {"part": part.description},
                "parts",
            )

    modules = list(
        Module.objects.filter(version=version).annotate(n=Count("objectives")).order_by("position")
    )
    if not modules:
        add(_("Add at least one module."), "modules")
    for module in modules:
        if not module.n:
            add(
                _("Module “%(module)s” has no learning objective; add at least one.")
                % {"module": module.title},
                "modules",
            )
    if version.framework_version_id:
        unmapped = (
            LearningObjective.objects.filter(module__version=version, mappings__isnull=True)
            .select_related("module")
            .order_by("module__position", "position")
        )
        for objective in unmapped:
            add(
                _(
                    "Objective “%(objective)s” (module “%(module)s”) is not mapped to any competency of "
                    "the framework."
                )
                % {"objective": str(objective), "module": objective.module.title},
                "objectives",
            )

    kinds = set(CompletionRule.objects.filter(version=version).values_list("kind", flat=True))
    if RuleKind.ONLINE_COMPLETED in kinds and not any(p.kind == PartKind.ONLINE_SELF_PACED for p in parts):
        add(
            _(
                "The rule “online part completed” needs an online self-paced part; add one or remove the rule."
            ),
            "rules",
        )
    if (
        RuleKind.PRACTICAL_CORE_LEVEL in kinds
        and not ObjectiveCompetency.objects.filter(
            objective__module__version=version, objective__is_core=True
        ).exists()
    ):
        add(
            _(
                "The rule on core competencies needs at least one core objective mapped to a competency; "
                "mark the core objectives or remove the rule."
            ),
            "rules",
        )
    return problems


class NotReadyToPublish(DomainError):
    """Publishing refused; `problems` lists every reason."""

    def __init__(self, problems: list[DomainError]) -> None:
        message = " ".join(p.message for p in problems)
        super().__init__(message, field=problems[0].field, code="not_ready")
        self.problems = problems


@transaction.atomic
def publish_version(version: CourseVersion, *, actor: Any) -> CourseVersion:
    """Publish a draft after checking it (see `publishing_problems`). The course's previously
    published version, if any, is retired: one version is on offer at a time."""
    version = _lock_draft(version.pk)
    _refuse_adaptation(version)
    problems = publishing_problems(version)
    if problems:
        raise NotReadyToPublish(problems)
    now = timezone.now()
    for old in CourseVersion.objects.select_for_update().filter(
        course_id=version.course_id, status=VersionStatus.PUBLISHED
    ):
        old.status, old.retired_at = VersionStatus.RETIRED, now
        old.save(update_fields=["status", "retired_at", "updated_at"])
        audit.record(actor, "course_version.retired", old, data={"replaced_by": version.number})
    version.status, version.published_at = VersionStatus.PUBLISHED, now
    version.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(actor, "course_version.published", version, changes={"status": ["draft", "published"]})
    return version


@transaction.atomic
def retire_version(version: CourseVersion, *, actor: Any) -> CourseVersion:
    """Withdraw a published version from offer (it stays readable)."""
    version = CourseVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.PUBLISHED:
        raise ConflictError(_("Only a published version can be retired."), code="not_published")
    version.status, version.retired_at = VersionStatus.RETIRED, timezone.now()
    version.save(update_fields=["status", "retired_at", "updated_at"])
    audit.record(actor, "course_version.retired", version, changes={"status": ["published", "retired"]})
    return version


@transaction.atomic
def derive_version(version: CourseVersion, *, actor: Any, change_note: str = "") -> CourseVersion:
    """Start the next version (a draft, number + 1) as a copy of a published or retired one.

    Modules and objectives keep their lineage, so the two versions can be compared. A course has
    at most one draft at a time.
    """
    Course.objects.select_for_update().get(pk=version.course_id)
    version = CourseVersion.objects.get(pk=version.pk)
    if version.status == VersionStatus.DRAFT:
        raise ConflictError(_("This version is a draft: change it directly."), code="is_draft")
    draft = CourseVersion.objects.filter(course_id=version.course_id, status=VersionStatus.DRAFT).first()
    if draft is not None:
        raise ConflictError(
            _("Version %(n)s is already a draft: publish or discard it before starting another.")
            % {"n": draft.number},
            code="one_draft",
        )
    number = (
        int(CourseVersion.objects.filter(course_id=version.course_id).aggregate(m=Max("number"))["m"]) + 1
    )
    new = CourseVersion.objects.create(
        course_id=version.course_id,
        number=number,
        status=VersionStatus.DRAFT,
        title=version.title,
        summary=version.summary,
        target_audience=version.target_audience,
        languages=list(version.languages),
        mode=version.mode,
        framework_version_id=version.framework_version_id,
        contact_hours=version.contact_hours,
        self_study_hours=version.self_study_hours,
        assessment_hours=version.assessment_hours,
        ects_credits=version.ects_credits,
        qualification_framework=version.qualification_framework,
        qualification_level=version.qualification_level,
        accredited_by=version.accredited_by,
        based_on_id=version.based_on_id,
        derived_from=version,
        change_note=change_note,
    )
    new.thematic_areas.set(version.thematic_areas.all())
    copy_version_content(version, new, keep_lineage=True)
    audit.record(actor, "course_version.derived", new, data={"derived_from": version})
    return new


@transaction.atomic
def discard_draft(version: CourseVersion, *, actor: Any) -> Course | None:
    """Delete a draft. A course whose only version this was is deleted with it (returns None);
    otherwise returns the course."""
    version = _lock_draft(version.pk)
    course = version.course
    files = list(Material.objects.filter(module__version=version).values_list("file", flat=True))
    audit.record(
        actor, "course_version.discarded", course, data={"number": version.number, "title": version.title}
    )
    version.delete()
    _delete_files_later(files)
    if not course.versions.exists():
        audit.record(actor, "course.deleted", None, data={"code": course.code})
        course.delete()
        return None
    return course


# --- copying -------------------------------------------------------------------------------------


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
    if target.status != VersionStatus.DRAFT:
        raise _immutable()
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
    copy_module_content(source, target, module_map)
