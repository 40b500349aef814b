"""Writes on a version's online content: lessons, their images, SCORM packages, and the copier
that carries them into derived versions and adaptations.

Content belongs to the product, so it changes on a draft version only: every write locks the
version and refuses a published or retired one (ConflictError, "immutable"). Lessons belong to
modules of an online self-paced part. Stored files (images, extracted packages) are shared by
the copies of a version; they are deleted once no row refers to them (`capdev.learning.signals`).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from capdev.catalogue.content_hooks import module_content_copier
from capdev.catalogue.models import CourseVersion, Module, PartKind
from capdev.competencies.models import VersionStatus
from capdev.core import audit, uploads
from capdev.core.errors import ConflictError, DomainError
from capdev.learning import richtext
from capdev.learning.models import LessonImage, OnlineLesson, ScormPackage
from capdev.learning.scorm import archive
from capdev.learning.scorm.manifest import parse_manifest

LESSON_FIELDS = ["title", "body", "video_url", "estimated_minutes"]
MAX_IMAGE_SIZE = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_SIDE = 12_000
IMAGE_TYPES = ("png", "jpg", "jpeg")
MAX_MINUTES = 600


def lock_draft(version_id: int) -> CourseVersion:
    """The version, locked for the rest of the transaction; refused unless it is a draft."""
    version = CourseVersion.objects.select_for_update(of=("self",)).get(pk=version_id)
    if version.status != VersionStatus.DRAFT:
        raise ConflictError(
            _(
                "Version %(number)s is %(status)s: its lessons and packages can no longer be changed. "
                "Start a new version to change them."
            )
            % {"number": version.number, "status": version.get_status_display().lower()},
            code="immutable",
        )
    return version


def _online_module(module: Module) -> None:
    if module.part_id is None or module.part is None or module.part.kind != PartKind.ONLINE_SELF_PACED:
        raise DomainError(
            _(
                "Lessons and SCORM packages belong to modules of an online self-paced part; "
                "assign “%(module)s” to such a part first."
            )
            % {"module": module.title},
            field="module",
        )


def _next_position(module_id: int) -> int:
    return int(OnlineLesson.objects.filter(module_id=module_id).aggregate(m=Max("position"))["m"] or 0) + 1


def _renumber(lessons: Sequence[OnlineLesson], order: Sequence[int]) -> None:
    """Give the lessons positions 1..n in `order` (two passes: never two rows at one position)."""
    by_id = {lesson.pk: lesson for lesson in lessons}
    for i, pk in enumerate(order):
        by_id[pk].position = 10_000 + i
    OnlineLesson.objects.bulk_update(list(by_id.values()), ["position"])
    for i, pk in enumerate(order, start=1):
        by_id[pk].position = i
    OnlineLesson.objects.bulk_update(list(by_id.values()), ["position"])


def _clean_lesson(values: dict[str, Any], image_numbers: Sequence[int]) -> dict[str, Any]:
    unknown = sorted(set(values) - set(LESSON_FIELDS))
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(unknown)})
    out: dict[str, Any] = {}
    if "title" in values:
        title = " ".join(str(values["title"] or "").split())
        if not title:
            raise DomainError(pgettext("online course", "Give the lesson a title."), field="title")
        if len(title) > 255:
            raise DomainError(_("The title is longer than 255 characters."), field="title")
        out["title"] = title
    if "body" in values:
        body = str(values["body"] or "")
        if len(body) > richtext.MAX_BODY_LENGTH:
            raise DomainError(
                _("The text is longer than %(n)s characters; split the lesson in two.")
                % {"n": richtext.MAX_BODY_LENGTH},
                field="body",
            )
        out["body"] = richtext.clean_body(body, image_numbers)
    if "video_url" in values:
        url = str(values["video_url"] or "").strip()
        if url:
            try:
                URLValidator(schemes=["https"])(url)
            except ValidationError as exc:
                raise DomainError(
                    _("Give the video's full web address, starting with https://."), field="video_url"
                ) from exc
            if len(url) > 500:
                raise DomainError(_("The video's address is longer than 500 characters."), field="video_url")
        out["video_url"] = url
    if "estimated_minutes" in values:
        raw = values["estimated_minutes"]
        try:
            minutes = int(raw)
        except (TypeError, ValueError) as exc:
            raise DomainError(
                _("The estimated time is a number of minutes."), field="estimated_minutes"
            ) from exc
        if not 1 <= minutes <= MAX_MINUTES:
            raise DomainError(
                _("The estimated time is from 1 to %(n)s minutes.") % {"n": MAX_MINUTES},
                field="estimated_minutes",
            )
        out["estimated_minutes"] = minutes
    return out


# --- lessons -------------------------------------------------------------------------------------


@transaction.atomic
def create_lesson(module: Module, *, actor: Any, **values: Any) -> OnlineLesson:
    """Add a lesson at the end of a module of an online self-paced part of a draft version."""
    version = lock_draft(module.version_id)
    module = Module.objects.select_related("part").get(pk=module.pk)
    _online_module(module)
    values.setdefault("title", "")
    cleaned = _clean_lesson(values, ())
    lesson = OnlineLesson.objects.create(module=module, position=_next_position(module.pk), **cleaned)
    audit.record(
        actor,
        "lesson.created",
        version,
        data={"module": module.title, "lesson": lesson.title, "lesson_id": lesson.pk},
    )
    return lesson


@transaction.atomic
def update_lesson(lesson: OnlineLesson, *, actor: Any, **values: Any) -> OnlineLesson:
    """Change a lesson's title, text, video link or estimated time (the text is sanitised)."""
    version = lock_draft(lesson.module.version_id)
    lesson = OnlineLesson.objects.select_for_update().get(pk=lesson.pk)
    numbers = list(lesson.images.values_list("number", flat=True))
    cleaned = _clean_lesson(values, numbers)
    before = audit.snapshot(lesson, LESSON_FIELDS)
    for name, value in cleaned.items():
        setattr(lesson, name, value)
    lesson.save()
    changes = audit.diff(before, audit.snapshot(lesson, LESSON_FIELDS))
    if "body" in changes:
        changes["body"] = [len(changes["body"][0] or ""), len(changes["body"][1] or "")]  # sizes, not text
    if changes:
        audit.record(actor, "lesson.changed", version, changes=changes, data={"lesson": lesson.title})
    return lesson


@transaction.atomic
def delete_lesson(lesson: OnlineLesson, *, actor: Any) -> None:
    """Remove a lesson with its images (and everyone's progress in it: only drafts change, and
    drafts have no participants)."""
    version = lock_draft(lesson.module.version_id)
    module_id, title = lesson.module_id, lesson.title
    lesson.delete()
    remaining = list(OnlineLesson.objects.filter(module_id=module_id).order_by("position", "pk"))
    if remaining and [x.position for x in remaining] != list(range(1, len(remaining) + 1)):
        _renumber(remaining, [x.pk for x in remaining])
    audit.record(actor, "lesson.deleted", version, data={"lesson": title})


@transaction.atomic
def reorder_lessons(module: Module, *, actor: Any, order: Sequence[int | str]) -> list[OnlineLesson]:
    """Put a module's lessons in the order of `order` (every lesson's id exactly once)."""
    version = lock_draft(module.version_id)
    lessons = list(OnlineLesson.objects.select_for_update().filter(module=module).order_by("position", "pk"))
    try:
        wanted = [int(pk) for pk in order]
    except (TypeError, ValueError) as exc:
        raise DomainError(_("The new order must list the lessons by their ids."), field="order") from exc
    if len(wanted) != len(set(wanted)) or set(wanted) != {x.pk for x in lessons}:
        raise DomainError(
            _("The new order must list every lesson of the module exactly once."), field="order"
        )
    if [x.pk for x in lessons] != wanted:
        _renumber(lessons, wanted)
        audit.record(actor, "lessons.reordered", version, data={"module": module.title})
    return sorted(lessons, key=lambda x: x.position)


@transaction.atomic
def move_lesson(lesson: OnlineLesson, *, actor: Any, direction: str) -> list[OnlineLesson]:
    """Move a lesson one place up or down in its module."""
    if direction not in ("up", "down"):
        raise DomainError(_("Move a lesson up or down."), field="direction")
    ids = list(
        OnlineLesson.objects.filter(module_id=lesson.module_id)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )
    i = ids.index(lesson.pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
    return reorder_lessons(lesson.module, actor=actor, order=ids)


# --- images --------------------------------------------------------------------------------------


def _image_facts(name: str, upload: Any, size: int) -> tuple[str, int, int]:
    """(content type, width, height) of an uploaded PNG or JPEG, checked by its bytes and decoded
    header; refuses decompression bombs (more than MAX_IMAGE_PIXELS pixels)."""
    from PIL import Image, UnidentifiedImageError

    kind = uploads.check_upload(name, upload, size, max_size=MAX_IMAGE_SIZE, allowed=IMAGE_TYPES)
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            width, height = image.size
            fmt = image.format
            if width * height > MAX_IMAGE_PIXELS or max(width, height) > MAX_IMAGE_SIDE:
                raise DomainError(
                    _(
                        "“%(name)s” is %(w)s × %(h)s pixels; the limit is 40 megapixels and 12,000 pixels a side."
                    )
                    % {"name": name, "w": width, "h": height},
                    field="file",
                )
            image.verify()
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise DomainError(
            _("“%(name)s” is not a readable PNG or JPEG image.") % {"name": name}, field="file"
        ) from exc
    finally:
        upload.seek(0)
    if fmt not in ("PNG", "JPEG"):
        raise DomainError(_("“%(name)s” is not a PNG or JPEG image.") % {"name": name}, field="file")
    return kind.content_type, width, height


def _alt(alt_text: str) -> str:
    alt = " ".join(str(alt_text or "").split())
    if not alt:
        raise DomainError(
            _("Describe the image in a few words (alternative text) for people who cannot see it."),
            field="alt_text",
        )
    if len(alt) > 250:
        raise DomainError(_("The alternative text is longer than 250 characters."), field="alt_text")
    return alt


@transaction.atomic
def add_lesson_image(lesson: OnlineLesson, *, actor: Any, upload: UploadedFile, alt_text: str) -> LessonImage:
    """Store a PNG or JPEG (5 MB at most) for a lesson, with its alternative text."""
    version = lock_draft(lesson.module.version_id)
    alt = _alt(alt_text)
    name = upload.name or "image"
    size = upload.size or 0
    content_type, width, height = _image_facts(name, upload, size)
    number = int(lesson.images.aggregate(m=Max("number"))["m"] or 0) + 1
    image = LessonImage(
        lesson=lesson,
        number=number,
        alt_text=alt,
        width=width,
        height=height,
        content_type=content_type,
        size=size,
    )
    image.file.save(name, upload, save=False)
    try:
        image.save()
    except Exception:
        default_storage.delete(image.file.name)
        raise
    audit.record(
        actor, "lesson_image.added", version, data={"lesson": lesson.title, "image": number, "alt_text": alt}
    )
    return image


@transaction.atomic
def update_lesson_image(image: LessonImage, *, actor: Any, alt_text: str) -> LessonImage:
    version = lock_draft(image.lesson.module.version_id)
    alt = _alt(alt_text)
    if alt != image.alt_text:
        before = image.alt_text
        image.alt_text = alt
        image.save(update_fields=["alt_text", "updated_at"])
        audit.record(actor, "lesson_image.changed", version, changes={"alt_text": [before, alt]})
    return image


@transaction.atomic
def remove_lesson_image(image: LessonImage, *, actor: Any) -> None:
    """Remove an image; the lesson's text no longer shows it where it was placed."""
    version = lock_draft(image.lesson.module.version_id)
    lesson = OnlineLesson.objects.select_for_update().get(pk=image.lesson_id)
    number = image.number
    image.delete()
    numbers = list(lesson.images.values_list("number", flat=True))
    body = richtext.clean_body(lesson.body, numbers)
    if body != lesson.body:
        lesson.body = body
        lesson.save(update_fields=["body", "updated_at"])
    audit.record(actor, "lesson_image.removed", version, data={"lesson": lesson.title, "image": number})


# --- SCORM packages ------------------------------------------------------------------------------


@transaction.atomic
def upload_scorm_package(module: Module, *, actor: Any, upload: UploadedFile) -> ScormPackage:
    """Check and extract a SCORM 1.2 or 2004 zip for a module, replacing its current package.

    Nothing is written until the whole archive and its manifest pass (capdev.learning.scorm);
    the files go under a new folder, so a replaced package's files stay until no version uses
    them."""
    version = lock_draft(module.version_id)
    module = Module.objects.select_related("part").get(pk=module.pk)
    _online_module(module)
    name = (upload.name or "package.zip").rsplit("/", 1)[-1][:255]
    size = upload.size or 0
    zipped = archive.open_zip(upload, size)
    with zipped:
        entries = archive.inspect(zipped)
        manifests = [e for e in entries if e.name == archive.MANIFEST]
        if not manifests:
            nested = next(
                (e.name for e in entries if e.name.rsplit("/", 1)[-1].lower() == archive.MANIFEST), None
            )
            if nested:
                raise archive.refuse(
                    _(
                        "imsmanifest.xml must be at the top of the zip, but it is in “%(folder)s”. "
                        "Zip the contents of the folder, not the folder itself."
                    )
                    % {"folder": nested.rsplit("/", 1)[0][:120]}
                )
            raise archive.refuse(
                _(
                    "This is not a SCORM package: the zip has no imsmanifest.xml (AICC and other formats are not supported)."
                )
            )
        data = archive.read_member(zipped, manifests[0], archive.MAX_MANIFEST_SIZE)
        manifest = parse_manifest(data, [e.name for e in entries])
        package = ScormPackage(
            module=module,
            title=manifest.title or name,
            version=manifest.version,
            schema_version=manifest.schema_version,
            identifier=manifest.identifier,
            scos=manifest.sco_dicts(),
            file_count=len(entries),
            total_size=sum(e.info.file_size for e in entries),
            upload_size=size,
            original_name=name,
            mastery_score=manifest.mastery_percent,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        files = archive.extract(zipped, entries, package.storage_prefix, default_storage)
    package.files = sorted(files)
    replaced = ScormPackage.objects.filter(module=module).first()
    try:
        if replaced is not None:
            replaced.delete()
        package.save()
    except Exception:
        archive.delete_tree(files, package.storage_prefix, default_storage)
        raise
    audit.record(
        actor,
        "scorm_package.uploaded",
        version,
        data={
            "module": module.title,
            "package": package.title,
            "file": name,
            "scorm": package.version,
            "scos": package.sco_count,
            "replaced": replaced.title if replaced is not None else None,
        },
    )
    return package


@transaction.atomic
def remove_scorm_package(package: ScormPackage, *, actor: Any) -> None:
    version = lock_draft(package.module.version_id)
    title = package.title
    package.delete()
    audit.record(actor, "scorm_package.removed", version, data={"package": title})


# --- copying with a version ----------------------------------------------------------------------


@module_content_copier("learning")
def copy_learning_content(source: CourseVersion, target: CourseVersion, module_map: dict[int, int]) -> None:
    """Copy the lessons, their images and the SCORM packages of `source` into `target` (called
    by the catalogue while it copies a version). The copies share the stored files. Four
    queries plus one bulk insert per kind of row, whatever the size of the version."""
    lessons = list(
        OnlineLesson.objects.filter(module__version=source).order_by("module_id", "position", "pk")
    )
    new_lessons = OnlineLesson.objects.bulk_create(
        [
            OnlineLesson(
                module_id=module_map[x.module_id],
                lineage=x.lineage,
                position=x.position,
                title=x.title,
                body=x.body,
                video_url=x.video_url,
                estimated_minutes=x.estimated_minutes,
            )
            for x in lessons
            if x.module_id in module_map
        ]
    )
    lesson_map = {
        old.pk: new.pk
        for old, new in zip([x for x in lessons if x.module_id in module_map], new_lessons, strict=True)
    }
    LessonImage.objects.bulk_create(
        [
            LessonImage(
                lesson_id=lesson_map[i.lesson_id],
                number=i.number,
                file=i.file.name,
                alt_text=i.alt_text,
                width=i.width,
                height=i.height,
                content_type=i.content_type,
                size=i.size,
            )
            for i in LessonImage.objects.filter(lesson__module__version=source).order_by("pk")
            if i.lesson_id in lesson_map
        ]
    )
    ScormPackage.objects.bulk_create(
        [
            ScormPackage(
                module_id=module_map[p.module_id],
                title=p.title,
                version=p.version,
                schema_version=p.schema_version,
                identifier=p.identifier,
                storage_key=p.storage_key,
                scos=p.scos,
                files=p.files,
                file_count=p.file_count,
                total_size=p.total_size,
                upload_size=p.upload_size,
                original_name=p.original_name,
                mastery_score=p.mastery_score if p.mastery_score is None else Decimal(p.mastery_score),
                uploaded_by_id=p.uploaded_by_id,
            )
            for p in ScormPackage.objects.filter(module__version=source).order_by("pk")
            if p.module_id in module_map
        ]
    )
