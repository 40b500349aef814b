"""Permission rules for adaptations and the coverage matrix, and who may adapt for whom."""

from __future__ import annotations

from typing import Any

from django.db import models

from capdev.catalogue.models import (
    CourseKind,
    CourseVersion,
)
from capdev.core.permissions import rule
from capdev.core.roles import Role, RoleSet, roles_of
from capdev.organisations.models import Organisation, OrganisationType
from capdev.organisations.querysets import scoped_org_ids

# --------------------------------------------------------------------------------------------
# Permissions


def _adapting_orgs(user: Any) -> set[int]:
    return scoped_org_ids(user, Role.FOCAL_POINT)


@rule("catalogue.adapt")
def _adapt(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Programme staff adapt for any partner; a focal point for their own organisation (and its
    sub-organisations). `obj` is the partner organisation, or None for "for some organisation"."""
    if roles.is_staff:
        return True
    orgs = _adapting_orgs(user)
    if obj is None:
        return bool(orgs)
    return obj.pk in orgs


@rule("catalogue.change_adaptation")
def _change_adaptation(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Edit, publish and rebase an adaptation (a Course or one of its versions): programme staff,
    and focal points of the organisation that owns it."""
    if obj is None:
        return False
    course = obj.course if isinstance(obj, CourseVersion) else obj
    if course.kind != CourseKind.ADAPTATION:
        return False
    return roles.is_staff or course.owner_id in _adapting_orgs(user)


@rule("catalogue.list_adaptations")
def _list_adaptations(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Every logged-in user sees published adaptations (drafts by `visible_to`)."""
    return True


@rule("catalogue.view_coverage")
def _view_coverage(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Anyone who can see the framework version (decided by its `visible_to`) sees its coverage."""
    return True


def partner_choices(user: Any) -> models.QuerySet[Organisation]:
    """The organisations `user` may create an adaptation for."""
    qs = Organisation.objects.exclude(type=OrganisationType.DONOR).order_by("name")
    if roles_of(user).is_staff:
        return qs
    return qs.filter(pk__in=_adapting_orgs(user))
