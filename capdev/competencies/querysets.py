"""Reads and scoping for competency frameworks.

Who sees what: a version that has been published (published or retired) is visible to every
logged-in user; a draft only to programme staff and to the focal points of the framework's owner
organisation (and its sub-organisations). A framework is visible when one of its versions is.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from capdev.core.roles import Role, roles_of
from capdev.organisations.querysets import scoped_org_ids

# Statuses whose content every logged-in user may read (retired versions stay readable: courses
# and certificates built on them keep pointing at them).
RELEASED = ("published", "retired")


def _draft_reader_orgs(user: Any) -> set[int] | None:
    """None when the user reads every draft (staff); otherwise the owner organisations whose
    drafts the user reads (focal points of the owner)."""
    if roles_of(user).is_staff:
        return None
    return scoped_org_ids(user, Role.FOCAL_POINT)


def version_visibility(user: Any, prefix: str = "") -> models.Q | None:
    """The condition on FrameworkVersion (reached through `prefix`) for what `user` may see;
    None means everything. Anonymous users see nothing (an always-false condition)."""
    if not getattr(user, "is_authenticated", False):
        return models.Q(pk__in=[])
    orgs = _draft_reader_orgs(user)
    if orgs is None:
        return None
    condition = models.Q(**{f"{prefix}status__in": RELEASED})
    if orgs:
        condition |= models.Q(**{f"{prefix}framework__owner_id__in": orgs})
    return condition


class FrameworkQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> FrameworkQuerySet:
        """Frameworks with a version the user may see (see the module docstring)."""
        from capdev.competencies.models import FrameworkVersion

        if not getattr(user, "is_authenticated", False):
            return self.none()
        orgs = _draft_reader_orgs(user)
        if orgs is None:
            return self.all()
        released = FrameworkVersion.objects.filter(framework=models.OuterRef("pk"), status__in=RELEASED)
        return self.filter(models.Q(models.Exists(released)) | models.Q(owner_id__in=orgs))


class FrameworkVersionQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> FrameworkVersionQuerySet:
        condition = version_visibility(user)
        return self.all() if condition is None else self.filter(condition)

    def drafts(self) -> FrameworkVersionQuerySet:
        return self.filter(status="draft")

    def published(self) -> FrameworkVersionQuerySet:
        return self.filter(status="published")

    def with_item_count(self) -> FrameworkVersionQuerySet:
        return self.annotate(item_count=models.Count("items", distinct=True))


class CompetencyItemQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> CompetencyItemQuerySet:
        condition = version_visibility(user, "version__")
        return self.all() if condition is None else self.filter(condition)

    def in_tree_order(self) -> CompetencyItemQuerySet:
        """Siblings by position; callers assemble the tree from parent ids."""
        return self.order_by("parent_id", "position", "id")

    def competencies(self) -> CompetencyItemQuerySet:
        return self.filter(kind="competency")


class ProficiencyLevelQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ProficiencyLevelQuerySet:
        condition = version_visibility(user, "version__")
        return self.all() if condition is None else self.filter(condition)
