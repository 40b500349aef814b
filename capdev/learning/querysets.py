"""Reads and scoping for the online part's content and progress.

Who may read a version's online content (lessons, images, SCORM packages) — anything else
answers 404:

- programme staff: every version;
- the focal points of the organisation that owns the product (its authors), for every version
  of it they see in the catalogue;
- the trainers of a run that delivers the version;
- the participants enrolled (and not withdrawn) in a run that delivers the version.

Progress (lesson progress, SCORM attempts) is visible to whoever sees the enrolment
(`Enrolment.objects.visible_to`): staff, the run's trainers, the focal points of the
participant's organisation and the participant.

Scoping uses `id__in` subqueries, never joins, so that no `distinct()` is needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

from capdev.core.roles import Role, roles_of
from capdev.organisations.querysets import scoped_org_ids

if TYPE_CHECKING:
    from capdev.learning.models import LessonImage, OnlineLesson, ScormAttempt, ScormPackage  # noqa: F401


def readable_version_ids(user: Any) -> models.QuerySet[Any] | None:
    """Ids of the course versions whose online content `user` may read, as a subquery; None when
    the user reads every version (staff); an empty queryset for anonymous users."""
    from capdev.catalogue.models import CourseVersion
    from capdev.cohorts.models import CourseRun, Enrolment, RunTrainer

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return CourseVersion.objects.none().values("pk")
    rs = roles_of(user)
    if rs.is_staff:
        return None
    condition = Q(pk__in=[])
    orgs = scoped_org_ids(user, Role.FOCAL_POINT)
    if orgs:
        condition |= Q(course__owner_id__in=orgs)
    if rs.person_id:
        condition |= Q(
            pk__in=CourseRun.objects.filter(
                pk__in=RunTrainer.objects.filter(person_id=rs.person_id).values("run_id")
            ).values("course_version_id")
        )
        condition |= Q(
            pk__in=Enrolment.objects.filter(person_id=rs.person_id)
            .exclude(status="withdrawn")
            .values("run__course_version_id")
        )
    return CourseVersion.objects.visible_to(user).filter(condition).values("pk")


def _content_filter(qs: Any, user: Any, path: str) -> Any:
    versions = readable_version_ids(user)
    return qs if versions is None else qs.filter(**{f"{path}__in": versions})


class OnlineLessonQuerySet(models.QuerySet["OnlineLesson"]):
    def visible_to(self, user: Any) -> OnlineLessonQuerySet:
        return _content_filter(self, user, "module__version_id")

    def of_version(self, version: Any) -> OnlineLessonQuerySet:
        return self.filter(module__version=version)

    def online(self) -> OnlineLessonQuerySet:
        """Lessons of modules in an online self-paced part (the only ones participants take)."""
        return self.filter(module__part__kind="online_self_paced")


class LessonImageQuerySet(models.QuerySet["LessonImage"]):
    def visible_to(self, user: Any) -> LessonImageQuerySet:
        return _content_filter(self, user, "lesson__module__version_id")


class ScormPackageQuerySet(models.QuerySet["ScormPackage"]):
    def visible_to(self, user: Any) -> ScormPackageQuerySet:
        return _content_filter(self, user, "module__version_id")

    def online(self) -> ScormPackageQuerySet:
        return self.filter(module__part__kind="online_self_paced")


class ScormAttemptQuerySet(models.QuerySet["ScormAttempt"]):
    def visible_to(self, user: Any) -> ScormAttemptQuerySet:
        from capdev.cohorts.models import Enrolment

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if roles_of(user).is_staff:
            return self.all()
        return self.filter(enrolment_id__in=Enrolment.objects.visible_to(user).values("pk"))

    def done(self) -> ScormAttemptQuerySet:
        return self.filter(done_at__isnull=False)
