"""The expert roster: public servants of EU Member States (and others) deployed to activities.

An ExpertProfile extends a Person (names, sex, nationality, languages with CEFR levels live on the
Person). Matching ranks profiles for an activity; staff invite, the expert accepts or declines.
An expert cannot hold two accepted deployments on overlapping dates.
"""

from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from capdev.core.models import TimeStampedModel
from capdev.experts.querysets import DeploymentQuerySet, ExpertProfileQuerySet


class InstitutionType(models.TextChoices):
    INTERIOR = "interior", _("Interior / home affairs")
    FOREIGN_AFFAIRS = "foreign_affairs", _("Foreign affairs")
    LABOUR = "labour", _("Labour")
    JUSTICE = "justice", _("Justice")
    ASYLUM = "asylum", _("Asylum authority")
    BORDER = "border", _("Border police / border guard")
    HEALTH = "health", _("Health")
    LOCAL = "local", _("Local authority")
    ACADEMIA = "academia", _("Academia / training institution")
    OTHER = "other", _("Other")


def cv_path(instance: ExpertProfile, filename: str) -> str:
    return f"cv/{instance.person_id}/{uuid4().hex}/{filename}"


class ExpertProfile(TimeStampedModel):
    """A person's profile in the expert roster."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="expert_profile")
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    institution = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="experts",
        verbose_name=_("home institution"),
    )
    institution_type = models.CharField(
        _("institution type"), max_length=16, choices=InstitutionType.choices, db_index=True
    )
    thematic_areas = models.ManyToManyField(
        "reference.ThematicArea", blank=True, related_name="experts", verbose_name=_("thematic expertise")
    )
    specific_areas = models.ManyToManyField(
        "reference.SpecificArea", blank=True, related_name="experts", verbose_name=_("specific expertise")
    )
    regions = models.JSONField(_("regions worked in"), default=list, blank=True)
    proposed_by = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_experts",
        verbose_name=_("proposed by (EU Member State focal point)"),
    )
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), null=True, blank=True)
    bio = models.TextField(_("short biography"), blank=True)
    cv = models.FileField(_("CV"), upload_to=cv_path, blank=True, max_length=500)
    consent_to_contact = models.BooleanField(_("consents to be contacted"), default=False)
    active = models.BooleanField(_("active in the roster"), default=True, db_index=True)
    # Kept up to date by services.record_feedback so that matching never aggregates deployments.
    feedback_average = models.DecimalField(
        _("average feedback"), max_digits=3, decimal_places=2, null=True, blank=True, editable=False
    )
    feedback_count = models.PositiveIntegerField(_("feedback received"), default=0, editable=False)
    # The secret inside the calendar-feed token; replacing it revokes every link given out.
    feed_key = models.CharField(max_length=32, blank=True, editable=False)
    demo_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    objects = ExpertProfileQuerySet.as_manager()

    class Meta:
        ordering = ["person__last_name", "person__first_name"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        indexes = [models.Index(fields=["active", "consent_to_contact"], name="expert_contactable")]

    def __str__(self) -> str:
        return str(self.person)

    def get_absolute_url(self) -> str:
        return reverse("experts:expert-detail", args=[self.pk])

    @property
    def region_labels(self) -> list[str]:
        from capdev.reference.models import Region

        labels = dict(Region.choices)
        return [str(labels.get(code, code)) for code in self.regions or []]


class Availability(models.Model):
    """A window in which an expert says they are available."""

    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="availabilities")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["expert", "start_date"]
        indexes = [
            models.Index(fields=["start_date", "end_date"]),
            models.Index(fields=["expert", "start_date", "end_date"], name="availability_expert_dates"),
        ]
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="availability_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start_date} – {self.end_date}"


class DeploymentStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Deployment(TimeStampedModel):
    """An expert invited to (and possibly deployed on) an activity, with feedback afterwards."""

    activity = models.ForeignKey("actions.Activity", on_delete=models.CASCADE, related_name="deployments")
    expert = models.ForeignKey(ExpertProfile, on_delete=models.PROTECT, related_name="deployments")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeploymentStatus.choices,
        default=DeploymentStatus.INVITED,
        db_index=True,
    )
    role = models.CharField(_("role"), max_length=60, blank=True)
    match_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    feedback_score = models.PositiveSmallIntegerField(_("feedback (1–5)"), null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = DeploymentQuerySet.as_manager()

    class Meta:
        ordering = ["activity", "expert"]
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        constraints = [
            models.UniqueConstraint(fields=["activity", "expert"], name="deployment_unique"),
            models.CheckConstraint(
                condition=models.Q(feedback_score__isnull=True)
                | models.Q(feedback_score__gte=1, feedback_score__lte=5),
                name="deployment_feedback_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["expert", "status"]), models.Index(fields=["activity", "status"])]

    def __str__(self) -> str:
        return f"{self.expert} → {self.activity}"
