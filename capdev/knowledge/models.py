"""Lessons learnt and good practices drawn from the portfolio, searchable in full text.

Full-text search uses PostgreSQL's text search on PostgreSQL and an FTS5 index on SQLite (see
`search.py`); both rank results and return highlighted snippets.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from capdev.core.models import TimeStampedModel
from capdev.knowledge.querysets import LessonQuerySet, TagQuerySet


class LessonKind(models.TextChoices):
    LESSON = "lesson", _("Lesson learnt")
    GOOD_PRACTICE = "good_practice", _("Good practice")


class Tag(models.Model):
    """A free keyword for lessons. Written freely, stored once: `key` (the name case-folded, with
    spaces collapsed) is unique, so "ToT", "tot" and " ToT " are one tag (see services.tag_key)."""

    name = models.CharField(_("tag"), max_length=60, unique=True)
    key = models.CharField(max_length=60, unique=True, editable=False)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Lesson(TimeStampedModel):
    """A lesson learnt or good practice, written by staff and linked to the portfolio.

    `search_tags` repeats the tag names (kept by services.set_tags) so that the full-text index,
    which sees one row at a time, covers the tags. The index itself is outside the model: a
    generated `search_vector` column on PostgreSQL and the `capdev_lesson_fts` FTS5 table on
    SQLite, both created by migration 0003 (see search.py).
    """

    kind = models.CharField(_("kind"), max_length=14, choices=LessonKind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=8, default="en")
    actions = models.ManyToManyField(
        "actions.Action", blank=True, related_name="lessons", verbose_name=_("Actions")
    )
    thematic_areas = models.ManyToManyField(
        "reference.ThematicArea", blank=True, related_name="lessons", verbose_name=_("thematic areas")
    )
    countries = models.ManyToManyField(
        "reference.Country", blank=True, related_name="lessons", verbose_name=_("countries")
    )
    activity_types = models.JSONField(_("activity types"), default=list, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="lessons", verbose_name=_("tags"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published = models.BooleanField(_("published"), default=True, db_index=True)
    search_tags = models.TextField(blank=True, default="", editable=False)
    demo_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["published", "created_at"], name="lesson_published_created"),
            models.Index(fields=["-created_at", "-id"], name="lesson_newest_first"),
        ]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:lesson-detail", args=[self.pk])

    @property
    def activity_type_labels(self) -> list[str]:
        from capdev.actions.models import ActivityType

        labels = dict(ActivityType.choices)
        return [str(labels.get(code, code)) for code in self.activity_types or []]


class LessonFts(models.Model):
    """The SQLite FTS5 index of lessons (`capdev_lesson_fts`, created by migration 0003 on
    SQLite only; it does not exist on PostgreSQL). Unmanaged: rows are written by triggers.

    `match` is FTS5's hidden column named after the table: `match = <query>` is a MATCH; `rank`
    is bm25() with the column weights configured by the migration.
    """

    lesson = models.OneToOneField(
        Lesson,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="fts",
    )
    match = models.TextField(db_column="capdev_lesson_fts")
    rank = models.FloatField(db_column="rank")

    class Meta:
        managed = False
        db_table = "capdev_lesson_fts"

    def __str__(self) -> str:
        return str(self.pk)
