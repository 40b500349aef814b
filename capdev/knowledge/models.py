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


class LessonKind(models.TextChoices):
    LESSON = "lesson", _("Lesson learnt")
    GOOD_PRACTICE = "good_practice", _("Good practice")


class Tag(models.Model):
    """A free keyword for lessons."""

    name = models.CharField(_("tag"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Lesson(TimeStampedModel):
    """A lesson learnt or good practice, written by staff and linked to the portfolio."""

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
    demo_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:lesson-detail", args=[self.pk])
