"""Trigram indexes for the directory search on PostgreSQL (`icontains` uses UPPER(col) LIKE).

pg_trgm is a trusted extension (PostgreSQL 13+), so the database owner may create it. SQLite has
no equivalent; its searches scan the table, which is fast enough at a single office's scale.
"""

from django.db import migrations

COLUMNS = [
    ("people_person", "first_name"),
    ("people_person", "last_name"),
    ("people_person", "email"),
    ("organisations_organisation", "name"),
    ("organisations_organisation", "acronym"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_{column}_trgm ON {table} USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_directory_order_index"), ("organisations", "0004_list_order_index")]
    operations = [migrations.RunPython(forwards, backwards)]
