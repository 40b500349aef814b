"""Sessions of a course run and the attendance marked at them (DOMAIN.md: "Session").

- A **Session** is a scheduled meeting of a run: a face-to-face day (or half-day), a live online
  meeting or a field trip (with its host institution and destination). It has a date, a start
  and an end time on that day — wall-clock times in the session's own time zone (`timezone`, an
  IANA name) — a room or an online link, trainers (trainers of the run), and may be cancelled
  with a reason. `starts_at`/`ends_at` hold the same moments in UTC (kept by the services) for
  ordering, "today" and the calendar feeds.
- An **Attendance** mark records whether a participant (an enrolment of the run) was present,
  late, absent or excused at a session: one mark per (session, enrolment).
- A **CalendarFeed** holds the secret inside a person's personal calendar link (all the sessions
  of the runs they take or train); replacing it revokes every link given out.

The attendance figures of each enrolment (sessions attended, sessions counted, rate) live on
`cohorts.Enrolment` and are written by `delivery.services.refresh_attendance`.
"""

from __future__ import annotations

import datetime
import zoneinfo
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from capdev.core.models import TimeStampedModel
from capdev.delivery.querysets import AttendanceQuerySet, SessionQuerySet


class SessionKind(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face-to-face")
    LIVE_ONLINE = "live_online", _("Live online meeting")
    FIELD_TRIP = "field_trip", _("Field trip")


IN_PERSON_KINDS = (SessionKind.FACE_TO_FACE, SessionKind.FIELD_TRIP)


class Session(TimeStampedModel):
    """A scheduled meeting of a run, on one day, from a start to an end time in its time zone.

    Rules (enforced by the services): the date falls within the run's dates; the end comes after
    the start; the time zone is a known IANA zone; the delivery part, if any, belongs to the run's
    course version; the trainers are trainers of the run; a field trip names its destination.
    A cancelled session keeps its attendance marks, which no longer count.
    """

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    # Indexed by the (run, date, start_time) index below, not by one of its own.
    run = models.ForeignKey(
        "cohorts.CourseRun",
        verbose_name=_("run"),
        on_delete=models.CASCADE,
        related_name="sessions",
        db_index=False,
    )
    kind = models.CharField(
        _("kind"), max_length=14, choices=SessionKind.choices, default=SessionKind.FACE_TO_FACE
    )
    title = models.CharField(
        _("title"), max_length=255, blank=True, help_text=_("For example “Day 1: the training cycle”.")
    )
    part = models.ForeignKey(
        "catalogue.DeliveryPart",
        verbose_name=_("part of the course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    timezone = models.CharField(_("time zone"), max_length=64)
    starts_at = models.DateTimeField(editable=False)
    ends_at = models.DateTimeField(editable=False)
    room = models.CharField(_("venue or room"), max_length=255, blank=True)
    online_link = models.URLField(_("online meeting link"), max_length=500, blank=True)
    host_institution = models.CharField(
        _("host institution"),
        max_length=255,
        blank=True,
        help_text=_("Field trips: the institution visited, e.g. “Ministry of Justice and Security”."),
    )
    destination_city = models.CharField(_("destination city"), max_length=120, blank=True)
    destination_country = models.ForeignKey(
        "reference.Country",
        verbose_name=_("destination country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    trainers = models.ManyToManyField(
        "cohorts.RunTrainer", verbose_name=_("trainers"), blank=True, related_name="sessions"
    )
    notes = models.TextField(_("notes"), blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # Set when attendance is first saved: from then on the session counts in the attendance
    # rate even if it was marked a few minutes before its start.
    attendance_taken_at = models.DateTimeField(_("attendance taken"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    demo_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["date", "start_time", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [
            models.Index(fields=["run", "date", "start_time"], name="session_run_timetable"),
            models.Index(fields=["run", "starts_at"], name="session_run_starts"),
            models.Index(fields=["date", "start_time"], name="session_day"),
            # The newest sessions first, for the list of attendance marks across runs.
            models.Index(fields=["starts_at", "id"], name="session_starts"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="session_ends_after_it_starts",
                violation_error_message=_("The session must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        when = f"{self.date:%d/%m/%Y} {self.start_time:%H:%M}"
        return f"{self.title} ({when})" if self.title else f"{self.get_kind_display()} ({when})"

    def get_absolute_url(self) -> str:
        return reverse("delivery:session-detail", args=[self.pk])

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def local_start(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.start_time, tzinfo=self.tz)

    def local_end(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.end_time, tzinfo=self.tz)

    @property
    def is_in_person(self) -> bool:
        return self.kind in IN_PERSON_KINDS

    @property
    def part_label(self) -> str:
        """The part of the course, when it says more than the kind of session (a part without a
        title is named after its kind: "Face-to-face")."""
        if self.part_id is None or self.part is None:
            return ""
        label = str(self.part)
        return "" if label == str(self.get_kind_display()) else label

    @property
    def place(self) -> str:
        """Where it happens, in one line: the room, or the host and destination of a field trip."""
        if self.kind == SessionKind.FIELD_TRIP:
            parts = [self.host_institution, self.destination_city]
            if self.destination_country_id:
                parts.append(str(self.destination_country))
            return ", ".join(p for p in parts if p)
        return self.room


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


def status_abbreviations() -> dict[str, str]:
    """One-letter abbreviations of the statuses for the attendance grid, translated on their own:
    the first letters of the translated labels can clash (Portuguese "Ausente" and "Atrasado")."""
    return {
        AttendanceStatus.PRESENT: pgettext("abbreviation of Present", "P"),
        AttendanceStatus.LATE: pgettext("abbreviation of Late", "L"),
        AttendanceStatus.ABSENT: pgettext("abbreviation of Absent", "A"),
        AttendanceStatus.EXCUSED: pgettext("abbreviation of Excused", "E"),
    }


class Attendance(models.Model):
    """A participant's attendance at one session. One mark per (session, enrolment).

    Sized for millions of rows: the unique (session, enrolment) index serves the attendance sheet
    (every mark of one session), the (enrolment, session) index — covering the status on
    PostgreSQL — serves the figures of a participant and the enrolment page.
    """

    # Both keys are the first column of an index below (no single-column index of their own:
    # at millions of rows each index costs writes and memory).
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances", db_index=False)
    enrolment = models.ForeignKey(
        "cohorts.Enrolment", on_delete=models.CASCADE, related_name="attendances", db_index=False
    )
    status = models.CharField(_("attendance"), max_length=8, choices=AttendanceStatus.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked"))

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["session", "enrolment"]
        verbose_name = _("attendance mark")
        verbose_name_plural = _("attendance marks")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_unique"),
        ]
        indexes = [
            models.Index(fields=["enrolment", "session"], include=["status"], name="attendance_enrolment"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.person} · {self.session}: {self.get_status_display()}"


class CalendarFeed(models.Model):
    """The secret inside a person's personal calendar link; a new secret revokes the old link."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="calendar_feed")
    key = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")

    def __str__(self) -> str:
        return f"calendar feed of person {self.person_id}"
