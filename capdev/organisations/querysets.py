"""Reads and scoping for organisations."""

from __future__ import annotations

from typing import Any

from django.db import models

from capdev.core.roles import Role, roles_of


def descendants_of(org_ids: set[int]) -> set[int]:
    """`org_ids` and every organisation below them in the parent tree."""
    from capdev.organisations.models import Organisation

    seen = set(org_ids)
    frontier = set(org_ids)
    while frontier:
        children = set(Organisation.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        frontier = children - seen
        seen |= frontier
    return seen


def scoped_org_ids(user: Any, *roles: str) -> set[int]:
    """Organisations (with their sub-organisations) where the user holds one of `roles`; cached."""
    rs = roles_of(user)
    key = ("org_scope", *sorted(roles))
    cache: dict[Any, set[int]] = user.__dict__.setdefault("_capdev_scope_cache", {})
    if key not in cache:
        cache[key] = descendants_of(rs.orgs(*roles)) if rs.orgs(*roles) else set()
    return cache[key]


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> OrganisationQuerySet:
        """Staff and steering-committee members see every organisation; others see the
        organisations they belong to and their sub-organisations."""
        rs = roles_of(user)
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if rs.is_staff or rs.has(Role.STEERING_COMMITTEE):
            return self.all()
        return self.filter(id__in=scoped_org_ids(user))

    def partners(self) -> OrganisationQuerySet:
        from capdev.organisations.models import OrganisationType

        return self.filter(type=OrganisationType.PARTNER_AUTHORITY)
