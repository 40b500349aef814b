"""Frameworks and their versions: create, edit, scale, publish, retire, derive, discard."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import F, Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from capdev.competencies.models import (
    CompetencyItem,
    Framework,
    FrameworkVersion,
    ItemKind,
    ProficiencyLevel,
    VersionStatus,
)
from capdev.competencies.services.common import (
    FRAMEWORK_FIELDS,
    MAX_LEVELS,
    VERSION_FIELDS,
    clean_languages,
    clean_text,
    default_scale,
    lock_draft,
    lock_version,
)
from capdev.core import audit
from capdev.core.errors import ConflictError, DomainError
from capdev.organisations.models import Organisation

# --------------------------------------------------------------------------------------------
# Frameworks and versions


@transaction.atomic
def create_framework(
    *,
    actor: Any,
    title: str,
    owner: Organisation | None,
    description: str = "",
    languages: Any = None,
    subject: str = "",
    licence: str = "",
    demo_key: str | None = None,
) -> Framework:
    """Create a framework with version 1 as a draft and the default four-level scale."""
    title = clean_text(title, field_name="title", label=_("title"), required=True, max_length=255)
    if owner is None:
        raise DomainError(_("Choose the organisation that owns the framework."), field="owner")
    framework = Framework.objects.create(title=title, owner=owner, demo_key=demo_key)
    version = FrameworkVersion(
        framework=framework,
        number=1,
        status=VersionStatus.DRAFT,
        title=title,
        description=str(description or "").strip(),
        languages=clean_languages(languages),
        subject=clean_text(subject, field_name="subject", label=_("subject"), required=False, max_length=255),
        licence=clean_text(licence, field_name="licence", label=_("licence"), required=False, max_length=255),
    )
    version.save()
    ProficiencyLevel.objects.bulk_create(
        ProficiencyLevel(version=version, position=i, **level) for i, level in enumerate(default_scale())
    )
    audit.record(
        actor,
        "framework.created",
        framework,
        changes=audit.diff({}, audit.snapshot(framework, FRAMEWORK_FIELDS)),
    )
    audit.record(
        actor,
        "framework_version.created",
        version,
        changes=audit.diff({}, audit.snapshot(version, VERSION_FIELDS)),
    )
    return framework


@transaction.atomic
def update_framework(framework: Framework, *, actor: Any, **values: Any) -> Framework:
    """Rename a framework or hand it to another owner organisation."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    before = audit.snapshot(framework, FRAMEWORK_FIELDS)
    for name, value in values.items():
        if name not in FRAMEWORK_FIELDS:
            raise DomainError(_("Unknown field %(f)s") % {"f": name})
        setattr(framework, name, value)
    framework.title = clean_text(
        framework.title, field_name="title", label=_("title"), required=True, max_length=255
    )
    if framework.owner_id is None:
        raise DomainError(_("Choose the organisation that owns the framework."), field="owner")
    framework.save()
    changes = audit.diff(before, audit.snapshot(framework, FRAMEWORK_FIELDS))
    if changes:
        audit.record(actor, "framework.updated", framework, changes=changes)
    return framework


@transaction.atomic
def update_version(version: FrameworkVersion, *, actor: Any, **values: Any) -> FrameworkVersion:
    """Change a draft's title, description, languages, subject, licence or change note."""
    version = lock_draft(version)
    before = audit.snapshot(version, VERSION_FIELDS)
    for name, value in values.items():
        if name not in VERSION_FIELDS:
            raise DomainError(_("Unknown field %(f)s") % {"f": name})
        setattr(version, name, value)
    version.title = clean_text(
        version.title, field_name="title", label=_("title"), required=True, max_length=255
    )
    version.description = str(version.description or "").strip()
    version.languages = clean_languages(version.languages)
    version.subject = clean_text(
        version.subject, field_name="subject", label=_("subject"), required=False, max_length=255
    )
    version.licence = clean_text(
        version.licence, field_name="licence", label=_("licence"), required=False, max_length=255
    )
    version.change_note = str(version.change_note or "").strip()
    version.save()
    changes = audit.diff(before, audit.snapshot(version, VERSION_FIELDS))
    if changes:
        audit.record(actor, "framework_version.updated", version, changes=changes)
    return version


@transaction.atomic
def set_scale(
    version: FrameworkVersion, *, actor: Any, levels: Sequence[Mapping[str, Any]]
) -> FrameworkVersion:
    """Replace a draft's proficiency scale by `levels`, lowest first.

    Each level is a mapping with `name`, optional `description`, `is_threshold` and `id` (an
    existing level of this version, kept with its identifier so references to it survive)."""
    version = lock_draft(version)
    if len(levels) < 2:
        raise DomainError(_("A proficiency scale needs at least two levels."), field="levels")
    if len(levels) > MAX_LEVELS:
        raise DomainError(
            _("A proficiency scale has at most %(n)d levels.") % {"n": MAX_LEVELS}, field="levels"
        )
    names: list[str] = []
    for level in levels:
        name = clean_text(
            level.get("name"), field_name="levels", label=_("level name"), required=True, max_length=100
        )
        if name.casefold() in (n.casefold() for n in names):
            raise DomainError(
                _("Two levels are called “%(name)s”: give each level its own name.") % {"name": name},
                field="levels",
            )
        names.append(name)
    thresholds = sum(1 for level in levels if level.get("is_threshold"))
    if thresholds != 1:
        raise DomainError(
            _("Mark exactly one level as the proficiency threshold (the level that counts as proficient)."),
            field="threshold",
        )
    existing = {level.pk: level for level in version.levels.all()}
    before = [
        (level.name, level.is_threshold) for level in sorted(existing.values(), key=lambda lv: lv.position)
    ]
    # Park the current rows out of the way of the unique (version, position) and threshold rules.
    version.levels.update(position=F("position") + 1000, is_threshold=False)
    for position, (name, data) in enumerate(zip(names, levels, strict=True)):
        row = existing.pop(int(data["id"]), None) if data.get("id") else None
        if row is None:
            row = ProficiencyLevel(version=version)
        row.position = position
        row.name = name
        row.description = str(data.get("description") or "").strip()
        row.is_threshold = bool(data.get("is_threshold"))
        row.save()
    try:
        for leftover in existing.values():
            leftover.delete()
    except ProtectedError:
        raise DomainError(
            _("A level you removed is used by a course objective: keep it, or change the objective first."),
            field="levels",
        ) from None
    after = [(name, bool(level.get("is_threshold"))) for name, level in zip(names, levels, strict=True)]
    if before != after:
        audit.record(
            actor,
            "framework_version.scale_changed",
            version,
            changes={"levels": [_scale_text(before), _scale_text(after)]},
        )
    return version


def _scale_text(levels: Iterable[tuple[str, bool]]) -> str:
    return " < ".join(f"{name}{' *' if threshold else ''}" for name, threshold in levels)


def publish_problems(version: FrameworkVersion) -> list[DomainError]:
    """What stops a draft from being published, each with the field to fix (empty: ready)."""
    items = list(version.items.order_by("code"))
    if not items:
        return [
            DomainError(
                _("An empty framework cannot be published: add at least one domain and its competencies."),
                field="items",
            )
        ]
    problems = []
    blank = [item.code for item in items if not item.statement.strip()]
    if blank:
        problems.append(
            DomainError(
                _("Every item needs a statement before publishing; missing in: %(codes)s.")
                % {"codes": _codes(blank)},
                field="statement",
            )
        )
    untyped = [
        item.code
        for item in items
        if item.kind in (ItemKind.COMPETENCY, ItemKind.INDICATOR) and not item.nature
    ]
    if untyped:
        problems.append(
            DomainError(
                _(
                    "Every competency and indicator needs a type (knowledge, skill or attitude) "
                    "before publishing; missing in: %(codes)s."
                )
                % {"codes": _codes(untyped)},
                field="nature",
            )
        )
    levels = list(version.levels.all())
    if len(levels) < 2 or sum(level.is_threshold for level in levels) != 1:
        problems.append(
            DomainError(
                _("Set a proficiency scale of at least two levels with one threshold before publishing."),
                field="levels",
            )
        )
    return problems


@transaction.atomic
def publish_version(version: FrameworkVersion, *, actor: Any) -> FrameworkVersion:
    """Publish a draft: it becomes immutable and readable by every user. Earlier published
    versions stay published until they are retired explicitly."""
    version = lock_version(version)
    if version.status != VersionStatus.DRAFT:
        raise ConflictError(
            _("Only a draft can be published; this version is already %(status)s.")
            % {"status": version.get_status_display().lower()}
        )
    problems = publish_problems(version)
    if problems:
        raise problems[0]
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(
        actor,
        "framework_version.published",
        version,
        changes={"status": ["draft", "published"]},
        data={"item_count": version.items.count()},
    )
    return version


def _codes(codes: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(codes[:limit])
    if len(codes) > limit:
        shown += " " + _("and %(n)d more") % {"n": len(codes) - limit}
    return shown


@transaction.atomic
def retire_version(version: FrameworkVersion, *, actor: Any) -> FrameworkVersion:
    """Retire a published version: it stays readable (courses built on it keep working) but is
    no longer offered for new work."""
    version = lock_version(version)
    if version.status != VersionStatus.PUBLISHED:
        raise ConflictError(_("Only a published version can be retired."), code="not_published")
    version.status = VersionStatus.RETIRED
    version.retired_at = timezone.now()
    version.save(update_fields=["status", "retired_at", "updated_at"])
    audit.record(actor, "framework_version.retired", version, changes={"status": ["published", "retired"]})
    return version


@transaction.atomic
def derive_version(version: FrameworkVersion, *, actor: Any, change_note: str = "") -> FrameworkVersion:
    """A new draft (number + 1) copied from a published or retired version: same metadata, scale
    and tree; new identifiers, each item keeping the `lineage` of the item it was copied from."""
    framework = Framework.objects.select_for_update().get(pk=version.framework_id)
    version = FrameworkVersion.objects.get(pk=version.pk)
    if version.status == VersionStatus.DRAFT:
        raise ConflictError(
            _("A draft cannot be the base of a new version: edit it directly, or publish it first."),
            code="draft_source",
        )
    draft = framework.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        raise ConflictError(
            _(
                "Version %(n)d is already a draft of this framework: publish or discard it before deriving another."
            )
            % {"n": draft.number},
            code="draft_exists",
        )
    number = (framework.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    new = FrameworkVersion.objects.create(
        framework=framework,
        number=number,
        status=VersionStatus.DRAFT,
        title=version.title,
        description=version.description,
        languages=list(version.languages or []),
        subject=version.subject,
        licence=version.licence,
        change_note=str(change_note or "").strip(),
        derived_from=version,
    )
    ProficiencyLevel.objects.bulk_create(
        ProficiencyLevel(
            version=new,
            position=level.position,
            name=level.name,
            description=level.description,
            is_threshold=level.is_threshold,
        )
        for level in version.levels.all()
    )
    _copy_tree(version, new)
    audit.record(
        actor,
        "framework_version.derived",
        new,
        data={"derived_from": version.number, "item_count": new.items.count()},
    )
    return new


def _copy_tree(source: FrameworkVersion, target: FrameworkVersion) -> None:
    """Copy the items level by level (parents before children) so each copy knows its parent's id."""
    items = list(source.items.order_by("position", "id"))
    by_parent: dict[int | None, list[CompetencyItem]] = defaultdict(list)
    for item in items:
        by_parent[item.parent_id].append(item)
    new_ids: dict[int | None, int | None] = {None: None}
    layer = by_parent.get(None, [])
    while layer:
        copies = [
            CompetencyItem(
                version=target,
                lineage=item.lineage,
                parent_id=new_ids[item.parent_id],
                position=item.position,
                code=item.code,
                kind=item.kind,
                nature=item.nature,
                statement=item.statement,
                notes=item.notes,
                alignments=list(item.alignments or []),
            )
            for item in layer
        ]
        CompetencyItem.objects.bulk_create(copies)
        for original, copy in zip(layer, copies, strict=True):
            new_ids[original.pk] = copy.pk
        layer = [child for item in layer for child in by_parent.get(item.pk, [])]


@transaction.atomic
def discard_draft(version: FrameworkVersion, *, actor: Any) -> Framework:
    """Delete a draft derived from an earlier version (a framework's only version is kept)."""
    version = lock_draft(version)
    framework = version.framework
    if not framework.versions.exclude(pk=version.pk).exists():
        raise ConflictError(
            _("This is the framework's only version: edit it instead of discarding it."), code="only_version"
        )
    number = version.number
    audit.record(actor, "framework_version.discarded", framework, data={"version": number})
    try:
        version.delete()
    except ProtectedError:
        raise ConflictError(
            _("Courses are already built on this draft: move them to another version first."), code="in_use"
        ) from None
    return framework
