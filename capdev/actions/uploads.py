"""Upload rules for request attachments, deliverables and memoranda: the shared checker
(capdev.core.uploads) with this app's size limit and accepted types."""

from __future__ import annotations

from typing import IO

from capdev.core import uploads
from capdev.core.uploads import FileType, extension_of

MAX_UPLOAD_SIZE = 20 * 1024 * 1024  # 20 MB per file
ALLOWED = ("pdf", "docx", "xlsx", "pptx", "odt", "ods", "png", "jpg", "jpeg", "mp4")

__all__ = ["ALLOWED", "MAX_UPLOAD_SIZE", "accept_attribute", "accepted_types", "check_upload", "extension_of"]


def accepted_types() -> str:
    return uploads.accepted_types(ALLOWED)


def accept_attribute() -> str:
    return uploads.accept_attribute(ALLOWED)


def check_upload(name: str, fh: IO[bytes], size: int, *, max_size: int | None = None) -> FileType:
    """Return the file's type, or raise DomainError (field "file") saying why it is refused."""
    return uploads.check_upload(name, fh, size, max_size=max_size or MAX_UPLOAD_SIZE, allowed=ALLOWED)
