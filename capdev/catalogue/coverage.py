"""The coverage matrix of a competency framework version: which competencies each published course
(and each of its modules) develops, up to which level, and which competencies no course covers.

Rows are the framework's competencies in tree order under their domain headings; an objective
mapped to an indicator counts for the competency the indicator belongs to. Columns are the
published course versions built on the framework version (standard products and adaptations),
each optionally followed by its modules. A cell holds the highest target level any objective of
the course (or module) aims at. Six queries, whatever the size of the framework or the catalogue.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from capdev.catalogue.models import CourseKind, CourseVersion, Module, ObjectiveCompetency
from capdev.competencies.models import (
    CompetencyItem,
    FrameworkVersion,
    ItemKind,
    ProficiencyLevel,
    VersionStatus,
)

HEAT_STEPS = 4


@dataclass
class Column:
    """A course version, or one of its modules."""

    version: CourseVersion
    module: Module | None = None
    expanded: bool = False

    @property
    def key(self) -> tuple[int, int | None]:
        return (self.version.pk, self.module.pk if self.module else None)

    @property
    def label(self) -> str:
        if self.module is not None:
            return f"{self.module.position}. {self.module.title}"
        return f"{self.version.title} v{self.version.number}"

    @property
    def is_adaptation(self) -> bool:
        return self.version.course.kind == CourseKind.ADAPTATION


@dataclass
class Cell:
    level: ProficiencyLevel
    heat: int  # 1..HEAT_STEPS, for the colour; the level's name is always written too


@dataclass
class Row:
    item: CompetencyItem
    depth: int
    cells: list[Cell | None] = field(default_factory=list)
    covered: bool = False

    def cells_html(self) -> SafeString:
        """The row's cells as HTML, built here rather than in a template loop: a matrix of a
        thousand courses has tens of thousands of cells. The level's name is always written."""
        empty = format_html(
            '<td class="heat-0"><span aria-hidden="true">—</span><span class="visually-hidden">{}</span></td>',
            _("not covered"),
        )
        names: dict[int, SafeString] = {}
        out = []
        for cell in self.cells:
            if cell is None:
                out.append(empty)
                continue
            if cell.level.pk not in names:
                names[cell.level.pk] = format_html('<td class="heat-{}">{}</td>', cell.heat, cell.level.name)
            out.append(names[cell.level.pk])
        return mark_safe("".join(out))  # noqa: S308 - every piece is built by format_html


@dataclass
class Group:
    """A domain heading and the competencies under it (domain None: competencies at the top)."""

    domain: CompetencyItem | None
    depth: int
    rows: list[Row] = field(default_factory=list)


@dataclass
class CoverageMatrix:
    framework_version: FrameworkVersion
    levels: list[ProficiencyLevel]
    versions: list[CourseVersion]
    columns: list[Column]
    groups: list[Group]

    @property
    def rows(self) -> list[Row]:
        return [r for g in self.groups for r in g.rows]

    @property
    def gaps(self) -> list[CompetencyItem]:
        return [r.item for r in self.rows if not r.covered]

    @property
    def covered_count(self) -> int:
        return sum(1 for r in self.rows if r.covered)

    @property
    def legend(self) -> list[Cell]:
        return [Cell(level, _heat(level, self.levels)) for level in self.levels]


def _heat(level: ProficiencyLevel, levels: list[ProficiencyLevel]) -> int:
    rank = next((i for i, lv in enumerate(levels, start=1) if lv.pk == level.pk), 1)
    return max(1, min(HEAT_STEPS, math.ceil(rank * HEAT_STEPS / max(len(levels), 1))))


def _tree(items: list[CompetencyItem]) -> list[tuple[CompetencyItem, int]]:
    """Items in depth-first tree order with their depth."""
    children: dict[int | None, list[CompetencyItem]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    for siblings in children.values():
        siblings.sort(key=lambda i: (i.position, i.pk))
    out: list[tuple[CompetencyItem, int]] = []
    stack: list[tuple[CompetencyItem, int]] = [(i, 0) for i in reversed(children.get(None, []))]
    while stack:
        item, depth = stack.pop()
        out.append((item, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(item.pk, [])))
    return out


def coverage_matrix(
    framework_version: FrameworkVersion, *, expand: Collection[int] | None = None, expand_all: bool = False
) -> CoverageMatrix:
    """Build the matrix; `expand` lists the course versions whose modules get their own columns."""
    expand = set(expand or ())
    levels = list(ProficiencyLevel.objects.filter(version=framework_version).order_by("position"))
    items = list(
        CompetencyItem.objects.filter(version=framework_version).only(
            "id", "parent_id", "position", "code", "kind", "statement"
        )
    )
    versions = list(
        CourseVersion.objects.filter(framework_version=framework_version, status=VersionStatus.PUBLISHED)
        .select_related("course")
        .only("id", "title", "number", "languages", "course__id", "course__kind")
        .prefetch_related(
            Prefetch(
                "modules",
                queryset=Module.objects.only("id", "version_id", "position", "title").order_by(
                    "position", "pk"
                ),
            )
        )
        .order_by("-course__kind", "title", "number")  # standard products first
    )
    mappings = ObjectiveCompetency.objects.filter(
        objective__module__version__in=[v.pk for v in versions]
    ).values_list("objective__module__version_id", "objective__module_id", "competency_id", "target_level_id")

    # Rows: competencies (and indicators outside any competency) under their domains.
    tree = _tree(items)
    owner: dict[int, int] = {}  # item id -> the row (competency) it counts for
    groups: list[Group] = []
    current = Group(None, 0)
    competency_of_depth: dict[int, int] = {}
    rows_by_item: dict[int, Row] = {}
    for item, depth in tree:
        if item.kind == ItemKind.DOMAIN:
            if current.rows or current.domain is not None:
                groups.append(current)
            current = Group(item, depth)
            competency_of_depth = {d: c for d, c in competency_of_depth.items() if d < depth}
            continue
        parent_row = next(
            (competency_of_depth[d] for d in sorted(competency_of_depth, reverse=True) if d < depth), None
        )
        if item.kind == ItemKind.INDICATOR and parent_row is not None:
            owner[item.pk] = parent_row
            continue
        competency_of_depth = {d: c for d, c in competency_of_depth.items() if d < depth}
        competency_of_depth[depth] = item.pk
        owner[item.pk] = item.pk
        row = Row(item, depth)
        rows_by_item[item.pk] = row
        current.rows.append(row)
    if current.rows or current.domain is not None:
        groups.append(current)

    columns: list[Column] = []
    for v in versions:
        is_expanded = expand_all or v.pk in expand
        columns.append(Column(v, None, is_expanded))
        if is_expanded:
            columns.extend(Column(v, m) for m in v.modules.all())
    index = {c.key: i for i, c in enumerate(columns)}
    level_by_id = {lv.pk: lv for lv in levels}
    best: dict[tuple[int, int], ProficiencyLevel] = {}  # (row item id, column index) -> level

    def better(key: tuple[int, int], level: ProficiencyLevel) -> None:
        if key not in best or level.position > best[key].position:
            best[key] = level

    for version_id, module_id, competency_id, level_id in mappings:
        row_id = owner.get(competency_id)
        level = level_by_id.get(level_id)
        if row_id is None or level is None:
            continue  # a mapping outside this framework version
        better((row_id, index[(version_id, None)]), level)
        if (version_id, module_id) in index:
            better((row_id, index[(version_id, module_id)]), level)

    # One Cell per level, shared by every cell at that level; rows filled from `best` alone.
    cell_of = {lv.pk: Cell(lv, _heat(lv, levels)) for lv in levels}
    course_columns = {i for i, c in enumerate(columns) if c.module is None}
    by_row: dict[int, dict[int, Cell]] = {}
    for (row_id, column), level in best.items():
        by_row.setdefault(row_id, {})[column] = cell_of[level.pk]
    width = range(len(columns))
    for item_id, row in rows_by_item.items():
        found = by_row.get(item_id, {})
        row.cells = [found.get(i) for i in width]
        row.covered = not course_columns.isdisjoint(found)
    return CoverageMatrix(framework_version, levels, versions, columns, groups)


def _safe(value: str) -> str:
    """Neutralise spreadsheet formulas in text cells (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def coverage_csv(matrix: CoverageMatrix) -> str:
    """The matrix as CSV: one line per competency, one column per course and per module (every
    module, expanded or not), the level name in each covered cell."""
    out = io.StringIO()
    writer = csv.writer(out)
    columns = matrix.columns
    writer.writerow(
        [
            _("Domain"),
            _("Code"),
            _("Competency"),
            _("Covered"),
            *[
                _safe(f"{c.version.title} v{c.version.number}" + (f" / {c.label}" if c.module else ""))
                for c in columns
            ],
        ]
    )
    for group in matrix.groups:
        for row in group.rows:
            writer.writerow(
                [
                    _safe(group.domain.statement if group.domain else ""),
                    _safe(row.item.code),
                    _safe(row.item.statement),
                    _("yes") if row.covered else _("no"),
                    *[cell.level.name if cell else "" for cell in row.cells],
                ]
            )
    return out.getvalue()
