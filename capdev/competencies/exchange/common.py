"""What both exchange formats share: the size limit, decoding, a format-neutral picture of a framework,
the checks every import runs on it, and the one writer that stores it.

An importer parses its file into a `FrameworkData` (noting each element's location in the file), the
checks here add problems for what capdev cannot store (duplicate codes, unknown parents, cycles, values
too long), and only a clean `FrameworkData` reaches `store_framework`, which writes everything with a
fixed number of queries per tree level inside the caller's transaction.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Max
from django.utils.translation import gettext as _

from capdev.competencies.exchange.errors import ImportRejected, Problem, ProblemList, too_large
from capdev.competencies.models import (
    CompetencyItem,
    Framework,
    FrameworkVersion,
    ItemKind,
    Nature,
    ProficiencyLevel,
    VersionStatus,
)
from capdev.core.audit import record

# The one limit on uploaded framework files (CASE JSON and Moodle CSV alike).
MAX_IMPORT_BYTES = 20 * 1024 * 1024

# Field lengths of the models, checked before writing so that a long value is reported, not a crash.
CODE_MAX = CompetencyItem._meta.get_field("code").max_length or 64
TITLE_MAX = FrameworkVersion._meta.get_field("title").max_length or 255
SUBJECT_MAX = FrameworkVersion._meta.get_field("subject").max_length or 255
LICENCE_MAX = FrameworkVersion._meta.get_field("licence").max_length or 255
LEVEL_NAME_MAX = ProficiencyLevel._meta.get_field("name").max_length or 100

# SQLite accepts at most 32,766 parameters per statement; stay well below on every backend.
IN_BATCH = 900

KINDS = {k.value for k in ItemKind}
NATURES = {n.value for n in Nature}


def decode_upload(data: bytes) -> str:
    """The text of an uploaded file: at most MAX_IMPORT_BYTES, UTF-8 (with or without BOM).

    Raises ImportRejected naming the line of the first byte that is not UTF-8.
    """
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRejected([too_large(len(data), MAX_IMPORT_BYTES)])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRejected(
            [
                Problem(
                    _("line %(line)d") % {"line": line},
                    _("byte %(pos)d is not valid UTF-8: save the file with the UTF-8 encoding.")
                    % {"pos": exc.start + 1},
                )
            ]
        ) from exc
    if "\x00" in text:
        raise ImportRejected(
            [Problem(_("file"), _("The file contains NUL characters: it is not a text file."))]
        )
    return text.removeprefix("\ufeff")


@dataclass
class ItemData:
    """One item as read from a file. `key` is what the file uses to link items (CASE identifier,
    Moodle id number); `identifier` the UUID the file gives it, kept as the item's uuid if free."""

    key: str
    location: str
    code: str
    statement: str
    parent_key: str | None = None
    position: int | None = None
    notes: str = ""
    kind: str = ""
    nature: str = ""
    alignments: list[str] = field(default_factory=list)
    identifier: uuid.UUID | None = None
    code_location: str = ""
    parent_location: str = ""


@dataclass
class LevelData:
    """One level of the proficiency scale as read from a file."""

    name: str
    location: str
    description: str = ""
    is_threshold: bool = False
    position: int | None = None
    identifier: uuid.UUID | None = None


@dataclass
class FrameworkData:
    """A whole framework version as read from a file, before it is checked and stored."""

    title: str
    title_location: str
    source: str  # "case" or "moodle"
    description: str = ""
    languages: list[str] = field(default_factory=list)
    subject: str = ""
    licence: str = ""
    change_note: str = ""
    identifier: uuid.UUID | None = None
    identifier_location: str = ""
    items: list[ItemData] = field(default_factory=list)
    levels: list[LevelData] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    taxonomy: list[str] = field(default_factory=list)  # Moodle: one term per depth


def parse_uuid(value: Any) -> uuid.UUID | None:
    """`value` as a UUID, or None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


# --- checks ---------------------------------------------------------------------------------------


def check_framework(data: FrameworkData, problems: ProblemList) -> None:
    """Add a problem for everything in `data` that capdev cannot store as one tree-shaped version."""
    if not data.title.strip():
        problems.add(data.title_location, _("the framework has no title"))
    elif len(data.title) > TITLE_MAX:
        problems.add(data.title_location, _("longer than %(n)d characters") % {"n": TITLE_MAX})
    if len(data.subject) > SUBJECT_MAX:
        problems.add(data.title_location, _("subject longer than %(n)d characters") % {"n": SUBJECT_MAX})
    if len(data.licence) > LICENCE_MAX:
        problems.add(data.title_location, _("licence longer than %(n)d characters") % {"n": LICENCE_MAX})
    _check_levels(data.levels, problems)
    _check_items(data.items, problems)


def _check_levels(levels: list[LevelData], problems: ProblemList) -> None:
    seen: dict[str, str] = {}
    for level in levels:
        if not level.name.strip():
            problems.add(level.location, _("the scale level has no name"))
        elif len(level.name) > LEVEL_NAME_MAX:
            problems.add(level.location, _("longer than %(n)d characters") % {"n": LEVEL_NAME_MAX})
        elif level.name in seen:
            problems.add(
                level.location,
                _("the scale level “%(name)s” appears twice (also at %(other)s)")
                % {"name": level.name, "other": seen[level.name]},
            )
        else:
            seen[level.name] = level.location
    if sum(1 for lv in levels if lv.is_threshold) > 1:
        problems.add(levels[0].location, _("more than one level is marked as the proficiency threshold"))


def _check_items(items: list[ItemData], problems: ProblemList) -> None:
    by_key: dict[str, ItemData] = {}
    for item in items:
        if item.key in by_key:
            problems.add(
                item.location,
                _("duplicate identifier “%(key)s” (first at %(other)s)")
                % {"key": item.key, "other": by_key[item.key].location},
            )
        else:
            by_key[item.key] = item
    codes: dict[str, ItemData] = {}
    for item in items:
        where = item.code_location or item.location
        if not item.statement.strip():
            problems.add(item.location, _("missing statement"))
        if item.code:
            if len(item.code) > CODE_MAX:
                problems.add(where, _("the code is longer than %(n)d characters") % {"n": CODE_MAX})
            elif item.code in codes:
                problems.add(
                    where,
                    _("duplicate code “%(code)s” (first at %(other)s)")
                    % {
                        "code": item.code,
                        "other": codes[item.code].code_location or codes[item.code].location,
                    },
                )
            else:
                codes[item.code] = item
        if item.kind and item.kind not in KINDS:
            problems.add(item.location, _("unknown level “%(kind)s”") % {"kind": item.kind})
        if item.nature and item.nature not in NATURES:
            problems.add(item.location, _("unknown type “%(nature)s”") % {"nature": item.nature})
        if item.parent_key is not None and item.parent_key not in by_key:
            problems.add(
                item.parent_location or item.location,
                _("the parent “%(parent)s” is not in the file") % {"parent": item.parent_key},
            )
    _check_cycles(items, by_key, problems)


def _check_cycles(items: list[ItemData], by_key: dict[str, ItemData], problems: ProblemList) -> None:
    """Every chain of parents must end at the top of the tree; report each cycle once."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = known to reach the top
    for start in items:
        path: list[ItemData] = []
        node: ItemData | None = start
        while node is not None and state.get(node.key) is None:
            state[node.key] = 1
            path.append(node)
            node = by_key.get(node.parent_key) if node.parent_key is not None else None
        if node is not None and state.get(node.key) == 1:
            cycle = path[[p.key for p in path].index(node.key) :]
            problems.add(
                cycle[0].parent_location or cycle[0].location,
                _("the parents form a cycle: %(cycle)s")
                % {"cycle": " → ".join([*(c.code or c.key for c in cycle), cycle[0].code or cycle[0].key])},
            )
        for p in path:
            state[p.key] = 2


# --- writing --------------------------------------------------------------------------------------


def _depths(items: list[ItemData]) -> list[list[ItemData]]:
    """The items grouped by depth (roots first), each group in file order. The tree is acyclic."""
    children: dict[str | None, list[ItemData]] = defaultdict(list)
    for item in items:
        children[item.parent_key].append(item)
    levels: list[list[ItemData]] = []
    current = children.get(None, [])
    while current:
        levels.append(current)
        current = [child for item in current for child in children.get(item.key, [])]
    return levels


def _positions(items: list[ItemData]) -> dict[str, int]:
    """Each item's position among its siblings: the file's own order numbers when they are usable
    (present, non-negative, distinct among siblings), otherwise 0, 1, 2… in the file's order (capdev
    counts positions from 0)."""
    siblings: dict[str | None, list[ItemData]] = defaultdict(list)
    for item in items:
        siblings[item.parent_key].append(item)
    out: dict[str, int] = {}
    for group in siblings.values():
        given = [i.position for i in group]
        if all(p is not None and p >= 0 for p in given) and len(set(given)) == len(given):
            out.update({i.key: i.position for i in group if i.position is not None})
        else:
            ordered = sorted(
                enumerate(group), key=lambda e: (e[1].position is None, e[1].position or 0, e[0])
            )
            out.update({item.key: n for n, (_i, item) in enumerate(ordered)})
    return out


def _fill_missing_codes(items: list[ItemData], positions: dict[str, int]) -> None:
    """Items without a code get an outline number (1, 1.2, 1.2.3) that no other item uses."""
    if all(item.code for item in items):
        return
    taken = {item.code for item in items if item.code}
    by_key = {item.key: item for item in items}
    ranks: dict[str, int] = {}
    siblings: dict[str | None, list[ItemData]] = defaultdict(list)
    for item in items:
        siblings[item.parent_key].append(item)
    for group in siblings.values():
        for n, item in enumerate(sorted(group, key=lambda i: positions[i.key]), start=1):
            ranks[item.key] = n
    for depth_group in _depths(items):
        for item in depth_group:
            if item.code:
                continue
            parent = by_key.get(item.parent_key) if item.parent_key is not None else None
            base = f"{parent.code}.{ranks[item.key]}" if parent is not None else str(ranks[item.key])
            code, n = base, 1
            while code in taken:
                n += 1
                code = f"{base}-{n}"
            item.code = code[:CODE_MAX]
            taken.add(item.code)


def _free_uuids(model: type[Any], wanted: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Those of `wanted` that no row of `model` uses yet."""
    wanted = list(dict.fromkeys(wanted))
    used: set[uuid.UUID] = set()
    for i in range(0, len(wanted), IN_BATCH):
        used.update(model.objects.filter(uuid__in=wanted[i : i + IN_BATCH]).values_list("uuid", flat=True))
    return set(wanted) - used


def _existing_lineages(wanted: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """The lineage of the stored items whose uuid is in `wanted`."""
    out: dict[uuid.UUID, uuid.UUID] = {}
    for i in range(0, len(wanted), IN_BATCH):
        out.update(
            CompetencyItem.objects.filter(uuid__in=wanted[i : i + IN_BATCH]).values_list("uuid", "lineage")
        )
    return out


def _target_framework(data: FrameworkData, owner: Any) -> tuple[Framework, int, FrameworkVersion | None]:
    """The framework the import goes into and the new version's number.

    A file whose document identifier is the uuid of a stored version becomes the next draft of that
    version's framework (refused while that framework already has a draft); any other file becomes
    a new framework owned by `owner`.
    """
    if data.identifier is not None:
        source = FrameworkVersion.objects.select_related("framework").filter(uuid=data.identifier).first()
        if source is not None:
            framework = Framework.objects.select_for_update().get(pk=source.framework_id)
            draft = framework.versions.filter(status=VersionStatus.DRAFT).order_by("number").first()
            if draft is not None:
                raise ImportRejected(
                    [
                        Problem(
                            data.identifier_location,
                            _(
                                "this file is a version of “%(framework)s”, which already has a draft "
                                "(version %(number)d): publish or delete that draft, then import again."
                            )
                            % {"framework": framework.title, "number": draft.number},
                        )
                    ]
                )
            number = (framework.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            return framework, number, source
    framework = Framework.objects.create(title=data.title, owner=owner)
    return framework, 1, None


def store_framework(data: FrameworkData, *, actor: Any, owner: Any, filename: str = "") -> FrameworkVersion:
    """Write a checked `FrameworkData` as a new draft version. Call inside a transaction.

    Identifiers from the file are kept where no stored row uses them yet; an item whose identifier
    is already used gets a new uuid but keeps that item's lineage, so versions can be compared.
    """
    framework, number, source = _target_framework(data, owner)
    version_uuid = data.identifier
    if version_uuid is None or not _free_uuids(FrameworkVersion, [version_uuid]):
        version_uuid = uuid.uuid4()
    version = FrameworkVersion.objects.create(
        framework=framework,
        uuid=version_uuid,
        number=number,
        status=VersionStatus.DRAFT,
        title=data.title,
        description=data.description,
        languages=list(data.languages),
        subject=data.subject,
        licence=data.licence,
        change_note=data.change_note,
        derived_from=source,
    )
    _store_levels(version, data.levels)
    count = _store_items(version, data.items)
    record(
        actor,
        "framework_version.imported",
        version,
        data={
            "format": data.source,
            "file": filename,
            "framework": framework.pk,
            "version": number,
            "items": count,
            "levels": len(data.levels),
            "notices": data.notices,
        },
    )
    return version


def _store_levels(version: FrameworkVersion, levels: list[LevelData]) -> None:
    given = [lv.position for lv in levels]
    keep = all(p is not None and p >= 0 for p in given) and len(set(given)) == len(given)
    free = _free_uuids(ProficiencyLevel, [lv.identifier for lv in levels if lv.identifier is not None])

    def level_uuid(lv: LevelData) -> uuid.UUID:
        if lv.identifier is not None and lv.identifier in free:
            free.discard(lv.identifier)
            return lv.identifier
        return uuid.uuid4()

    ProficiencyLevel.objects.bulk_create(
        [
            ProficiencyLevel(
                version=version,
                uuid=level_uuid(lv),
                position=lv.position if keep and lv.position is not None else n,
                name=lv.name,
                description=lv.description,
                is_threshold=lv.is_threshold,
            )
            for n, lv in enumerate(levels)
        ]
    )


def _store_items(version: FrameworkVersion, items: list[ItemData]) -> int:
    positions = _positions(items)
    _fill_missing_codes(items, positions)
    identifiers = [i.identifier for i in items if i.identifier is not None]
    lineages = _existing_lineages(identifiers)
    pk_of: dict[str, int] = {}
    assigned: set[uuid.UUID] = set()
    for group in _depths(items):
        objs: list[CompetencyItem] = []
        for item in group:
            ident = item.identifier
            kept = ident is not None and ident not in lineages and ident not in assigned
            if ident is not None:
                assigned.add(ident)
            objs.append(
                CompetencyItem(
                    version=version,
                    uuid=ident if kept and ident is not None else uuid.uuid4(),
                    lineage=lineages.get(ident, ident) if ident is not None else uuid.uuid4(),
                    parent_id=pk_of[item.parent_key] if item.parent_key is not None else None,
                    position=positions[item.key],
                    code=item.code,
                    kind=item.kind or ItemKind.COMPETENCY,
                    nature=item.nature,
                    statement=item.statement,
                    notes=item.notes,
                    alignments=list(item.alignments),
                )
            )
        created = CompetencyItem.objects.bulk_create(objs, batch_size=500)
        if any(o.pk is None for o in created):  # backends that cannot return ids from a bulk insert
            ids = dict(
                CompetencyItem.objects.filter(
                    version=version, uuid__in=[o.uuid for o in created]
                ).values_list("uuid", "pk")
            )
            for o in created:
                o.pk = ids[o.uuid]
        for item, obj in zip(group, created, strict=True):
            pk_of[item.key] = obj.pk
    return len(pk_of)


# --- reading --------------------------------------------------------------------------------------


@dataclass(slots=True)
class ItemRow:
    """An item as read for an export: the fields only, without the cost of a model instance."""

    pk: int
    uuid: UUID
    lineage: UUID
    parent_id: int | None
    position: int
    code: str
    kind: str
    nature: str
    statement: str
    notes: str
    alignments: list[Any]


# Exports take either a stored item (single-object endpoints) or a row of a loaded tree.
ItemLike = CompetencyItem | ItemRow
ROW_FIELDS = (
    "pk",
    "uuid",
    "lineage",
    "parent_id",
    "position",
    "code",
    "kind",
    "nature",
    "statement",
    "notes",
    "alignments",
)


@dataclass
class VersionTree:
    """A version with its levels and items read in two queries, items in tree (pre-)order."""

    version: FrameworkVersion
    levels: list[ProficiencyLevel]
    items: list[ItemRow]
    depth: dict[int, int]
    parent_of: dict[int, ItemRow | None]

    def children_of(self) -> dict[int | None, list[ItemRow]]:
        out: dict[int | None, list[ItemRow]] = defaultdict(list)
        for item in self.items:
            out[item.parent_id].append(item)
        return out


def load_tree(version: FrameworkVersion) -> VersionTree:
    """`version`'s scale and items, items in pre-order (each parent before its children, siblings by
    position). Two queries, whatever the size of the framework."""
    levels = list(ProficiencyLevel.objects.filter(version=version).order_by("position", "id"))
    rows = [
        ItemRow(*values)
        for values in CompetencyItem.objects.filter(version=version)
        .order_by("position", "id")
        .values_list(*ROW_FIELDS)
    ]
    children: dict[int | None, list[ItemRow]] = defaultdict(list)
    by_pk = {item.pk: item for item in rows}
    for item in rows:
        # an item whose parent is missing from the version is shown at the top rather than lost
        parent = item.parent_id if item.parent_id in by_pk else None
        children[parent].append(item)
    ordered: list[ItemRow] = []
    depth: dict[int, int] = {}
    parent_of: dict[int, ItemRow | None] = {}
    stack: list[tuple[ItemRow, int]] = [(i, 1) for i in reversed(children[None])]
    while stack:
        item, d = stack.pop()
        if item.pk in depth:
            continue
        depth[item.pk] = d
        parent_of[item.pk] = by_pk.get(item.parent_id) if item.parent_id is not None else None
        ordered.append(item)
        stack.extend((child, d + 1) for child in reversed(children.get(item.pk, [])))
    return VersionTree(version=version, levels=levels, items=ordered, depth=depth, parent_of=parent_of)


def alignment_uri(alignment: Any) -> tuple[str, str]:
    """(uri, title) of one stored alignment: a URI string, or a mapping with a "uri"/"url" key."""
    if isinstance(alignment, str):
        return alignment, alignment
    if isinstance(alignment, dict):
        uri = str(alignment.get("uri") or alignment.get("url") or "")
        return uri, str(alignment.get("title") or alignment.get("label") or uri)
    return str(alignment), str(alignment)


def web_address(value: str) -> str | None:
    """`value` stripped when it is an http(s) URI (what capdev accepts as an alignment), else None."""
    uri = str(value).strip()
    try:
        URLValidator(schemes=["http", "https"])(uri)
    except ValidationError:
        return None
    return uri


def language_codes(values: Iterable[Any]) -> list[str]:
    """Language codes as capdev stores them (en, pt-BR): ISO 639-2/3 codes such as "eng" become their
    two-letter form when there is one; duplicates and blanks are dropped."""
    out: list[str] = []
    for raw in values:
        code = str(raw or "").strip().replace("_", "-")
        if not code:
            continue
        base, _sep, region = code.partition("-")
        base = base.lower()
        if len(base) == 3:
            found = pycountry.languages.get(alpha_3=base)
            if found is not None and getattr(found, "alpha_2", None):
                base = found.alpha_2
        code = f"{base}-{region.upper()}" if region else base
        if code not in out:
            out.append(code)
    return out
