"""Roster services: profiles, availability, CVs, invitations and answers, double booking,
feedback, the calendar-feed token, personal-data export and erasure."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from capdev.core.errors import ConflictError, DomainError
from capdev.core.models import AuditEvent
from capdev.experts import services
from capdev.experts.models import Deployment, DeploymentStatus, ExpertProfile
from capdev.experts.tests.conftest import D, make_activity, new_person
from capdev.people import services as people_services

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


# --- Profiles --------------------------------------------------------------------------------


def test_profile_created_with_areas_and_audited(cast: Any) -> None:
    from capdev.reference.models import ThematicArea

    person = new_person("Lena", "Roth")
    profile = services.create_profile(
        person,
        actor=cast.staff,
        institution_type="interior",
        regions=["asia", "africa", "asia"],
        thematic_areas=ThematicArea.objects.filter(code="irregular"),
    )
    assert profile.regions == ["africa", "asia"]
    assert list(profile.thematic_areas.values_list("code", flat=True)) == ["irregular"]
    assert AuditEvent.objects.for_object(profile).filter(verb="expert.created").exists()


def test_person_joins_the_roster_only_once(cast: Any, roster: Any) -> None:
    with pytest.raises(ConflictError):
        services.create_profile(roster.tina.person, actor=cast.staff, institution_type="asylum")


def test_unknown_region_refused_naming_the_field(cast: Any, roster: Any) -> None:
    with pytest.raises(DomainError) as exc:
        services.update_profile(roster.tina, actor=cast.staff, regions=["mars"])
    assert exc.value.field == "regions"


def test_availability_windows_may_not_overlap(cast: Any, roster: Any) -> None:
    services.add_availability(
        roster.tina, actor=cast.trainer, start_date=D(2030, 1, 1), end_date=D(2030, 1, 31)
    )
    with pytest.raises(ConflictError):
        services.add_availability(
            roster.tina, actor=cast.trainer, start_date=D(2030, 1, 20), end_date=D(2030, 2, 5)
        )
    with pytest.raises(DomainError) as exc:
        services.add_availability(
            roster.tina, actor=cast.trainer, start_date=D(2030, 3, 5), end_date=D(2030, 3, 1)
        )
    assert exc.value.field == "end_date"


# --- CV --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content"), [("cv.pdf", PDF), ("cv.docx", None)])
def test_cv_accepted_when_content_matches(
    cast: Any, roster: Any, settings: Any, tmp_path: Any, name: str, content: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    upload = SimpleUploadedFile(name, content if content is not None else docx())
    profile = services.attach_cv(roster.tina, actor=cast.trainer, upload=upload)
    assert profile.cv.name.endswith(name)


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("cv.pdf", b"MZ\x90\x00" + b"\x00" * 100, "program"),
        ("cv.pdf", b"<html><script>alert(1)</script></html>", "web pages"),
        ("cv.docx", PDF, "not a Word"),
        ("cv.txt", b"hello", "PDF or a Word"),
        ("cv.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024 + 1), "at most 5 MB"),
    ],
)
def test_cv_refused_by_content_type_or_size(
    cast: Any, roster: Any, name: str, content: bytes, fragment: str
) -> None:
    with pytest.raises(DomainError) as exc:
        services.check_cv(name, io.BytesIO(content), len(content))
    assert exc.value.field == "cv"
    assert fragment in exc.value.message


# --- Invitations and double booking -------------------------------------------------------------


def test_invite_accept_and_decline(cast: Any, roster: Any) -> None:
    dep = services.invite_expert(roster.activity_b, roster.other, actor=cast.staff, role="Lead expert")
    assert dep.status == DeploymentStatus.INVITED and dep.invited_by == cast.staff
    services.decline_invitation(dep, actor=cast.staff, note="Busy")
    dep.refresh_from_db()
    assert dep.status == DeploymentStatus.DECLINED and dep.responded_at is not None
    again = services.invite_expert(roster.activity_b, roster.other, actor=cast.staff)
    assert again.pk == dep.pk and again.status == DeploymentStatus.INVITED
    services.accept_invitation(again, actor=cast.staff)
    again.refresh_from_db()
    assert again.status == DeploymentStatus.ACCEPTED
    verbs = set(AuditEvent.objects.for_object(dep).values_list("verb", flat=True))
    assert {"deployment.invited", "deployment.declined", "deployment.accepted"} <= verbs


def test_invitation_already_answered_cannot_be_answered_again(cast: Any, roster: Any) -> None:
    with pytest.raises(ConflictError):
        services.accept_invitation(roster.deployed, actor=cast.trainer)


def test_double_booking_refused_at_acceptance(cast: Any, roster: Any) -> None:
    """Tina is deployed 4–8 July; an overlapping invitation cannot be accepted."""
    overlapping = make_activity(roster.action_b, "Focus group", D(2022, 7, 8), 2)
    dep = Deployment.objects.create(activity=overlapping, expert=roster.tina)
    with pytest.raises(ConflictError) as exc:
        services.accept_invitation(dep, actor=cast.trainer)
    assert exc.value.code == "double_booked"
    assert "already deployed on 4–8 July 2022" in exc.value.message
    assert "Brazil III" in exc.value.message
    dep.refresh_from_db()
    assert dep.status == DeploymentStatus.INVITED


def test_double_booking_refused_at_invitation(cast: Any, roster: Any) -> None:
    overlapping = make_activity(roster.action_b, "Focus group", D(2022, 7, 6), 1)
    with pytest.raises(ConflictError) as exc:
        services.invite_expert(overlapping, roster.tina, actor=cast.staff)
    assert "overlapping dates" in exc.value.message


def test_second_of_two_overlapping_acceptances_is_refused(cast: Any, roster: Any) -> None:
    first = make_activity(roster.action_b, "Workshop I", D(2023, 3, 1), 3)
    second = make_activity(roster.action_b, "Workshop II", D(2023, 3, 3), 3)
    d1 = services.invite_expert(first, roster.other, actor=cast.staff)
    d2 = services.invite_expert(second, roster.other, actor=cast.staff)  # not yet a clash: both pending
    services.accept_invitation(d1, actor=cast.staff)
    with pytest.raises(ConflictError):
        services.accept_invitation(d2, actor=cast.staff)


def test_adjacent_dates_are_not_a_double_booking(cast: Any, roster: Any) -> None:
    after = make_activity(roster.action_b, "Next week", D(2022, 7, 9), 2)
    dep = services.invite_expert(after, roster.tina, actor=cast.staff)
    assert services.accept_invitation(dep, actor=cast.trainer).status == DeploymentStatus.ACCEPTED


def test_no_invitation_without_consent_or_to_a_closed_activity(cast: Any, roster: Any) -> None:
    ExpertProfile.objects.filter(pk=roster.other.pk).update(consent_to_contact=False)
    with pytest.raises(DomainError, match="consented"):
        services.invite_expert(roster.activity_b, roster.other, actor=cast.staff)
    done = make_activity(roster.action_b, "Done", D(2021, 1, 1), 1, status="done")
    with pytest.raises(DomainError, match="planned or ongoing"):
        services.invite_expert(done, roster.tina, actor=cast.staff)


def test_withdrawal_needs_a_reason(cast: Any, roster: Any) -> None:
    with pytest.raises(DomainError):
        services.withdraw_deployment(roster.invited, actor=cast.staff, reason=" ")
    dep = services.withdraw_deployment(roster.invited, actor=cast.staff, reason="Dates moved")
    assert dep.status == DeploymentStatus.WITHDRAWN


# --- Feedback -------------------------------------------------------------------------------------


def test_feedback_updates_the_expert_average(cast: Any, roster: Any) -> None:
    services.record_feedback(roster.deployed, actor=cast.staff, score=4, feedback="Clear and practical")
    past = make_activity(roster.action_b, "Earlier", D(2021, 5, 1), 1)
    dep2 = Deployment.objects.create(activity=past, expert=roster.tina, status=DeploymentStatus.ACCEPTED)
    services.record_feedback(dep2, actor=cast.staff, score=5)
    roster.tina.refresh_from_db()
    assert roster.tina.feedback_average == Decimal("4.50") and roster.tina.feedback_count == 2


def test_feedback_refused_before_the_end_or_when_not_deployed(cast: Any, roster: Any) -> None:
    future = make_activity(roster.action_b, "Future", datetime.date.today() + datetime.timedelta(days=30), 2)
    dep = Deployment.objects.create(activity=future, expert=roster.other, status=DeploymentStatus.ACCEPTED)
    with pytest.raises(DomainError, match="once the activity has ended"):
        services.record_feedback(dep, actor=cast.staff, score=4)
    with pytest.raises(DomainError, match="deployed"):
        services.record_feedback(roster.invited, actor=cast.staff, score=4)
    with pytest.raises(DomainError) as exc:
        services.record_feedback(roster.deployed, actor=cast.staff, score=7)
    assert exc.value.field == "feedback_score"


# --- Calendar token ---------------------------------------------------------------------------------


def test_feed_token_opens_only_its_own_feed_until_revoked(cast: Any, roster: Any) -> None:
    token = services.feed_token(roster.tina)
    assert services.profile_for_token(token, roster.tina.pk) == roster.tina
    assert services.profile_for_token(token, roster.other.pk) is None
    assert services.profile_for_token(token[:-2] + "xx", roster.tina.pk) is None
    services.reset_feed_key(roster.tina, actor=cast.trainer)
    assert services.profile_for_token(token, roster.tina.pk) is None
    roster.tina.refresh_from_db()
    assert services.profile_for_token(services.feed_token(roster.tina), roster.tina.pk) == roster.tina


# --- Personal data ----------------------------------------------------------------------------------


def test_export_includes_the_roster_profile(cast: Any, roster: Any) -> None:
    data = people_services.export_person_data(roster.tina.person, actor=cast.staff)
    section = data["expert_profile"]
    assert section["institution_type"] == "asylum"
    assert [d["activity"] for d in section["deployments"]] == [
        "Training of Trainers",
        "Protocol drafting workshop",
    ]


def test_erasure_deletes_the_cv_and_takes_the_expert_off_the_roster(
    cast: Any, roster: Any, settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    profile = services.attach_cv(roster.tina, actor=cast.staff, upload=SimpleUploadedFile("cv.pdf", PDF))
    path = profile.cv.path
    services.record_feedback(roster.deployed, actor=cast.staff, score=5, feedback="Named comment")
    with django_capture_on_commit_callbacks(execute=True):
        people_services.erase_person(roster.tina.person, actor=cast.staff, reason="Request 2026/14")
    profile.refresh_from_db()
    import os

    assert not os.path.exists(path)
    assert not profile.cv and not profile.active and not profile.consent_to_contact
    assert not profile.availabilities.exists()
    roster.deployed.refresh_from_db()
    assert roster.deployed.feedback == "" and roster.deployed.feedback_score == 5
