"""Writes on organisations."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from capdev.core import audit
from capdev.core.errors import DomainError
from capdev.organisations.models import Organisation

FIELDS = [
    "name",
    "acronym",
    "type",
    "country",
    "region",
    "parent",
    "website",
    "email",
    "phone",
    "address",
    "description",
]


def _check_parent(org: Organisation, parent: Organisation | None) -> None:
    node = parent
    while node is not None:
        if org.pk is not None and node.pk == org.pk:
            raise DomainError(
                _("An organisation cannot be placed under itself or one of its sub-organisations."),
                field="parent",
            )
        node = node.parent


@transaction.atomic
def create_organisation(*, actor: Any, **values: Any) -> Organisation:
    """Create an organisation; its region defaults to its country's."""
    unknown = {k for k in values if k not in FIELDS and k.removesuffix("_id") not in FIELDS}
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if not (values.get("name") or "").strip():
        raise DomainError(_("Enter the organisation's name."), field="name")
    org = Organisation(**values)
    if not values.get("region"):
        org.region = org.country.region if org.country else ""
    org.full_clean()
    org.save()
    audit.record(actor, "organisation.created", org, changes=audit.diff({}, audit.snapshot(org, FIELDS)))
    return org


@transaction.atomic
def update_organisation(org: Organisation, *, actor: Any, **values: Any) -> Organisation:
    """Change an organisation's fields; records what changed."""
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    before = audit.snapshot(org, FIELDS)
    for name, value in values.items():
        if name not in FIELDS and name.removesuffix("_id") not in FIELDS:
            raise DomainError(_("Unknown field %(f)s") % {"f": name})
        setattr(org, name, value)
    _check_parent(org, org.parent)
    if "country" in values and "region" not in values:
        org.region = org.country.region if org.country else org.region
    org.full_clean()
    org.save()
    changes = audit.diff(before, audit.snapshot(org, FIELDS))
    if changes:
        audit.record(actor, "organisation.updated", org, changes=changes)
    return org
