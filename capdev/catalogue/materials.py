"""Upload rules for training materials: the shared checker (capdev.core.uploads) with the
catalogue's size limit and accepted types."""

from __future__ import annotations

from typing import IO

from capdev.core import uploads
from capdev.core.uploads import FileType, extension_of

MAX_MATERIAL_SIZE = 25 * 1024 * 1024  # 25 MB per file
ALLOWED = ("pdf", "docx", "pptx", "xlsx", "odt", "odp", "mp4", "png", "jpg", "jpeg", "txt")
TYPES: dict[str, FileType] = {ext: uploads.TYPES[ext] for ext in ALLOWED}

__all__ = ["ALLOWED", "MAX_MATERIAL_SIZE", "TYPES", "accepted_types", "check_upload", "extension_of"]


def accepted_types() -> str:
    return uploads.accepted_types(ALLOWED)


def check_upload(name: str, fh: IO[bytes], size: int) -> FileType:
    """Return the material's type, or raise DomainError (field "file") saying why it is refused."""
    return uploads.check_upload(name, fh, size, max_size=MAX_MATERIAL_SIZE, allowed=ALLOWED)
