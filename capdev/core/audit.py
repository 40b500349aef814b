"""Recording audit events. Services call `record()` inside their transaction."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from capdev.core.models import AuditEvent


def _plain(value: Any) -> Any:
    """A JSON-safe rendering of a field value."""
    if isinstance(value, models.Model):
        return {"id": value.pk, "repr": str(value)}
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, FieldFile):  # .url raises on an empty file, so never touch it
        return value.name or ""
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Field values of `instance`, JSON-safe, for a before/after comparison."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """`{field: [before, after]}` for each field whose value changed."""
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def build(
    actor: Any,
    verb: str,
    target: models.Model | None = None,
    *,
    changes: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """An unsaved audit event (see `record`); `record_many` saves several at once."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        actor=actor if is_user else None,
        actor_repr=(getattr(actor, "email", "") or str(actor)) if is_user else "system",
        verb=verb,
        changes=_plain(dict(changes or {})),
        data=_plain(dict(data or {})),
    )
    if target is not None:
        event.content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        event.object_id = str(target.pk)
        event.object_repr = str(target)[:255]
    return event


def record(
    actor: Any,
    verb: str,
    target: models.Model | None = None,
    *,
    changes: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append an audit event. `actor` is a user or None (system)."""
    event = build(actor, verb, target, changes=changes, data=data)
    event.save()
    return event


def record_many(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Append events made with `build` in one INSERT (e.g. one per corrected row of a bulk
    change), so that a service's number of queries does not grow with the rows it touches."""
    return AuditEvent.objects.bulk_create(list(events))
