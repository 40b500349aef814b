"""The full-text index of lessons, different on each database engine (see capdev/knowledge/search.py).

PostgreSQL: a stored generated `tsvector` column, weighted A (title), B (summary, tags) and C
(text), built with the text-search configuration of the lesson's language, and a GIN index.
SQLite: an external-content FTS5 table `capdev_lesson_fts` kept in sync by triggers, with bm25
column weights title 10, summary 4, tags 4, text 1.

The column and the FTS5 table are not model fields (they would break the other engine); the
unmanaged `LessonFts` model only lets the ORM join the FTS5 table on SQLite.

Caution for later migrations: on SQLite, a migration that rebuilds knowledge_lesson (most
AlterField operations) drops the triggers; on PostgreSQL, the type of a column the generated
column reads cannot be altered without dropping it first. Recreate the index in such a migration
(`create_index` below); tests/test_search.py checks that the triggers exist.
"""

import django.db.models.deletion
from django.db import migrations, models

# Lesson language -> PostgreSQL text-search configuration. Keep in step with search.PG_CONFIGS.
PG_CONFIGS = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "pt": "portuguese",
    "ru": "russian",
    "ar": "arabic",
}


def _pg_config_sql():
    whens = " ".join(f"WHEN '{code}' THEN '{cfg}'::regconfig" for code, cfg in PG_CONFIGS.items())
    return f"(CASE language {whens} ELSE 'simple'::regconfig END)"


def _pg_vector_sql():
    cfg = _pg_config_sql()
    return (
        f"setweight(to_tsvector({cfg}, coalesce(title, '')), 'A') || "
        f"setweight(to_tsvector({cfg}, coalesce(summary, '')), 'B') || "
        f"setweight(to_tsvector({cfg}, coalesce(search_tags, '')), 'B') || "
        f"setweight(to_tsvector({cfg}, coalesce(body, '')), 'C')"
    )


SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE capdev_lesson_fts USING fts5("
    "title, summary, search_tags, body, content='knowledge_lesson', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "INSERT INTO capdev_lesson_fts(capdev_lesson_fts, rank) VALUES('rank', 'bm25(10.0, 4.0, 4.0, 1.0)')",
    "CREATE TRIGGER knowledge_lesson_fts_ai AFTER INSERT ON knowledge_lesson BEGIN "
    "INSERT INTO capdev_lesson_fts(rowid, title, summary, search_tags, body) "
    "VALUES (new.id, new.title, new.summary, new.search_tags, new.body); END",
    "CREATE TRIGGER knowledge_lesson_fts_ad AFTER DELETE ON knowledge_lesson BEGIN "
    "INSERT INTO capdev_lesson_fts(capdev_lesson_fts, rowid, title, summary, search_tags, body) "
    "VALUES ('delete', old.id, old.title, old.summary, old.search_tags, old.body); END",
    "CREATE TRIGGER knowledge_lesson_fts_au AFTER UPDATE OF title, summary, search_tags, body "
    "ON knowledge_lesson BEGIN "
    "INSERT INTO capdev_lesson_fts(capdev_lesson_fts, rowid, title, summary, search_tags, body) "
    "VALUES ('delete', old.id, old.title, old.summary, old.search_tags, old.body); "
    "INSERT INTO capdev_lesson_fts(rowid, title, summary, search_tags, body) "
    "VALUES (new.id, new.title, new.summary, new.search_tags, new.body); END",
    "INSERT INTO capdev_lesson_fts(capdev_lesson_fts) VALUES('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS knowledge_lesson_fts_ai",
    "DROP TRIGGER IF EXISTS knowledge_lesson_fts_ad",
    "DROP TRIGGER IF EXISTS knowledge_lesson_fts_au",
    "DROP TABLE IF EXISTS capdev_lesson_fts",
]


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE knowledge_lesson ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({_pg_vector_sql()}) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX knowledge_lesson_search_vector ON knowledge_lesson USING GIN (search_vector)"
        )
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS knowledge_lesson_search_vector")
        schema_editor.execute("ALTER TABLE knowledge_lesson DROP COLUMN IF EXISTS search_vector")
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_tag_key_search_tags")]

    operations = [
        migrations.CreateModel(
            name="LessonFts",
            fields=[
                (
                    "lesson",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="fts",
                        serialize=False,
                        to="knowledge.lesson",
                    ),
                ),
                ("match", models.TextField(db_column="capdev_lesson_fts")),
                ("rank", models.FloatField(db_column="rank")),
            ],
            options={"db_table": "capdev_lesson_fts", "managed": False},
        ),
        migrations.RunPython(create_index, drop_index),
    ]
