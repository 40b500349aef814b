"""Authoring lessons and images on drafts, and carrying the online content into derived versions
and adaptations (files shared, never deleted while a copy uses them)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from capdev.catalogue import services as catalogue
from capdev.catalogue.adaptations.services import create_adaptation
from capdev.catalogue.models import CourseVersion, Module
from capdev.core.errors import ConflictError, DomainError
from capdev.core.models import AuditEvent
from capdev.learning import services
from capdev.learning.models import LessonImage, OnlineLesson, ScormPackage
from capdev.learning.services import content
from capdev.learning.testing import draft_version, install_package, tiny_package


def png(width: int = 40, height: int = 30, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (12, 110, 110)).save(buffer, fmt)
    return buffer.getvalue()


def image_upload(data: bytes | None = None, name: str = "diagram.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else png(), content_type="image/png")


@pytest.fixture
def draft(cast):
    return draft_version(cast.implementer)


@pytest.fixture
def module(draft):
    return Module.objects.get(version=draft, position=1)


def test_a_lesson_is_added_at_the_end_with_its_text_sanitised(cast, module):
    first = services.create_lesson(module, actor=cast.staff, title="  The   cycle ", body="<p>Hi</p>")
    second = services.create_lesson(
        module,
        actor=cast.staff,
        title="Needs",
        body='<p onclick="x()">Read<script>steal()</script></p><img src="image:1">',
        video_url="https://youtu.be/dQw4w9WgXcQ",
        estimated_minutes="25",
    )
    assert (first.position, second.position) == (1, 2)
    assert first.title == "The cycle"
    assert second.body == "<p>Read</p>"  # the lesson has no image 1 yet
    assert second.estimated_minutes == 25
    event = AuditEvent.objects.filter(verb="lesson.created").order_by("id").last()
    assert event.data["lesson"] == "Needs" and event.actor == cast.staff


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": " "}, "title"),
        ({"title": "x" * 256}, "title"),
        ({"title": "T", "estimated_minutes": 0}, "estimated_minutes"),
        ({"title": "T", "estimated_minutes": 601}, "estimated_minutes"),
        ({"title": "T", "estimated_minutes": "ten"}, "estimated_minutes"),
        ({"title": "T", "video_url": "http://example.org/v.mp4"}, "video_url"),
        ({"title": "T", "video_url": "javascript:alert(1)"}, "video_url"),
        ({"title": "T", "body": "x" * 200_001}, "body"),
    ],
)
def test_bad_lesson_input_is_refused_naming_the_field(cast, module, values, field):
    with pytest.raises(DomainError) as info:
        services.create_lesson(module, actor=cast.staff, **values)
    assert info.value.field == field
    assert not OnlineLesson.objects.exists()


def test_lessons_belong_to_modules_of_an_online_part(cast, draft):
    practice = Module.objects.get(version=draft, position=3)
    with pytest.raises(DomainError, match="online self-paced part") as info:
        services.create_lesson(practice, actor=cast.staff, title="On site")
    assert info.value.field == "module"


def test_lessons_of_a_published_version_cannot_be_changed(cast, lw):
    lesson = lw.lessons[0]
    attempts = [
        lambda: services.create_lesson(lw.modules[0], actor=cast.staff, title="New"),
        lambda: services.update_lesson(lesson, actor=cast.staff, title="Changed"),
        lambda: services.delete_lesson(lesson, actor=cast.staff),
        lambda: services.move_lesson(lesson, actor=cast.staff, direction="down"),
        lambda: services.add_lesson_image(lesson, actor=cast.staff, upload=image_upload(), alt_text="A"),
        lambda: services.remove_scorm_package(lw.package, actor=cast.staff),
    ]
    for attempt in attempts:
        with pytest.raises(ConflictError) as info:
            attempt()
        assert info.value.code == "immutable"
        assert "Version 1 is published" in info.value.message and "Start a new version" in info.value.message
    lesson.refresh_from_db()
    assert lesson.title == "The training cycle: overview"
    assert OnlineLesson.objects.filter(module=lw.modules[0]).count() == 2


def test_updating_a_lesson_records_what_changed(cast, module):
    lesson = services.create_lesson(module, actor=cast.staff, title="Cycle", body="<p>a</p>")
    services.update_lesson(lesson, actor=cast.staff, title="Training cycle", body="<p>longer text</p>")
    event = AuditEvent.objects.get(verb="lesson.changed")
    assert event.changes["title"] == ["Cycle", "Training cycle"]
    assert event.changes["body"] == [8, 18]  # sizes, not the text
    services.update_lesson(lesson, actor=cast.staff, title="Training cycle")
    assert AuditEvent.objects.filter(verb="lesson.changed").count() == 1  # nothing changed


def test_unknown_fields_are_refused(cast, module):
    lesson = services.create_lesson(module, actor=cast.staff, title="Cycle")
    with pytest.raises(DomainError, match="Unknown fields: module"):
        services.update_lesson(lesson, actor=cast.staff, module=None)


def test_deleting_and_reordering_keep_positions_one_to_n(cast, module):
    a, b, c = (services.create_lesson(module, actor=cast.staff, title=t) for t in "ABC")
    services.move_lesson(c, actor=cast.staff, direction="up")
    assert list(module.lessons.order_by("position").values_list("title", flat=True)) == ["A", "C", "B"]
    services.reorder_lessons(module, actor=cast.staff, order=[b.pk, a.pk, c.pk])
    assert list(module.lessons.order_by("position").values_list("title", flat=True)) == ["B", "A", "C"]
    services.delete_lesson(b, actor=cast.staff)
    assert list(module.lessons.order_by("position").values_list("title", "position")) == [("A", 1), ("C", 2)]
    with pytest.raises(DomainError, match="every lesson of the module exactly once"):
        services.reorder_lessons(module, actor=cast.staff, order=[a.pk])
    with pytest.raises(DomainError, match="by their ids"):
        services.reorder_lessons(module, actor=cast.staff, order=["first", "second"])
    with pytest.raises(DomainError, match="up or down"):
        services.move_lesson(a, actor=cast.staff, direction="sideways")


# --- images --------------------------------------------------------------------------------------


def test_an_image_is_stored_with_its_size_and_alt_text_and_placed_by_number(cast, module, media):
    lesson = services.create_lesson(module, actor=cast.staff, title="Cycle")
    image = services.add_lesson_image(
        lesson, actor=cast.staff, upload=image_upload(), alt_text=" The  cycle "
    )
    jpeg = services.add_lesson_image(
        lesson, actor=cast.staff, upload=image_upload(png(fmt="JPEG"), "photo.jpg"), alt_text="Photo"
    )
    assert (image.number, image.width, image.height, image.alt_text) == (1, 40, 30, "The cycle")
    assert image.content_type == "image/png" and jpeg.content_type == "image/jpeg" and jpeg.number == 2
    assert (media / image.file.name).is_file()
    services.update_lesson(lesson, actor=cast.staff, body='<p>See</p><img src="image:2"><img src="image:3">')
    lesson.refresh_from_db()
    assert lesson.body == '<p>See</p><img src="image:2">'


@pytest.mark.parametrize(
    ("upload", "alt", "field", "words"),
    [
        (lambda: image_upload(), "  ", "alt_text", "alternative text"),
        (lambda: image_upload(b"%PDF-1.4 x", "doc.png"), "A", "file", "not a PNG image"),
        (lambda: image_upload(b"<svg onload=alert(1)></svg>", "x.svg"), "A", "file", "cannot be uploaded"),
        (lambda: image_upload(b"<svg onload=alert(1)></svg>", "x.png"), "A", "file", "web pages and SVG"),
        (lambda: image_upload(png()[:40], "cut.png"), "A", "file", "not a readable PNG or JPEG"),
        (lambda: image_upload(png(fmt="GIF"), "anim.png"), "A", "file", "not a PNG image"),
    ],
)
def test_bad_images_are_refused(cast, module, media, upload, alt, field, words):
    lesson = services.create_lesson(module, actor=cast.staff, title="Cycle")
    with pytest.raises(DomainError) as info:
        services.add_lesson_image(lesson, actor=cast.staff, upload=upload(), alt_text=alt)
    assert info.value.field == field and words in info.value.message
    assert not LessonImage.objects.exists()
    assert not any(p.is_file() for p in Path(media).rglob("*"))


def test_a_decompression_bomb_image_is_refused(cast, module, monkeypatch):
    monkeypatch.setattr(content, "MAX_IMAGE_PIXELS", 1000)
    lesson = services.create_lesson(module, actor=cast.staff, title="Cycle")
    with pytest.raises(DomainError, match="40 × 30 pixels; the limit is"):
        services.add_lesson_image(lesson, actor=cast.staff, upload=image_upload(), alt_text="A")


def test_removing_an_image_takes_it_out_of_the_text_and_deletes_its_file(
    cast, module, media, django_capture_on_commit_callbacks
):
    lesson = services.create_lesson(module, actor=cast.staff, title="Cycle")
    image = services.add_lesson_image(lesson, actor=cast.staff, upload=image_upload(), alt_text="A")
    services.update_lesson(lesson, actor=cast.staff, body='<p>a</p><img src="image:1">')
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_lesson_image(image, actor=cast.staff)
    lesson.refresh_from_db()
    assert lesson.body == "<p>a</p>"
    assert not (media / image.file.name).exists()


def test_the_alt_text_can_be_corrected(cast, module):
    lesson = services.create_lesson(module, actor=cast.staff, title="Cycle")
    image = services.add_lesson_image(lesson, actor=cast.staff, upload=image_upload(), alt_text="A")
    services.update_lesson_image(image, actor=cast.staff, alt_text="The four steps of the cycle")
    assert LessonImage.objects.get().alt_text == "The four steps of the cycle"
    with pytest.raises(DomainError, match="longer than 250"):
        services.update_lesson_image(image, actor=cast.staff, alt_text="x" * 251)


# --- copies --------------------------------------------------------------------------------------


def _content_of(version: CourseVersion) -> list[tuple]:
    lessons = OnlineLesson.objects.filter(module__version=version).order_by("module__position", "position")
    return [(x.module.position, x.position, x.title, x.body, x.video_url, x.lineage) for x in lessons]


def test_deriving_a_version_copies_lessons_images_and_packages_sharing_their_files(
    cast, lw, media, django_capture_on_commit_callbacks
):
    lesson = lw.lessons[0]
    LessonImage.objects.create(
        lesson=lesson,
        number=1,
        file="lessons/x/cycle.png",
        alt_text="Cycle",
        width=4,
        height=3,
        content_type="image/png",
    )
    (media / "lessons/x").mkdir(parents=True)
    (media / "lessons/x/cycle.png").write_bytes(png())
    new = catalogue.derive_version(lw.delivery.version, actor=cast.staff)
    assert _content_of(new) == _content_of(lw.delivery.version)
    copy = OnlineLesson.objects.get(module__version=new, lineage=lesson.lineage)
    assert copy.pk != lesson.pk
    assert list(copy.images.values_list("number", "file", "alt_text")) == [
        (1, "lessons/x/cycle.png", "Cycle")
    ]
    package = ScormPackage.objects.get(module__version=new)
    assert package.module.position == 2 and package.storage_key == lw.package.storage_key
    assert package.scos == lw.package.scos and package.files == lw.package.files

    # Discarding the copy keeps the files the published version still uses.
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.discard_draft(new, actor=cast.staff)
    assert (media / "lessons/x/cycle.png").is_file()
    assert (media / lw.package.storage_prefix / "index.html").is_file()


def test_discarding_a_draft_deletes_files_no_other_version_uses(
    cast, draft, media, django_capture_on_commit_callbacks
):
    module = Module.objects.get(version=draft, position=1)
    package = install_package(module, tiny_package())
    lesson = services.create_lesson(module, actor=cast.staff, title="Cycle")
    image = services.add_lesson_image(lesson, actor=cast.staff, upload=image_upload(), alt_text="A")
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.discard_draft(draft, actor=cast.staff)
    assert not (media / image.file.name).exists()
    assert not (media / package.storage_prefix).exists()


def test_an_adaptation_gets_its_own_copy(cast, lw):
    adaptation = create_adaptation(
        lw.delivery.version,
        actor=cast.staff,
        organisation=cast.org_a,
        language="pt",
        title="ToT para defensores",
    )
    assert _content_of(adaptation) == _content_of(lw.delivery.version)
    copy = (
        OnlineLesson.objects.filter(module__version=adaptation)
        .order_by("module__position", "position")
        .first()
    )
    services.update_lesson(copy, actor=cast.staff, title="O ciclo de formação")
    assert OnlineLesson.objects.get(pk=lw.lessons[0].pk).title == "The training cycle: overview"


def test_the_copier_runs_a_constant_number_of_queries(cast, lw):
    def queries_to_copy() -> int:
        target = catalogue.derive_version(lw.delivery.version, actor=cast.staff)
        module_map = dict(
            zip(
                Module.objects.filter(version=lw.delivery.version)
                .order_by("position")
                .values_list("pk", flat=True),
                Module.objects.filter(version=target).order_by("position").values_list("pk", flat=True),
                strict=True,
            )
        )
        OnlineLesson.objects.filter(module__version=target).delete()
        ScormPackage.objects.filter(module__version=target).delete()
        with CaptureQueriesContext(connection) as ctx:
            services.copy_learning_content(lw.delivery.version, target, module_map)
        CourseVersion.objects.filter(pk=target.pk).delete()
        return len(ctx)

    LessonImage.objects.create(
        lesson=lw.lessons[0],
        number=1,
        file="lessons/x/a.png",
        alt_text="x",
        width=1,
        height=1,
        content_type="image/png",
    )
    small = queries_to_copy()
    for i in range(6):
        lesson = OnlineLesson.objects.create(module=lw.modules[0], position=10 + i, title=f"Extra {i}")
        LessonImage.objects.create(
            lesson=lesson,
            number=1,
            file=f"lessons/x/{i}.png",
            alt_text="x",
            width=1,
            height=1,
            content_type="image/png",
        )
    assert queries_to_copy() == small <= 6
