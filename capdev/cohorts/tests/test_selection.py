"""Applications, nominations and selection: every rule and refusal, the waitlist promotion chain,
offer expiry, programmes, and the e-mails sent after each decision."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from capdev.cohorts import services
from capdev.cohorts.models import (
    Application,
    ApplicationAttachment,
    ApplicationSource,
    ApplicationStatus,
    CallStatus,
    Enrolment,
    EnrolmentStatus,
    Programme,
)
from capdev.cohorts.testing import enrol, make_application, make_call, make_person, make_run
from capdev.core.errors import ConflictError, DomainError
from capdev.core.models import AuditEvent
from capdev.people.models import PersonLanguage

S = ApplicationStatus
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf(name: str = "cv.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def call(world: Any) -> Any:
    return make_call(run=world.run_a, offer_days=3)


def candidates(org: Any, n: int, prefix: str = "Cand") -> list[Any]:
    return [
        make_person(f"{prefix}{i}", "Souza", org, email=f"{prefix.lower()}{i}@dpu.example") for i in range(n)
    ]


# --- Applying ---------------------------------------------------------------------------------------


def test_a_person_applies_with_attachments_and_is_told_by_email(
    cast, call, media, django_capture_on_commit_callbacks
):
    person = cast.outsider.person
    with django_capture_on_commit_callbacks(execute=True):
        application = services.apply_to_call(
            call, person, actor=cast.outsider, motivation="To train colleagues.", attachments=[pdf()]
        )
    assert application.status == S.SUBMITTED
    assert application.source == ApplicationSource.APPLICATION
    assert application.organisation_id == cast.org_b.pk
    attachment = application.attachments.get()
    assert attachment.content_type == "application/pdf"
    with attachment.file.open("rb") as fh:
        assert fh.read() == PDF
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert "Application received" in mail.outbox[0].subject
    assert application.get_absolute_url() in mail.outbox[0].body


def test_no_mail_when_the_application_is_refused(cast, call, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        services.apply_to_call(
            call, cast.outsider.person, actor=cast.outsider, attachments=[pdf("cv.exe", b"MZ...")]
        )
    assert mail.outbox == []
    assert not Application.objects.filter(call=call).exists()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"status": CallStatus.CLOSED}, "closed"),
        ({"status": CallStatus.DRAFT}, "closed"),
        ({"deadline": timezone.now() - datetime.timedelta(minutes=1)}, "deadline"),
        ({"opens_at": timezone.now() + datetime.timedelta(days=1)}, "not_yet_open"),
        ({"accepts_applications": False}, "no_applications"),
    ],
)
def test_applying_is_refused_outside_the_calls_window(cast, call, change, code):
    for name, value in change.items():
        setattr(call, name, value)
    call.save()
    with pytest.raises(ConflictError) as error:
        services.apply_to_call(call, cast.outsider.person, actor=cast.outsider)
    assert error.value.code == code


def test_a_person_applies_once_per_call(cast, call):
    services.apply_to_call(call, cast.outsider.person, actor=cast.outsider)
    with pytest.raises(ConflictError) as error:
        services.apply_to_call(call, cast.outsider.person, actor=cast.outsider)
    assert error.value.code == "duplicate"
    assert "applies once per call" in error.value.message


def test_an_enrolled_person_need_not_apply(cast, call):
    with pytest.raises(ConflictError) as error:
        services.apply_to_call(call, cast.participant.person, actor=cast.participant)
    assert error.value.code == "already_enrolled"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cv.txt", b"plain", "PDF or Word"),
        ("cv.pdf", b"not a pdf", "not a PDF"),
        ("cv.pdf", PDF + b"x" * (5 * 1024 * 1024), "limit is 5 MB"),
        ("cv.docx", b"PK\x03\x04broken", "damaged"),
    ],
)
def test_attachments_are_checked_and_nothing_is_stored_when_one_is_refused(
    cast, call, media, name, content, message
):
    with pytest.raises(DomainError) as error:
        services.apply_to_call(
            call, cast.outsider.person, actor=cast.outsider, attachments=[pdf(), pdf(name, content)]
        )
    assert error.value.field == "attachments"
    assert message in error.value.message
    assert not ApplicationAttachment.objects.exists()
    assert not media.exists() or not list(media.rglob("*.pdf"))


def test_at_most_five_attachments(cast, call, media):
    with pytest.raises(DomainError) as error:
        services.apply_to_call(
            call, cast.outsider.person, actor=cast.outsider, attachments=[pdf(f"f{i}.pdf") for i in range(6)]
        )
    assert error.value.code == "too_many"


def test_the_profile_fit_is_worked_out_per_criterion(cast, world):
    call = make_call(
        run=world.run_a,
        organisation_types=["partner"],
        positions=["Defensor", "trainer"],
        languages=[{"language": "pt", "level": "B2"}, {"language": "en", "level": "B1"}],
    )
    call.countries.set(["BR"])
    person = make_person("Rita", "Alves", cast.org_a, position="Defensora pública")
    PersonLanguage.objects.create(person=person, language="pt", level="native")
    PersonLanguage.objects.create(person=person, language="en", level="A2")
    application = services.add_candidate(call, person, actor=cast.staff)
    assert application.profile_fit == {
        "organisation_type": True,
        "country": True,
        "position": True,
        "languages": False,  # English below B1
    }
    assert application.fit_misses == 1
    loose = make_call(run=world.run_b)
    fit = services.add_candidate(loose, person, actor=cast.staff).profile_fit
    assert set(fit.values()) == {None}  # no criterion: not applicable
    services.update_call(call, actor=cast.staff, languages=[{"language": "pt", "level": "C1"}])
    application.refresh_from_db()
    assert application.profile_fit["languages"] is True and application.fit_misses == 0


# --- Nominating ------------------------------------------------------------------------------------


def test_a_focal_point_nominates_people_of_their_organisation_within_the_quota(
    cast, call, django_capture_on_commit_callbacks
):
    services.set_quota(call, cast.org_a, actor=cast.staff, places=1)
    person = make_person("Rui", "Dias", cast.org_a, email="rui@dpu.example")
    with django_capture_on_commit_callbacks(execute=True):
        application = services.nominate_candidate(
            call, person, actor=cast.focal, motivation="Senior defender"
        )
    assert application.source == ApplicationSource.NOMINATION and application.nominated_by == cast.focal
    assert sorted(m.to[0] for m in mail.outbox) == [cast.focal.email, "rui@dpu.example"]
    with pytest.raises(ConflictError) as error:
        services.nominate_candidate(call, cast.person_a, actor=cast.focal)
    assert error.value.code == "quota"
    assert "used its 1 nomination place" in error.value.message
    services.withdraw_application(application, actor=cast.focal)
    services.nominate_candidate(call, cast.person_a, actor=cast.focal)  # the place came back


def test_the_default_quota_applies_to_organisations_without_their_own(cast, call):
    call.default_quota = 0
    call.save()
    with pytest.raises(ConflictError):
        services.nominate_candidate(call, cast.person_a, actor=cast.focal)


def test_a_focal_point_cannot_nominate_someone_elses_staff(cast, call):
    with pytest.raises(DomainError) as error:
        services.nominate_candidate(call, cast.person_b, actor=cast.focal)
    assert error.value.field == "person"
    assert "own organisation" in error.value.message


def test_a_call_may_refuse_nominations(cast, call):
    call.accepts_nominations = False
    call.save()
    with pytest.raises(ConflictError) as error:
        services.nominate_candidate(call, cast.person_a, actor=cast.focal)
    assert error.value.code == "no_nominations"


def test_staff_add_a_candidate_after_the_deadline(cast, call):
    call.deadline = timezone.now() - datetime.timedelta(days=1)
    call.status = CallStatus.CLOSED
    call.save()
    application = services.add_candidate(call, cast.person_a, actor=cast.staff)
    assert application.source == ApplicationSource.STAFF


# --- Decisions ------------------------------------------------------------------------------------


def test_shortlist_then_accept_enrols_and_emails(cast, call, django_capture_on_commit_callbacks):
    application = make_application(call, cast.person_b)
    cast.person_b.email = "diego@dgme.example"
    cast.person_b.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.shortlist_application(application, actor=cast.staff)
        services.accept_application(application, actor=cast.staff)
    application.refresh_from_db()
    assert application.status == S.ACCEPTED and application.decided_by == cast.staff
    enrolment = Enrolment.objects.get(run=call.run, person=cast.person_b)
    assert enrolment.application == application
    assert [m.subject for m in mail.outbox] == [
        f"[capdev] Shortlisted: {call.title}",
        f"[capdev] Selected: {call.title}",
    ]


def test_accepting_over_capacity_is_refused_with_the_waitlist_suggested(cast, call):
    people = candidates(cast.org_a, 3)
    apps = [make_application(call, p) for p in people]
    services.accept_application(apps[0], actor=cast.staff)
    services.accept_application(apps[1], actor=cast.staff)  # 3 of 3 with the participant
    with pytest.raises(ConflictError) as error:
        services.accept_application(apps[2], actor=cast.staff)
    assert error.value.code == "full"
    assert "waitlist" in error.value.message
    apps[2].refresh_from_db()
    assert apps[2].status == S.SUBMITTED
    assert Enrolment.objects.filter(run=call.run).active().count() == 3


def test_rejecting_needs_a_reason_which_is_sent(cast, call, django_capture_on_commit_callbacks):
    application = make_application(call, make_person("Eva", "Reis", cast.org_a, email="eva@dpu.example"))
    with pytest.raises(DomainError) as error:
        services.reject_application(application, actor=cast.staff, reason="  ")
    assert error.value.field == "reason"
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_application(application, actor=cast.staff, reason="Profile does not match")
    application.refresh_from_db()
    assert application.status == S.REJECTED and application.decision_reason == "Profile does not match"
    assert "Profile does not match" in mail.outbox[0].body
    with pytest.raises(ConflictError):
        services.accept_application(application, actor=cast.staff)


def test_waitlist_ranks_and_moves(cast, call):
    apps = [make_application(call, p) for p in candidates(cast.org_a, 4)]
    for application in apps:
        services.waitlist_application(application, actor=cast.staff)
    ranks = lambda: list(Application.objects.filter(call=call).waitlist().values_list("pk", flat=True))
    assert ranks() == [a.pk for a in apps]
    services.move_on_waitlist(apps[3], actor=cast.staff, position=1)
    assert ranks() == [apps[3].pk, apps[0].pk, apps[1].pk, apps[2].pk]
    services.move_on_waitlist(apps[3], actor=cast.staff, position=99)
    assert ranks() == [apps[0].pk, apps[1].pk, apps[2].pk, apps[3].pk]
    assert list(Application.objects.filter(call=call).waitlist().values_list("waitlist_rank", flat=True)) == [
        1,
        2,
        3,
        4,
    ]
    with pytest.raises(ConflictError):
        services.move_on_waitlist(make_application(call, cast.person_b), actor=cast.staff, position=1)


def test_waitlist_promotion_chain(cast, call, django_capture_on_commit_callbacks):
    """Withdraw → the first is offered → declines → the next is offered → accepts (enrolled)."""
    first, second = [make_application(call, p) for p in candidates(cast.org_a, 2, "Acc")]
    services.accept_application(first, actor=cast.staff)
    services.accept_application(second, actor=cast.staff)  # full: 3 of 3
    c, d, e = [make_application(call, p) for p in candidates(cast.org_a, 3, "Wait")]
    for application in (c, d, e):
        services.waitlist_application(application, actor=cast.staff)
    today = timezone.localdate()

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_application(first, actor=cast.staff, reason="Promoted to another post")
    c.refresh_from_db()
    assert c.status == S.OFFERED and c.offer_expires_on == today + datetime.timedelta(days=3)
    assert Enrolment.objects.get(run=call.run, person=first.person).status == EnrolmentStatus.WITHDRAWN
    assert any(m.to == [c.person.email] and "offered" in m.subject for m in mail.outbox)
    # The offer holds the seat: nobody else can be accepted meanwhile.
    with pytest.raises(ConflictError):
        services.accept_application(e, actor=cast.staff)

    services.decline_offer(c, actor=c.person)
    c.refresh_from_db()
    d.refresh_from_db()
    assert c.status == S.DECLINED and d.status == S.OFFERED

    services.accept_offer(d, actor=cast.staff)
    d.refresh_from_db()
    e.refresh_from_db()
    assert d.status == S.ACCEPTED
    assert Enrolment.objects.get(run=call.run, person=d.person).status == EnrolmentStatus.ENROLLED
    assert e.status == S.WAITLISTED and e.waitlist_rank is not None
    assert Enrolment.objects.filter(run=call.run).active().count() == 3
    verbs = list(AuditEvent.objects.for_object(d).order_by("at", "id").values_list("verb", flat=True))
    assert verbs[-2:] == ["application.offered", "application.offer_accepted"]


def test_withdrawing_an_enrolment_offers_the_seat(cast, call):
    waiting = make_application(call, cast.person_a)
    services.waitlist_application(waiting, actor=cast.staff)
    enrol(call.run, cast.person_b)  # 2 of 3
    services.accept_application(make_application(call, make_person("X", "Y", cast.org_a)), actor=cast.staff)
    services.withdraw_enrolment(
        Enrolment.objects.get(run=call.run, person=cast.person_b), actor=cast.staff, reason="Ill"
    )
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED


def test_expired_offers_pass_to_the_next(cast, call, django_capture_on_commit_callbacks):
    for p in candidates(cast.org_a, 2, "Full"):
        services.accept_application(make_application(call, p), actor=cast.staff)
    offered, waiting = [make_application(call, p) for p in candidates(cast.org_a, 2, "W")]
    services.waitlist_application(offered, actor=cast.staff)
    services.waitlist_application(waiting, actor=cast.staff)
    services.withdraw_application(
        Application.objects.filter(call=call, status=S.ACCEPTED).first(), actor=cast.staff
    )
    offered.refresh_from_db()
    assert offered.status == S.OFFERED
    Application.objects.filter(pk=offered.pk).update(
        offer_expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ConflictError) as error:
        services.accept_offer(offered, actor=offered.person)
    assert error.value.code == "expired"
    offered.refresh_from_db()
    waiting.refresh_from_db()
    assert offered.status == S.EXPIRED  # the expiry stands although the acceptance was refused
    assert waiting.status == S.OFFERED
    assert any("Offer expired" in m.subject for m in mail.outbox)


def test_the_expire_offers_command(cast, call, capsys):
    for p in candidates(cast.org_a, 2, "Full"):
        services.accept_application(make_application(call, p), actor=cast.staff)
    waiting = make_application(call, cast.person_a)
    services.waitlist_application(waiting, actor=cast.staff)
    services.withdraw_application(
        Application.objects.filter(call=call, status=S.ACCEPTED).first(), actor=cast.staff
    )
    Application.objects.filter(pk=waiting.pk).update(
        offer_expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    call_command("expire_offers")
    assert "1 offer(s) expired." in capsys.readouterr().out
    waiting.refresh_from_db()
    assert waiting.status == S.EXPIRED


def test_an_offer_is_answered_once(cast, call):
    application = make_application(call, cast.person_a)
    with pytest.raises(ConflictError):
        services.accept_offer(application, actor=cast.staff)
    with pytest.raises(ConflictError):
        services.decline_offer(application, actor=cast.staff)


def test_a_programme_call_enrols_into_every_run(cast, world):
    programme = Programme.objects.create(code="diploma", title="Diploma", organiser=cast.implementer)
    runs = [
        make_run(
            world.version,
            code=f"course-{i}",
            organiser=cast.implementer,
            capacity=2 if i == 2 else 5,
            programme=programme,
            position=i,
        )
        for i in (1, 2, 3)
    ]
    call = make_call(programme=programme)
    a, b, c = [make_application(call, p) for p in candidates(cast.org_a, 3)]
    services.accept_application(a, actor=cast.staff)
    assert Enrolment.objects.filter(person=a.person, run__in=runs).count() == 3
    services.accept_application(b, actor=cast.staff)
    with pytest.raises(ConflictError) as error:
        services.accept_application(c, actor=cast.staff)  # course-2 is full
    assert "course-2" in error.value.message
    assert not Enrolment.objects.filter(person=c.person).exists()
    services.waitlist_application(c, actor=cast.staff)
    services.withdraw_application(a, actor=cast.staff)
    c.refresh_from_db()
    assert c.status == S.OFFERED
    services.accept_offer(c, actor=cast.staff)
    assert Enrolment.objects.filter(person=c.person).active().count() == 3


def test_accepting_into_a_programme_without_runs_is_refused(cast):
    programme = Programme.objects.create(code="empty", title="Empty", organiser=cast.implementer)
    call = make_call(programme=programme)
    with pytest.raises(ConflictError) as error:
        services.accept_application(make_application(call, cast.person_a), actor=cast.staff)
    assert error.value.code == "no_runs"


def test_the_nominating_focal_point_hears_of_each_decision(cast, call, django_capture_on_commit_callbacks):
    cast.focal.language = "pt"
    cast.focal.save()
    application = services.nominate_candidate(call, cast.person_a, actor=cast.focal)  # person A has no e-mail
    with django_capture_on_commit_callbacks(execute=True):
        services.waitlist_application(application, actor=cast.staff)
    assert [m.to for m in mail.outbox] == [[cast.focal.email]]
    assert "Ana Ribeiro" in mail.outbox[0].body
