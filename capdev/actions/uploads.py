"""Checking files attached to requests, deliverables and memoranda of understanding.

A file is accepted when its extension is on the list AND its content, sniffed from the first
bytes, is of that type; office documents (zip archives) are opened without extracting anything
and refused when a part could escape a folder, when they would expand beyond a bound (zip bombs),
when they carry macros or when their manifest says something else. Programs, HTML and SVG are
never accepted, whatever their name.

The catalogue has the same rules for training materials (capdev.catalogue.materials), but the
catalogue sits downstream of actions (STYLE.md: dependencies point one way), so actions cannot
import it; both should move to a shared capdev.core module.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from capdev.core.errors import DomainError

MAX_UPLOAD_SIZE = 20 * 1024 * 1024  # 20 MB per file
MAX_UNCOMPRESSED_SIZE = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 150
MAX_ZIP_ENTRIES = 5000
MAX_MANIFEST_SIZE = 512 * 1024
HEAD_SIZE = 8192


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str


TYPES: dict[str, FileType] = {
    "pdf": FileType("PDF", "application/pdf"),
    "docx": FileType(
        "Word (.docx)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "xlsx": FileType("Excel (.xlsx)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": FileType(
        "PowerPoint (.pptx)", "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
    "odt": FileType("OpenDocument text (.odt)", "application/vnd.oasis.opendocument.text"),
    "ods": FileType("OpenDocument spreadsheet (.ods)", "application/vnd.oasis.opendocument.spreadsheet"),
    "png": FileType("PNG image", "image/png"),
    "jpg": FileType("JPEG image", "image/jpeg"),
    "jpeg": FileType("JPEG image", "image/jpeg"),
    "mp4": FileType("MP4 video", "video/mp4"),
}

OOXML_MAIN = {
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
OPENDOCUMENT = ("odt", "ods")

EXECUTABLE_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)
MARKUP = (b"<!doctype html", b"<html", b"<svg", b"<script", b"<?xml", b"<head", b"<body", b"<iframe")


def accepted_types() -> str:
    """ "PDF, Word (.docx), ..." for messages and help texts."""
    return ", ".join(dict.fromkeys(t.label for t in TYPES.values()))


def accept_attribute() -> str:
    """The `accept` attribute of file inputs (a hint for the browser; the server decides)."""
    return ",".join(f".{ext}" for ext in TYPES)


def extension_of(name: str) -> str:
    base = posixpath.basename(name.replace("\\", "/"))
    return base.rsplit(".", 1)[1].lower() if "." in base else ""


def _refuse(name: str, message: str) -> DomainError:
    return DomainError(f"“{name}”: {message}", field="file", code="file_type")


def _is_markup(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith(MARKUP) or any(tag in text for tag in (b"<script", b"<svg", b"<html"))


def _read_bounded(archive: zipfile.ZipFile, entry: str, name: str) -> bytes:
    info = archive.getinfo(entry)
    if info.file_size > MAX_MANIFEST_SIZE:
        raise _refuse(name, _("the document's manifest is too large."))
    with archive.open(info) as member:
        return member.read(MAX_MANIFEST_SIZE)


def _check_zip(name: str, fh: IO[bytes], ext: str) -> None:
    try:
        fh.seek(0)
        archive = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(name, _("the file is damaged: it is not a valid document archive.")) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise _refuse(name, _("the document holds too many parts to be checked."))
        total = 0
        for info in infos:
            entry = info.filename
            parts = entry.replace("\\", "/").split("/")
            if entry.startswith(("/", "\\")) or ".." in parts or (len(entry) > 1 and entry[1] == ":"):
                raise _refuse(name, _("the document contains a part whose name points outside it."))
            if info.flag_bits & 0x1:
                raise _refuse(name, _("encrypted documents cannot be uploaded."))
            total += info.file_size
            if total > MAX_UNCOMPRESSED_SIZE:
                raise _refuse(name, _("the document expands to more than 200 MB once opened."))
            if info.file_size > 5 * 1024 * 1024 and info.file_size > MAX_COMPRESSION_RATIO * max(
                info.compress_size, 1
            ):
                raise _refuse(name, _("the document is compressed abnormally (a possible zip bomb)."))
        names = {i.filename for i in infos}
        label = TYPES[ext].label
        if ext in OOXML_MAIN:
            if "[Content_Types].xml" not in names:
                raise _refuse(name, _("the file is not an Office document (no [Content_Types].xml)."))
            manifest = _read_bounded(archive, "[Content_Types].xml", name)
            if b"macroenabled" in manifest.lower() or any(n.endswith("vbaProject.bin") for n in names):
                raise _refuse(name, _("documents with macros cannot be uploaded."))
            if OOXML_MAIN[ext] not in manifest:
                raise _refuse(name, _("its content is not a %(type)s document.") % {"type": label})
        else:
            if "mimetype" not in names:
                raise _refuse(name, _("the file is not an OpenDocument file (no mimetype)."))
            if _read_bounded(archive, "mimetype", name).strip() != TYPES[ext].content_type.encode():
                raise _refuse(name, _("its content is not a %(type)s document.") % {"type": label})


def check_upload(name: str, fh: IO[bytes], size: int, *, max_size: int | None = None) -> FileType:
    """Return the file's type, or raise DomainError (field "file") saying why it is refused."""
    max_size = max_size or MAX_UPLOAD_SIZE
    if size <= 0:
        raise _refuse(name, _("the file is empty."))
    if size > max_size:
        raise _refuse(
            name,
            _("the file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": max_size // 1024 // 1024},
        )
    ext = extension_of(name)
    fh.seek(0)
    head = fh.read(HEAD_SIZE)
    fh.seek(0)
    if head.startswith(EXECUTABLE_MAGIC):
        raise _refuse(name, _("the file is a program, not a document; it cannot be uploaded."))
    if ext not in TYPES:
        raise _refuse(
            name,
            _("files of type %(ext)s cannot be uploaded. Accepted: %(types)s.")
            % {"ext": f".{ext}" if ext else _("(no extension)"), "types": accepted_types()},
        )
    if _is_markup(head):
        raise _refuse(name, _("web pages and SVG images cannot be uploaded (they can carry scripts)."))
    kind = TYPES[ext]
    mismatch = _refuse(
        name, _("its content is not a %(type)s file; check that it is the right file.") % {"type": kind.label}
    )
    if ext == "pdf" and not head.startswith(b"%PDF-"):
        raise mismatch
    if ext == "png" and not head.startswith(b"\x89PNG\r\n\x1a\n"):
        raise mismatch
    if ext in ("jpg", "jpeg") and not head.startswith(b"\xff\xd8\xff"):
        raise mismatch
    if ext == "mp4" and head[4:8] != b"ftyp":
        raise mismatch
    if ext in OOXML_MAIN or ext in OPENDOCUMENT:
        if not head.startswith(b"PK\x03\x04"):
            raise mismatch
        _check_zip(name, fh, ext)
        fh.seek(0)
    return kind
