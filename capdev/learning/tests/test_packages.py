"""Uploading SCORM packages: what is accepted, and every malicious or broken archive refused with
a message naming the problem, nothing written to the storage and nothing to the database."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from capdev.catalogue.models import Module
from capdev.core.errors import ConflictError, DomainError
from capdev.core.models import AuditEvent
from capdev.learning import services
from capdev.learning.models import ScormPackage
from capdev.learning.scorm import archive
from capdev.learning.testing import (
    draft_version,
    fixture_upload,
    make_zip,
    manifest_12,
    manifest_2004,
    tiny_package,
    upload,
)


@pytest.fixture
def module(cast):
    version = draft_version(cast.implementer)
    return Module.objects.get(version=version, position=1)


def stored_files(media: Path) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def refused(module, content: bytes, media: Path, name: str = "package.zip") -> str:
    with pytest.raises(DomainError) as info:
        services.upload_scorm_package(module, actor=None, upload=upload(content, name))
    assert info.value.field == "file"
    assert not ScormPackage.objects.exists()
    assert stored_files(media) == []
    return info.value.message


# --- accepted packages ----------------------------------------------------------------------------


def test_a_scorm_2004_package_is_extracted_and_described(cast, module, media):
    package = services.upload_scorm_package(
        module, actor=cast.staff, upload=fixture_upload("RuntimeBasicCalls_SCORM20043rdEdition.zip")
    )
    assert package.version == "2004"
    assert package.schema_version == "2004 3rd Edition"
    assert package.title == "Golf Explained - Run-time Basic Calls"
    assert [s["id"] for s in package.scos] == ["item_1"]
    assert package.scos[0]["href"] == "shared/launchpage.html"
    assert package.mastery_score is None
    assert "shared/launchpage.html" in package.files and "imsmanifest.xml" in package.files
    assert (media / package.storage_prefix / "shared" / "launchpage.html").is_file()
    assert len(stored_files(media)) == package.file_count == len(package.files)
    event = AuditEvent.objects.get(verb="scorm_package.uploaded")
    assert event.data["scorm"] == "2004" and event.actor == cast.staff


def test_a_multi_sco_scorm_12_package_lists_every_sco_in_order_with_its_parameters(module):
    package = services.upload_scorm_package(
        module, actor=None, upload=fixture_upload("RuntimeMinimumCalls_SCORM12-mini.zip")
    )
    assert package.version == "1.2"
    assert len(package.scos) == 9
    assert package.scos[0] == {
        "id": "playing_playing_item",
        "title": "How to Play",
        "href": "Playing/Playing.html",
        "launch_data": "",
        "mastery_score": None,
        "scaled_passing_score": None,
        "completion_threshold": None,
        "max_time_allowed": "",
        "time_limit_action": "",
    }
    quiz = next(s for s in package.scos if s["id"] == "playing_quiz_item")
    assert quiz["href"] == "shared/assessmenttemplate.html?questions=Playing"


def test_the_pass_mark_comes_from_the_manifest(module):
    package = services.upload_scorm_package(
        module, actor=None, upload=upload(tiny_package(manifest_12(mastery="80")))
    )
    assert package.mastery_score == 80 and package.scos[0]["mastery_score"] == "80"
    assert package.scos[0]["launch_data"] == "hello"
    package = services.upload_scorm_package(
        module, actor=None, upload=upload(tiny_package(manifest_2004(passing="0.75", threshold="0.8")))
    )
    assert package.version == "2004"
    assert package.scos[0]["scaled_passing_score"] == "0.75"
    assert package.scos[0]["completion_threshold"] == "0.8"
    assert package.mastery_score == 75


def test_a_new_upload_replaces_the_package_and_its_files_once_unused(
    module, media, django_capture_on_commit_callbacks
):
    first = services.upload_scorm_package(module, actor=None, upload=upload(tiny_package()))
    old_prefix = first.storage_prefix
    assert (media / old_prefix / "index.html").is_file()
    with django_capture_on_commit_callbacks(execute=True):
        second = services.upload_scorm_package(module, actor=None, upload=upload(tiny_package()))
    assert ScormPackage.objects.get() == second
    files = stored_files(media)
    assert all(f.startswith(second.storage_prefix.rstrip("/")) for f in files), files
    assert not (media / old_prefix).exists()


def test_mac_resource_forks_are_skipped(module):
    content = tiny_package(extra=[("__MACOSX/._index.html", b"junk"), ("._x", b"j"), (".DS_Store", b"j")])
    package = services.upload_scorm_package(module, actor=None, upload=upload(content))
    assert sorted(package.files) == ["imsmanifest.xml", "index.html"]


def test_packages_belong_to_draft_versions(cast, lw):
    with pytest.raises(ConflictError) as info:
        services.upload_scorm_package(lw.modules[0], actor=cast.staff, upload=upload(tiny_package()))
    assert "can no longer be changed" in info.value.message and info.value.code == "immutable"


def test_packages_belong_to_modules_of_an_online_part(cast):
    version = draft_version(cast.implementer)
    face_to_face = Module.objects.get(version=version, position=3)
    with pytest.raises(DomainError, match="online self-paced part"):
        services.upload_scorm_package(face_to_face, actor=None, upload=upload(tiny_package()))


# --- malicious archives -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("../../evil.html", "outside the package"),
        ("shared/../../evil.html", "outside the package"),
        ("/etc/cron.d/evil", "absolute path"),
        ("C:/Windows/evil.dll", "absolute path"),
        ("c:evil.txt", "absolute path"),
        ("shared\\..\\..\\evil.html", "backslashes"),
        ("evil\x01name.html", "control characters"),
    ],
)
def test_zip_slip_entries_are_refused(module, media, name, words):
    message = refused(module, tiny_package(extra=[(name, b"<script>pwned()</script>")]), media)
    assert words in message


def test_a_zip_bomb_is_refused(module, media):
    bomb = b"\0" * (20 * 1024 * 1024)  # 20 MB of zeros deflate to about 20 KB
    message = refused(module, tiny_package(extra=[("shared/bomb.bin", bomb)]), media)
    assert "zip bomb" in message and "shared/bomb.bin" in message


def test_a_package_expanding_beyond_the_limit_is_refused(module, media, monkeypatch):
    monkeypatch.setattr(archive, "MAX_TOTAL_SIZE", 1000)
    message = refused(module, tiny_package(extra=[("big.txt", b"x" * 2000)]), media)
    assert "expands to more than" in message


def test_too_many_entries_are_refused(module, media, monkeypatch):
    monkeypatch.setattr(archive, "MAX_ENTRIES", 5)
    message = refused(module, tiny_package(extra=[(f"f{i}.txt", b"x") for i in range(6)]), media)
    assert "entries; the limit is 5" in message


def test_an_over_large_upload_is_refused(module, media, monkeypatch):
    monkeypatch.setattr(archive, "MAX_UPLOAD_SIZE", 100)
    assert "the limit is" in refused(module, tiny_package(), media)


def _with_mode(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = mode << 16
    return info


def test_symbolic_links_are_refused(module, media):
    link = _with_mode("shared/passwd", stat.S_IFLNK | 0o777)
    message = refused(module, tiny_package(extra=[(link, b"/etc/passwd")]), media)
    assert "symbolic link" in message


def test_device_files_are_refused(module, media):
    device = _with_mode("shared/dev", stat.S_IFCHR | 0o666)
    assert "not a regular file" in refused(module, tiny_package(extra=[(device, b"")]), media)


def test_encrypted_entries_are_refused(module, media):
    content = bytearray(tiny_package(extra=[("secret.html", b"hidden")]))
    # Set the "encrypted" flag of every entry, in the local and the central headers.
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := content.find(signature, start)) != -1:
            content[start + flag_offset] |= 0x1
            start += 4
    assert "encrypted" in refused(module, bytes(content), media)


def test_names_differing_only_by_case_are_refused(module, media):
    message = refused(module, tiny_package(extra=[("Index.html", b"other")]), media)
    assert "differ only by case" in message


def test_a_file_that_is_not_a_zip_is_refused(module, media):
    assert "not a zip archive" in refused(module, b"%PDF-1.4 not a zip", media, "package.zip")


def test_a_damaged_zip_is_refused(module, media):
    content = tiny_package()
    assert "damaged" in refused(module, content[: len(content) // 2], media)


def test_an_entry_whose_data_does_not_match_its_header_is_refused(module, media):
    content = bytearray(tiny_package(extra=[("shared/page.html", b"A" * 400)], manifest=None))
    # Corrupt the compressed data of the last entry: its checksum no longer matches.
    index = content.rfind(b"shared/page.html", 0, content.find(b"PK\x01\x02"))
    content[index + 20] ^= 0xFF
    message = refused(module, bytes(content), media)
    assert "cannot be read" in message or "damaged" in message


# --- manifests ------------------------------------------------------------------------------------


def test_a_manifest_with_an_external_entity_xxe_is_refused(module, media):
    xxe = manifest_12(prefix='<!DOCTYPE manifest [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>').replace(
        "<title>Tiny quiz</title>", "<title>&xxe;</title>"
    )
    assert "DTD" in refused(module, tiny_package(xxe), media)


def test_a_billion_laughs_manifest_is_refused(module, media):
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    bomb = manifest_12(prefix=f"<!DOCTYPE manifest [{''.join(entities)}]>").replace(
        "<title>Tiny quiz</title>", "<title>&lol9;</title>"
    )
    assert "DTD" in refused(module, tiny_package(bomb), media)


def test_a_zip_without_a_manifest_is_refused(module, media):
    assert "no imsmanifest.xml" in refused(module, (fixture_bytes("invalid.zip")), media)


def test_an_aicc_package_is_refused_as_not_scorm(module, media):
    assert "AICC" in refused(module, fixture_bytes("validaicc.zip"), media)


def test_a_manifest_inside_a_folder_says_to_zip_the_folders_contents(module, media):
    message = refused(module, fixture_bytes("badscorm.zip"), media)
    assert "must be at the top of the zip" in message and "badscorm" in message


def test_a_manifest_without_an_organisation_is_refused(module, media):
    assert "no organisation" in refused(module, fixture_bytes("singlescobasic_missingorg.zip"), media)


def test_a_manifest_that_is_not_xml_is_refused(module, media):
    assert "not well-formed XML" in refused(module, fixture_bytes("validscorm.zip"), media)


def test_a_package_without_a_sco_is_refused(module, media):
    assets_only = manifest_12().replace('adlcp:scormtype="sco"', 'adlcp:scormtype="asset"')
    assert "no launchable SCO" in refused(module, tiny_package(assets_only), media)


def test_a_sco_whose_file_is_missing_is_refused(module, media):
    missing = manifest_12(href="start.html")
    message = refused(module, tiny_package(missing), media)
    assert "“start.html”, which is not in the zip" in message


@pytest.mark.parametrize("href", ["https://evil.example/sco.html", "../outside.html"])
def test_a_sco_outside_the_package_is_refused(module, media, href):
    message = refused(module, tiny_package(manifest_12(href=href)), media)
    assert "outside the package" in message


def test_a_manifest_without_a_scorm_version_is_refused(module, media):
    plain = make_zip(
        [
            (
                "imsmanifest.xml",
                b'<manifest identifier="x"><organizations><organization identifier="o"><item identifier="i" '
                b'identifierref="r"><title>T</title></item></organization></organizations><resources>'
                b'<resource identifier="r" scormtype="sco" href="index.html"/></resources></manifest>',
            ),
            ("index.html", b"<p>x</p>"),
        ]
    )
    assert "which SCORM version" in refused(module, plain, media)


def test_a_manifest_with_an_out_of_range_mastery_score_is_refused(module, media):
    assert "outside 0 to 100" in refused(module, tiny_package(manifest_12(mastery="180")), media)


def fixture_bytes(name: str) -> bytes:
    from capdev.learning.testing import FIXTURES

    return (FIXTURES / name).read_bytes()


def test_make_zip_writes_names_as_given():
    names = zipfile.ZipFile(io.BytesIO(make_zip([("../x", b"1")]))).namelist()
    assert names == ["../x"]
