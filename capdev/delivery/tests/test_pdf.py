"""The sign-in sheet PDF: a real PDF (WeasyPrint), A4, with the participants' names and
organisations (read back with poppler's pdftotext), page numbers, room for late arrivals, and
right to left in Arabic."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from capdev.cohorts.models import CourseRun, RunTrainer
from capdev.delivery import pdf
from capdev.delivery.tests.conftest import add_participants, add_session, days

pytestmark = pytest.mark.django_db
RESULTS = Path(__file__).resolve().parents[3] / "test-results"
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


def pdf_text(content: bytes, tmp_path: Path, *args: str) -> str:
    source = tmp_path / "sheet.pdf"
    source.write_bytes(content)
    result = subprocess.run(
        [shutil.which("pdftotext") or "pdftotext", *args, str(source), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode("utf-8")


def pdf_info(content: bytes, tmp_path: Path) -> str:
    source = tmp_path / "info.pdf"
    source.write_bytes(content)
    return subprocess.run(
        [shutil.which("pdfinfo") or "pdfinfo", str(source)], capture_output=True, check=True, timeout=60
    ).stdout.decode()


def keep(name: str, content: bytes) -> None:
    """Leave a copy under test-results/ (rendered to PNG there by the developer to look at it)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / name).write_bytes(content)


@needs_poppler
def test_the_sign_in_sheet_lists_the_class_on_a4_pages(cast: Any, run: Any, tmp_path: Path) -> None:
    people = add_participants(run, 34, org=cast.org_a)
    session = add_session(
        run,
        cast.staff,
        days(0),
        title="Day 2: adult learning",
        room="Sala Anísio Teixeira",
        trainers=list(RunTrainer.objects.filter(run=run)),
    )
    response = cast.client("trainer").get(f"/sessions/{session.pk}/sign-in-sheet.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF-")
    keep("sign-in-sheet.pdf", content)
    text = pdf_text(content, tmp_path)
    assert "Sign-in sheet" in text and run.title in text
    assert "Day 2: adult learning" in text and "Sala Anísio Teixeira" in text and "Tina Borg" in text
    assert "09:00–12:30" in text and "America/Sao_Paulo" in text
    for enrolment in [*people, cast.participant.person.enrolments.get(run=run)]:
        assert f"{enrolment.person.last_name}, {enrolment.person.first_name}" in text
    assert "DPU" in text  # the organisation's acronym
    assert "Late arrivals" in text and "Signature" in text
    info = pdf_info(content, tmp_path)
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert pages >= 2
    assert "595.276 x 841.89 pts (A4)" in info
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text


@needs_poppler
def test_the_sign_in_sheet_of_an_arabic_run_reads_right_to_left(cast: Any, run: Any, tmp_path: Path) -> None:
    CourseRun.objects.filter(pk=run.pk).update(language="ar")
    run.refresh_from_db()
    add_participants(run, 3)
    session = add_session(run, cast.staff, days(0))
    participants = list(session.run.enrolments.select_related("person", "person__organisation"))
    html = pdf.sign_in_sheet_html(session, participants, [])
    assert '<html lang="ar" dir="rtl">' in html
    content = pdf.sign_in_sheet_pdf(session, participants, [])
    keep("sign-in-sheet-ar.pdf", content)
    assert content.startswith(b"%PDF-")
    assert "Learnerson00" in pdf_text(content, tmp_path)


def test_the_page_counter_follows_the_translated_sentence() -> None:
    from django.utils import translation

    assert pdf.page_counter_content() == '"Page " counter(page) " of " counter(pages)'
    with translation.override("fr"):
        content = pdf.page_counter_content()
    assert "counter(page)" in content and "counter(pages)" in content


def test_the_sign_in_sheet_fetches_nothing_from_the_network() -> None:
    with pytest.raises(pdf.OfflineFetchError):
        pdf._refuse("https://fonts.example/noto.css")
