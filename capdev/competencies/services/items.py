"""The item tree of a draft version: add, edit, move (by drag or by keyboard step), delete."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from capdev.competencies.models import (
    CompetencyItem,
    FrameworkVersion,
)
from capdev.competencies.services.common import (
    ITEM_FIELDS,
    clean_item,
    default_kind,
    item_data,
    lock_draft,
    next_code,
    parent_map,
    renumber,
    sibling_items,
    subtree_ids,
)
from capdev.core import audit
from capdev.core.errors import DomainError

_UNSET: Any = object()  # "argument not given", distinct from None (the top level)


# --------------------------------------------------------------------------------------------
# Items


@transaction.atomic
def add_item(
    version: FrameworkVersion,
    *,
    actor: Any,
    statement: str,
    parent: CompetencyItem | None = None,
    position: int | None = None,
    code: str = "",
    kind: str = "",
    nature: str = "",
    notes: str = "",
    alignments: Any = None,
) -> CompetencyItem:
    """Add an item under `parent` (a domain when None) at `position` among its siblings (last
    when None). An empty code gets the next free one after the parent's (D1, D1.2, D1.2.1)."""
    version = lock_draft(version)
    if parent is not None and parent.version_id != version.pk:
        raise DomainError(_("The parent item belongs to another version."), field="parent")
    item = CompetencyItem(
        version=version,
        parent=parent,
        code=(code or "").strip() or next_code(version, parent),
        kind=kind or default_kind(parent),
        nature=nature,
        statement=statement,
        notes=notes,
        alignments=alignments,
    )
    clean_item(item)
    siblings = sibling_items(version, parent.pk if parent else None)
    index = len(siblings) if position is None else max(0, min(int(position), len(siblings)))
    item.position = index
    renumber(siblings, gap_at=index)
    item.save()
    audit.record(
        actor,
        "competency_item.added",
        version,
        changes=audit.diff({}, audit.snapshot(item, [*ITEM_FIELDS, "parent", "position"])),
        data=item_data(item),
    )
    return item


@transaction.atomic
def update_item(item: CompetencyItem, *, actor: Any, **values: Any) -> CompetencyItem:
    """Change an item's code, level, type, statement, notes or alignments."""
    version = lock_draft(item.version)
    item = CompetencyItem.objects.select_for_update().get(pk=item.pk, version=version)
    before = audit.snapshot(item, ITEM_FIELDS)
    for name, value in values.items():
        if name not in ITEM_FIELDS:
            raise DomainError(_("Unknown field %(f)s") % {"f": name})
        setattr(item, name, value)
    clean_item(item)
    item.save()
    changes = audit.diff(before, audit.snapshot(item, ITEM_FIELDS))
    if changes:
        audit.record(actor, "competency_item.updated", version, changes=changes, data=item_data(item))
    return item


@transaction.atomic
def move_item(
    item: CompetencyItem, *, actor: Any, parent: CompetencyItem | None = _UNSET, position: int | None = None
) -> CompetencyItem:
    """Move an item (with its sub-items) under `parent` (None: to the top level; omitted: keep
    the parent) at `position` among its new siblings (last when None). Refuses cycles."""
    version = lock_draft(item.version)
    item = CompetencyItem.objects.select_for_update().get(pk=item.pk, version=version)
    new_parent_id = item.parent_id if parent is _UNSET else (parent.pk if parent is not None else None)
    if parent is not _UNSET and parent is not None and parent.version_id != version.pk:
        raise DomainError(_("The new parent belongs to another version."), field="parent")
    if new_parent_id is not None and new_parent_id in subtree_ids(item.pk, parent_map(version)):
        raise DomainError(
            _("An item cannot be moved under itself or one of its own sub-items."), field="parent"
        )
    old_parent_id, old_position = item.parent_id, item.position
    renumber(sibling_items(version, old_parent_id, exclude=item.pk))
    siblings = sibling_items(version, new_parent_id, exclude=item.pk)
    index = len(siblings) if position is None else max(0, min(int(position), len(siblings)))
    item.parent_id = new_parent_id
    item.position = index
    renumber([*siblings[:index], item, *siblings[index:]])
    item.save(update_fields=["parent", "position"])
    if (old_parent_id, old_position) != (new_parent_id, index):
        audit.record(
            actor,
            "competency_item.moved",
            version,
            changes={"parent": [old_parent_id, new_parent_id], "position": [old_position, index]},
            data=item_data(item),
        )
    return item


class Direction:
    UP = "up"
    DOWN = "down"
    INDENT = "indent"
    OUTDENT = "outdent"
    ALL = (UP, DOWN, INDENT, OUTDENT)


def shift_item(item: CompetencyItem, *, actor: Any, direction: str) -> CompetencyItem:
    """Move an item one step: up or down among its siblings, indent (under the sibling above,
    as its last sub-item) or outdent (next to its parent, just after it). The keyboard moves."""
    with transaction.atomic():
        lock_draft(item.version)
        item = CompetencyItem.objects.select_related("parent").get(pk=item.pk)
        siblings = sibling_items(item.version, item.parent_id)
        index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
        if direction == Direction.UP:
            if index == 0:
                raise DomainError(_("“%(code)s” is already the first of its group.") % {"code": item.code})
            return move_item(item, actor=actor, position=index - 1)
        if direction == Direction.DOWN:
            if index == len(siblings) - 1:
                raise DomainError(_("“%(code)s” is already the last of its group.") % {"code": item.code})
            return move_item(item, actor=actor, position=index + 1)
        if direction == Direction.INDENT:
            if index == 0:
                raise DomainError(
                    _("“%(code)s” cannot be indented: there is no item above it in its group.")
                    % {"code": item.code}
                )
            return move_item(item, actor=actor, parent=siblings[index - 1], position=None)
        if direction == Direction.OUTDENT:
            if item.parent is None:
                raise DomainError(
                    _("“%(code)s” cannot be outdented: it is already at the top level.") % {"code": item.code}
                )
            return move_item(item, actor=actor, parent=item.parent.parent, position=item.parent.position + 1)
        raise DomainError(_("Unknown move: use up, down, indent or outdent."), field="direction")


class Place:
    BEFORE = "before"
    AFTER = "after"
    INSIDE = "inside"
    ALL = (BEFORE, AFTER, INSIDE)


@transaction.atomic
def place_item(item: CompetencyItem, *, actor: Any, target: CompetencyItem, place: str) -> CompetencyItem:
    """Move an item just before or after `target`, or inside it as its last sub-item: what a
    drag and drop asks for."""
    if target.version_id != item.version_id:
        raise DomainError(_("The item was dropped on an item of another version."), field="target")
    if place == Place.INSIDE:
        return move_item(item, actor=actor, parent=target, position=None)
    if place not in Place.ALL:
        raise DomainError(_("Drop the item before, after or inside another item."), field="place")
    if target.pk == item.pk:
        return item
    siblings = sibling_items(target.version, target.parent_id, exclude=item.pk)
    index = next((i for i, s in enumerate(siblings) if s.pk == target.pk), None)
    if index is None:  # the target is inside the moving item: move_item refuses the cycle
        index = 0
    parent = CompetencyItem.objects.get(pk=target.parent_id) if target.parent_id else None
    return move_item(item, actor=actor, parent=parent, position=index if place == Place.BEFORE else index + 1)


@transaction.atomic
def delete_item(item: CompetencyItem, *, actor: Any) -> int:
    """Delete an item with all its sub-items; returns how many items were deleted."""
    version = lock_draft(item.version)
    item = CompetencyItem.objects.get(pk=item.pk, version=version)
    subtree = subtree_ids(item.pk, parent_map(version))
    data = {**item_data(item), "statement": item.statement[:200], "deleted": len(subtree)}
    try:
        item.delete()
    except ProtectedError:
        raise DomainError(
            _("“%(code)s” or one of its sub-items is mapped to a course objective: remove the mapping first.")
            % {"code": item.code}
        ) from None
    renumber(sibling_items(version, item.parent_id))
    audit.record(actor, "competency_item.deleted", version, data=data)
    return len(subtree)
