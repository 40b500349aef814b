"""Tags get a unique normalised key; lessons keep their tag names for the full-text index."""

import unicodedata

from django.db import migrations, models


def _key(name):
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()[:60]


def fill_keys(apps, schema_editor):
    Tag = apps.get_model("knowledge", "Tag")
    Lesson = apps.get_model("knowledge", "Lesson")
    seen = {}
    for tag in Tag.objects.order_by("id"):
        key = _key(tag.name)
        if key in seen:  # a case variant of an earlier tag: move its lessons there
            keep = seen[key]
            for lesson in Lesson.objects.filter(tags=tag):
                lesson.tags.add(keep)
            tag.delete()
            continue
        tag.key = key
        tag.save(update_fields=["key"])
        seen[key] = tag
    for lesson in Lesson.objects.prefetch_related("tags"):
        lesson.search_tags = " ".join(sorted(t.name for t in lesson.tags.all()))
        lesson.save(update_fields=["search_tags"])


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="lesson",
            name="search_tags",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="tag",
            name="key",
            field=models.CharField(editable=False, max_length=60, null=True),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="tag",
            name="key",
            field=models.CharField(editable=False, max_length=60, unique=True),
        ),
        migrations.AddIndex(
            model_name="lesson",
            index=models.Index(fields=["published", "created_at"], name="lesson_published_created"),
        ),
    ]
