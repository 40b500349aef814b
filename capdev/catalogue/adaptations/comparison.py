"""Reads: an adaptation side by side with its standard (kept / changed / added / removed),
the standardisation score, and whether it is behind a newer published standard version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from capdev.catalogue.adaptations.constants import ADDED, CHANGED, KEPT, REMOVED
from capdev.catalogue.models import (
    CourseKind,
    CourseVersion,
    LearningObjective,
    Module,
)
from capdev.competencies.models import VersionStatus
from capdev.core.errors import DomainError

# --------------------------------------------------------------------------------------------
# Comparison with the standard


@dataclass
class ObjectiveRow:
    """One objective, side by side: the standard's and the adaptation's (either may be None)."""

    status: str
    standard: LearningObjective | None
    adapted: LearningObjective | None
    is_core: bool = False
    moved_from: str = ""  # title of the standard module it came from, when it sits elsewhere now


@dataclass
class ModuleRow:
    """One module, side by side, with its objectives."""

    status: str
    standard: Module | None
    adapted: Module | None
    objectives: list[ObjectiveRow] = field(default_factory=list)


@dataclass
class Comparison:
    """How an adaptation version relates to the standard version it is based on."""

    version: CourseVersion
    standard: CourseVersion
    modules: list[ModuleRow]
    core_total: int
    core_retained: int
    standard_total: int
    unchanged: int
    counts: dict[str, int]
    missing_cores: list[LearningObjective]

    @property
    def score(self) -> float:
        """Share of the standard's core objectives retained (1.0 when the standard has none)."""
        return self.core_retained / self.core_total if self.core_total else 1.0

    @property
    def score_percent(self) -> int:
        return round(100 * self.score)

    @property
    def unchanged_share(self) -> float:
        return self.unchanged / self.standard_total if self.standard_total else 1.0

    @property
    def unchanged_percent(self) -> int:
        return round(100 * self.unchanged_share)


def _modules_with_objectives(version: CourseVersion) -> list[Module]:
    return list(
        Module.objects.filter(version=version)
        .order_by("position", "pk")
        .prefetch_related(
            models.Prefetch("objectives", queryset=LearningObjective.objects.order_by("position", "pk"))
        )
    )


def comparison(version: CourseVersion) -> Comparison:
    """Compare an adaptation version with the standard version it is based on (four queries).

    Objectives are matched by lineage wherever they sit; modules by lineage too. A standard
    module the adaptation no longer has is shown as removed where it stood in the standard.
    """
    if version.based_on_id is None:
        raise DomainError(_("This version is not based on a standard version."))
    standard = version.based_on
    assert standard is not None
    std_modules = _modules_with_objectives(standard)
    ada_modules = _modules_with_objectives(version)
    std_obj = {o.lineage: (o, m) for m in std_modules for o in m.objectives.all()}
    std_mod = {m.lineage: m for m in std_modules}
    present = {o.lineage for m in ada_modules for o in m.objectives.all()}
    ada_mod_lineages = {m.lineage for m in ada_modules}
    counts = {KEPT: 0, CHANGED: 0, ADDED: 0, REMOVED: 0}

    def removed_rows(std_module: Module) -> list[ObjectiveRow]:
        return [
            ObjectiveRow(REMOVED, o, None, o.is_core)
            for o in std_module.objectives.all()
            if o.lineage not in present
        ]

    rows: list[ModuleRow] = []
    for m in ada_modules:
        sm = std_mod.get(m.lineage)
        if sm is None:
            status = ADDED
        elif (m.title, m.summary) == (sm.title, sm.summary):
            status = KEPT
        else:
            status = CHANGED
        row = ModuleRow(status, sm, m)
        for o in m.objectives.all():
            match = std_obj.get(o.lineage)
            if match is None:
                row.objectives.append(ObjectiveRow(ADDED, None, o))
                continue
            so, home = match
            moved = home.title if home.lineage != m.lineage else ""
            row.objectives.append(
                ObjectiveRow(KEPT if so.text == o.text else CHANGED, so, o, so.is_core, moved)
            )
        if sm is not None:
            row.objectives += removed_rows(sm)
        rows.append(row)

    # Standard modules the adaptation dropped (or replaced): after the row of the module that
    # preceded them in the standard, so the two columns stay in the standard's order.
    for index, sm in enumerate(std_modules):
        if sm.lineage in ada_mod_lineages:
            continue
        # Objectives carried into another module (core ones kept by a replacing module) show there.
        anchor = -1
        for earlier in reversed(std_modules[:index]):
            found = [
                i
                for i, r in enumerate(rows)
                if r.standard is not None and r.standard.lineage == earlier.lineage
            ]
            if found:
                anchor = found[0]
                break
        rows.insert(anchor + 1, ModuleRow(REMOVED, sm, None, removed_rows(sm)))

    for r in rows:
        for orow in r.objectives:
            counts[orow.status] += 1
    cores = [so for so, _m in std_obj.values() if so.is_core]
    missing = [so for so in cores if so.lineage not in present]
    return Comparison(
        version=version,
        standard=standard,
        modules=rows,
        core_total=len(cores),
        core_retained=len(cores) - len(missing),
        standard_total=len(std_obj),
        unchanged=counts[KEPT],
        counts=counts,
        missing_cores=missing,
    )


def scores_for(versions: Iterable[CourseVersion]) -> dict[int, int]:
    """Standardisation score (percent) of many adaptation versions in two queries (for lists)."""
    versions = [v for v in versions if v.based_on_id]
    if not versions:
        return {}
    present: dict[int, set[UUID]] = {v.pk: set() for v in versions}
    for version_id, lineage in LearningObjective.objects.filter(
        module__version__in=[v.pk for v in versions]
    ).values_list("module__version_id", "lineage"):
        present[version_id].add(lineage)
    cores: dict[int, set[UUID]] = {}
    for version_id, lineage in LearningObjective.objects.filter(
        module__version__in={v.based_on_id for v in versions}, is_core=True
    ).values_list("module__version_id", "lineage"):
        cores.setdefault(version_id, set()).add(lineage)
    out = {}
    for v in versions:
        c = cores.get(v.based_on_id or 0, set())
        out[v.pk] = round(100 * len(c & present[v.pk]) / len(c)) if c else 100
    return out


# --------------------------------------------------------------------------------------------
# Behind the standard


def newest_published(course_id: int) -> CourseVersion | None:
    return (
        CourseVersion.objects.filter(course_id=course_id, status=VersionStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )


def behind_condition() -> Exists:
    """For annotating CourseVersions: the standard course has a newer published version than the
    one this version is based on."""
    return Exists(
        CourseVersion.objects.filter(
            course_id=OuterRef("based_on__course_id"),
            status=VersionStatus.PUBLISHED,
            number__gt=OuterRef("based_on__number"),
        )
    )


@dataclass
class VersionDiff:
    """What changed between two versions of a standard, by lineage."""

    old: CourseVersion
    new: CourseVersion
    added: list[tuple[LearningObjective, Module]] = field(default_factory=list)
    removed: list[tuple[LearningObjective, Module]] = field(default_factory=list)
    changed: list[tuple[LearningObjective, LearningObjective]] = field(default_factory=list)
    became_core: list[LearningObjective] = field(default_factory=list)
    no_longer_core: list[LearningObjective] = field(default_factory=list)
    modules_added: list[Module] = field(default_factory=list)
    modules_removed: list[Module] = field(default_factory=list)
    modules_renamed: list[tuple[Module, Module]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.added,
                self.removed,
                self.changed,
                self.became_core,
                self.no_longer_core,
                self.modules_added,
                self.modules_removed,
                self.modules_renamed,
            )
        )


def diff_versions(old: CourseVersion, new: CourseVersion) -> VersionDiff:
    """Objectives and modules added, removed and changed from `old` to `new` (four queries)."""
    old_modules, new_modules = _modules_with_objectives(old), _modules_with_objectives(new)
    result = VersionDiff(old, new)
    old_mod = {m.lineage: m for m in old_modules}
    new_mod = {m.lineage: m for m in new_modules}
    old_obj = {o.lineage: (o, m) for m in old_modules for o in m.objectives.all()}
    new_obj = {o.lineage: (o, m) for m in new_modules for o in m.objectives.all()}
    for m in new_modules:
        if m.lineage not in old_mod:
            result.modules_added.append(m)
        elif old_mod[m.lineage].title != m.title:
            result.modules_renamed.append((old_mod[m.lineage], m))
    result.modules_removed = [m for m in old_modules if m.lineage not in new_mod]
    for lineage, (o, m) in new_obj.items():
        if lineage not in old_obj:
            result.added.append((o, m))
            continue
        before = old_obj[lineage][0]
        if before.text != o.text:
            result.changed.append((before, o))
        if o.is_core and not before.is_core:
            result.became_core.append(o)
        if before.is_core and not o.is_core:
            result.no_longer_core.append(o)
    result.removed = [(o, m) for lineage, (o, m) in old_obj.items() if lineage not in new_obj]
    return result


@dataclass
class Behind:
    based_on: CourseVersion
    newest: CourseVersion
    diff: VersionDiff


def behind(version: CourseVersion) -> Behind | None:
    """Whether the standard has a newer published version than `version` is based on, and what
    changed in it; None when the adaptation is up to date."""
    base = version.based_on
    if base is None:
        return None
    newest = newest_published(base.course_id)
    if newest is None or newest.number <= base.number:
        return None
    return Behind(base, newest, diff_versions(base, newest))


def adaptation_versions(user: Any) -> models.QuerySet[CourseVersion]:
    """For the adaptations list: the newest version of each adaptation that `user` may see,
    annotated with `is_behind`."""
    visible = CourseVersion.objects.visible_to(user)
    newer = CourseVersion.objects.visible_to(user).filter(
        course=OuterRef("course"), number__gt=OuterRef("number")
    )
    return (
        visible.filter(course__kind=CourseKind.ADAPTATION)
        .filter(~Exists(newer))
        .annotate(is_behind=behind_condition())
        .select_related("course", "course__owner", "course__adapted_from", "based_on")
    )
