"""Materials: uploads are size-limited and type-checked by extension AND content; links are https."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from capdev.catalogue import services
from capdev.catalogue.materials import MAX_MATERIAL_SIZE
from capdev.catalogue.models import Material
from capdev.catalogue.services._common import _delete_files_later
from capdev.catalogue.tests import files
from capdev.core.errors import DomainError


def _upload(module, name: str, data: bytes, language: str = "en") -> Material:
    return services.add_material_file(
        module,
        actor=None,
        language=language,
        upload=SimpleUploadedFile(name, data, content_type="application/pdf"),
    )


@pytest.fixture
def module(draft):
    services.update_version(draft, actor=None, languages=["en", "ar"])
    return draft.modules.get(position=1)


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("handbook.pdf", files.PDF, "application/pdf"),
        (
            "slides.pptx",
            files.office(files.PPT_MAIN),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        (
            "guide.docx",
            files.office(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "notes.odt",
            files.opendocument("application/vnd.oasis.opendocument.text"),
            "application/vnd.oasis.opendocument.text",
        ),
        (
            "talk.odp",
            files.opendocument("application/vnd.oasis.opendocument.presentation"),
            "application/vnd.oasis.opendocument.presentation",
        ),
        ("cycle.PNG", files.PNG, "image/png"),
        ("photo.jpg", files.JPEG, "image/jpeg"),
        ("intro.mp4", files.MP4, "video/mp4"),
        ("readme.txt", "Bienvenue — مرحبا".encode(), "text/plain; charset=utf-8"),
    ],
)
def test_accepted_files_are_stored_with_the_sniffed_type(module, name, data, content_type):
    material = _upload(module, name, data)
    assert material.content_type == content_type  # not what the browser claimed
    assert material.size == len(data)
    assert default_storage.exists(material.file.name)
    assert material.file.name.startswith(f"materials/{module.version.uuid}/")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("handbook.pdf", files.EXE, "is a program, not a document"),
        ("setup.exe", files.EXE, "is a program"),
        ("script.sh", b"#!/bin/sh\nrm -rf /\n", "is a program"),
        ("page.html", files.HTML, "files of type .html cannot be uploaded"),
        ("page.txt", files.HTML, "web pages and SVG images cannot be uploaded"),
        ("logo.svg", files.SVG, "files of type .svg cannot be uploaded"),
        ("logo.png", files.SVG, "web pages and SVG images"),
        ("report.pdf", files.PNG, "its content is not a PDF file"),
        ("guide.docx", files.PDF, "its content is not a Word (.docx) file"),
        ("guide.docx", files.office(files.PPT_MAIN), "its content is not a Word (.docx) document"),
        ("guide.docx", files.zip_bomb_docx(), "compressed abnormally"),
        ("guide.docx", files.traversal_docx(), "points outside it"),
        ("guide.docx", b"PK\x03\x04garbage", "damaged"),
        ("notes.odt", files.office(), "not an OpenDocument file"),
        ("macro.docx", files.office(extra={"word/vbaProject.bin": b"x"}), "macros"),
        ("noextension", files.PDF, "(no extension) cannot be uploaded"),
        ("latin1.txt", "Café, crème brûlée".encode("latin-1"), "not in UTF-8"),
        ("empty.pdf", b"", "the file is empty"),
    ],
)
def test_refused_files_name_the_reason_and_store_nothing(module, name, data, message, settings):
    with pytest.raises(DomainError) as info:
        _upload(module, name, data)
    assert info.value.field == "file"
    assert message in info.value.message, info.value.message
    assert info.value.message.startswith(f"“{name}”")
    assert not Material.objects.filter(module=module, file__gt="").exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_an_oversized_file_is_refused(module):
    data = files.PDF + b"0" * (MAX_MATERIAL_SIZE - len(files.PDF) + 1)
    with pytest.raises(DomainError, match="the limit is 25 MB"):
        _upload(module, "huge.pdf", data)


def test_a_material_language_must_be_one_of_the_versions(module):
    with pytest.raises(DomainError) as info:
        _upload(module, "handbook.pdf", files.PDF, language="fr")
    assert info.value.field == "language"
    assert _upload(module, "handbook.pdf", files.PDF, language="ar").language == "ar"


def test_links_must_be_https(module):
    with pytest.raises(DomainError) as info:
        services.add_material_link(module, actor=None, language="en", url="http://example.org/x", title="X")
    assert info.value.field == "url"
    with pytest.raises(DomainError):
        services.add_material_link(module, actor=None, language="en", url="javascript:alert(1)", title="X")
    link = services.add_material_link(
        module, actor=None, language="en", url="https://example.org/x", title="Guide"
    )
    assert link.url == "https://example.org/x" and not link.file


def test_removing_a_material_deletes_its_file_unless_a_copy_still_uses_it(
    module, django_capture_on_commit_callbacks
):
    material = _upload(module, "handbook.pdf", files.PDF)
    name = material.file.name
    version = services.publish_version(module.version, actor=None)
    new = services.derive_version(version, actor=None)
    copy = Material.objects.get(module__version=new, file=name)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_material(copy, actor=None)
    assert default_storage.exists(name)  # the published version still uses it
    services.discard_draft(new, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        Material.objects.filter(pk=material.pk).delete()  # simulate the last user going away
        _delete_files_later([name])
    assert not default_storage.exists(name)


def test_an_archive_expanding_beyond_the_bound_is_refused(module, monkeypatch):
    from capdev.core import uploads

    monkeypatch.setattr(uploads, "MAX_UNCOMPRESSED_SIZE", 10_000)
    data = files.office(extra={f"word/media/part{i}.bin": bytes(range(256)) * 10 for i in range(5)})
    with pytest.raises(DomainError, match="expands to more than"):
        _upload(module, "big.docx", data)
