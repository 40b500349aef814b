"""Reads and scoping for sessions and attendance marks.

Who sees what (an object outside these answers 404):

- a session is seen by whoever sees its run (`CourseRun.objects.visible_to`): programme staff and
  steering-committee members, the run's trainers, the host partner's focal points, and the run's
  participants;
- an attendance mark is seen by whoever sees its enrolment (`Enrolment.objects.visible_to`):
  programme staff, the run's trainers, the focal points of the participant's organisation, and
  the participant; steering-committee members see figures, not individual marks.

Scoping uses `id__in` subqueries, never joins, so that no `distinct()` is needed.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from capdev.core.roles import Role, roles_of

if TYPE_CHECKING:
    from capdev.delivery.models import Attendance, Session  # noqa: F401


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


class SessionQuerySet(models.QuerySet["Session"]):
    def visible_to(self, user: Any) -> SessionQuerySet:
        if not _authenticated(user):
            return self.none()
        from capdev.cohorts.querysets import sees_everything

        if sees_everything(user):
            return self.all()
        from capdev.cohorts.models import CourseRun

        return self.filter(run_id__in=CourseRun.objects.visible_to(user).values("pk"))

    def held(self, now: datetime.datetime | None = None) -> SessionQuerySet:
        """Sessions that count in the attendance rate: not cancelled, and started already or with
        attendance taken (a trainer may mark a few minutes before the start)."""
        now = now or timezone.now()
        return self.filter(cancelled=False).filter(
            Q(starts_at__lte=now) | Q(attendance_taken_at__isnull=False)
        )

    def scheduled(self) -> SessionQuerySet:
        return self.filter(cancelled=False)

    def upcoming(self, now: datetime.datetime | None = None) -> SessionQuerySet:
        return self.filter(ends_at__gt=now or timezone.now())

    def past(self, now: datetime.datetime | None = None) -> SessionQuerySet:
        return self.filter(ends_at__lte=now or timezone.now())

    def around(self, day: datetime.date) -> SessionQuerySet:
        """Sessions dated the day before, of, or after `day`: a session's own local date may be
        any of these when `day` is read in another time zone (narrow the rows in Python)."""
        return self.filter(date__range=(day - datetime.timedelta(days=1), day + datetime.timedelta(days=1)))

    def of_runs_trained_by(self, user: Any) -> SessionQuerySet:
        from capdev.cohorts.querysets import trained_run_ids

        return self.filter(run_id__in=trained_run_ids(user))


class AttendanceQuerySet(models.QuerySet["Attendance"]):
    def visible_to(self, user: Any) -> AttendanceQuerySet:
        """The marks of the enrolments the user sees (`Enrolment.objects.visible_to`): their
        own, their organisations' people's (focal points), and for trainers every mark at the
        sessions of the runs they train.

        The runs those marks belong to are read first (a short list of ids), so that the
        database starts from those runs' few sessions and the (session, enrolment) index, instead
        of walking millions of marks with a filter it cannot estimate."""
        if not _authenticated(user):
            return self.none()
        rs = roles_of(user)
        if rs.is_staff:
            return self.all()
        from capdev.cohorts.models import Enrolment, RunTrainer
        from capdev.delivery.models import Session
        from capdev.organisations.querysets import scoped_org_ids

        trained = (
            set(RunTrainer.objects.filter(person__user_id=user.pk).values_list("run_id", flat=True))
            if rs.has(Role.TRAINER)
            else set()
        )
        people = Q(pk__in=[])
        if rs.person_id:
            people |= Q(person_id=rs.person_id)
        orgs = scoped_org_ids(user, Role.FOCAL_POINT)
        if orgs:
            people |= Q(person__organisation_id__in=orgs)
        enrolments = Enrolment.objects.filter(people).exclude(run_id__in=trained)
        others = set(enrolments.order_by().values_list("run_id", flat=True).distinct())
        if not trained and not others:
            return self.none()
        condition = Q(session_id__in=Session.objects.filter(run_id__in=sorted(trained)).values("pk"))
        if others:
            condition |= Q(
                session_id__in=Session.objects.filter(run_id__in=sorted(others)).values("pk"),
                enrolment_id__in=enrolments.values("pk"),
            )
        return self.filter(condition)

    def attended(self) -> AttendanceQuerySet:
        return self.filter(status__in=("present", "late"))
