"""Hardened reading of an uploaded SCORM zip: every entry is checked before anything is written.

Refused, with a message naming the entry:

- a file that is not a zip archive, or a damaged one;
- a zip larger than `MAX_UPLOAD_SIZE`, holding more than `MAX_ENTRIES` entries, or expanding to
  more than `MAX_TOTAL_SIZE` (the sizes the archive declares, and the bytes actually written,
  are both counted);
- an entry compressed more than `MAX_RATIO` times (beyond `RATIO_FLOOR` bytes): a zip bomb;
- an entry whose name could escape the package's folder (zip-slip): an absolute path, a `..`
  component, a backslash, a drive letter (`C:`), a NUL or control character, an over-long name;
- symbolic links and other non-regular files (devices, pipes), encrypted entries, two entries
  whose names differ only by case (one would hide the other).

Mac resource forks (`__MACOSX/`, `._*`, `.DS_Store`) and `Thumbs.db` are skipped. Extraction
writes each file under `<prefix><name>` in the file storage, streaming and counting bytes; on any
failure every file already written is deleted.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.core.files import File
from django.core.files.storage import Storage
from django.utils.translation import gettext as _

from capdev.core.errors import DomainError

MAX_UPLOAD_SIZE = 200 * 1024 * 1024  # the zip as uploaded
MAX_TOTAL_SIZE = 500 * 1024 * 1024  # everything it holds, once extracted
MAX_ENTRIES = 5000
MAX_RATIO = 100  # uncompressed / compressed, per entry ...
RATIO_FLOOR = 1024 * 1024  # ... for entries larger than this (tiny text files compress well)
MAX_NAME_LENGTH = 400
MAX_MANIFEST_SIZE = 2 * 1024 * 1024
CHUNK = 64 * 1024
# What reading a damaged or hostile entry can raise (bad checksum, bad deflate data, unknown or
# unsupported compression, encryption without a password, truncated data).
READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    OSError,
    RuntimeError,
    EOFError,
    ValueError,
)
MANIFEST = "imsmanifest.xml"


def refuse(message: str) -> DomainError:
    return DomainError(message, field="file", code="scorm")


@dataclass(frozen=True)
class Entry:
    info: zipfile.ZipInfo
    name: str  # the checked relative path, with forward slashes


def _is_junk(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return name.startswith("__MACOSX/") or base.startswith("._") or base in (".DS_Store", "Thumbs.db")


def check_name(raw: str) -> str:
    """The entry's name if it stays inside the package's folder, else a refusal naming it."""
    shown = raw[:120]
    if not raw or len(raw) > MAX_NAME_LENGTH:
        raise refuse(_("The zip contains an entry with an empty or over-long name."))
    if "\\" in raw:
        raise refuse(
            _(
                "The zip contains “%(name)s”, whose name uses backslashes; re-create the zip with a standard tool."
            )
            % {"name": shown}
        )
    if raw.startswith("/") or (len(raw) >= 2 and raw[1] == ":" and raw[0].isalpha()):
        raise refuse(_("The zip contains “%(name)s”, an absolute path; it is refused.") % {"name": shown})
    if any(unicodedata.category(ch) == "Cc" for ch in raw):
        raise refuse(_("The zip contains an entry whose name holds control characters; it is refused."))
    parts = raw.rstrip("/").split("/")
    if any(part == ".." for part in parts):
        raise refuse(
            _("The zip contains “%(name)s”, whose name points outside the package (“..”); it is refused.")
            % {"name": shown}
        )
    cleaned = [part for part in parts if part not in ("", ".")]
    if not cleaned:
        raise refuse(_("The zip contains an entry with an empty name."))
    return "/".join(cleaned)


def _file_type(info: zipfile.ZipInfo) -> int:
    """The Unix file type bits of an entry (0 when the zip was not made on a Unix system)."""
    if info.create_system != 3:  # only Unix zips carry a meaningful mode
        return 0
    return stat.S_IFMT(info.external_attr >> 16)


def open_zip(fh: IO[bytes], size: int) -> zipfile.ZipFile:
    if size <= 0:
        raise refuse(_("The file is empty."))
    if size > MAX_UPLOAD_SIZE:
        raise refuse(
            _("The zip is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": MAX_UPLOAD_SIZE // 1024 // 1024}
        )
    fh.seek(0)
    if fh.read(4) not in (b"PK\x03\x04", b"PK\x05\x06"):
        raise refuse(_("The file is not a zip archive. Upload the SCORM package as a .zip file."))
    fh.seek(0)
    try:
        return zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise refuse(_("The zip archive is damaged and cannot be opened.")) from exc


def inspect(archive: zipfile.ZipFile) -> list[Entry]:
    """Check every entry; return the files to extract (directories and junk left out)."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise refuse(
            _("The zip holds %(n)s entries; the limit is %(limit)s.")
            % {"n": len(infos), "limit": MAX_ENTRIES}
        )
    entries: list[Entry] = []
    seen: dict[str, str] = {}
    total = 0
    for info in infos:
        name = check_name(info.filename)
        kind = _file_type(info)
        if kind == stat.S_IFLNK:
            raise refuse(
                _("The zip contains “%(name)s”, a symbolic link; links are refused.") % {"name": name[:120]}
            )
        if info.is_dir() or kind == stat.S_IFDIR:
            continue
        if kind not in (0, stat.S_IFREG):
            raise refuse(
                _("The zip contains “%(name)s”, which is not a regular file; it is refused.")
                % {"name": name[:120]}
            )
        if info.flag_bits & 0x1:
            raise refuse(
                _("The zip contains “%(name)s”, which is encrypted; upload a package without a password.")
                % {"name": name[:120]}
            )
        if _is_junk(name):
            continue
        folded = name.casefold()
        if folded in seen:
            raise refuse(
                _("The zip contains both “%(a)s” and “%(b)s”; names that differ only by case are refused.")
                % {"a": seen[folded][:120], "b": name[:120]}
            )
        seen[folded] = name
        total += info.file_size
        if total > MAX_TOTAL_SIZE:
            raise refuse(
                _("The package expands to more than %(limit)s MB once extracted; it is refused.")
                % {"limit": MAX_TOTAL_SIZE // 1024 // 1024}
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise refuse(
                _("“%(name)s” is compressed abnormally (%(ratio)s times): a possible zip bomb.")
                % {"name": name[:120], "ratio": info.file_size // max(info.compress_size, 1)}
            )
        entries.append(Entry(info, name))
    return entries


def read_member(archive: zipfile.ZipFile, entry: Entry, limit: int) -> bytes:
    """The whole content of a small entry (the manifest), refusing more than `limit` bytes."""
    if entry.info.file_size > limit:
        raise refuse(
            _("“%(name)s” is larger than %(limit)s KB.") % {"name": entry.name, "limit": limit // 1024}
        )
    try:
        with archive.open(entry.info) as member:
            data = member.read(limit + 1)
    except READ_ERRORS as exc:
        raise refuse(_("“%(name)s” cannot be read: the zip is damaged.") % {"name": entry.name}) from exc
    if len(data) > limit:
        raise refuse(
            _("“%(name)s” is larger than %(limit)s KB.") % {"name": entry.name, "limit": limit // 1024}
        )
    return data


class _Counted:
    """Budget for the bytes actually written (headers can lie about sizes)."""

    def __init__(self, budget: int) -> None:
        self.left = budget

    def take(self, n: int, name: str) -> None:
        self.left -= n
        if self.left < 0:
            raise refuse(
                _("“%(name)s” holds more data than the zip declares; the package is refused.")
                % {"name": name[:120]}
            )


def extract(archive: zipfile.ZipFile, entries: Iterable[Entry], prefix: str, storage: Storage) -> list[str]:
    """Write the entries under `prefix` in `storage`; return the relative names written.
    Removes whatever was written when anything fails."""
    written: list[str] = []
    budget = _Counted(MAX_TOTAL_SIZE)
    try:
        for entry in entries:
            declared = entry.info.file_size
            with tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024) as spool:
                try:
                    with archive.open(entry.info) as member:
                        copied = 0
                        while True:
                            chunk = member.read(CHUNK)
                            if not chunk:
                                break
                            copied += len(chunk)
                            if copied > declared:
                                raise refuse(
                                    _(
                                        "“%(name)s” holds more data than the zip declares; the package is refused."
                                    )
                                    % {"name": entry.name[:120]}
                                )
                            budget.take(len(chunk), entry.name)
                            spool.write(chunk)
                except READ_ERRORS as exc:
                    raise refuse(
                        _("“%(name)s” cannot be read: the zip is damaged or uses an unknown compression.")
                        % {"name": entry.name[:120]}
                    ) from exc
                spool.seek(0)
                target = prefix + entry.name
                saved = storage.save(target, File(spool, name=entry.name.rsplit("/", 1)[-1]))
                written.append(saved)
                if saved != target:
                    raise refuse(
                        _("“%(name)s” could not be stored under its own name.") % {"name": entry.name[:120]}
                    )
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    return [name[len(prefix) :] for name in written]


def delete_tree(names: Iterable[str], prefix: str, storage: Storage) -> None:
    """Delete a package's files (and, on a local file system, its emptied folders)."""
    for name in names:
        storage.delete(prefix + name)
    try:
        root = storage.path(prefix)
    except NotImplementedError:
        return
    if os.path.isdir(root):
        for dirpath, _dirs, _files in sorted(os.walk(root), key=lambda t: -len(t[0])):
            with contextlib.suppress(OSError):  # not empty: another file is still there
                os.rmdir(dirpath)
