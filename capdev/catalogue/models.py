"""The catalogue of standard training products, their versions, and partners' adaptations.

A Course is a reusable product (kind "standard") or a partner's localised version of one (kind
"adaptation"). Its content lives in CourseVersions (draft → published → retired; a published
version is immutable and new versions are derived from it). A version is built on a competency
framework version: each learning objective maps to competencies with a target proficiency level.
An adaptation version is `based_on` a published standard version; its objectives share the
`lineage` of the standard's objectives they keep, which is how kept / changed / added content and
the standardisation score are computed.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from capdev.catalogue.querysets import CourseQuerySet, CourseVersionQuerySet
from capdev.competencies.models import CompetencyItem, VersionStatus
from capdev.core.models import TimeStampedModel

HOURS_PER_ECTS = Decimal(25)


def format_number(value: Decimal | int | float) -> str:
    """A decimal without trailing zeros: 2.00 → "2", 18.0 → "18", 2.5 → "2.5"."""
    d = Decimal(value)
    text = format(d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize(), "f")
    return text


class CourseKind(models.TextChoices):
    STANDARD = "standard", _("Standard product")
    ADAPTATION = "adaptation", _("Adaptation")


class DeliveryMode(models.TextChoices):
    ONLINE = "online", _("Online")
    FACE_TO_FACE = "face_to_face", _("Face-to-face")
    BLENDED = "blended", _("Blended")


class QualificationFramework(models.TextChoices):
    EQF = "EQF", _("European Qualifications Framework (EQF)")
    MQF = "MQF", _("Malta Qualifications Framework (MQF)")


class Course(TimeStampedModel):
    """A training product in the catalogue, across its versions."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=CourseKind.choices, default=CourseKind.STANDARD)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="courses",
    )
    adapted_from = models.ForeignKey(
        "Course",
        verbose_name=_("adapted from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adaptations",
        help_text=_("For an adaptation: the standard product it localises."),
    )
    demo_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("catalogue:course-detail", args=[self.pk])


class CourseVersion(TimeStampedModel):
    """One version of a course: its description, structure, hours, credits and completion rules."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="versions")
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT, db_index=True
    )
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    target_audience = models.TextField(_("target audience"), blank=True)
    thematic_areas = models.ManyToManyField(
        "reference.ThematicArea", verbose_name=_("thematic areas"), blank=True, related_name="course_versions"
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    mode = models.CharField(_("delivery mode"), max_length=14, choices=DeliveryMode.choices, db_index=True)
    framework_version = models.ForeignKey(
        "competencies.FrameworkVersion",
        verbose_name=_("competency framework"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="course_versions",
    )
    contact_hours = models.DecimalField(
        _("contact hours"), max_digits=6, decimal_places=1, default=Decimal(0)
    )
    self_study_hours = models.DecimalField(
        _("self-study hours"), max_digits=6, decimal_places=1, default=Decimal(0)
    )
    assessment_hours = models.DecimalField(
        _("assessment hours"), max_digits=6, decimal_places=1, default=Decimal(0)
    )
    ects_credits = models.DecimalField(
        _("ECTS credits"), max_digits=5, decimal_places=2, null=True, blank=True, db_index=True
    )
    qualification_framework = models.CharField(
        _("qualification framework"), max_length=3, choices=QualificationFramework.choices, blank=True
    )
    qualification_level = models.PositiveSmallIntegerField(
        _("qualification level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
        db_index=True,
    )
    accredited_by = models.CharField(_("accredited by"), max_length=255, blank=True)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on standard version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adaptation_versions",
    )
    derived_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="derivatives"
    )
    change_note = models.TextField(_("what changed in this version"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    objects = CourseVersionQuerySet.as_manager()

    class Meta:
        ordering = ["course", "-number"]
        verbose_name = _("course version")
        verbose_name_plural = _("course versions")
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="course_version_unique_number"),
            # Only one draft at a time: a new draft is derived from a published version.
            models.UniqueConstraint(
                fields=["course"], condition=models.Q(status="draft"), name="course_one_draft"
            ),
        ]
        indexes = [models.Index(fields=["status", "mode"])]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def total_hours(self) -> Decimal:
        return self.contact_hours + self.self_study_hours + self.assessment_hours

    def get_absolute_url(self) -> str:
        return reverse("catalogue:version-detail", args=[self.pk])


class PartKind(models.TextChoices):
    ONLINE_SELF_PACED = "online_self_paced", _("Online self-paced")
    FACE_TO_FACE = "face_to_face", _("Face-to-face")
    LIVE_ONLINE = "live_online", _("Live online")
    FIELD_TRIP = "field_trip", _("Field trip / study visit")


class DeliveryPart(models.Model):
    """A part of a course's delivery, in order (e.g. online self-paced, then 5 face-to-face days).

    `gates_next`: this part must be completed before the next part starts.
    """

    version = models.ForeignKey(CourseVersion, on_delete=models.CASCADE, related_name="parts")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=PartKind.choices)
    title = models.CharField(_("title"), max_length=255, blank=True)
    days = models.PositiveSmallIntegerField(_("days"), null=True, blank=True)
    weeks = models.PositiveSmallIntegerField(_("weeks"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True, blank=True)
    gates_next = models.BooleanField(_("must be completed before the next part"), default=False)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("delivery part")
        verbose_name_plural = _("delivery parts")
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="delivery_part_unique_position")
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def description(self) -> str:
        """The part in plain language, e.g. "5 face-to-face days" or "Online self-paced part"."""
        if self.kind == PartKind.FACE_TO_FACE:
            if self.days:
                text = ngettext("%(n)s face-to-face day", "%(n)s face-to-face days", self.days) % {
                    "n": self.days
                }
            elif self.weeks:
                text = ngettext("%(n)s week face-to-face", "%(n)s weeks face-to-face", self.weeks) % {
                    "n": self.weeks
                }
            else:
                text = gettext("Face-to-face part")
        elif self.kind == PartKind.ONLINE_SELF_PACED:
            text = gettext("Online self-paced part")
        elif self.kind == PartKind.LIVE_ONLINE:
            text = gettext("Live online part")
        else:
            text = gettext("Field trip")
            if self.days:
                text = ngettext("%(n)s-day field trip", "%(n)s-day field trip", self.days) % {"n": self.days}
        if self.kind != PartKind.FACE_TO_FACE and self.weeks:
            text += " · " + ngettext("%(n)s week", "%(n)s weeks", self.weeks) % {"n": self.weeks}
        if self.hours:
            text += " · " + gettext("%(h)s hours") % {"h": format_number(self.hours)}
        return text


class Module(models.Model):
    """An ordered module of a course version, delivered in one of its parts."""

    version = models.ForeignKey(CourseVersion, on_delete=models.CASCADE, related_name="modules")
    lineage = models.UUIDField(default=uuid4, db_index=True, editable=False)
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    part = models.ForeignKey(
        DeliveryPart,
        verbose_name=_("delivery part"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="modules",
    )
    local_examples = models.TextField(_("local examples"), blank=True)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return self.title


class LearningObjective(models.Model):
    """A learning objective of a module. Core objectives must be kept by every adaptation."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="objectives")
    lineage = models.UUIDField(default=uuid4, db_index=True, editable=False)
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("objective"))
    is_core = models.BooleanField(_("core objective"), default=False)
    competencies: models.ManyToManyField[CompetencyItem, ObjectiveCompetency] = models.ManyToManyField(
        "competencies.CompetencyItem",
        through="ObjectiveCompetency",
        related_name="objectives",
        verbose_name=_("competencies"),
    )

    class Meta:
        ordering = ["module", "position"]
        verbose_name = _("learning objective")
        verbose_name_plural = _("learning objectives")

    def __str__(self) -> str:
        return self.text[:80]


class ObjectiveCompetency(models.Model):
    """An objective develops a competency up to a target proficiency level."""

    objective = models.ForeignKey(LearningObjective, on_delete=models.CASCADE, related_name="mappings")
    competency = models.ForeignKey(
        "competencies.CompetencyItem", on_delete=models.PROTECT, related_name="objective_mappings"
    )
    target_level = models.ForeignKey(
        "competencies.ProficiencyLevel",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("target level"),
    )

    class Meta:
        verbose_name = _("objective–competency mapping")
        verbose_name_plural = _("objective–competency mappings")
        constraints = [
            models.UniqueConstraint(fields=["objective", "competency"], name="objective_competency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.objective} → {self.competency.code}"


class RuleKind(models.TextChoices):
    ONLINE_COMPLETED = "online_completed", _("Online part completed")
    ATTENDANCE_MIN = "attendance_min", _("Attendance at least (%)")
    PRE_TEST_TAKEN = "pre_test_taken", _("Pre-test taken")
    POST_TEST_MIN = "post_test_min", _("Post-test score at least (%)")
    PRACTICAL_CORE_LEVEL = (
        "practical_core_level",
        _("Practical assessment at or above a level on every core competency"),
    )
    PILLAR_POINTS_MIN = "pillar_points_min", _("Assessment pillars: total points at least")


class CompletionRule(models.Model):
    """One condition a participant must meet to complete the course (evaluated by later issues)."""

    version = models.ForeignKey(CourseVersion, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("rule"), max_length=24, choices=RuleKind.choices)
    threshold = models.DecimalField(_("threshold"), max_digits=6, decimal_places=2, null=True, blank=True)
    level = models.ForeignKey(
        "competencies.ProficiencyLevel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("minimum level"),
    )

    class Meta:
        ordering = ["version", "id"]
        verbose_name = _("completion rule")
        verbose_name_plural = _("completion rules")
        constraints = [
            models.UniqueConstraint(fields=["version", "kind"], name="completion_rule_unique_kind")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def sentence(self) -> str:
        """The rule in plain language, as a participant reads it."""
        value = format_number(self.threshold) if self.threshold is not None else "?"
        if self.kind == RuleKind.ONLINE_COMPLETED:
            return gettext("Complete the online self-paced part.")
        if self.kind == RuleKind.ATTENDANCE_MIN:
            return gettext("Attend at least %(v)s %% of the sessions.") % {"v": value}
        if self.kind == RuleKind.PRE_TEST_TAKEN:
            return gettext("Take the pre-test.")
        if self.kind == RuleKind.POST_TEST_MIN:
            return gettext("Score at least %(v)s %% in the post-test.") % {"v": value}
        if self.kind == RuleKind.PRACTICAL_CORE_LEVEL:
            return gettext(
                "Reach at least “%(level)s” in the practical assessment on every core competency."
            ) % {"level": self.level.name if self.level_id and self.level else "?"}
        return gettext("Earn at least %(v)s points across the assessment pillars.") % {"v": value}


def material_path(instance: Material, filename: str) -> str:
    return f"materials/{instance.module.version.uuid}/{uuid4().hex}/{filename}"


class Material(TimeStampedModel):
    """A training material of a module in one language: an uploaded file or a link."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="materials")
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to=material_path, blank=True, max_length=500)
    url = models.URLField(_("link"), blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["module", "language", "title"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title
