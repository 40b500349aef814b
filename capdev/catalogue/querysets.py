"""Reads and scoping for the catalogue.

Who sees what:

- a released version (published, or retired after it was published) is visible to every
  logged-in user: the catalogue is the programme's shared reference, and certificates keep
  pointing at retired versions;
- a draft is visible to programme staff and to the focal points of the owner organisation
  (with its sub-organisations);
- a course is visible when one of its versions is visible to the user.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from capdev.competencies.models import VersionStatus
from capdev.core.roles import Role, roles_of
from capdev.organisations.querysets import scoped_org_ids

RELEASED = (VersionStatus.PUBLISHED, VersionStatus.RETIRED)


def _owner_scope(user: Any) -> set[int] | None:
    """None when the user sees every draft (staff); otherwise the owner organisations whose
    drafts they see (possibly empty)."""
    if roles_of(user).is_staff:
        return None
    return scoped_org_ids(user, Role.FOCAL_POINT)


class CourseVersionQuerySet(models.QuerySet):
    def published(self) -> CourseVersionQuerySet:
        """Versions currently on offer."""
        return self.filter(status=VersionStatus.PUBLISHED)

    def drafts(self) -> CourseVersionQuerySet:
        return self.filter(status=VersionStatus.DRAFT)

    def released(self) -> CourseVersionQuerySet:
        """Versions that were published at some point (published or retired)."""
        return self.filter(status__in=RELEASED)

    def standard(self) -> CourseVersionQuerySet:
        from capdev.catalogue.models import CourseKind

        return self.filter(course__kind=CourseKind.STANDARD)

    def visible_to(self, user: Any) -> CourseVersionQuerySet:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        scope = _owner_scope(user)
        if scope is None:
            return self.all()
        condition = models.Q(status__in=RELEASED)
        if scope:
            condition |= models.Q(course__owner_id__in=scope)
        return self.filter(condition)


class CourseQuerySet(models.QuerySet):
    def standard(self) -> CourseQuerySet:
        from capdev.catalogue.models import CourseKind

        return self.filter(kind=CourseKind.STANDARD)

    def published(self) -> CourseQuerySet:
        """Courses with a version currently on offer."""
        from capdev.catalogue.models import CourseVersion

        return self.filter(
            models.Exists(
                CourseVersion.objects.filter(course=models.OuterRef("pk"), status=VersionStatus.PUBLISHED)
            )
        )

    def visible_to(self, user: Any) -> CourseQuerySet:
        from capdev.catalogue.models import CourseVersion

        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        scope = _owner_scope(user)
        if scope is None:
            return self.all()
        released = models.Exists(
            CourseVersion.objects.filter(course=models.OuterRef("pk"), status__in=RELEASED)
        )
        condition = models.Q(released)
        if scope:
            condition |= models.Q(owner_id__in=scope)
        return self.filter(condition)

    def with_current_version(self) -> CourseQuerySet:
        """Annotate `current_version_id`: the published version if any, else the newest one."""
        from capdev.catalogue.models import CourseVersion

        published = CourseVersion.objects.filter(
            course=models.OuterRef("pk"), status=VersionStatus.PUBLISHED
        ).order_by("-number")
        newest = CourseVersion.objects.filter(course=models.OuterRef("pk")).order_by("-number")
        return self.annotate(
            current_version_id=models.functions.Coalesce(
                models.Subquery(published.values("pk")[:1]), models.Subquery(newest.values("pk")[:1])
            )
        )
