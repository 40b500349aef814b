"""Helpers and constants shared by the catalogue services."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from capdev.catalogue.models import (
    CourseVersion,
    Material,
    RuleKind,
    format_number,
)
from capdev.competencies.models import (
    VersionStatus,
)
from capdev.core.errors import ConflictError, DomainError

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


def _refuse_adaptation(version: CourseVersion) -> None:
    """Adaptations are changed through capdev.catalogue.adaptations, which keeps the standard's
    core objectives; the standard-product authoring services must not bypass that."""
    from capdev.catalogue.models import CourseKind

    if version.course.kind == CourseKind.ADAPTATION:
        raise DomainError(
            _(
                "This version is an adaptation: change it on its adaptation page, which keeps the standard's core objectives."
            ),
            code="adaptation",
        )


def _lock_draft(version_id: int) -> CourseVersion:
    """The version, locked for the rest of the transaction; refused unless it is a draft."""
    version = (
        CourseVersion.objects.select_for_update(of=("self",))
        .select_related("framework_version")
        .get(pk=version_id)
    )
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
