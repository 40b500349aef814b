"""Checking uploaded files before they are stored (materials, attachments, deliverables, CVs).

Every upload in capdev goes through `check_upload`. A file is accepted when its extension is on the list below AND its content, sniffed from the
first bytes, is of that type. Office documents are zip archives: they are opened with `zipfile`
without extracting anything, and refused when an entry's name could escape a folder, when the
archive would expand beyond a bound (zip bombs), or when its manifest says something else.
Programs, HTML and SVG (which can carry scripts) are never accepted, whatever their name.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from capdev.core.errors import DomainError

DEFAULT_MAX_SIZE = 25 * 1024 * 1024  # 25 MB per file unless the caller says otherwise
MAX_UNCOMPRESSED_SIZE = 200 * 1024 * 1024  # what an office document may expand to (named in a message)
MAX_COMPRESSION_RATIO = 150  # per entry, beyond a few megabytes
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
    "pptx": FileType(
        "PowerPoint (.pptx)", "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
    "xlsx": FileType("Excel (.xlsx)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": FileType("OpenDocument text (.odt)", "application/vnd.oasis.opendocument.text"),
    "ods": FileType("OpenDocument spreadsheet (.ods)", "application/vnd.oasis.opendocument.spreadsheet"),
    "odp": FileType("OpenDocument presentation (.odp)", "application/vnd.oasis.opendocument.presentation"),
    "mp4": FileType("MP4 video", "video/mp4"),
    "png": FileType("PNG image", "image/png"),
    "jpg": FileType("JPEG image", "image/jpeg"),
    "jpeg": FileType("JPEG image", "image/jpeg"),
    "txt": FileType("plain text (.txt)", "text/plain; charset=utf-8"),
}

# The main part each OOXML type declares in [Content_Types].xml.
OOXML_MAIN = {
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "pptx": b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}

EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE / DOS
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"#!",  # scripts
)
MARKUP_STARTS = (b"<!doctype html", b"<html", b"<svg", b"<script", b"<?xml", b"<head", b"<body", b"<iframe")


OPENDOCUMENT = ("odt", "ods", "odp")


def _types(allowed: Iterable[str] | None) -> dict[str, FileType]:
    return TYPES if allowed is None else {ext: TYPES[ext] for ext in allowed}


def accepted_types(allowed: Iterable[str] | None = None) -> str:
    """ "PDF, Word (.docx), ..." for messages and help texts."""
    return ", ".join(dict.fromkeys(t.label for t in _types(allowed).values()))


def accept_attribute(allowed: Iterable[str] | None = None) -> str:
    """The `accept` attribute of file inputs (a hint for the browser; the server decides)."""
    return ",".join(f".{ext}" for ext in _types(allowed))


def extension_of(name: str) -> str:
    base = posixpath.basename(name.replace("\\", "/"))
    return base.rsplit(".", 1)[1].lower() if "." in base else ""


def _refuse(name: str, message: str) -> DomainError:
    return DomainError(f"“{name}”: {message}", field="file", code="file_type")


def _is_markup(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith(MARKUP_STARTS) or any(tag in text for tag in (b"<script", b"<svg", b"<html"))


def _check_zip(name: str, fh: IO[bytes], ext: str) -> None:
    """Inspect an office archive without extracting it."""
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
            if (
                entry.startswith(("/", "\\"))
                or ".." in parts
                or (len(entry) > 1 and entry[1] == ":")
                or "\x00" in entry
            ):
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
        if ext in OOXML_MAIN:
            if "[Content_Types].xml" not in names:
                raise _refuse(name, _("the file is not an Office document (no [Content_Types].xml)."))
            manifest = _read_bounded(archive, "[Content_Types].xml", name)
            if b"macroenabled" in manifest.lower() or "word/vbaProject.bin" in names:
                raise _refuse(name, _("documents with macros cannot be uploaded."))
            if OOXML_MAIN[ext] not in manifest:
                raise _refuse(name, _("its content is not a %(type)s document.") % {"type": TYPES[ext].label})
        else:  # OpenDocument: an uncompressed "mimetype" entry names the type
            if "mimetype" not in names:
                raise _refuse(name, _("the file is not an OpenDocument file (no mimetype)."))
            declared = _read_bounded(archive, "mimetype", name).strip()
            if declared != TYPES[ext].content_type.encode():
                raise _refuse(name, _("its content is not a %(type)s document.") % {"type": TYPES[ext].label})


def _read_bounded(archive: zipfile.ZipFile, entry: str, name: str) -> bytes:
    info = archive.getinfo(entry)
    if info.file_size > MAX_MANIFEST_SIZE:
        raise _refuse(name, _("the document's manifest is too large."))
    with archive.open(info) as member:
        return member.read(MAX_MANIFEST_SIZE + 1)[:MAX_MANIFEST_SIZE]


def check_upload(
    name: str,
    fh: IO[bytes],
    size: int,
    *,
    max_size: int | None = None,
    allowed: Iterable[str] | None = None,
) -> FileType:
    """Return the file's type, or raise DomainError (field "file") saying why it is refused.

    `max_size` (bytes) and `allowed` (extensions) narrow the defaults for one kind of upload."""
    max_size = max_size or DEFAULT_MAX_SIZE
    types = _types(allowed)
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
    if ext not in types:
        raise _refuse(
            name,
            _("files of type %(ext)s cannot be uploaded. Accepted: %(types)s.")
            % {"ext": f".{ext}" if ext else _("(no extension)"), "types": accepted_types(allowed)},
        )
    if _is_markup(head):
        raise _refuse(name, _("web pages and SVG images cannot be uploaded (they can carry scripts)."))
    kind = TYPES[ext]
    mismatch = _refuse(
        name, _("its content is not a %(type)s file; check that it is the right file.") % {"type": kind.label}
    )
    if ext == "pdf":
        if not head.startswith(b"%PDF-"):
            raise mismatch
    elif ext == "png":
        if not head.startswith(b"\x89PNG\r\n\x1a\n"):
            raise mismatch
    elif ext in ("jpg", "jpeg"):
        if not head.startswith(b"\xff\xd8\xff"):
            raise mismatch
    elif ext == "mp4":
        if head[4:8] != b"ftyp":
            raise mismatch
    elif ext in OOXML_MAIN or ext in OPENDOCUMENT:
        if not head.startswith(b"PK\x03\x04"):
            raise mismatch
        _check_zip(name, fh, ext)
        fh.seek(0)
    elif ext == "txt":
        if b"\x00" in head:
            raise mismatch
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # a multi-byte character cut by the head's end is fine
            if exc.start < len(head) - 3:
                raise _refuse(name, _("the text is not in UTF-8; save it as UTF-8 and try again.")) from exc
    return kind
