"""The online self-paced part of a course: lessons and SCORM packages per module, and each
participant's progress through them (DOMAIN.md, workflow 2).

Content belongs to the product: an **OnlineLesson** (a lesson), its **LessonImage**s and a module's
**ScormPackage** hang off a catalogue `Module`, so they are authored on a draft version only and
copied with the version when a new version or an adaptation is derived (the copies share the
stored files, which are never deleted while a row refers to them).

Progress belongs to the enrolment: a **LessonProgress** row records that a participant opened a
lesson and when they marked it done; a **ScormAttempt** holds the CMI data of one SCO of a
package for one enrolment (status, score, time, suspend data and location), so that the next
launch resumes where the participant left off. `capdev.learning.services.refresh_online_progress`
keeps the figures on `cohorts.Enrolment` up to date.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from capdev.core.models import TimeStampedModel
from capdev.learning.querysets import (
    LessonImageQuerySet,
    OnlineLessonQuerySet,
    ScormAttemptQuerySet,
    ScormPackageQuerySet,
)


class OnlineLesson(TimeStampedModel):
    """A lesson of a module: sanitised rich text, images, an optional video link, an estimate of
    the minutes it takes. Lessons are ordered within their module (positions 1..n)."""

    module = models.ForeignKey(
        "catalogue.Module", verbose_name=_("module"), on_delete=models.CASCADE, related_name="lessons"
    )
    # Copies of a lesson (derived versions, adaptations) share its lineage.
    lineage = models.UUIDField(default=uuid4, db_index=True, editable=False)
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=10)

    objects = OnlineLessonQuerySet.as_manager()

    class Meta:
        ordering = ["module", "position", "id"]
        verbose_name = pgettext_lazy("online course", "lesson")
        verbose_name_plural = pgettext_lazy("online course", "lessons")
        constraints = [
            models.UniqueConstraint(fields=["module", "position"], name="lesson_unique_position"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:lesson-preview", args=[self.pk])


def lesson_image_path(instance: LessonImage, filename: str) -> str:
    return f"lessons/{instance.lesson.module.version.uuid}/{uuid4().hex}/{filename}"


class LessonImage(TimeStampedModel):
    """An uploaded PNG or JPEG image of a lesson, with its required alternative text.

    The lesson's text places it with `<img src="image:N">` (N is `number`, unique within the
    lesson and kept by copies); images not placed in the text are shown after it.
    """

    lesson = models.ForeignKey(OnlineLesson, on_delete=models.CASCADE, related_name="images")
    number = models.PositiveSmallIntegerField(_("number"))
    file = models.FileField(_("file"), upload_to=lesson_image_path, max_length=500)
    alt_text = models.CharField(_("alternative text"), max_length=250)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    content_type = models.CharField(max_length=40)
    size = models.PositiveBigIntegerField(default=0)

    objects = LessonImageQuerySet.as_manager()

    class Meta:
        ordering = ["lesson", "number"]
        verbose_name = _("lesson image")
        verbose_name_plural = _("lesson images")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "number"], name="lesson_image_unique_number")
        ]
        indexes = [models.Index(fields=["file"])]

    def __str__(self) -> str:
        return self.alt_text

    def get_absolute_url(self) -> str:
        return reverse("learning:image", args=[self.pk])

    @property
    def placeholder(self) -> str:
        """What an author writes in the lesson's text to place the image there."""
        return f'<img src="image:{self.number}">'


class ScormVersion(models.TextChoices):
    SCORM_12 = "1.2", _("SCORM 1.2")
    SCORM_2004 = "2004", _("SCORM 2004")


class ScormPackage(TimeStampedModel):
    """A SCORM 1.2 or 2004 package of a module (at most one per module), validated and
    extracted under `scorm/<storage_key>/` in the file storage.

    `scos` lists the package's launchable SCOs in the order of its organisation:
    `[{"id", "title", "href", "launch_data", "mastery_score", "scaled_passing_score",
    "completion_threshold", "max_time_allowed", "time_limit_action"}]`. `files` lists every
    extracted file (relative paths): only those are ever served. Copies share `storage_key`.
    `mastery_score` (0–100) is the pass mark of the first SCO that has one, for display.
    """

    module = models.ForeignKey(
        "catalogue.Module", verbose_name=_("module"), on_delete=models.CASCADE, related_name="scorm_packages"
    )
    title = models.CharField(_("title"), max_length=255)
    version = models.CharField(_("SCORM version"), max_length=4, choices=ScormVersion.choices)
    schema_version = models.CharField(_("schema version"), max_length=60, blank=True)
    identifier = models.CharField(_("manifest identifier"), max_length=255, blank=True)
    storage_key = models.UUIDField(default=uuid4, db_index=True, editable=False)
    scos = models.JSONField(default=list)
    files = models.JSONField(default=list, editable=False)
    file_count = models.PositiveIntegerField(default=0)
    total_size = models.PositiveBigIntegerField(_("size once extracted"), default=0)
    upload_size = models.PositiveBigIntegerField(_("size of the zip"), default=0)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    mastery_score = models.DecimalField(
        _("pass mark (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScormPackageQuerySet.as_manager()

    class Meta:
        ordering = ["module", "id"]
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")
        constraints = [models.UniqueConstraint(fields=["module"], name="scorm_package_one_per_module")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:module-detail", args=[self.module_id])

    @property
    def storage_prefix(self) -> str:
        return f"scorm/{self.storage_key}/"

    @property
    def sco_count(self) -> int:
        return len(self.scos or [])

    def sco(self, identifier: str | None) -> dict[str, Any] | None:
        """The SCO with this identifier (the first one when None)."""
        scos = self.scos or []
        if identifier is None:
            return scos[0] if scos else None
        return next((s for s in scos if s.get("id") == identifier), None)


class LessonProgress(models.Model):
    """A participant's progress in one lesson: when they first opened it and when they marked it
    done (opening a lesson does not complete it)."""

    enrolment = models.ForeignKey(
        "cohorts.Enrolment", on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(OnlineLesson, on_delete=models.CASCADE, related_name="progress")
    opened_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    completed_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["enrolment", "lesson"]
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="lesson_progress_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.lesson}"

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None


class ScormAttempt(TimeStampedModel):
    """One participant's data for one SCO of a package: what the SCO reported through the SCORM
    runtime, validated, and what the next launch resumes from.

    - `lesson_status` is SCORM 1.2's cmi.core.lesson_status as stored; `completion_status` and
      `success_status` are SCORM 2004's, and for 1.2 they are derived from the lesson status
      (passed → completed + passed, failed → completed + failed, completed → completed).
    - Scores: raw/min/max as reported; `score_scaled` (−1…1) from SCORM 2004, or raw/100 for 1.2.
    - Time: `total_seconds` = `session_base_seconds` (total before the current launch) +
      `session_seconds` (the current launch's session time as last reported by the SCO, or the
      time since the launch while the SCO reports none).
    - `session_key` is the secret of the current launch; commits from an older launch (another
      window) are refused.
    - `done_at` is set when the SCO's result first counts (passed, or completed and not failed
      without a pass mark) and is kept afterwards: a result that counted keeps counting.
    """

    enrolment = models.ForeignKey(
        "cohorts.Enrolment", on_delete=models.CASCADE, related_name="scorm_attempts"
    )
    package = models.ForeignKey(ScormPackage, on_delete=models.CASCADE, related_name="attempts")
    sco_id = models.CharField(_("SCO"), max_length=255)
    lesson_status = models.CharField(_("lesson status (SCORM 1.2)"), max_length=20, blank=True)
    completion_status = models.CharField(_("completion"), max_length=20, default="not attempted")
    success_status = models.CharField(_("success"), max_length=10, default="unknown")
    score_raw = models.DecimalField(_("score"), max_digits=17, decimal_places=7, null=True, blank=True)
    score_min = models.DecimalField(
        _("minimum score"), max_digits=17, decimal_places=7, null=True, blank=True
    )
    score_max = models.DecimalField(
        _("maximum score"), max_digits=17, decimal_places=7, null=True, blank=True
    )
    score_scaled = models.DecimalField(
        _("scaled score"), max_digits=9, decimal_places=7, null=True, blank=True
    )
    progress_measure = models.DecimalField(max_digits=8, decimal_places=7, null=True, blank=True)
    total_seconds = models.DecimalField(
        _("total time (s)"), max_digits=12, decimal_places=2, default=Decimal(0)
    )
    session_base_seconds = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(0))
    session_seconds = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(0))
    # Whether the SCO reported a session time in the current launch (else the wall clock counts).
    session_time_reported = models.BooleanField(default=False)
    location = models.CharField(_("location"), max_length=1000, blank=True)
    suspend_data = models.TextField(_("suspend data"), blank=True)
    exit = models.CharField(max_length=10, blank=True)
    cmi = models.JSONField(default=dict, blank=True)
    session_key = models.CharField(max_length=64, blank=True, editable=False)
    launches = models.PositiveIntegerField(default=0)
    commits = models.PositiveIntegerField(default=0)
    first_launched_at = models.DateTimeField(null=True, blank=True)
    launched_at = models.DateTimeField(null=True, blank=True)  # the current launch
    last_committed_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(_("counted as done"), null=True, blank=True)

    objects = ScormAttemptQuerySet.as_manager()

    class Meta:
        ordering = ["enrolment", "package", "id"]
        verbose_name = _("SCORM attempt")
        verbose_name_plural = _("SCORM attempts")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "package", "sco_id"], name="scorm_attempt_unique"),
        ]
        indexes = [models.Index(fields=["package", "enrolment"])]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.package} · {self.sco_id}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def score_percent(self) -> Decimal | None:
        """The score as a percentage, for display: scaled × 100, else raw within min–max."""
        if self.score_scaled is not None:
            return (self.score_scaled * 100).quantize(Decimal("0.1"))
        if self.score_raw is None:
            return None
        low = self.score_min if self.score_min is not None else Decimal(0)
        high = self.score_max if self.score_max is not None else Decimal(100)
        if high <= low:
            return None
        return ((self.score_raw - low) * 100 / (high - low)).quantize(Decimal("0.1"))
