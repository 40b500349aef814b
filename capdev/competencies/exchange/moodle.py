"""Moodle competency framework CSV, the format of Moodle's `tool_lpimportcsv` (import and export).

One row per competency plus one framework row ("Is framework" = 1), with Moodle's exact headers.
Moodle links rows by id number ("Parent id number" → "Id number"), carries the framework's scale
("Scale values", "Scale configuration" with its proficient flags) and one taxonomy term per depth
("Taxonomy": domain, competency, indicator, skill, …).

What Moodle has no column for — a statement longer than Moodle's 100-character short name, an item
level that differs from its depth's taxonomy term, the item's type (knowledge, skill, attitude), its
alignments, and on the framework row the languages, subject, licence and level descriptions — is
written as one last line of the description, `capdev:{…json…}`. Moodle keeps and shows it as text,
so a framework that goes through Moodle and back still arrives whole; capdev reads it back and
removes it from the notes. Descriptions are exported as plain text (Moodle format 2); HTML
descriptions from Moodle are converted to text on import.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from capdev.competencies.exchange.common import (
    FrameworkData,
    ItemData,
    LevelData,
    VersionTree,
    alignment_uri,
    check_framework,
    decode_upload,
    language_codes,
    load_tree,
    parse_uuid,
    store_framework,
    web_address,
)
from capdev.competencies.exchange.errors import ProblemList
from capdev.competencies.models import FrameworkVersion, ItemKind, Nature

PARENT = "Parent id number"
IDNUMBER = "Id number"
SHORTNAME = "Shortname"
DESCRIPTION = "Description"
FORMAT = "Description format"
SCALE_VALUES = "Scale values"
SCALE_CONFIG = "Scale configuration"
RULE_TYPE = "Rule type (optional)"
RULE_OUTCOME = "Rule outcome (optional)"
RULE_CONFIG = "Rule config (optional)"
RELATED = "Cross referenced competency id numbers"
EXPORT_ID = "Exported id (optional)"
IS_FRAMEWORK = "Is framework"
TAXONOMY = "Taxonomy"
# In Moodle's order (framework_importer::list_required_headers).
HEADERS = [
    PARENT,
    IDNUMBER,
    SHORTNAME,
    DESCRIPTION,
    FORMAT,
    SCALE_VALUES,
    SCALE_CONFIG,
    RULE_TYPE,
    RULE_OUTCOME,
    RULE_CONFIG,
    RELATED,
    EXPORT_ID,
    IS_FRAMEWORK,
    TAXONOMY,
]

SHORTNAME_MAX = 100  # Moodle shortens longer short names on import
FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN, FORMAT_MARKDOWN = 0, 1, 2, 4
MARKER = "capdev:"

# Moodle's taxonomy terms (core_competency\competency_framework::TAXONOMY_*) as capdev levels and
# types. Moodle names a concept, a skill and a value where capdev says knowledge, skill, attitude.
TERM_TO_KIND = {
    "domain": ItemKind.DOMAIN,
    "level": ItemKind.DOMAIN,
    "competency": ItemKind.COMPETENCY,
    "concept": ItemKind.COMPETENCY,
    "skill": ItemKind.COMPETENCY,
    "value": ItemKind.COMPETENCY,
    "practice": ItemKind.COMPETENCY,
    "indicator": ItemKind.INDICATOR,
    "behaviour": ItemKind.INDICATOR,
    "outcome": ItemKind.INDICATOR,
    "proficiency": ItemKind.INDICATOR,
}
TERM_TO_NATURE = {"concept": Nature.KNOWLEDGE, "skill": Nature.SKILL, "value": Nature.ATTITUDE}
KIND_TO_TERM = {ItemKind.DOMAIN: "domain", ItemKind.COMPETENCY: "competency", ItemKind.INDICATOR: "indicator"}


# --- text helpers ---------------------------------------------------------------------------------


class _TextExtractor(HTMLParser):
    """Visible text of an HTML fragment: tags dropped, <br> and block ends as line breaks, runs
    of white space collapsed as a browser would, scripts and styles left out."""

    BLOCKS = frozenset(
        {"p", "div", "section", "article", "header", "footer", "blockquote", "pre", "table", "tr"}
        | {"ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6"}
    )
    SKIP = frozenset({"script", "style", "template", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n• ")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """The text of an HTML description, safe to store and show as plain text."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def with_marker(text: str, data: dict[str, Any]) -> str:
    """`text` followed by the capdev marker line carrying `data`. Nothing is added when `data` is
    empty, unless the text itself ends with a line that would be read as a marker."""
    if not data and not text.rpartition("\n")[2].startswith(MARKER + "{"):
        return text
    line = MARKER + json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"{text}\n\n{line}" if text else line


def split_marker(text: str) -> tuple[str, dict[str, Any]]:
    """(text without the marker line, the marker's data) — the exact inverse of `with_marker`."""
    head, sep, last = text.rpartition("\n")
    candidate = last if sep else text
    if not candidate.startswith(MARKER + "{"):
        return text, {}
    try:
        data = json.loads(candidate[len(MARKER) :])
    except ValueError:
        return text, {}
    if not isinstance(data, dict):
        return text, {}
    if not sep:
        return "", data
    return (head[:-1] if head.endswith("\n") else head), data


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SHORTNAME_MAX else flat[: SHORTNAME_MAX - 1].rstrip() + "…"


# --- export ---------------------------------------------------------------------------------------


def _taxonomy(tree: VersionTree) -> list[str]:
    """One Moodle term per depth: the level most items at that depth have."""
    by_depth: dict[int, Counter[str]] = defaultdict(Counter)
    for item in tree.items:
        by_depth[tree.depth[item.pk]][item.kind] += 1
    terms = []
    for depth in range(1, max(by_depth, default=0) + 1):
        counts = by_depth.get(depth) or Counter({ItemKind.COMPETENCY: 1})
        kind = max(ItemKind, key=lambda k: (counts.get(k, 0), -list(ItemKind).index(k)))
        terms.append(KIND_TO_TERM[kind])
    return terms


def _scale_columns(tree: VersionTree) -> tuple[str, str]:
    """Moodle's scale values (names joined by commas) and configuration (ids 1…n; the threshold is
    the default and it and every level above it are proficient). Moodle insists on a default and a
    proficient value: without a threshold the top level is both, and the framework row's marker
    says there is no threshold."""
    levels = tree.levels
    if not levels:
        return "", ""
    marked = next((n for n, lv in enumerate(levels, start=1) if lv.is_threshold), None)
    threshold = marked if marked is not None else len(levels)
    config: list[dict[str, Any]] = [{"scaleid": ""}]
    for n, _level in enumerate(levels, start=1):
        config.append({"id": n, "scaledefault": int(n == threshold), "proficient": int(n >= threshold)})
    names = ",".join(lv.name.replace(",", " ") for lv in levels)
    return names, json.dumps(config, separators=(",", ":"))


def _framework_marker(tree: VersionTree, title: str) -> dict[str, Any]:
    v = tree.version
    data: dict[str, Any] = {}
    if title != v.title:
        data["title"] = v.title
    if v.languages:
        data["languages"] = list(v.languages)
    for key in ("subject", "licence", "change_note"):
        if getattr(v, key):
            data[key] = getattr(v, key)
    if any(lv.description or "," in lv.name for lv in tree.levels):
        data["levels"] = [{"name": lv.name, "description": lv.description} for lv in tree.levels]
    if tree.levels and not any(lv.is_threshold for lv in tree.levels):
        data["threshold"] = None
    return data


def rows_from_tree(tree: VersionTree) -> list[list[str]]:
    v = tree.version
    taxonomy = _taxonomy(tree)
    values, config = _scale_columns(tree)
    title = _short(v.title)
    rows = [
        HEADERS,
        [
            "",
            str(v.uuid),
            title,
            with_marker(v.description, _framework_marker(tree, title)),
            str(FORMAT_PLAIN),
            values,
            config,
            "",
            "",
            "",
            "",
            "",
            "1",
            ",".join(taxonomy),
        ],
    ]
    for item in tree.items:
        parent = tree.parent_of[item.pk]
        depth = tree.depth[item.pk]
        short = _short(item.statement)
        marker: dict[str, Any] = {}
        if short != item.statement:
            marker["statement"] = item.statement
        if KIND_TO_TERM.get(item.kind) != taxonomy[depth - 1]:  # type: ignore[call-overload]
            marker["kind"] = item.kind
        if item.nature:
            marker["nature"] = item.nature
        alignments = [alignment_uri(a)[0] for a in item.alignments or []]
        if alignments:
            marker["alignments"] = alignments
        rows.append(
            [
                parent.code if parent is not None else "",
                item.code,
                short,
                with_marker(item.notes, marker),
                str(FORMAT_PLAIN),
                "",
                "",
                "",
                "0",
                "null",
                "",
                str(item.uuid),
                "",
                "",
            ]
        )
    return rows


def export_moodle_csv(version: FrameworkVersion) -> str:
    """`version` as a Moodle competency framework CSV (three queries, whatever its size)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows_from_tree(load_tree(version)))
    return out.getvalue()


# --- import ---------------------------------------------------------------------------------------


def _delimiter(text: str) -> str:
    """Moodle lets users pick comma, semicolon or tab: take the one that splits the header row into
    the most known headers."""
    first = text.split("\n", 1)[0]
    best, score = ",", -1
    for delimiter in (",", ";", "\t"):
        try:
            header = next(csv.reader([first], delimiter=delimiter))
        except (csv.Error, StopIteration):
            continue
        found = sum(1 for h in header if h.strip() in HEADERS)
        if found > score:
            best, score = delimiter, found
    return best


@lru_cache(maxsize=16)
def _where_formats(language: str | None) -> tuple[str, str]:
    return _("line %(line)d"), _("line %(line)d, column “%(column)s”")


def _where(line: int, column: str | None = None) -> str:
    """“line 14, column “Parent id number”” (translated once per language: it is called per row)."""
    line_only, with_column = _where_formats(get_language())
    if column is None:
        return line_only % {"line": line}
    return with_column % {"line": line, "column": column}


def _read_records(text: str, problems: ProblemList) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    """The header map and (first line, values) of every non-blank record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    records: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    last = 0
    try:
        for row in reader:
            start, last = last + 1, reader.line_num
            if header is None:
                header = [h.strip() for h in row]
                continue
            if any(v.strip() for v in row):
                records.append((start, row))
    except csv.Error as exc:
        problems.add(_where(reader.line_num), _("the CSV is malformed: %(reason)s") % {"reason": exc})
        return {}, []
    if header is None:
        problems.add(_where(1), _("the file is empty"))
        return {}, []
    columns: dict[str, int] = {}
    for n, name in enumerate(header):
        if name in columns:
            problems.add(_where(1, name), _("the column appears twice"))
        elif name not in HEADERS:
            problems.add(
                _where(1, name or str(n + 1)),
                _("unknown column: a Moodle competency framework CSV has the columns %(list)s")
                % {"list": ", ".join(f"“{h}”" for h in HEADERS)},
            )
        columns.setdefault(name, n)
    for name in HEADERS:
        if name not in columns:
            problems.add(_where(1), _("missing column “%(column)s”") % {"column": name})
    for line, row in records:
        if len(row) != len(header):
            problems.add(
                _where(line),
                _("%(found)d values where the header has %(expected)d columns")
                % {"found": len(row), "expected": len(header)},
            )
    return columns, records


def _description(value: str, fmt: str, line: int, problems: ProblemList) -> tuple[str, dict[str, Any], int]:
    """The text, capdev marker and Moodle format number of a description in format `fmt`."""
    fmt = fmt.strip()
    if fmt == "":
        number = FORMAT_HTML
    elif fmt.isdigit() and int(fmt) in (FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN, FORMAT_MARKDOWN):
        number = int(fmt)
    else:
        problems.add(_where(line, FORMAT), _("must be 0 (Moodle), 1 (HTML), 2 (plain text) or 4 (Markdown)"))
        number = FORMAT_HTML
    text, marker = split_marker(html_to_text(value) if number == FORMAT_HTML else value)
    return text, marker, number


def _scale(
    values: str, config: str, marker: dict[str, Any], line: int, problems: ProblemList
) -> list[LevelData]:
    names = [v.strip() for v in values.split(",")] if values.strip() else []
    threshold: int | None = None
    if names and config.strip():
        try:
            parsed = json.loads(config)
            if not isinstance(parsed, list) or not all(isinstance(p, dict) for p in parsed):
                raise ValueError
            proficient = [
                int(p["id"])
                for p in parsed[1:]
                if "id" in p and str(p.get("proficient", "0")) not in ("0", "")
            ]
        except (ValueError, TypeError, KeyError):
            problems.add(
                _where(line, SCALE_CONFIG),
                _("not a Moodle scale configuration: a JSON list such as %(example)s")
                % {"example": '[{"scaleid":"2"},{"id":2,"scaledefault":1,"proficient":1}]'},
            )
            proficient = []
        bad = [p for p in proficient if not 1 <= p <= len(names)]
        if bad:
            problems.add(
                _where(line, SCALE_CONFIG),
                _("scale item %(id)d does not exist: the scale has %(n)d values")
                % {"id": bad[0], "n": len(names)},
            )
        elif proficient:
            threshold = min(proficient)
    if "threshold" in marker and marker["threshold"] is None:
        threshold = None
    described = marker.get("levels")
    if not (isinstance(described, list) and len(described) == len(names)):
        described = [{} for _n in names]
    return [
        LevelData(
            name=str(extra.get("name") or name) if isinstance(extra, dict) else name,
            description=str(extra.get("description") or "") if isinstance(extra, dict) else "",
            location=_where(line, SCALE_VALUES),
            is_threshold=threshold == n,
        )
        for n, (name, extra) in enumerate(zip(names, described, strict=True), start=1)
    ]


def _truthy(value: str) -> bool:
    """PHP's truthiness of a CSV value, as Moodle reads "Is framework"."""
    return value.strip() not in ("", "0")


def read_moodle_csv(text: str, problems: ProblemList) -> FrameworkData | None:
    columns, records = _read_records(text, problems)
    if problems:
        return None

    def get(row: list[str], column: str) -> str:
        return row[columns[column]]

    framework_rows = [(line, row) for line, row in records if _truthy(get(row, IS_FRAMEWORK))]
    if not framework_rows:
        problems.add(
            _("column “%(column)s”") % {"column": IS_FRAMEWORK},
            _("no framework row: one row must have “Is framework” = 1"),
        )
        return None
    for line, _row in framework_rows[1:]:
        problems.add(
            _where(line, IS_FRAMEWORK),
            _("a second framework row (the first is on line %(line)d)") % {"line": framework_rows[0][0]},
        )
    line, row = framework_rows[0]
    description, marker, _fmt = _description(get(row, DESCRIPTION), get(row, FORMAT), line, problems)
    languages = marker.get("languages")
    data = FrameworkData(
        title=str(marker.get("title") or get(row, SHORTNAME).strip()),
        title_location=_where(line, SHORTNAME),
        source="moodle",
        description=description,
        languages=language_codes(languages) if isinstance(languages, list) else [],
        subject=str(marker.get("subject") or ""),
        licence=str(marker.get("licence") or ""),
        change_note=str(marker.get("change_note") or ""),
        identifier=parse_uuid(get(row, IDNUMBER).strip()),
        identifier_location=_where(line, IDNUMBER),
    )
    data.levels = _scale(get(row, SCALE_VALUES), get(row, SCALE_CONFIG), marker, line, problems)
    taxonomy = [t.strip().lower() for t in get(row, TAXONOMY).split(",")]
    unknown_terms = [t for t in taxonomy if t and t not in TERM_TO_KIND]
    if unknown_terms:
        problems.add(
            _where(line, TAXONOMY),
            _("unknown taxonomy term “%(term)s”: Moodle's terms are %(list)s")
            % {"term": unknown_terms[0], "list": ", ".join(sorted(TERM_TO_KIND))},
        )
    markers: dict[str, dict[str, Any]] = {}
    counts: Counter[str] = Counter()
    siblings: Counter[str] = Counter()
    for line, row in records:
        if _truthy(get(row, IS_FRAMEWORK)):
            continue
        idnumber = get(row, IDNUMBER).strip()
        shortname = get(row, SHORTNAME).strip()
        if not idnumber:
            problems.add(_where(line, IDNUMBER), _("missing"))
            continue
        notes, item_marker, fmt = _description(get(row, DESCRIPTION), get(row, FORMAT), line, problems)
        statement = str(item_marker.get("statement") or shortname)
        if not statement:
            problems.add(_where(line, SHORTNAME), _("missing"))
        if fmt == FORMAT_HTML and " ".join(notes.split()) == " ".join(statement.split()):
            notes = ""  # Moodle often repeats the short name as the HTML description
        parent = get(row, PARENT).strip() or None
        alignments = item_marker.get("alignments")
        item = ItemData(
            key=idnumber,
            location=_where(line),
            code=idnumber,
            code_location=_where(line, IDNUMBER),
            statement=statement,
            notes=notes,
            parent_key=parent,
            parent_location=_where(line, PARENT),
            position=siblings[parent or ""],
            kind=str(item_marker.get("kind") or ""),
            nature=str(item_marker.get("nature") or ""),
            alignments=[u for u in (web_address(a) for a in alignments or []) if u]
            if isinstance(alignments, list)
            else [],
            identifier=parse_uuid(get(row, EXPORT_ID).strip()),
        )
        siblings[parent or ""] += 1
        markers[idnumber] = item_marker
        data.items.append(item)
        counts["related"] += 1 if get(row, RELATED).strip() else 0
        counts["rules"] += 1 if get(row, RULE_TYPE).strip() else 0
        counts["scales"] += 1 if get(row, SCALE_VALUES).strip() else 0
    data.notices += _notices(counts)
    data.taxonomy = taxonomy
    return data


def _notices(counts: Counter[str]) -> list[str]:
    out = []
    if counts["related"]:
        out.append(
            _("Cross-referenced competencies on %(n)d rows were not imported: capdev has no such link.")
            % {"n": counts["related"]}
        )
    if counts["rules"]:
        out.append(_("Completion rules on %(n)d rows were not imported.") % {"n": counts["rules"]})
    if counts["scales"]:
        out.append(
            _("Scales of %(n)d single competencies were not imported: capdev has one scale per framework.")
            % {"n": counts["scales"]}
        )
    return out


def _apply_taxonomy(data: FrameworkData) -> None:
    """Levels and types from the taxonomy term of each item's depth, unless the marker set them."""
    taxonomy = data.taxonomy
    by_key = {i.key: i for i in data.items}
    depth: dict[str, int] = {}
    for item in data.items:
        chain, node = [], item
        while node.key not in depth:
            chain.append(node)
            if node.parent_key is None:
                break
            node = by_key[node.parent_key]
        d = depth.get(node.key, 0)
        for n in reversed(chain):
            d += 1
            depth[n.key] = d
    for item in data.items:
        d = depth[item.key]
        term = taxonomy[d - 1] if d - 1 < len(taxonomy) and taxonomy[d - 1] else "competency"
        if not item.kind:
            item.kind = TERM_TO_KIND.get(term, ItemKind.COMPETENCY)
        if not item.nature and term in TERM_TO_NATURE:
            item.nature = TERM_TO_NATURE[term]


def parse_moodle_csv(file_bytes: bytes) -> FrameworkData:
    """Check a Moodle CSV completely (size, encoding, headers, rows, tree) without writing anything."""
    text = decode_upload(file_bytes)
    problems = ProblemList()
    data = read_moodle_csv(text, problems)
    if data is not None:
        check_framework(data, problems)
    problems.raise_if_any()
    assert data is not None
    _apply_taxonomy(data)
    return data


@transaction.atomic
def import_moodle_csv(
    file_bytes: bytes, *, actor: Any, owner: Any, filename: str = "", notices: list[str] | None = None
) -> FrameworkVersion:
    """Import a Moodle competency framework CSV as a new draft version and return it.

    The file must be at most MAX_IMPORT_BYTES of UTF-8 CSV with Moodle's headers, one framework row,
    unique id numbers, parents that exist and no cycle; otherwise ImportRejected lists every problem
    (line and column) and nothing is written. An "Id number" on the framework row equal to a stored
    version's uuid (as capdev exports it) makes the import the next draft of that framework.
    """
    data = parse_moodle_csv(file_bytes)
    version = store_framework(data, actor=actor, owner=owner, filename=filename)
    if notices is not None:
        notices.extend(data.notices)
    return version
