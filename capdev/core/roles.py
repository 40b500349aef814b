"""The roles a user holds through organisation memberships, and a per-request cache of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A user's role in one organisation (DOMAIN.md, "Who uses it")."""

    PROGRAMME_STAFF = "staff", _("Programme staff")
    STEERING_COMMITTEE = "steering", _("Steering committee member")
    FOCAL_POINT = "focal_point", _("Partner focal point")
    TRAINER = "trainer", _("Trainer / expert")
    PARTICIPANT = "participant", _("Participant")


@dataclass
class RoleSet:
    """What a user is, where. Built once per request from the user's memberships."""

    by_role: dict[str, set[int]] = field(default_factory=dict)
    superuser: bool = False
    person_id: int | None = None

    @property
    def is_staff(self) -> bool:
        return self.superuser or Role.PROGRAMME_STAFF in self.by_role

    def has(self, role: str) -> bool:
        return role in self.by_role or (self.superuser and role == Role.PROGRAMME_STAFF)

    def orgs(self, *roles: str) -> set[int]:
        """Organisation ids where the user holds any of `roles` (all roles when none given)."""
        wanted = roles or tuple(self.by_role)
        out: set[int] = set()
        for role in wanted:
            out |= self.by_role.get(role, set())
        return out

    @property
    def names(self) -> list[str]:
        order = [r.value for r in Role]
        present = set(self.by_role)
        if self.superuser:
            present.add(Role.PROGRAMME_STAFF)
        return [r for r in order if r in present]


def roles_of(user: Any) -> RoleSet:
    """The user's roles, cached on the user object for the rest of the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return RoleSet()
    cached = getattr(user, "_capdev_roles", None)
    if cached is not None:
        return cached
    roles = RoleSet(superuser=bool(user.is_superuser))
    for role, org_id in user.memberships.filter(active=True).values_list("role", "organisation_id"):
        roles.by_role.setdefault(role, set()).add(org_id)
    person = getattr(user, "person", None) if _has_person(user) else None
    roles.person_id = person.pk if person is not None else None
    user._capdev_roles = roles
    return roles


def _has_person(user: Any) -> bool:
    try:
        return user.person is not None
    except Exception:  # RelatedObjectDoesNotExist
        return False


def forget_roles(user: Any) -> None:
    """Drop the cached roles after memberships change."""
    if hasattr(user, "_capdev_roles"):
        del user._capdev_roles
