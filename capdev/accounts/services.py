"""Writes on logins and roles."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from capdev.accounts.models import Membership, User
from capdev.core import audit
from capdev.core.errors import ConflictError, DomainError
from capdev.core.roles import Role, forget_roles


def _sync_admin_flag(user: User) -> None:
    """Programme staff may use the Django admin for reference data; nobody else may."""
    is_staff = user.is_superuser or user.memberships.filter(active=True, role=Role.PROGRAMME_STAFF).exists()
    if user.is_staff != is_staff:
        User.objects.filter(pk=user.pk).update(is_staff=is_staff)
        user.is_staff = is_staff


@transaction.atomic
def create_user(email: str, *, actor: Any, password: str | None = None, display_name: str = "") -> User:
    """Create a login; the e-mail address must not be taken."""
    email = (email or "").strip().lower()
    if not email:
        raise DomainError(_("Enter an e-mail address."), field="email")
    if User.objects.filter(email__iexact=email).exists():
        raise ConflictError(_("A login with the e-mail address %(email)s already exists.") % {"email": email})
    user = User.objects.create_user(email, password, display_name=display_name)
    audit.record(actor, "user.created", user, data={"email": email})
    return user


@transaction.atomic
def grant_role(user: User, organisation: Any, role: str, *, actor: Any) -> Membership:
    """Give `user` `role` in `organisation` (reactivating a revoked membership)."""
    if role not in Role.values:
        raise DomainError(_("Unknown role %(role)s.") % {"role": role}, field="role")
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role, defaults={"active": True}
    )
    if not created and not membership.active:
        membership.active = True
        membership.save(update_fields=["active"])
        created = True
    if created:
        audit.record(actor, "membership.granted", user, data={"organisation": organisation, "role": role})
    _sync_admin_flag(user)
    forget_roles(user)
    return membership


@transaction.atomic
def revoke_role(membership: Membership, *, actor: Any) -> Membership:
    """Deactivate a membership; the record stays for the audit trail."""
    if membership.active:
        membership.active = False
        membership.save(update_fields=["active"])
        audit.record(
            actor,
            "membership.revoked",
            membership.user,
            data={"organisation": membership.organisation, "role": membership.role},
        )
    _sync_admin_flag(membership.user)
    forget_roles(membership.user)
    return membership
