"""Requests from partner authorities, and the Actions they become, with activities, budgets,
deliverables and the memorandum of understanding (DOMAIN.md, workflow 1).

A Request is filed by one or more organisations (joint requests are normal; civil society only
together with a public body) for a country or a region, analysed, submitted to the steering
committee and approved or rejected. Approval creates an Action, named by country and the next
Roman numeral for that country ("Brazil III"), or by region. An Action moves through phases
(assessment → design → implementation → handover → completed); every transition is recorded.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from capdev.actions.querysets import ActionQuerySet, ActivityQuerySet, RequestQuerySet
from capdev.core.models import TimeStampedModel
from capdev.reference.models import Region


class EligibleCountry(models.Model):
    """A country whose authorities may request support (the programme's eligible list)."""

    country = models.OneToOneField(
        "reference.Country", on_delete=models.CASCADE, primary_key=True, related_name="eligibility"
    )
    since = models.DateField(_("eligible since"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["country__name"]
        verbose_name = _("eligible country")
        verbose_name_plural = _("eligible countries")

    def __str__(self) -> str:
        return str(self.country)


class RequestSequence(models.Model):
    """The last reference number handed out in a year ("REQ-2026-014" is number 14 of 2026).

    Incremented with an UPDATE inside the filing transaction, so two requests filed at the same
    time wait for each other instead of receiving the same number.
    """

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("request numbering")
        verbose_name_plural = _("request numbering")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNDER_ANALYSIS = "analysis", _("Under analysis")
    SUBMITTED = "submitted", _("Submitted to the steering committee")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Channel(models.TextChoices):
    DIRECT = "direct", _("Direct")
    EU_DELEGATION = "eu_delegation", _("Via an EU Delegation")


class Request(TimeStampedModel):
    """A request for capacity development from one or more partner organisations."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=255)
    organisations: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "organisations.Organisation",
        through="RequestOrganisation",
        related_name="requests",
        verbose_name=_("requesting organisations"),
    )
    countries = models.ManyToManyField(
        "reference.Country", blank=True, related_name="requests", verbose_name=_("countries")
    )
    region = models.CharField(
        _("region"), max_length=20, choices=Region.choices, blank=True, help_text=_("For regional requests.")
    )
    thematic_area = models.ForeignKey(
        "reference.ThematicArea",
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("thematic area"),
    )
    specific_areas = models.ManyToManyField(
        "reference.SpecificArea", blank=True, related_name="requests", verbose_name=_("specific areas")
    )
    statement_of_need = models.TextField(_("statement of need"))
    expected_results = models.TextField(_("expected results"), blank=True)
    target_groups = models.TextField(_("target groups"), blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.DIRECT)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RequestStatus.choices,
        default=RequestStatus.RECEIVED,
        db_index=True,
    )
    received_on = models.DateField(_("received on"), db_index=True)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    demo_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("actions:request-detail", args=[self.pk])


class RequestOrganisation(models.Model):
    """An organisation behind a request; one of them leads."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="requesters")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    is_lead = models.BooleanField(_("lead requester"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "organisation"], name="request_org_unique")]
        verbose_name = _("requesting organisation")
        verbose_name_plural = _("requesting organisations")

    def __str__(self) -> str:
        return str(self.organisation)


class RequestTransition(models.Model):
    """A recorded change of a request's status (who, when, why)."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=RequestStatus.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["request", "at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status} → {self.to_status}"


def attachment_path(instance: RequestAttachment, filename: str) -> str:
    return f"requests/{instance.request_id}/{uuid4().hex}/{filename}"


class RequestAttachment(TimeStampedModel):
    """A file sent with a request (e.g. an official letter)."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=500)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return self.title


class ActionType(models.TextChoices):
    CLASSIC = "classic", _("Classic")
    HOLISTIC = "holistic", _("Holistic (institution-wide, all three levels)")
    REGIONAL = "regional", _("Regional partnership")


class Phase(models.TextChoices):
    ASSESSMENT = "assessment", _("Assessment")
    DESIGN = "design", _("Design")
    IMPLEMENTATION = "implementation", _("Implementation")
    HANDOVER = "handover", _("Handover")
    COMPLETED = "completed", _("Completed")


class Level(models.TextChoices):
    """The three levels of capacity development (OECD)."""

    INDIVIDUAL = "individual", _("Individual")
    ORGANISATIONAL = "organisational", _("Organisational")
    ENABLING = "enabling", _("Enabling environment")


class Action(TimeStampedModel):
    """A capacity-development project, e.g. "Brazil III" or "Gran Chaco"."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    country = models.ForeignKey(
        "reference.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("country"),
        help_text=_("Empty for regional Actions."),
    )
    sequence = models.PositiveSmallIntegerField(_("sequence in the country"), null=True, blank=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True, db_index=True)
    countries = models.ManyToManyField(
        "reference.Country", blank=True, related_name="actions_involved", verbose_name=_("countries")
    )
    type = models.CharField(_("type"), max_length=10, choices=ActionType.choices, default=ActionType.CLASSIC)
    request = models.OneToOneField(
        Request,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action",
        verbose_name=_("request"),
    )
    partners: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "organisations.Organisation",
        through="ActionPartner",
        related_name="actions",
        verbose_name=_("partners"),
    )
    thematic_area = models.ForeignKey(
        "reference.ThematicArea",
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("thematic area"),
    )
    specific_areas = models.ManyToManyField(
        "reference.SpecificArea", blank=True, related_name="actions", verbose_name=_("specific areas")
    )
    summary = models.TextField(_("summary"), blank=True)
    phase = models.CharField(
        _("phase"), max_length=16, choices=Phase.choices, default=Phase.ASSESSMENT, db_index=True
    )
    start_date = models.DateField(_("start"), null=True, blank=True, db_index=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    demo_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("Action")
        verbose_name_plural = _("Actions")
        indexes = [models.Index(fields=["phase", "start_date"]), models.Index(fields=["country", "sequence"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("actions:action-detail", args=[self.pk])


class ActionPartner(models.Model):
    """A partner organisation of an Action; one leads."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    is_lead = models.BooleanField(_("lead partner"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "organisation"], name="action_partner_unique")
        ]
        indexes = [models.Index(fields=["organisation", "action"])]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return str(self.organisation)


class Objective(models.Model):
    """An objective of an Action at one of the three levels of capacity development."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="objectives")
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    text = models.TextField(_("objective"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["action", "level", "position"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.text[:80]


class PhaseTransition(models.Model):
    """A recorded change of phase (date, who, note), shown as the Action's timeline."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="transitions")
    from_phase = models.CharField(max_length=16, choices=Phase.choices, blank=True)
    to_phase = models.CharField(max_length=16, choices=Phase.choices)
    on = models.DateField(_("date"))
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["action", "on", "id"]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.from_phase} → {self.to_phase}"


class BudgetLine(models.Model):
    """Planned, committed and spent amounts for one budget line of an Action (in its currency)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="budget_lines")
    label = models.CharField(_("budget line"), max_length=200)
    category = models.CharField(_("category"), max_length=40, blank=True)
    planned = models.DecimalField(_("planned"), max_digits=12, decimal_places=2, default=Decimal(0))
    committed = models.DecimalField(_("committed"), max_digits=12, decimal_places=2, default=Decimal(0))
    spent = models.DecimalField(_("spent"), max_digits=12, decimal_places=2, default=Decimal(0))
    over_plan_reason = models.TextField(
        _("reason for committing over plan"),
        blank=True,
        help_text=_("Required when the committed amount exceeds the planned amount."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["action", "position", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return self.label


class FunderShare(models.Model):
    """A funder's share of an Action's budget, in percent (e.g. 94.60 % from one fund)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="funder_shares")
    funder = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    fund = models.CharField(_("fund"), max_length=120, blank=True)
    percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "funder", "fund"], name="funder_share_unique")
        ]
        verbose_name = _("funder share")
        verbose_name_plural = _("funder shares")

    def __str__(self) -> str:
        return f"{self.funder} {self.percent} %"


class ActivityType(models.TextChoices):
    ASSESSMENT_MISSION = "assessment_mission", _("Assessment mission")
    TNA = "tna", _("Training needs assessment")
    FOCUS_GROUP = "focus_group", _("Focus group")
    SEMINAR = "seminar", _("Seminar")
    WORKSHOP = "workshop", _("Workshop")
    TRAINING = "training", _("Training")
    TOT = "tot", _("Training of Trainers")
    ONLINE_COURSE = "online_course", _("Online course")
    STUDY_VISIT = "study_visit", _("Study visit / field trip")
    ROUNDTABLE = "roundtable", _("Roundtable")
    LAUNCH = "launch", _("Launch event")
    COACHING = "coaching", _("Coaching")
    DRAFTING = "drafting", _("Drafting of a protocol, plan or handbook")


class ActivityMode(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face-to-face")
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("Blended")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_ACTIVITY_STATUSES = (ActivityStatus.PLANNED, ActivityStatus.ONGOING)


class Activity(TimeStampedModel):
    """A typed event inside an Action (mission, workshop, ToT, study visit...).

    Participant numbers by sex are entered by hand until enrolments are linked (delivery issue).
    """

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="activities")
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    type = models.CharField(_("type"), max_length=20, choices=ActivityType.choices, db_index=True)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start"), db_index=True)
    end_date = models.DateField(_("end"))
    mode = models.CharField(
        _("mode"), max_length=14, choices=ActivityMode.choices, default=ActivityMode.FACE_TO_FACE
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.ForeignKey(
        "reference.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ActivityStatus.choices,
        default=ActivityStatus.PLANNED,
        db_index=True,
    )
    participants_women = models.PositiveIntegerField(_("participants (women)"), default=0)
    participants_men = models.PositiveIntegerField(_("participants (men)"), default=0)
    participants_other = models.PositiveIntegerField(_("participants (other / not stated)"), default=0)
    course_version = models.ForeignKey(
        "catalogue.CourseVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("catalogue product delivered"),
    )
    demo_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["action", "start_date"]),
            models.Index(fields=["start_date", "end_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="activity_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def participants_total(self) -> int:
        return self.participants_women + self.participants_men + self.participants_other

    def get_absolute_url(self) -> str:
        return reverse("actions:activity-detail", args=[self.pk])


class DeliverableKind(models.TextChoices):
    PROTOCOL = "protocol", _("Protocol")
    HANDBOOK = "handbook", _("Training handbook")
    CURRICULUM = "curriculum", _("Curriculum")
    TNA_REPORT = "tna_report", _("TNA report")
    STUDY = "study", _("Study")
    GUIDELINES = "guidelines", _("Guidelines")
    VIDEO = "video", _("Video")
    PLAN = "plan", _("Plan")
    OTHER = "other", _("Other")


class DeliverableStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DELIVERED = "delivered", _("Delivered")
    ADOPTED = "adopted", _("Adopted by the partner")


def deliverable_path(instance: Deliverable, filename: str) -> str:
    return f"deliverables/{instance.action_id}/{uuid4().hex}/{filename}"


class Deliverable(TimeStampedModel):
    """A product of an Action (protocol, handbook, curriculum, TNA report...), with its status."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="deliverables")
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliverables"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=DeliverableKind.choices)
    title = models.CharField(_("title"), max_length=255)
    language = models.CharField(_("language"), max_length=8, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DeliverableStatus.choices, default=DeliverableStatus.PLANNED
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=deliverable_path, blank=True, max_length=500)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["action", "due_date", "id"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")

    def __str__(self) -> str:
        return self.title


def mou_path(instance: MemorandumOfUnderstanding, filename: str) -> str:
    return f"mou/{instance.action_id}/{uuid4().hex}/{filename}"


class MemorandumOfUnderstanding(TimeStampedModel):
    """The memorandum of understanding of an Action."""

    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="mou")
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signatories = models.TextField(_("signatories"), blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    file = models.FileField(_("signed copy"), upload_to=mou_path, blank=True, max_length=500)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("memorandum of understanding")
        verbose_name_plural = _("memoranda of understanding")

    def __str__(self) -> str:
        return f"MoU {self.action}"
