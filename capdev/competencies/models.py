"""Competency frameworks: versioned trees of domains, competencies and indicators, each typed
knowledge / skill / attitude, with a proficiency scale per version.

A framework is the stable identity; each FrameworkVersion is a draft, published or retired copy.
A published version is immutable: a new version is derived from it (a deep copy keeping each item's
`lineage`, which is how two versions are compared). Every row also has its own `uuid`, used as the
1EdTech CASE identifier (CFDocument for a version, CFItem for an item, CFRubric for a scale).
"""

from __future__ import annotations

from uuid import uuid4

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from capdev.competencies.querysets import (
    CompetencyItemQuerySet,
    FrameworkQuerySet,
    FrameworkVersionQuerySet,
    ProficiencyLevelQuerySet,
)
from capdev.core.models import TimeStampedModel


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class ItemKind(models.TextChoices):
    """The level of an item in the tree (the CASE CFItemType)."""

    DOMAIN = "domain", _("Domain")
    COMPETENCY = "competency", _("Competency")
    INDICATOR = "indicator", _("Indicator")


class Nature(models.TextChoices):
    """What a competency is made of (DOMAIN.md)."""

    KNOWLEDGE = "knowledge", _("Knowledge")
    SKILL = "skill", _("Skill")
    ATTITUDE = "attitude", _("Attitude")


class Framework(TimeStampedModel):
    """A competency framework (e.g. the trainer competency framework), across all its versions."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        related_name="competency_frameworks",
    )
    demo_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("competencies:framework-detail", args=[self.pk])


class FrameworkVersion(TimeStampedModel):
    """One version of a framework. Drafts are edited; published versions never change."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT, db_index=True
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    licence = models.CharField(_("licence"), max_length=255, blank=True)
    change_note = models.TextField(_("what changed in this version"), blank=True)
    derived_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="derivatives"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "-number"]
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="framework_version_unique_number"),
            # Only one draft at a time: a new draft is derived from a published version.
            models.UniqueConstraint(
                fields=["framework"], condition=models.Q(status="draft"), name="framework_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT

    def get_absolute_url(self) -> str:
        return reverse("competencies:version-detail", args=[self.pk])


class ProficiencyLevel(models.Model):
    """An ordered level of a version's proficiency scale; one level is the proficiency threshold."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="levels")
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    is_threshold = models.BooleanField(_("proficiency threshold"), default=False)

    objects = ProficiencyLevelQuerySet.as_manager()

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("proficiency level")
        verbose_name_plural = _("proficiency levels")
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="proficiency_level_unique_position"),
            models.UniqueConstraint(
                fields=["version"], condition=models.Q(is_threshold=True), name="proficiency_one_threshold"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CompetencyItem(models.Model):
    """A node of the framework tree: a domain, a competency or an indicator.

    `lineage` is shared by the copies of one item across versions; `code` is unique per version.
    """

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="items")
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    lineage = models.UUIDField(default=uuid4, db_index=True, editable=False)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.CharField(_("code"), max_length=64)
    kind = models.CharField(_("level"), max_length=12, choices=ItemKind.choices, default=ItemKind.COMPETENCY)
    nature = models.CharField(_("type"), max_length=10, choices=Nature.choices, blank=True)
    statement = models.TextField(_("statement"))
    notes = models.TextField(_("notes"), blank=True)
    alignments = models.JSONField(
        _("alignments"), default=list, blank=True, help_text=_("External URIs, e.g. ESCO skills.")
    )

    objects = CompetencyItemQuerySet.as_manager()

    class Meta:
        ordering = ["version", "parent_id", "position", "id"]
        verbose_name = _("competency item")
        verbose_name_plural = _("competency items")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="competency_item_unique_code"),
        ]
        indexes = [models.Index(fields=["version", "parent", "position"])]

    def __str__(self) -> str:
        return f"{self.code} {self.statement[:80]}"
