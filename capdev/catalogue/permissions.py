"""Permission rules for the catalogue of standard products.

Visibility (404) is decided by `Course.objects.visible_to` / `CourseVersion.objects.visible_to`;
these rules decide what a user who sees a product may do with it (403).
"""

from __future__ import annotations

from typing import Any

from capdev.core.permissions import rule
from capdev.core.roles import Role, RoleSet
from capdev.organisations.querysets import scoped_org_ids


def owner_id_of(obj: Any) -> int | None:
    """The owner organisation of a course, version, part, module, objective, rule or material."""
    from capdev.catalogue.models import (
        CompletionRule,
        Course,
        CourseVersion,
        DeliveryPart,
        LearningObjective,
        Material,
        Module,
    )

    if isinstance(obj, Course):
        return obj.owner_id
    if isinstance(obj, CourseVersion):
        return obj.course.owner_id
    if isinstance(obj, DeliveryPart | Module | CompletionRule):
        return obj.version.course.owner_id
    if isinstance(obj, LearningObjective | Material):
        return obj.module.version.course.owner_id
    return None


@rule("catalogue.list")
def list_courses(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Every logged-in user browses the catalogue (what they see is scoped by visible_to)."""
    return True


@rule("catalogue.view")
def view_course(user: Any, roles: RoleSet, obj: Any) -> bool:
    return True  # visibility (404) is decided by visible_to


@rule("catalogue.add")
def add_course(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Programme staff create standard products."""
    return roles.is_staff


@rule("catalogue.change")
def change_course(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Staff edit any product; a focal point edits the products their organisation owns (drafts:
    including starting a new draft from a published version and discarding a draft)."""
    if roles.is_staff:
        return True
    owner = owner_id_of(obj)
    return owner is not None and owner in scoped_org_ids(user, Role.FOCAL_POINT)


@rule("catalogue.publish")
def publish_course(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Publishing and retiring versions is curated by programme staff."""
    return roles.is_staff
