"""The exchange pages: staff import a file (or see its error report as a table, with nothing
imported), and anyone who may see a version downloads it as CASE JSON or Moodle CSV."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from capdev.competencies.exchange import export_case_package
from capdev.competencies.exchange.moodle import HEADERS
from capdev.competencies.exchange.samples import build_sample_version, row_counts
from capdev.competencies.models import FrameworkVersion, VersionStatus

pytestmark = [pytest.mark.django_db]

IMPORT = "/competencies/exchange/import/"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "moodle-oecd-example.csv"


@pytest.fixture
def published(cast: Any) -> FrameworkVersion:
    return build_sample_version(cast.implementer)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_staff_see_the_import_form(cast):
    response = cast.client("staff").get(IMPORT)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'enctype="multipart/form-data"' in body and 'name="owner"' in body


def test_staff_import_a_case_package_and_land_on_the_new_draft(cast, published):
    package = export_case_package(published)
    published.framework.delete()
    client = cast.client("staff")
    response = client.post(
        IMPORT,
        {
            "file": upload("trainer.json", json.dumps(package).encode()),
            "format": "auto",
            "owner": cast.org_a.pk,
        },
    )
    assert response.status_code == 302
    version = FrameworkVersion.objects.get(uuid=package["CFDocument"]["identifier"])
    assert (version.status, version.framework.owner) == (VersionStatus.DRAFT, cast.org_a)
    assert version.items.count() == len(package["CFItems"])
    assert any("imported as draft version 1" in str(m) for m in get_messages(response.wsgi_request))


def test_staff_import_the_moodle_fixture_recognised_from_its_name(cast):
    response = cast.client("staff").post(
        IMPORT,
        {"file": upload("example.csv", FIXTURE.read_bytes()), "format": "auto", "owner": cast.org_b.pk},
    )
    assert response.status_code == 302
    version = FrameworkVersion.objects.get(title="OECD")
    assert version.items.count() == 64
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Cross-referenced" in n for n in notes)


def test_a_rejected_file_shows_the_report_as_a_table_and_imports_nothing(cast):
    bad = (",".join(HEADERS) + "\n,FW,F,,1,,,,,,,,1,\nZ,A,Alpha,,1,,,,0,null,,,,\n").encode()
    before = row_counts()
    response = cast.client("staff").post(
        IMPORT, {"file": upload("broken.csv", bad), "format": "moodle", "owner": cast.org_a.pk}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<table" in body and "line 3, column “Parent id number”" in body
    assert "the parent “Z” is not in the file" in body
    assert row_counts() == before


def test_a_file_over_the_limit_is_refused_by_the_form(cast, monkeypatch):
    monkeypatch.setattr("capdev.competencies.exchange.forms.MAX_IMPORT_BYTES", 10)
    before = row_counts()
    response = cast.client("staff").post(
        IMPORT, {"file": upload("big.csv", b"x" * 11), "format": "moodle", "owner": cast.org_a.pk}
    )
    assert response.status_code == 200
    assert "the limit is" in response.content.decode()
    assert row_counts() == before


@pytest.mark.parametrize("role", ["focal", "trainer", "participant", "steering", "outsider"])
def test_only_staff_may_import(cast, role):
    response = cast.client(role).post(
        IMPORT, {"file": upload("x.csv", FIXTURE.read_bytes()), "format": "auto", "owner": cast.org_a.pk}
    )
    assert response.status_code == 403
    assert not FrameworkVersion.objects.exists()


def test_downloads_are_attachments_in_each_format(cast, published):
    client = cast.client("participant")
    case = client.get(f"/competencies/exchange/versions/{published.pk}/case.json")
    assert case.status_code == 200
    assert case["Content-Type"] == "application/json; charset=utf-8"
    assert case["Content-Disposition"] == 'attachment; filename="trainer-competency-framework-v1.case.json"'
    assert json.loads(case.content) == export_case_package(published)
    moodle = client.get(f"/competencies/exchange/versions/{published.pk}/moodle.csv")
    assert moodle["Content-Type"] == "text/csv; charset=utf-8"
    assert moodle.content.decode().startswith("Parent id number,Id number,Shortname")


def test_the_index_lists_visible_versions_and_offers_import_to_staff(cast, published):
    build_sample_version(cast.org_b, status=VersionStatus.DRAFT, title="Costa Rica draft")
    staff = cast.client("staff").get("/competencies/exchange/").content.decode()
    participant = cast.client("participant").get("/competencies/exchange/").content.decode()
    assert "Costa Rica draft" in staff and "Costa Rica draft" not in participant
    assert published.title in participant
    assert IMPORT in staff and IMPORT not in participant
