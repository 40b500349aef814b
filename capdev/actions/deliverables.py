"""The deliverables registry of an Action (protocol, handbook, curriculum, TNA report...) and its
memorandum of understanding, with uploads checked by capdev.actions.uploads."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from capdev.actions.models import (
    Action,
    Activity,
    Deliverable,
    DeliverableKind,
    DeliverableStatus,
    MemorandumOfUnderstanding,
)
from capdev.actions.uploads import check_upload
from capdev.core import audit
from capdev.core.errors import DomainError

DELIVERABLE_FIELDS = ["kind", "title", "language", "status", "due_date", "delivered_on", "activity"]
MOU_FIELDS = ["signed_on", "signatories", "valid_until", "notes"]
DONE = (DeliverableStatus.DELIVERED, DeliverableStatus.ADOPTED)


def _replace_file(obj: Any, upload: UploadedFile | None) -> str:
    """Store `upload` on `obj.file` after checking it; returns the old file's name (to delete
    once the transaction commits)."""
    if upload is None:
        return ""
    name = upload.name or "file"
    kind = check_upload(name, upload, upload.size or 0)
    old = obj.file.name if obj.file else ""
    obj.file.save(name, upload, save=False)
    obj.content_type = kind.content_type
    obj.size = upload.size or 0
    return old


def _snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    """audit.snapshot plus the stored file's name (an empty FileField cannot be snapshotted)."""
    out = audit.snapshot(obj, fields)
    out["file"] = obj.file.name or ""
    return out


def _delete_later(name: str) -> None:
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def _check_deliverable(d: Deliverable) -> None:
    d.title = " ".join((d.title or "").split())
    if not d.title:
        raise DomainError(_("Give the deliverable a title."), field="title")
    if d.kind not in DeliverableKind.values:
        raise DomainError(_("Choose the kind of deliverable."), field="kind")
    if d.activity_id and not Activity.objects.filter(pk=d.activity_id, action_id=d.action_id).exists():
        raise DomainError(_("The activity must belong to this Action."), field="activity")
    if d.status in DONE and d.delivered_on is None:
        d.delivered_on = timezone.localdate()
    if d.delivered_on and d.delivered_on > timezone.localdate():
        raise DomainError(_("The delivery date cannot be in the future."), field="delivered_on")
    if d.status not in DONE and d.delivered_on:
        d.delivered_on = None


def _save(obj: models.Model) -> None:
    try:
        obj.full_clean()
        obj.save()
    except Exception:
        if getattr(obj, "file", None):
            default_storage.delete(obj.file.name)  # type: ignore[attr-defined]
        raise


@transaction.atomic
def add_deliverable(
    action: Action, *, actor: Any, upload: UploadedFile | None = None, **values: Any
) -> Deliverable:
    """Register a deliverable of an Action, optionally with its file."""
    unknown = sorted(set(values) - set(DELIVERABLE_FIELDS))
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(unknown)})
    deliverable = Deliverable(action=action, **values)
    _check_deliverable(deliverable)
    _replace_file(deliverable, upload)
    _save(deliverable)
    audit.record(
        actor,
        "action.deliverable_added",
        action,
        changes=audit.diff({}, _snapshot(deliverable, DELIVERABLE_FIELDS)),
        data={"deliverable": deliverable.title},
    )
    return deliverable


@transaction.atomic
def update_deliverable(
    deliverable: Deliverable, *, actor: Any, upload: UploadedFile | None = None, **values: Any
) -> Deliverable:
    """Change a deliverable (status, due date, file...)."""
    unknown = sorted(set(values) - set(DELIVERABLE_FIELDS))
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(unknown)})
    deliverable = Deliverable.objects.select_for_update().select_related("action").get(pk=deliverable.pk)
    before = _snapshot(deliverable, DELIVERABLE_FIELDS)
    for key, value in values.items():
        setattr(deliverable, key, value)
    _check_deliverable(deliverable)
    old = _replace_file(deliverable, upload)
    _save(deliverable)
    _delete_later(old)
    changes = audit.diff(before, _snapshot(deliverable, DELIVERABLE_FIELDS))
    if changes:
        audit.record(
            actor,
            "action.deliverable_changed",
            deliverable.action,
            changes=changes,
            data={"deliverable": deliverable.title},
        )
    return deliverable


@transaction.atomic
def save_mou(
    action: Action,
    *,
    actor: Any,
    upload: UploadedFile | None = None,
    signed_on: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    **values: Any,
) -> MemorandumOfUnderstanding:
    """Record (or update) the memorandum of understanding of an Action."""
    unknown = sorted(set(values) - set(MOU_FIELDS))
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(unknown)})
    mou = MemorandumOfUnderstanding.objects.select_for_update().filter(action=action).first()
    created = mou is None
    mou = mou or MemorandumOfUnderstanding(action=action)
    before = {} if created else _snapshot(mou, MOU_FIELDS)
    mou.signed_on, mou.valid_until = signed_on, valid_until
    for key, value in values.items():
        setattr(mou, key, (value or "").strip() if isinstance(value, str) else value)
    if signed_on and signed_on > timezone.localdate():
        raise DomainError(_("The signature date cannot be in the future."), field="signed_on")
    if signed_on and valid_until and valid_until < signed_on:
        raise DomainError(_("The memorandum cannot expire before it is signed."), field="valid_until")
    old = _replace_file(mou, upload)
    _save(mou)
    _delete_later(old)
    changes = audit.diff(before, _snapshot(mou, MOU_FIELDS))
    if changes:
        audit.record(
            actor, "action.mou_recorded" if created else "action.mou_changed", action, changes=changes
        )
    return mou
