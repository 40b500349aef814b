"""Training materials of a module: uploaded files (checked) and links."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from capdev.catalogue.materials import check_upload
from capdev.catalogue.models import (
    CourseVersion,
    Material,
    Module,
)
from capdev.catalogue.services._common import (
    _delete_files_later,
    _lock_draft,
)
from capdev.core import audit
from capdev.core.errors import DomainError
from capdev.reference.data import LANGUAGE_CODES

# --- materials -----------------------------------------------------------------------------------


def _check_language(version: CourseVersion, language: str) -> None:
    if language not in LANGUAGE_CODES:
        raise DomainError(_("Choose the material's language."), field="language")
    if version.languages and language not in version.languages:
        raise DomainError(
            _("This version is not offered in that language; add it to the version's languages first."),
            field="language",
        )


@transaction.atomic
def add_material_file(
    module: Module, *, actor: Any, language: str, upload: UploadedFile, title: str = ""
) -> Material:
    """Store an uploaded file for a module in one language, after checking its size and type
    (see capdev.catalogue.materials)."""
    version = _lock_draft(module.version_id)
    _check_language(version, language)
    name = upload.name or "file"
    kind = check_upload(name, upload, upload.size or 0)
    material = Material(
        module=module,
        language=language,
        title=(title or "").strip() or name.rsplit(".", 1)[0][:255],
        content_type=kind.content_type,
        size=upload.size or 0,
    )
    material.file.save(name, upload, save=False)
    try:
        material.save()
    except Exception:
        default_storage.delete(material.file.name)
        raise
    audit.record(
        actor,
        "course_version.material_added",
        version,
        data={
            "module": module.title,
            "title": material.title,
            "language": language,
            "file": material.file.name,
        },
    )
    return material


@transaction.atomic
def add_material_link(module: Module, *, actor: Any, language: str, url: str, title: str) -> Material:
    """Add a link (https only) as a material of a module in one language."""
    version = _lock_draft(module.version_id)
    _check_language(version, language)
    url = (url or "").strip()
    try:
        URLValidator(schemes=["https"])(url)
    except ValidationError as exc:
        raise DomainError(_("Give a full web address starting with https://."), field="url") from exc
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the link a title."), field="title")
    material = Material.objects.create(module=module, language=language, title=title[:255], url=url)
    audit.record(
        actor,
        "course_version.material_added",
        version,
        data={"module": module.title, "title": title, "language": language, "url": url},
    )
    return material


@transaction.atomic
def remove_material(material: Material, *, actor: Any) -> None:
    version = _lock_draft(material.module.version_id)
    name, title = material.file.name, material.title
    material.delete()
    _delete_files_later([name] if name else [])
    audit.record(actor, "course_version.material_removed", version, data={"title": title})
