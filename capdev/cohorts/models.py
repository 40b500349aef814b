"""Course runs and cohorts, calls for participants, applications and nominations, and enrolments
(DOMAIN.md, workflows 2 and 5).

- A **CourseRun** is one delivery of a published catalogue version (a standard product or a
  partner's adaptation): dates, language, venue, capacity, trainers, cohort label. It may deliver
  an activity of an Action, or stand on its own.
- A **Programme** groups the runs one cohort follows together (the diploma: three courses of four
  weeks plus field trips). Selection into a programme is selection into each of its runs.
- A **Call** invites participants into a run or a programme: a deadline and a candidate profile
  (organisation types, countries, positions, languages, a target share of women). People apply
  through a form; focal points nominate, within a quota per organisation.
- An **Application** is selected: shortlisted, accepted (a seat), waitlisted (in rank order),
  rejected with a reason. When a seat frees up, the first on the waitlist is *offered* it; an
  offer holds the seat until it is accepted, declined or expires.
- An **Enrolment** is a person in a run. The online part (learning app) and attendance (delivery
  app) keep its progress figures up to date, so that lists and dashboards read one row.

Seats: a run's seats taken are its active enrolments plus the open offers of the calls into it
(or into its programme). Every service that takes a seat locks the run rows first
(`select_for_update`), so that concurrent acceptances never over-book.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from capdev.cohorts.querysets import (
    ApplicationQuerySet,
    CallQuerySet,
    CourseRunQuerySet,
    EnrolmentQuerySet,
    ProgrammeQuerySet,
)
from capdev.core.models import TimeStampedModel


class RunStatus(models.TextChoices):
    # A context of their own: "Planned", "Completed"... of a run agree with a feminine noun in some
    # languages ("edição", "session") where an activity's do not.
    PLANNED = "planned", pgettext_lazy("run status", "Planned")
    OPEN = "open", pgettext_lazy("run status", "Open for enrolment")
    IN_PROGRESS = "in_progress", pgettext_lazy("run status", "In progress")
    COMPLETED = "completed", pgettext_lazy("run status", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("run status", "Cancelled")


ACTIVE_RUN_STATUSES = (RunStatus.PLANNED, RunStatus.OPEN, RunStatus.IN_PROGRESS)


class Programme(TimeStampedModel):
    """Runs that one cohort follows together, e.g. "Migration Management Diploma, cohort 3"."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=255)
    cohort_label = models.CharField(_("cohort"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    organiser = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    action = models.ForeignKey(
        "actions.Action",
        verbose_name=_("Action"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    demo_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return f"{self.title} ({self.cohort_label})" if self.cohort_label else self.title

    def get_absolute_url(self) -> str:
        return reverse("cohorts:programme-detail", args=[self.pk])


class CourseRun(TimeStampedModel):
    """One delivery of a published course version (standard or adaptation) to a cohort."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=255)
    course_version = models.ForeignKey(
        "catalogue.CourseVersion",
        verbose_name=_("course version"),
        on_delete=models.PROTECT,
        related_name="runs",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="runs",
    )
    position = models.PositiveSmallIntegerField(_("position in the programme"), default=0)
    action = models.ForeignKey(
        "actions.Action",
        verbose_name=_("Action"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="runs",
    )
    activity = models.ForeignKey(
        "actions.Activity",
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="runs",
        help_text=_("The activity of the Action this run delivers, if any."),
    )
    organiser = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="organised_runs",
        help_text=_("The organisation that runs the course (implementing organisation or institute)."),
    )
    host = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("host partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_runs",
        help_text=_("The partner authority the run is delivered for; its focal points follow it."),
    )
    cohort_label = models.CharField(_("cohort"), max_length=120, blank=True)
    language = models.CharField(_("language"), max_length=8)
    start_date = models.DateField(_("start"), db_index=True)
    end_date = models.DateField(_("end"))
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.ForeignKey(
        "reference.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    capacity = models.PositiveIntegerField(
        pgettext_lazy("number of seats", "capacity"),
        validators=[MinValueValidator(1), MaxValueValidator(10_000)],
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RunStatus.choices, default=RunStatus.PLANNED, db_index=True
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    # The secret inside the run's calendar-feed token; replacing it revokes every link given out.
    feed_key = models.CharField(max_length=32, blank=True, editable=False)
    demo_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    objects = CourseRunQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title", "id"]
        verbose_name = _("course run")
        verbose_name_plural = _("course runs")
        indexes = [
            models.Index(fields=["status", "start_date"]),
            models.Index(fields=["host", "start_date"]),
            models.Index(fields=["action", "start_date"]),
            models.Index(fields=["programme", "position"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="run_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cohorts:run-detail", args=[self.pk])

    @property
    def language_name(self) -> str:
        """The run's language by name, in the active language."""
        from django.utils.translation import get_language_info

        try:
            return str(get_language_info(self.language)["name_translated"])
        except KeyError:
            return self.language


class TrainerRole(models.TextChoices):
    LEAD = "lead", _("Lead trainer")
    CO_TRAINER = "co_trainer", _("Co-trainer")
    COACH = "coach", _("Coach")
    ONLINE_TUTOR = "online_tutor", _("Online tutor")


class RunTrainer(models.Model):
    """A trainer of a run: marks attendance, follows participants' progress."""

    run = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="trainers")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="runs_trained")
    role = models.CharField(_("role"), max_length=14, choices=TrainerRole.choices, default=TrainerRole.LEAD)

    class Meta:
        ordering = ["run", "role", "id"]
        verbose_name = _("run trainer")
        verbose_name_plural = _("run trainers")
        constraints = [models.UniqueConstraint(fields=["run", "person"], name="run_trainer_unique")]
        indexes = [models.Index(fields=["person", "run"])]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Call(TimeStampedModel):
    """A call for participants into a run or a programme, with a deadline and a candidate profile.

    Exactly one of `run` and `programme` is set. The candidate profile is advisory: each
    application is checked against it and the selection page shows how it fits; the sex-balance
    target is shown against the accepted participants.
    """

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    run = models.ForeignKey(
        CourseRun,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calls",
        verbose_name=_("run"),
    )
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calls",
        verbose_name=_("programme"),
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=CallStatus.choices, default=CallStatus.DRAFT, db_index=True
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), db_index=True)
    accepts_applications = models.BooleanField(_("people may apply"), default=True)
    accepts_nominations = models.BooleanField(_("focal points may nominate"), default=True)
    # Candidate profile
    organisation_types = models.JSONField(_("organisation types"), default=list, blank=True)
    countries = models.ManyToManyField(
        "reference.Country", blank=True, related_name="+", verbose_name=_("countries")
    )
    positions = models.JSONField(
        _("positions"),
        default=list,
        blank=True,
        help_text=_("Words that the candidate's position should contain, e.g. “trainer”, “defender”."),
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("Required languages with a minimum CEFR level: [{“language”: “pt”, “level”: “B2”}]."),
    )
    women_target_percent = models.DecimalField(
        _("target share of women (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    default_quota = models.PositiveIntegerField(
        _("nominations per organisation"),
        null=True,
        blank=True,
        help_text=_("Empty: no limit, unless the organisation has a quota of its own."),
    )
    offer_days = models.PositiveSmallIntegerField(
        _("days to answer an offered place"), default=5, validators=[MinValueValidator(1)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    demo_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-deadline", "id"]
        verbose_name = _("call for participants")
        verbose_name_plural = _("calls for participants")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(run__isnull=False) & models.Q(programme__isnull=True))
                | (models.Q(run__isnull=True) & models.Q(programme__isnull=False)),
                name="call_run_xor_programme",
                violation_error_message=_("A call is for one run or for one programme."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cohorts:call-detail", args=[self.pk])


class NominationQuota(models.Model):
    """How many people an organisation may nominate to a call."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="quotas")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    places = models.PositiveIntegerField(_("places"))

    class Meta:
        ordering = ["call", "organisation__name"]
        verbose_name = _("nomination quota")
        verbose_name_plural = _("nomination quotas")
        constraints = [models.UniqueConstraint(fields=["call", "organisation"], name="quota_unique")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.places}"


class ApplicationSource(models.TextChoices):
    APPLICATION = "application", _("Application")
    NOMINATION = "nomination", _("Nomination by a focal point")
    STAFF = "staff", _("Added by programme staff")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    ACCEPTED = "accepted", _("Accepted")
    WAITLISTED = "waitlisted", _("Waitlisted")
    OFFERED = "offered", _("Place offered")
    REJECTED = "rejected", _("Rejected")
    DECLINED = "declined", _("Offer declined")
    EXPIRED = "expired", _("Offer expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_APPLICATION_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.OFFERED,
)


class Application(TimeStampedModel):
    """A person's candidacy to a call: applied, nominated or added by staff, then selected."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The candidate's organisation when they applied (nomination quotas count it)."),
    )
    source = models.CharField(
        _("source"), max_length=12, choices=ApplicationSource.choices, default=ApplicationSource.APPLICATION
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    motivation = models.TextField(_("motivation"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        db_index=True,
    )
    waitlist_rank = models.PositiveIntegerField(_("place on the waitlist"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    offer_expires_on = models.DateField(_("offer open until"), null=True, blank=True)
    # How the candidate fits the call's profile, worked out when they apply and whenever the
    # profile changes: {criterion: true (met) / false (not met) / null (not applicable)}.
    profile_fit = models.JSONField(default=dict, blank=True, editable=False)
    # How many criteria of the profile the candidate does not meet (0: fits the whole profile).
    fit_misses = models.PositiveSmallIntegerField(_("profile criteria not met"), default=0, editable=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["call", "-created_at", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [models.UniqueConstraint(fields=["call", "person"], name="application_unique")]
        indexes = [
            models.Index(fields=["call", "status", "waitlist_rank"]),
            models.Index(fields=["organisation", "call"]),
            models.Index(fields=["person", "call"]),
            models.Index(fields=["call", "fit_misses"]),
            models.Index(fields=["status", "offer_expires_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.call}"

    def get_absolute_url(self) -> str:
        return reverse("cohorts:application-detail", args=[self.pk])


def application_attachment_path(instance: ApplicationAttachment, filename: str) -> str:
    return f"applications/{instance.application.call.uuid}/{uuid4().hex}/{filename}"


class ApplicationAttachment(TimeStampedModel):
    """A file sent with an application (CV, letter of support from the employer...)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to=application_attachment_path, max_length=500)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Did not complete")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ACTIVE_ENROLMENT_STATUSES = (
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.NOT_COMPLETED,
)


class Enrolment(TimeStampedModel):
    """A participant in a run, with the progress figures the learning and delivery apps keep.

    `online_progress` (0–100) and `online_completed_at` are written by the learning app when a
    lesson or a SCORM package is completed; `sessions_attended`, `sessions_counted` and
    `attendance_rate` by the delivery app when attendance is marked. `gate_waived_*` records a
    decision by staff to let a participant into the face-to-face part without the online part.
    """

    run = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="enrolments")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolments"
    )
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ENROLLED,
        db_index=True,
    )
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    online_progress = models.PositiveSmallIntegerField(
        _("online part (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    online_started_at = models.DateTimeField(_("online part started"), null=True, blank=True)
    online_completed_at = models.DateTimeField(_("online part completed"), null=True, blank=True)
    gate_waived_at = models.DateTimeField(_("admitted without the online part"), null=True, blank=True)
    gate_waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    gate_waiver_reason = models.TextField(_("reason for admitting without the online part"), blank=True)
    sessions_attended = models.PositiveIntegerField(_("sessions attended"), default=0)
    sessions_counted = models.PositiveIntegerField(_("sessions counted"), default=0)
    attendance_rate = models.DecimalField(
        _("attendance (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawing"), blank=True)
    demo_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["run", "person__last_name", "person__first_name", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["run", "person"], name="enrolment_unique")]
        indexes = [
            models.Index(fields=["person", "run"]),
            models.Index(fields=["run", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.run}"

    def get_absolute_url(self) -> str:
        return reverse("cohorts:enrolment-detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_ENROLMENT_STATUSES

    @property
    def online_done(self) -> bool:
        return self.online_completed_at is not None

    @property
    def cleared_for_face_to_face(self) -> bool:
        """The online part is done, or staff admitted the participant without it."""
        return self.online_completed_at is not None or self.gate_waived_at is not None


class ImportStatus(models.TextChoices):
    VALIDATED = "validated", _("Checked, ready to import")
    FAILED = "failed", _("Refused: errors in the file")
    APPLIED = "applied", _("Imported")
    DISCARDED = "discarded", _("Discarded")


def import_path(instance: ParticipantImport, filename: str) -> str:
    return f"imports/{instance.run.uuid}/{uuid4().hex}/{filename}"


class ParticipantImport(TimeStampedModel):
    """A CSV or XLSX file of participants for a run: checked row by row, then applied all at once.

    `rows` keeps the checked rows (what each will do: match an existing person or create one);
    `errors` keeps every problem found, by row and column, for the downloadable error report.
    """

    run = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="imports")
    file = models.FileField(_("file"), upload_to=import_path, max_length=500)
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    new_people = models.PositiveIntegerField(_("new people"), default=0)
    matched_people = models.PositiveIntegerField(_("people already known"), default=0)
    rows = models.JSONField(default=list, blank=True, editable=False)
    errors = models.JSONField(default=list, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("participant import")
        verbose_name_plural = _("participant imports")

    def __str__(self) -> str:
        return f"{self.original_name} → {self.run}"
