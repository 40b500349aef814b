"""Full-text search of lessons: ranked, with highlighted snippets, on PostgreSQL and SQLite.

One entry point, `search_lessons(queryset, text)`, returns the queryset filtered to the lessons
matching `text`, annotated with `rank` (higher is better) and ordered by it, plus the raw
highlighted fragments that `add_snippets(rows)` turns into safe HTML for the rows of one page
(the fragments are computed by the database only for the rows fetched, never for every match).

- PostgreSQL: the generated, GIN-indexed `search_vector` column (migration 0003), weighted A
  (title), B (summary and tags), C (text), built with the text-search configuration of the
  lesson's language (`PG_CONFIGS`; other languages use 'simple'). The reader's text is parsed
  with `websearch_to_tsquery` (quotes for phrases, `or`, `-word`; it never raises a syntax
  error) once per configuration, and each lesson is matched by the query in its own language.
  Rank: `ts_rank`; snippets: `ts_headline`.
- SQLite: the FTS5 table `capdev_lesson_fts` (Porter stemming, diacritics folded), ranked by
  bm25 with column weights title 10, summary 4, tags 4, text 1; snippets from `snippet()` and
  `highlight()`. The reader's text is translated into a safe FTS5 query (`fts5_query`): every
  word and phrase is quoted, so stray operators, quotes or brackets cannot cause a syntax error.

Both engines mark matches with two private-use characters; `safe_marked_html` escapes the text
and only then turns those characters into balanced `<mark>` elements.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, F, FloatField, Func, QuerySet, TextField, Value
from django.db.models.expressions import Expression
from django.utils.safestring import SafeString, mark_safe

from capdev.core.escaping import escape
from capdev.knowledge.models import Lesson

# Lesson language -> PostgreSQL text-search configuration (keep in step with migration 0003).
PG_CONFIGS = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "pt": "portuguese",
    "ru": "russian",
    "ar": "arabic",
}
START, STOP = "\ue000", "\ue001"  # private-use characters: cannot come from a keyboard
MAX_QUERY_LENGTH = 200
SNIPPET_WORDS = 28
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchHit:
    """One result of `search_results`."""

    lesson: Lesson
    rank: float
    snippet_html: SafeString


def clean_query(text: str | None) -> str:
    """The reader's text, without control characters (PostgreSQL refuses NUL), our marker
    characters or excess length."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(ch for ch in text if ch not in (START, STOP) and unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def has_words(text: str) -> bool:
    return bool(_WORD.search(text))


def search_lessons(queryset: QuerySet[Lesson], text: str) -> QuerySet[Lesson]:
    """`queryset` narrowed to the lessons matching `text`, best first, annotated with `rank`.

    Text without a word to look for (only punctuation, or only `-excluded` words) matches
    nothing, on both engines."""
    text = clean_query(text)
    if not fts5_query(text):  # no word to look for, or only exclusions
        return queryset.none()
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, text)
    return _search_sqlite(queryset, text)


def search_results(queryset: QuerySet[Lesson], text: str, limit: int = 20) -> list[SearchHit]:
    """The best `limit` matches as (lesson, rank, snippet HTML) — for callers without paging."""
    rows = list(search_lessons(queryset, text)[:limit])
    add_snippets(rows)
    return [SearchHit(row, float(row.rank), row.snippet_html) for row in rows]  # type: ignore[attr-defined]


# --- PostgreSQL ---------------------------------------------------------------------------------


def _config_groups() -> list[tuple[str, list[str]]]:
    """(configuration, lesson languages) pairs; 'simple' takes every other language."""
    groups: dict[str, list[str]] = {}
    for code, config in PG_CONFIGS.items():
        groups.setdefault(config, []).append(code)
    return list(groups.items())


class LessonSQL(Expression):
    """A fixed SQL fragment over the lesson table's columns, written `{t}."column"`, resolved
    against the query's alias for knowledge_lesson. The search's match, rank and snippet
    expressions are built once per configuration as text: composing them from ORM expressions
    (7 configurations × match, rank and 3 snippets) cost more to compile than the database took
    to run the rows query."""

    def __init__(self, sql: str, params: list[Any], output_field: Any) -> None:
        super().__init__(output_field=output_field)
        self.sql, self.params, self.alias = sql, params, None

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> Any:
        clone = self.copy()
        clone.alias = query.get_initial_alias()
        return clone

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return self.sql.format(t=compiler.quote_name_unless_alias(self.alias)), list(self.params)

    def get_group_by_cols(self) -> list[Any]:
        return [self]


def _branches() -> list[tuple[str, str]]:
    """(configuration, SQL condition on the lesson's language), 'simple' last for the others."""

    def codes(languages: list[str]) -> str:
        return ", ".join(f"'{code}'" for code in languages)  # codes of PG_CONFIGS: letters only

    out = [(config, f'{{t}}."language" IN ({codes(languages)})') for config, languages in _config_groups()]
    out.append(("simple", f'{{t}}."language" NOT IN ({codes(list(PG_CONFIGS))})'))
    return out


def _search_postgresql(queryset: QuerySet[Lesson], text: str) -> QuerySet[Lesson]:
    # ts_rank scores a query with an exclusion as 0: rank by the wanted terms alone.
    wanted = positive_text(text)
    branches = _branches()
    # Matching and ranking read every candidate: one branch per configuration, each with a
    # constant query, so that the GIN index serves each branch and the query is parsed once.
    match = " OR ".join(
        f"({condition} AND {{t}}.\"search_vector\" @@ websearch_to_tsquery('{config}'::regconfig, %s))"
        for config, condition in branches
    )
    rank = "CASE {} END".format(
        " ".join(
            f"WHEN {condition} THEN ts_rank({{t}}.\"search_vector\", websearch_to_tsquery('{config}'::regconfig, %s))"
            for config, condition in branches
        )
    )
    n = len(branches)
    # Snippets are computed only for the rows fetched (a page's): one expression per field,
    # with each lesson's own configuration.
    return (
        queryset.filter(LessonSQL(f"({match})", [text] * n, BooleanField()))
        .annotate(
            rank=LessonSQL(rank, [wanted] * n, FloatField()),
            hl_title=_headline("title", text, _TITLE_OPTIONS),
            hl_summary=_headline("summary", text, _SNIPPET_OPTIONS),
            hl_body=_headline("body", text, _SNIPPET_OPTIONS),
        )
        .order_by("-rank", "-pk")
    )


_CONFIG_SQL = (
    '(CASE {t}."language" '
    + " ".join(f"WHEN '{code}' THEN '{config}'::regconfig" for code, config in PG_CONFIGS.items())
    + " ELSE 'simple'::regconfig END)"
)


def _headline(field: str, text: str, options: str) -> LessonSQL:
    """`field` with the words of `text` marked, in the lesson's own configuration."""
    return LessonSQL(
        f'ts_headline({_CONFIG_SQL}, {{t}}."{field}", websearch_to_tsquery({_CONFIG_SQL}, %s), %s)',
        [text, options],
        TextField(),
    )


# ts_headline options, written once (the same as django.contrib.postgres.search.SearchHeadline
# would compose for each expression of each query).
_TITLE_OPTIONS = f"StartSel='{START}', StopSel='{STOP}', HighlightAll=true"
_SNIPPET_OPTIONS = (
    f"StartSel='{START}', StopSel='{STOP}', MaxWords={SNIPPET_WORDS}, MinWords=12, MaxFragments=2, "
    "FragmentDelimiter=' … '"
)


# --- SQLite FTS5 --------------------------------------------------------------------------------


def fts5_query(text: str) -> str:
    """Translate the reader's text into an FTS5 query that cannot be a syntax error.

    Words are ANDed; `"a phrase"` is a phrase; `or` between two terms is OR; `-word` (or
    `-"a phrase"`) excludes. Every term is quoted (inner quotes doubled), so FTS5 operators,
    brackets, colons or stars typed by the reader are plain text."""
    groups: list[list[str]] = [[]]
    excluded: list[str] = []
    pending_or = False
    for match in _TOKEN.finditer(text):
        negative, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None and word.lower() == "or":
            pending_or = bool(groups[-1])
            continue
        raw = phrase if phrase is not None else word
        if word is not None and word.startswith("-") and len(word) > 1:
            negative, raw = "-", word[1:]
        if not has_words(raw or ""):
            continue
        term = '"' + " ".join(_WORD.findall(raw)).replace('"', '""') + '"'
        if negative:
            excluded.append(term)
        elif pending_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    clauses = [g[0] if len(g) == 1 else "(" + " OR ".join(g) + ")" for g in groups if g]
    if not clauses:
        return ""
    query = " AND ".join(clauses)
    if excluded:
        query += " NOT " + (excluded[0] if len(excluded) == 1 else "(" + " OR ".join(excluded) + ")")
    return query


def positive_text(text: str) -> str:
    """The reader's text without its `-excluded` terms (for ranking)."""
    kept = []
    for match in _TOKEN.finditer(text):
        negative, phrase, word = match.group(1), match.group(2), match.group(3)
        if negative or (word is not None and word.startswith("-") and len(word) > 1):
            continue
        kept.append(f'"{phrase}"' if phrase is not None else word)
    return " ".join(kept)


def _fts_function(name: str, column: int, *args: Any) -> Func:
    """An FTS5 auxiliary function (highlight, snippet) on column `column` of capdev_lesson_fts;
    valid only in a query that MATCHes that table, as `_search_sqlite` does."""
    return Func(
        *[Value(a) for a in args],
        function=name,
        template=f"%(function)s(capdev_lesson_fts, {int(column)}, %(expressions)s)",
        output_field=TextField(),
    )


def _search_sqlite(queryset: QuerySet[Lesson], text: str) -> QuerySet[Lesson]:
    query = fts5_query(text)
    if not query:
        return queryset.none()
    return (
        queryset.filter(fts__match=query)
        .annotate(
            rank=-F("fts__rank"),
            hl_title=_fts_function("highlight", 0, START, STOP),
            hl_summary=_fts_function("snippet", 1, START, STOP, "…", SNIPPET_WORDS),
            hl_body=_fts_function("snippet", 3, START, STOP, "…", SNIPPET_WORDS),
        )
        .order_by("-rank", "-pk")
    )


# --- Snippets -----------------------------------------------------------------------------------


def safe_marked_html(raw: str | None) -> SafeString:
    """Escape `raw` entirely, then turn the match markers into `<mark>` elements, balanced
    whatever the input (an unmatched marker opens or closes nothing)."""
    out: list[str] = []
    open_ = False
    for part in re.split(f"([{START}{STOP}])", raw or ""):
        if part == START:
            if not open_:
                out.append("<mark>")
                open_ = True
        elif part == STOP:
            if open_:
                out.append("</mark>")
                open_ = False
        elif part:
            out.append(escape(part))
    if open_:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text was escaped above


def add_snippets(rows: Iterable[Lesson]) -> None:
    """Set `title_html` and `snippet_html` (safe HTML) on search results: the fragment of the
    text around the matches, else of the summary, else the start of the text."""
    for row in rows:
        hl_title = getattr(row, "hl_title", None)
        if hl_title is None:
            continue
        body, summary = getattr(row, "hl_body", "") or "", getattr(row, "hl_summary", "") or ""
        chosen = body if START in body else summary if START in summary else body or summary
        row.title_html = safe_marked_html(hl_title)  # type: ignore[attr-defined]
        row.snippet_html = safe_marked_html(chosen)  # type: ignore[attr-defined]


__all__ = [
    "PG_CONFIGS",
    "SearchHit",
    "add_snippets",
    "clean_query",
    "fts5_query",
    "safe_marked_html",
    "search_lessons",
    "search_results",
]
