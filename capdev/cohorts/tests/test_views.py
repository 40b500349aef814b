"""The cohorts pages: filters, constant query counts as lists grow, the selection page and its
htmx decisions, applying with files, the import flow, the enrolment page, and the panels that
the learning and delivery apps add."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from capdev.cohorts import panels
from capdev.cohorts.models import (
    Application,
    ApplicationStatus,
    CourseRun,
    Enrolment,
    ImportStatus,
    ParticipantImport,
    RunStatus,
)
from capdev.cohorts.testing import enrol, make_application, make_call, make_person, make_run

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def queries(client: Any, url: str, **headers: Any) -> tuple[int, Any]:
    client.get(url, **headers)  # warm the caches (country names, session) so that counts compare
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(ctx), response


def grow_runs(cast: Any, world: Any, n: int) -> None:
    for i in range(n):
        run = make_run(
            world.version,
            code=f"grow-{CourseRun.objects.count()}-{i}",
            organiser=cast.implementer,
            host=cast.org_a,
            country_id="BR",
        )
        enrol(run, make_person(f"G{i}", f"Run{run.pk}", cast.org_a))
        make_call(run=run)


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("", {"tot-br", "tot-cr"}),
        ("q=tot-cr", {"tot-cr"}),
        ("status=open", {"tot-br", "tot-cr"}),
        ("status=completed", set()),
        ("country=CR", {"tot-cr"}),
        ("host={org_a}", {"tot-br"}),
        ("host_name=Defensoria", {"tot-br"}),
        ("host_name=Extranjería+General", {"tot-cr"}),
        ("host_name=Nowhere", set()),
        ("year=2026", {"tot-br", "tot-cr"}),
        ("year=2025", set()),
        ("course={course}", {"tot-br", "tot-cr"}),
    ],
)
def test_run_list_filters(cast, world, query, codes):
    query = query.format(org_a=cast.org_a.pk, course=world.version.course_id)
    response = cast.client("staff").get(f"/runs/?{query}")
    assert {r.code for r in response.context["object_list"]} == codes


def test_name_filters_are_search_boxes_and_choices_are_selects(cast, world):
    """The shared filter form picks the control from the field's widget, not from its name."""
    page = cast.client("staff").get("/runs/").content.decode()
    assert '<input type="search" name="host_name"' in page
    assert '<select class="form-select-sm form-select" id="id_status" name="status">' in page


def test_run_list_query_count_is_constant_and_htmx_gets_the_partial(cast, world):
    client = cast.client("staff")
    small, _ = queries(client, "/runs/")
    grow_runs(cast, world, 12)
    large, response = queries(client, "/runs/")
    assert large == small
    assert "1 of 3" in response.content.decode()  # seats of run A
    partial = client.get("/runs/?status=open", HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"tot-br" in partial.content


def test_run_detail_shows_facts_seats_trainers_participants_and_constant_queries(cast, world):
    client = cast.client("staff")
    small, response = queries(client, f"/runs/{world.run_a.pk}/")
    text = response.content.decode()
    assert "1 / 3" in text and "Tina Borg" in text and "Santos, Paula" in text
    for i in range(15):
        enrol(world.run_a, make_person(f"P{i}", "Many", cast.org_a))
    CourseRun.objects.filter(pk=world.run_a.pk).update(capacity=40)
    large, _ = queries(client, f"/runs/{world.run_a.pk}/")
    assert large == small
    partial = client.get(f"/runs/{world.run_a.pk}/?page=1", HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"Many, P0" in partial.content


def test_participants_on_the_run_page_follow_who_may_see_them(cast, world):
    enrol(world.run_a, cast.person_b)  # another organisation's person in run A
    focal = cast.client("focal").get(f"/runs/{world.run_a.pk}/").content.decode()
    assert "Santos, Paula" in focal and "Mora, Diego" not in focal
    trainer = cast.client("trainer").get(f"/runs/{world.run_a.pk}/").content.decode()
    assert "Mora, Diego" in trainer
    steering = cast.client("steering").get(f"/runs/{world.run_a.pk}/").content.decode()
    assert "No participant you may see" in steering


def test_panels_of_other_apps_are_rendered_on_the_run_and_enrolment_pages(
    cast, world, monkeypatch, tmp_path, settings
):
    template_dir = tmp_path / "templates"
    (template_dir / "testpanel").mkdir(parents=True)
    (template_dir / "testpanel" / "panel.html").write_text("<p>Sessions of {{ run.code }}: {{ count }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [str(template_dir), *settings.TEMPLATES[0]["DIRS"]]}
    ]
    monkeypatch.setattr(panels, "_RUN", dict(panels._RUN))
    monkeypatch.setattr(panels, "_ENROLMENT", dict(panels._ENROLMENT))

    @panels.run_panel("zz-test", order=99)
    def run_section(request, run):
        return panels.Panel(title="Test sessions", template="testpanel/panel.html", context={"count": 5})

    @panels.enrolment_panel("zz-test", order=99)
    def enrolment_section(request, enrolment):
        return (
            None
            if enrolment.person_id != world.enrolment.person_id
            else panels.Panel(
                title="Test attendance",
                template="testpanel/panel.html",
                context={"count": 2},
                action=("More", "/x/"),
            )
        )

    text = cast.client("staff").get(f"/runs/{world.run_a.pk}/").content.decode()
    assert 'id="panel-zz-test-heading">Test sessions</h2>' in text and "Sessions of tot-br: 5" in text
    text = cast.client("participant").get(f"/enrolments/{world.enrolment.pk}/").content.decode()
    assert "Test attendance" in text and 'href="/x/"' in text
    text = cast.client("staff").get(f"/enrolments/{world.enrolment_b.pk}/").content.decode()
    assert "Test attendance" not in text


def test_call_list_shows_open_calls_to_everyone_and_every_call_to_staff(cast, world):
    open_call = make_call(run=world.run_a, title="Open call")
    make_call(run=world.run_b, title="Draft call", status="draft")
    make_call(run=world.run_b, title="Past call", deadline=timezone.now() - datetime.timedelta(days=1))
    participant = cast.client("participant").get("/calls/")
    assert [c.title for c in participant.context["object_list"]] == ["Open call"]
    assert f"/calls/{open_call.pk}/apply/" in participant.content.decode()
    focal = cast.client("focal").get("/calls/").content.decode()
    assert f"/calls/{open_call.pk}/nominate/" in focal
    staff = cast.client("staff").get("/calls/")
    assert {c.title for c in staff.context["object_list"]} == {"Open call", "Draft call", "Past call"}


def test_call_and_application_lists_query_counts_are_constant(cast, world):
    client = cast.client("staff")
    call = make_call(run=world.run_a)
    make_application(call, cast.person_a)
    small_calls, _ = queries(client, "/calls/")
    small_apps, _ = queries(client, "/applications/")
    small_sel, _ = queries(client, f"/calls/{call.pk}/selection/")
    small_prog, _ = queries(client, "/programmes/")
    grow_runs(cast, world, 8)
    for i in range(10):
        make_application(call, make_person(f"C{i}", "Lopes", cast.org_a, sex="M" if i % 2 else "F"))
    assert queries(client, "/calls/")[0] == small_calls
    assert queries(client, "/applications/")[0] == small_apps
    assert queries(client, f"/calls/{call.pk}/selection/")[0] == small_sel
    assert queries(client, "/programmes/")[0] == small_prog


def test_my_applications_show_the_offer_to_answer(cast, world):
    call = make_call(run=world.run_b)
    application = make_application(
        call,
        cast.participant.person,
        status=ApplicationStatus.OFFERED,
        offer_expires_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    client = cast.client("participant")
    response = client.get("/applications/")
    assert response.context["mine_only"] is True
    assert "A place is offered to you" in response.content.decode()
    response = client.post(
        f"/applications/{application.pk}/offer/", {"answer": "accept", "next": "/applications/"}
    )
    assert response.status_code == 302 and response["Location"] == "/applications/"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert Enrolment.objects.filter(run=world.run_b, person=cast.participant.person).exists()


def test_applying_through_the_form_with_a_file(cast, world, media):
    call = make_call(run=world.run_a)
    client = cast.client("outsider")
    response = client.post(
        f"/calls/{call.pk}/apply/",
        {
            "motivation": "I run the training unit.",
            "attachments": [SimpleUploadedFile("cv.pdf", PDF, "application/pdf")],
        },
    )
    application = Application.objects.get(call=call, person=cast.outsider.person)
    assert response.status_code == 302 and response["Location"] == application.get_absolute_url()
    detail = client.get(application.get_absolute_url()).content.decode()
    attachment = application.attachments.get()
    assert f"/applications/{application.pk}/files/{attachment.pk}/" in detail
    download = client.get(f"/applications/{application.pk}/files/{attachment.pk}/")
    assert download.content == PDF and download["X-Content-Type-Options"] == "nosniff"
    again = client.get(f"/calls/{call.pk}/apply/")
    assert again.status_code == 302  # applied already: to the application


def test_a_refused_file_is_shown_on_the_form(cast, world, media):
    call = make_call(run=world.run_a)
    response = cast.client("outsider").post(
        f"/calls/{call.pk}/apply/",
        {"motivation": "x", "attachments": [SimpleUploadedFile("cv.pdf", b"not a pdf")]},
    )
    assert response.status_code == 200
    assert "not a PDF" in response.content.decode()
    assert not Application.objects.exists()


def test_selection_decisions_redraw_the_selection_region(cast, world):
    call = make_call(run=world.run_a, women_target_percent=50)
    woman = make_application(call, make_person("Ana", "Lima", cast.org_a, sex="F"))
    man = make_application(call, make_person("Rui", "Dias", cast.org_a, sex="M"))
    third = make_application(call, make_person("Eva", "Melo", cast.org_a, sex="F"))
    client = cast.client("staff")
    here = f"/calls/{call.pk}/selection/?status="
    response = client.post(
        f"/applications/{woman.pk}/decide/", {"decision": "accept", "next": here}, HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert text.lstrip().startswith('<div id="selection">')
    assert "Ana Lima is accepted and enrolled." in text
    assert "Women: 100 %" in text and "target met" in text
    response = client.post(
        f"/applications/{man.pk}/decide/", {"decision": "accept", "next": here}, HTTP_HX_REQUEST="true"
    )
    assert "Women: 50 %" in response.content.decode()
    response = client.post(
        f"/applications/{third.pk}/decide/", {"decision": "accept", "next": here}, HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert "is full" in text and "waitlist" in text and 'role="alert"' in text
    response = client.post(
        f"/applications/{third.pk}/decide/", {"decision": "reject", "reason": "", "next": here}
    )
    assert response.status_code == 302 and response["Location"] == here
    third.refresh_from_db()
    assert third.status == ApplicationStatus.SUBMITTED
    client.post(f"/applications/{third.pk}/decide/", {"decision": "waitlist", "next": here})
    third.refresh_from_db()
    assert third.status == ApplicationStatus.WAITLISTED


def test_selection_is_for_staff_only_even_by_post(cast, world):
    call = make_call(run=world.run_a)
    application = make_application(call, cast.person_a)
    response = cast.client("focal").post(f"/applications/{application.pk}/decide/", {"decision": "accept"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_selection_page_expires_stale_offers(cast, world):
    call = make_call(run=world.run_a)
    stale = make_application(
        call,
        cast.person_a,
        status=ApplicationStatus.OFFERED,
        offer_expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    cast.client("staff").get(f"/calls/{call.pk}/selection/")
    stale.refresh_from_db()
    assert stale.status == ApplicationStatus.EXPIRED


def test_import_flow_through_the_pages(cast, world, media):
    client = cast.client("staff")
    world.run_a.capacity = 10
    world.run_a.save()
    content = "First name,Last name,E-mail,Sex,Organisation\nAna,Costa,ana@dpu.example,F,DPU\nRui,Dias,bad-email,M,DPU\n"
    response = client.post(
        f"/runs/{world.run_a.pk}/import/", {"file": SimpleUploadedFile("p.csv", content.encode())}
    )
    record = ParticipantImport.objects.get()
    assert response.status_code == 302 and record.status == ImportStatus.FAILED
    page = client.get(response["Location"]).content.decode()
    assert "not a valid e-mail address" in page and "bad-email" in page
    report = client.get(f"/runs/{world.run_a.pk}/imports/{record.pk}/errors.csv")
    assert report["Content-Disposition"].startswith("attachment") and b"3,email,bad-email" in report.content
    content = content.replace("bad-email", "rui@dpu.example")
    response = client.post(
        f"/runs/{world.run_a.pk}/import/", {"file": SimpleUploadedFile("p.csv", content.encode())}
    )
    record = ParticipantImport.objects.latest("id")
    page = client.get(response["Location"]).content.decode()
    assert record.status == ImportStatus.VALIDATED and "Importing enrols 2 people" in page
    client.post(f"/runs/{world.run_a.pk}/imports/{record.pk}/apply/")
    record.refresh_from_db()
    assert record.status == ImportStatus.APPLIED
    assert Enrolment.objects.filter(run=world.run_a).active().count() == 3
    refused = client.post(f"/runs/{world.run_a.pk}/import/", {"file": SimpleUploadedFile("p.txt", b"hello")})
    assert refused.status_code == 200 and "CSV (.csv) or Excel (.xlsx)" in refused.content.decode()


def test_import_templates_download(cast, world):
    response = cast.client("staff").get("/runs/import-template.csv?lang=es")
    assert response.content.decode("utf-8-sig").startswith("Nombre,Apellidos")
    response = cast.client("staff").get("/runs/import-template.xlsx?lang=pt")
    assert response.content[:2] == b"PK" and "participants-pt.xlsx" in response["Content-Disposition"]


def test_enrolment_page_history_and_staff_actions(cast, world):
    from capdev.cohorts import services

    CourseRun.objects.filter(pk=world.run_a.pk).update(status=RunStatus.IN_PROGRESS)
    client = cast.client("staff")
    response = client.post(f"/enrolments/{world.enrolment.pk}/waive/", {"reason": "Connectivity problems"})
    assert response.status_code == 302
    client.post(f"/enrolments/{world.enrolment.pk}/outcome/", {"outcome": "completed"})
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == "completed" and world.enrolment.cleared_for_face_to_face
    text = cast.client("participant").get(f"/enrolments/{world.enrolment.pk}/").content.decode()
    assert "admitted without the online part" in text and "outcome recorded" in text
    assert "alice@icmpd.example" not in text  # who decided is for staff
    services.revoke_gate_waiver(world.enrolment, actor=cast.staff)


def test_participant_withdraws_themselves_with_a_reason(cast, scene):
    client = cast.client("participant")
    url = f"/enrolments/{scene.world.enrolment.pk}/withdraw/"
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    response = client.post(url, {"reason": "Moved to another unit"})
    assert response.status_code == 302
    scene.world.enrolment.refresh_from_db()
    assert scene.world.enrolment.status == "withdrawn"


def test_run_form_plans_a_run_from_an_activity(cast, world):
    from capdev.actions.models import Action, ActionPartner, Activity
    from capdev.reference.models import ThematicArea

    action = Action.objects.create(
        name="Brazil III",
        country_id="BR",
        thematic_area=ThematicArea.objects.get(code="protection"),
        phase="implementation",
        start_date=datetime.date(2026, 1, 1),
    )
    ActionPartner.objects.create(action=action, organisation=cast.org_a, is_lead=True)
    activity = Activity.objects.create(
        action=action,
        type="tot",
        title="ToT Brasília",
        start_date=datetime.date(2027, 7, 4),
        end_date=datetime.date(2027, 7, 8),
        city="Brasília",
        country_id="BR",
        course_version=world.version,
    )
    client = cast.client("staff")
    form = client.get(f"/runs/new/?activity={activity.pk}").context["form"]
    assert form.initial["activity"] == activity.pk and form.initial["course_version"] == world.version.pk
    options = client.get(f"/runs/activity-options/?action={action.pk}").content.decode()
    assert f'value="{activity.pk}"' in options
    response = client.post(
        "/runs/new/",
        {
            "title": "ToT Brasília",
            "course_version": world.version.pk,
            "action": action.pk,
            "activity": activity.pk,
            "organiser": cast.implementer.pk,
            "host": cast.org_a.pk,
            "language": "pt",
            "start_date": "2027-07-04",
            "end_date": "2027-07-09",
            "capacity": 14,
            "country": "BR",
        },
    )
    assert response.status_code == 200
    assert "within the activity" in response.content.decode()
    response = client.post(
        "/runs/new/",
        {
            "title": "ToT Brasília",
            "course_version": world.version.pk,
            "action": action.pk,
            "activity": activity.pk,
            "organiser": cast.implementer.pk,
            "host": cast.org_a.pk,
            "language": "pt",
            "start_date": "2027-07-04",
            "end_date": "2027-07-08",
            "capacity": 14,
            "country": "BR",
        },
    )
    run = CourseRun.objects.get(activity=activity)
    assert response["Location"] == run.get_absolute_url() and run.country_id == "BR"
