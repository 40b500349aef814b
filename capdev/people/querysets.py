"""Reads and scoping for people."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from capdev.core.roles import Role, roles_of
from capdev.organisations.querysets import scoped_org_ids


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> PersonQuerySet:
        """Staff see everyone; a focal point sees the people of their organisation(s); everyone
        sees themselves."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        rs = roles_of(user)
        if rs.is_staff:
            return self.all()
        condition = Q(user_id=user.pk)
        orgs = scoped_org_ids(user, Role.FOCAL_POINT)
        if orgs:
            condition |= Q(organisation_id__in=orgs)
        return self.filter(condition)

    def active(self) -> PersonQuerySet:
        return self.filter(erased_at__isnull=True)

    def women(self) -> PersonQuerySet:
        from capdev.people.models import Sex

        return self.filter(sex=Sex.FEMALE)
