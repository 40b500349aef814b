"""What changed between two versions of a framework, matched by item lineage."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from capdev.competencies.models import (
    CompetencyItem,
    FrameworkVersion,
    ProficiencyLevel,
)
from capdev.core.errors import DomainError

# --------------------------------------------------------------------------------------------
# Comparison


@dataclass
class ItemChange:
    """One item present in both versions (matched by lineage) that was reworded or moved."""

    old: CompetencyItem
    new: CompetencyItem
    fields: list[str] = field(default_factory=list)
    old_parent: CompetencyItem | None = None
    new_parent: CompetencyItem | None = None
    reparented: bool = False


@dataclass
class VersionComparison:
    """What changed from `old` to `new`: items added, removed, reworded (statement, notes, code,
    level or type changed) and moved (another parent, or another order among the same siblings)."""

    old: FrameworkVersion
    new: FrameworkVersion
    added: list[CompetencyItem]
    removed: list[CompetencyItem]
    reworded: list[ItemChange]
    moved: list[ItemChange]
    unchanged: int
    old_levels: list[ProficiencyLevel]
    new_levels: list[ProficiencyLevel]

    @property
    def scale_changed(self) -> bool:
        def key(levels: list[ProficiencyLevel]) -> list[tuple[str, str, bool]]:
            return [(lv.name, lv.description, lv.is_threshold) for lv in levels]

        return key(self.old_levels) != key(self.new_levels)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.reworded or self.moved or self.scale_changed)


COMPARED_FIELDS = ["code", "kind", "nature", "statement", "notes"]


def _tree_order(items: list[CompetencyItem]) -> list[CompetencyItem]:
    by_parent: dict[int | None, list[CompetencyItem]] = defaultdict(list)
    for item in sorted(items, key=lambda i: (i.position, i.pk)):
        by_parent[item.parent_id].append(item)
    ordered: list[CompetencyItem] = []
    stack = list(reversed(by_parent.get(None, [])))
    while stack:
        item = stack.pop()
        ordered.append(item)
        stack.extend(reversed(by_parent.get(item.pk, [])))
    return ordered


def _longest_increasing(values: list[int]) -> set[int]:
    """Indexes of one longest strictly increasing subsequence of `values` (patience sorting)."""
    import bisect

    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(values)
    for i, v in enumerate(values):
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tail_index.append(i)
        else:
            tails[k] = v
            tail_index[k] = i
        previous[i] = tail_index[k - 1] if k else -1
    keep: set[int] = set()
    i = tail_index[-1] if tail_index else -1
    while i != -1:
        keep.add(i)
        i = previous[i]
    return keep


def compare_versions(old: FrameworkVersion, new: FrameworkVersion) -> VersionComparison:
    """Compare two versions of one framework, matching items by lineage.

    An item is "moved" when its parent changed, or when its order among the siblings it shares
    with the other version changed; inserting or deleting a sibling does not move the others
    (the fewest items that explain the new order are reported)."""
    if old.framework_id != new.framework_id:
        raise DomainError(_("Only versions of the same framework can be compared."), field="with")
    old_items = _tree_order(list(old.items.all()))
    new_items = _tree_order(list(new.items.all()))
    old_by_pk = {i.pk: i for i in old_items}
    new_by_pk = {i.pk: i for i in new_items}
    old_by_lineage = {i.lineage: i for i in old_items}
    new_by_lineage = {i.lineage: i for i in new_items}

    def parent_lineage(item: CompetencyItem, index: Mapping[int, CompetencyItem]) -> Any:
        return index[item.parent_id].lineage if item.parent_id else None

    added = [i for i in new_items if i.lineage not in old_by_lineage]
    removed = [i for i in old_items if i.lineage not in new_by_lineage]
    reworded: list[ItemChange] = []
    moved_lineages: set[Any] = set()
    groups: dict[Any, list[CompetencyItem]] = defaultdict(list)  # new items with an unchanged parent
    for item in new_items:
        before = old_by_lineage.get(item.lineage)
        if before is None:
            continue
        changed = [f for f in COMPARED_FIELDS if getattr(before, f) != getattr(item, f)]
        if changed:
            reworded.append(
                ItemChange(
                    old=before,
                    new=item,
                    fields=changed,
                    old_parent=old_by_pk.get(before.parent_id or 0),
                    new_parent=new_by_pk.get(item.parent_id or 0),
                )
            )
        if parent_lineage(before, old_by_pk) != parent_lineage(item, new_by_pk):
            moved_lineages.add(item.lineage)
        else:
            groups[parent_lineage(item, new_by_pk)].append(item)
    reparented = set(moved_lineages)
    for siblings in groups.values():
        siblings.sort(key=lambda i: (i.position, i.pk))
        old_ranks = [old_by_lineage[i.lineage].position for i in siblings]
        keep = _longest_increasing(old_ranks)
        moved_lineages |= {s.lineage for n, s in enumerate(siblings) if n not in keep}
    moved = [
        ItemChange(
            old=old_by_lineage[item.lineage],
            new=item,
            old_parent=old_by_pk.get(old_by_lineage[item.lineage].parent_id or 0),
            new_parent=new_by_pk.get(item.parent_id or 0),
            reparented=item.lineage in reparented,
        )
        for item in new_items
        if item.lineage in moved_lineages
    ]
    unchanged = len(
        {i.lineage for i in new_items if i.lineage in old_by_lineage}
        - {c.new.lineage for c in reworded}
        - moved_lineages
    )
    return VersionComparison(
        old=old,
        new=new,
        added=added,
        removed=removed,
        reworded=reworded,
        moved=moved,
        unchanged=unchanged,
        old_levels=list(old.levels.all()),
        new_levels=list(new.levels.all()),
    )
