"""Full-text search on both engines: ranking, snippets, query syntax, index upkeep."""

from __future__ import annotations

import pytest
from django.db import connection

from capdev.knowledge import services
from capdev.knowledge.models import Lesson
from capdev.knowledge.search import (
    START,
    STOP,
    clean_query,
    fts5_query,
    safe_marked_html,
    search_lessons,
    search_results,
)
from capdev.knowledge.tests.conftest import make_lesson

pytestmark = pytest.mark.django_db


def titles(text: str, qs=None) -> list[str]:
    return [row.title for row in search_lessons(qs if qs is not None else Lesson.objects.all(), text)]


def test_a_title_match_ranks_above_a_body_match():
    make_lesson(title="Notes from the field", body="Cascade trainings reached the regions.")
    make_lesson(title="Cascade trainings need a reporting form", body="Keep it to one page.")
    make_lesson(title="Unrelated", body="Nothing about it.")
    assert titles("cascade") == ["Cascade trainings need a reporting form", "Notes from the field"]


def test_a_summary_match_ranks_above_a_body_match():
    make_lesson(title="One", summary="", body="The interpreters were booked late.")
    make_lesson(title="Two", summary="Book interpreters early.", body="Nothing else.")
    assert titles("interpreters") == ["Two", "One"]


def test_tags_are_searched(cast):
    make_lesson(title="Plain title", body="Plain text.", tags=["Sustainability"])
    assert titles("sustainability") == ["Plain title"]


def test_stemming_finds_other_forms_of_a_word():
    make_lesson(title="Training the trainers", body="Trainers were certified.")
    assert titles("trainer") == ["Training the trainers"]


def test_lessons_in_other_languages_are_found_in_their_language():
    make_lesson(title="Formation des formateurs", body="Les formateurs certifiés.", language="fr")
    make_lesson(title="Réplicas en Costa Rica", body="Las réplicas llegaron a Limón.", language="es")
    assert titles("formateur") == ["Formation des formateurs"]
    assert titles("réplica") == ["Réplicas en Costa Rica"]


def test_phrase_or_and_exclusion():
    make_lesson(title="Pilot the course", body="A pilot course precedes the roll-out.")
    make_lesson(title="Course roll-out", body="Roll-out of the course without a pilot.")
    make_lesson(title="Handover", body="The course in the yearly plan.")
    assert set(titles('"pilot course"')) == {"Pilot the course"}
    assert set(titles("handover or pilot")) == {"Pilot the course", "Course roll-out", "Handover"}
    assert set(titles("course -handover")) == {"Pilot the course", "Course roll-out"}


def test_all_words_are_required():
    make_lesson(title="Pilot", body="only one word")
    make_lesson(title="Both", body="pilot and handover")
    assert titles("pilot handover") == ["Both"]


def test_snippet_highlights_the_match_and_escapes_html():
    make_lesson(
        title="A <b>bold</b> title",
        body="Before <script>alert('x')</script> the replica & the cascade went well.",
    )
    [hit] = search_results(Lesson.objects.all(), "replica")
    html = str(hit.snippet_html)
    assert "<mark>replica</mark>" in html
    assert "<script>" not in html and "<b>" not in html
    assert "&amp;" in html or "&" not in html.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "")
    assert hit.rank > 0
    assert "<b>" not in str(hit.lesson.title_html)


def test_title_is_highlighted_and_escaped():
    make_lesson(title="Pilot <i>first</i>", body="Nothing.")
    [hit] = search_results(Lesson.objects.all(), "pilot")
    assert str(hit.lesson.title_html).startswith("<mark>Pilot</mark>")
    assert "<i>" not in str(hit.lesson.title_html)


def test_snippet_falls_back_to_the_summary_when_the_text_does_not_match():
    make_lesson(title="T", summary="The mentoring of new trainers.", body="Something else entirely.")
    [hit] = search_results(Lesson.objects.all(), "mentoring")
    assert "<mark>mentoring</mark>" in str(hit.snippet_html)


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '"unbalanced quote',
        "AND",
        "OR OR",
        "NOT",
        "pilot AND",
        "(pilot",
        "pilot)",
        "title:pilot",
        "pilot*",
        "*",
        "^pilot",
        "pilot NEAR(x",
        "-",
        "--pilot",
        "-pilot",
        "!pilot",
        "pilot & | !",
        "'; DROP TABLE knowledge_lesson; --",
        "\x00pilot",
        "pilot\ue000",
        "<mark>pilot</mark>",
        "a" * 5000,
        "   ",
        "",
        "🙂",
    ],
)
def test_bad_query_syntax_never_crashes(text):
    make_lesson(title="Pilot a standardised ToT", body="The pilot.")
    rows = list(search_lessons(Lesson.objects.all(), text))
    assert all(row.title == "Pilot a standardised ToT" for row in rows)


def test_text_without_words_or_only_exclusions_matches_nothing():
    make_lesson(title="Pilot", body="Text.")
    assert titles("!!!") == []
    assert titles("-pilot") == []


def test_search_respects_the_queryset_it_is_given(cast):
    make_lesson(title="Pilot published", body="x")
    make_lesson(title="Pilot draft", body="x", published=False)
    assert titles("pilot", Lesson.objects.visible_to(cast.focal)) == ["Pilot published"]
    assert set(titles("pilot", Lesson.objects.visible_to(cast.staff))) == {"Pilot published", "Pilot draft"}


def test_the_index_follows_edits_and_deletions(cast):
    lesson = make_lesson(title="Coaching after the course", body="x", tags=["mentoring"])
    assert titles("coaching") == ["Coaching after the course"]
    services.update_lesson(lesson, actor=cast.staff, title="Follow-up visits", tags=["follow-up"])
    assert titles("coaching") == []
    assert titles("mentoring") == []
    assert titles("visits") == ["Follow-up visits"]
    assert titles("follow-up") == ["Follow-up visits"]
    Lesson.objects.filter(pk=lesson.pk).delete()
    assert titles("visits") == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 index")
def test_sqlite_fts_table_and_triggers_exist():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'knowledge_lesson'"
        )
        triggers = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'capdev_lesson_fts'")
        (tables,) = cursor.fetchone()
    assert triggers == {"knowledge_lesson_fts_ai", "knowledge_lesson_fts_ad", "knowledge_lesson_fts_au"}
    assert tables == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL generated column")
def test_postgresql_vector_is_generated_and_indexed():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT is_generated FROM information_schema.columns "
            "WHERE table_name = 'knowledge_lesson' AND column_name = 'search_vector'"
        )
        assert cursor.fetchone() == ("ALWAYS",)
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'knowledge_lesson_search_vector'")
        assert "gin" in cursor.fetchone()[0].lower()
        # Narrow rows (migration 0004): the vector stays in the row, the text goes out of line.
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = 'knowledge_lesson'::regclass "
            "AND attname IN ('body', 'search_vector')"
        )
        assert dict(cursor.fetchall()) == {"body": "e", "search_vector": "m"}


def test_search_matches_the_pg_config_mapping_of_the_migration():
    import importlib

    from capdev.knowledge.search import PG_CONFIGS

    migration = importlib.import_module("capdev.knowledge.migrations.0003_full_text_index")
    assert migration.PG_CONFIGS == PG_CONFIGS


# --- pure functions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pilot", '"pilot"'),
        ("pilot handover", '"pilot" AND "handover"'),
        ('"pilot before" roll-out', '"pilot before" AND "roll out"'),
        ("pilot or handover", '("pilot" OR "handover")'),
        ("pilot -budget", '"pilot" NOT "budget"'),
        ("pilot -budget -fees", '"pilot" NOT ("budget" OR "fees")'),
        ('say "he said ""hi"""', '"say" AND "he said" AND "hi"'),
        ("AND OR NOT", '("AND" OR "NOT")'),
        ("title:x*", '"title x"'),
        ("-only", ""),
        ("!!!", ""),
    ],
)
def test_fts5_query_quotes_every_term(text, expected):
    assert fts5_query(text) == expected


def test_safe_marked_html_balances_and_escapes():
    assert safe_marked_html(f"a {START}b{STOP} <c>") == "a <mark>b</mark> &lt;c&gt;"
    assert safe_marked_html(f"{STOP}x{START}y") == "x<mark>y</mark>"
    assert safe_marked_html(f"{START}{START}x{STOP}{STOP}") == "<mark>x</mark>"
    assert safe_marked_html(None) == ""


def test_clean_query_drops_control_and_marker_characters():
    assert clean_query(f"\x00pi{START}lot\t  x ") == "pilot x"
    assert len(clean_query("a" * 1000)) == 200
