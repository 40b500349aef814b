"""Shared guards, validation and tree helpers for the competency services."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from capdev.competencies.models import (
    CompetencyItem,
    FrameworkVersion,
    ItemKind,
    Nature,
    VersionStatus,
)
from capdev.core.errors import ConflictError, DomainError

FRAMEWORK_FIELDS = ["title", "owner"]
VERSION_FIELDS = ["title", "description", "languages", "subject", "licence", "change_note"]
ITEM_FIELDS = ["code", "kind", "nature", "statement", "notes", "alignments"]
ROOT_CODE = re.compile(r"^([A-Za-z]+)\d+$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
MAX_LEVELS = 10


def default_scale() -> list[dict[str, Any]]:
    """The four-level scale every new framework starts with (DOMAIN.md)."""
    return [
        {
            "name": _("Not yet"),
            "description": _("Cannot yet do this without substantial help."),
            "is_threshold": False,
        },
        {
            "name": _("Developing"),
            "description": _("Does this with guidance; the results are still uneven."),
            "is_threshold": False,
        },
        {
            "name": _("Proficient"),
            "description": _("Does this independently, to the expected standard."),
            "is_threshold": True,
        },
        {
            "name": _("Expert"),
            "description": _("Does this with ease, adapts it to new situations and guides others."),
            "is_threshold": False,
        },
    ]


# --------------------------------------------------------------------------------------------
# Guards and validation


def immutable_error() -> ConflictError:
    return ConflictError(_("Published versions cannot be changed: derive a new version."), code="immutable")


def lock_version(version: FrameworkVersion) -> FrameworkVersion:
    return FrameworkVersion.objects.select_for_update().select_related("framework").get(pk=version.pk)


def lock_draft(version: FrameworkVersion) -> FrameworkVersion:
    """The version, locked for the rest of the transaction; refuses a non-draft."""
    locked = lock_version(version)
    if locked.status != VersionStatus.DRAFT:
        raise immutable_error()
    return locked


def clean_text(value: Any, *, field_name: str, label: str, required: bool, max_length: int = 0) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise DomainError(_("Enter the %(label)s.") % {"label": label}, field=field_name)
    if max_length and len(text) > max_length:
        raise DomainError(
            _("The %(label)s is too long: at most %(n)d characters.") % {"label": label, "n": max_length},
            field=field_name,
        )
    return text


def clean_languages(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [v for v in re.split(r"[\s,;]+", value) if v]
    if not isinstance(value, list | tuple):
        raise DomainError(_("List the languages as codes such as en, fr, pt."), field="languages")
    codes: list[str] = []
    for raw in value:
        code = str(raw).strip()
        if not LANGUAGE_CODE.match(code):
            raise DomainError(
                _("“%(code)s” is not a language code: use codes such as en, fr, pt or pt-BR.")
                % {"code": code},
                field="languages",
            )
        if code not in codes:
            codes.append(code)
    return codes


def clean_alignments(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [v for v in value.split() if v]
    if not isinstance(value, list | tuple):
        raise DomainError(_("List the alignments as web addresses (URIs)."), field="alignments")
    validate = URLValidator(schemes=["http", "https"])
    uris: list[str] = []
    for raw in value:
        uri = str(raw).strip()
        try:
            validate(uri)
        except ValidationError:
            raise DomainError(
                _("“%(uri)s” is not a web address: alignments are URIs such as an ESCO skill's address.")
                % {"uri": uri[:100]},
                field="alignments",
            ) from None
        if uri not in uris:
            uris.append(uri)
    return uris


def clean_item(item: CompetencyItem) -> None:
    """Validates and normalises an item's own fields (its place in the tree is checked apart)."""
    item.statement = clean_text(item.statement, field_name="statement", label=_("statement"), required=True)
    item.code = clean_text(item.code, field_name="code", label=_("code"), required=True, max_length=64)
    item.notes = str(item.notes or "").strip()
    if item.kind not in ItemKind.values:
        raise DomainError(_("Choose the level: domain, competency or indicator."), field="kind")
    item.nature = item.nature or ""
    if item.nature and item.nature not in Nature.values:
        raise DomainError(_("Choose the type: knowledge, skill or attitude."), field="nature")
    item.alignments = clean_alignments(item.alignments)
    duplicate = CompetencyItem.objects.filter(version_id=item.version_id, code=item.code)
    if item.pk:
        duplicate = duplicate.exclude(pk=item.pk)
    if duplicate.exists():
        raise DomainError(
            _("The code “%(code)s” is already used in this version: choose another code.")
            % {"code": item.code},
            field="code",
        )


def parent_map(version: FrameworkVersion) -> dict[int, int | None]:
    return dict(CompetencyItem.objects.filter(version=version).values_list("id", "parent_id"))


def subtree_ids(root_id: int, parents: Mapping[int, int | None]) -> set[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for item_id, parent_id in parents.items():
        children[parent_id].append(item_id)
    found = {root_id}
    stack = [root_id]
    while stack:
        for child in children.get(stack.pop(), []):
            found.add(child)
            stack.append(child)
    return found


def sibling_items(
    version: FrameworkVersion, parent_id: int | None, exclude: int | None = None
) -> list[CompetencyItem]:
    qs = CompetencyItem.objects.filter(version=version, parent_id=parent_id).order_by("position", "id")
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return list(qs)


def renumber(items: Sequence[CompetencyItem], gap_at: int | None = None) -> None:
    """Positions 0..n-1 in the given order (leaving `gap_at` free for an item about to be
    inserted there), writing only the rows that change."""
    changed = []
    for index, item in enumerate(items):
        target = index + 1 if gap_at is not None and index >= gap_at else index
        if item.position != target:
            item.position = target
            changed.append(item)
    if changed:
        CompetencyItem.objects.bulk_update(changed, ["position"])


def next_code(version: FrameworkVersion, parent: CompetencyItem | None) -> str:
    """A free code following the parent's: D1, D2 … for domains (or the letters the existing
    domains use, e.g. T7 after T1…T6), D1.1, D1.1.1 … below them."""
    used = set(CompetencyItem.objects.filter(version=version).values_list("code", flat=True))
    if parent is not None:
        prefix = f"{parent.code}."
    else:
        first = (
            CompetencyItem.objects.filter(version=version, parent=None)
            .order_by("position", "id")
            .values_list("code", flat=True)
            .first()
        )
        match = ROOT_CODE.match(first or "")
        prefix = match.group(1) if match else "D"
    n = CompetencyItem.objects.filter(version=version, parent=parent).count() + 1
    while f"{prefix}{n}" in used:
        n += 1
    return f"{prefix}{n}"


def default_kind(parent: CompetencyItem | None) -> str:
    if parent is None:
        return ItemKind.DOMAIN
    return ItemKind.COMPETENCY if parent.kind == ItemKind.DOMAIN else ItemKind.INDICATOR


def item_data(item: CompetencyItem) -> dict[str, Any]:
    return {"item": item.code, "item_uuid": item.uuid}
