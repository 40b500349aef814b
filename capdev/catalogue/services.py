"""Writes on the catalogue: standard products, their versions and everything inside a version.

Every function runs in a transaction, takes the acting user as keyword-only `actor`, records an
audit event on the version it changes and raises a DomainError naming the field at fault. A
version that is not a draft never changes: every write on it is refused with the same message.
Permissions are checked by the callers (views and API), with `capdev.core.permissions.can`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID, uuid4

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from capdev.catalogue.materials import check_upload
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
from capdev.competencies.models import (
    CompetencyItem,
    FrameworkVersion,
    ItemKind,
    ProficiencyLevel,
    VersionStatus,
)
from capdev.core import audit
from capdev.core.errors import ConflictError, DomainError
from capdev.reference.data import LANGUAGE_CODES

IMMUTABLE = "Published versions cannot be changed: derive a new version."

VERSION_FIELDS = [
    "title",
    "summary",
    "target_audience",
    "thematic_areas",
    "languages",
    "mode",
    "framework_version",
    "contact_hours",
    "self_study_hours",
    "assessment_hours",
    "ects_credits",
    "qualification_framework",
    "qualification_level",
    "accredited_by",
    "change_note",
]
PART_FIELDS = ["kind", "title", "days", "weeks", "hours", "gates_next"]
MODULE_FIELDS = ["title", "summary", "part", "local_examples"]
OBJECTIVE_FIELDS = ["text", "is_core"]
PERCENT_RULES = {RuleKind.ATTENDANCE_MIN, RuleKind.POST_TEST_MIN}
POINTS_RULES = {RuleKind.PILLAR_POINTS_MIN}
LEVEL_RULES = {RuleKind.PRACTICAL_CORE_LEVEL}


# --- helpers -------------------------------------------------------------------------------------


def _immutable() -> ConflictError:
    return ConflictError(_(IMMUTABLE), code="immutable")


def _lock_draft(version_id: int) -> CourseVersion:
    """The version, locked for the rest of the transaction; refused unless it is a draft."""
    version = CourseVersion.objects.select_for_update().select_related("framework_version").get(pk=version_id)
    if version.status != VersionStatus.DRAFT:
        raise _immutable()
    return version


def _check_fields(values: dict[str, Any], allowed: list[str]) -> None:
    unknown = sorted(k for k in values if k not in allowed and k.removesuffix("_id") not in allowed)
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(unknown)})


def _decimal(value: Any, field: str, label: str, *, minimum: Decimal = Decimal(0)) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(_("%(label)s must be a number.") % {"label": label}, field=field) from exc
    if not number.is_finite() or number < minimum:
        raise DomainError(
            _("%(label)s cannot be less than %(min)s.") % {"label": label, "min": format_number(minimum)},
            field=field,
        )
    return number


def _full_clean(obj: models.Model, exclude: Iterable[str] = ()) -> None:
    """Model validation as a DomainError on the first field at fault."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(" ".join(messages), field=None if field == "__all__" else field) from exc


def _apply_order(rows: Sequence[models.Model], order: Sequence[int | str], what: str) -> bool:
    """Give `rows` the positions 1..n in the order of the primary keys in `order`. Two passes, so
    that a unique (parent, position) constraint never sees two rows at one position."""
    try:
        wanted = [int(pk) for pk in order]
    except (TypeError, ValueError) as exc:
        raise DomainError(_("The new order must list %(what)s by their ids.") % {"what": what}) from exc
    by_id = {row.pk: row for row in rows}
    if len(wanted) != len(set(wanted)) or set(wanted) != set(by_id):
        raise DomainError(
            _("The new order must list every one of the %(what)s exactly once.") % {"what": what}
        )
    if [row.pk for row in rows] == wanted:
        return False
    model = type(rows[0])
    for i, pk in enumerate(wanted):
        by_id[pk].position = 10000 + i  # type: ignore[attr-defined]
    model.objects.bulk_update(rows, ["position"])  # type: ignore[attr-defined]
    for i, pk in enumerate(wanted, start=1):
        by_id[pk].position = i  # type: ignore[attr-defined]
    model.objects.bulk_update(rows, ["position"])  # type: ignore[attr-defined]
    return True


def _next_position(qs: models.QuerySet[Any]) -> int:
    return int(qs.aggregate(m=Max("position"))["m"] or 0) + 1


def _delete_files_later(names: Iterable[str]) -> None:
    """Delete stored files once the transaction commits, unless another material still uses them
    (derived versions and adaptations share their originals' files)."""
    names = [n for n in names if n]
    if not names:
        return

    def cleanup() -> None:
        used = set(Material.objects.filter(file__in=names).values_list("file", flat=True))
        for name in set(names) - used:
            default_storage.delete(name)

    transaction.on_commit(cleanup)


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
    files = list(Material.objects.filter(module=module).values_list("file", flat=True))
    title = module.title
    module.delete()
    _renumber(list(Module.objects.filter(version=version).order_by("position", "pk")))
    _delete_files_later(files)
    audit.record(actor, "course_version.module_removed", version, data={"module": title})


def _renumber(rows: Sequence[Any]) -> None:
    """Close the gaps in positions 1..n after a removal (two passes, see `_apply_order`)."""
    if all(row.position == i for i, row in enumerate(rows, start=1)):
        return
    model = type(rows[0])
    for i, row in enumerate(rows):
        row.position = 10000 + i
    model.objects.bulk_update(rows, ["position"])
    for i, row in enumerate(rows, start=1):
        row.position = i
    model.objects.bulk_update(rows, ["position"])


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


# --- materials -----------------------------------------------------------------------------------


def _check_language(version: CourseVersion, language: str) -> None:
    if language not in LANGUAGE_CODES:
        raise DomainError(_("Choose the material's language."), field="language")
    if version.languages and language not in version.languages:
        raise DomainError(
            _("This version is not offered in that language; add it to the version's languages first."),
            field="language",
        )


@transaction.atomic
def add_material_file(
    module: Module, *, actor: Any, language: str, upload: UploadedFile, title: str = ""
) -> Material:
    """Store an uploaded file for a module in one language, after checking its size and type
    (see capdev.catalogue.materials)."""
    version = _lock_draft(module.version_id)
    _check_language(version, language)
    name = upload.name or "file"
    kind = check_upload(name, upload, upload.size or 0)
    material = Material(
        module=module,
        language=language,
        title=(title or "").strip() or name.rsplit(".", 1)[0][:255],
        content_type=kind.content_type,
        size=upload.size or 0,
    )
    material.file.save(name, upload, save=False)
    try:
        material.save()
    except Exception:
        default_storage.delete(material.file.name)
        raise
    audit.record(
        actor,
        "course_version.material_added",
        version,
        data={
            "module": module.title,
            "title": material.title,
            "language": language,
            "file": material.file.name,
        },
    )
    return material


@transaction.atomic
def add_material_link(module: Module, *, actor: Any, language: str, url: str, title: str) -> Material:
    """Add a link (https only) as a material of a module in one language."""
    version = _lock_draft(module.version_id)
    _check_language(version, language)
    url = (url or "").strip()
    try:
        URLValidator(schemes=["https"])(url)
    except ValidationError as exc:
        raise DomainError(_("Give a full web address starting with https://."), field="url") from exc
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the link a title."), field="title")
    material = Material.objects.create(module=module, language=language, title=title[:255], url=url)
    audit.record(
        actor,
        "course_version.material_added",
        version,
        data={"module": module.title, "title": title, "language": language, "url": url},
    )
    return material


@transaction.atomic
def remove_material(material: Material, *, actor: Any) -> None:
    version = _lock_draft(material.module.version_id)
    name, title = material.file.name, material.title
    material.delete()
    _delete_files_later([name] if name else [])
    audit.record(actor, "course_version.material_removed", version, data={"title": title})


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
