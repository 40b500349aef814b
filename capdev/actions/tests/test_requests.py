"""Requests: filing and eligibility, references, the workflow, approval into a named Action,
notifications, attachments, and the request pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from capdev.actions import services
from capdev.actions.models import (
    Action,
    ActionType,
    EligibleCountry,
    Phase,
    Request,
    RequestSequence,
    RequestStatus,
)
from capdev.actions.tests.conftest import PDF, area, country, make_action, make_request, theme
from capdev.core.errors import ConflictError, DomainError
from capdev.core.models import AuditEvent
from capdev.organisations.models import Organisation, OrganisationType

pytestmark = pytest.mark.django_db
D = datetime.date


def file(
    cast: Any,
    *,
    actor: Any = None,
    orgs: tuple[Any, ...] = (),
    countries: tuple[str, ...] = ("BR",),
    **extra: Any,
) -> Request:
    values: dict[str, Any] = {
        "title": "Training of trainers on asylum",
        "thematic_area": theme(),
        "statement_of_need": "Public defenders need training on asylum law.",
        "specific_areas": [area("legal_assistance")],
    }
    values.update(extra)
    return services.file_request(
        actor=actor or cast.focal,
        organisations=list(orgs or (cast.org_a,)),
        countries=[country(c) for c in countries],
        **values,
    )


def civil_society(name: str = "Rede Solidária", code: str = "BR") -> Organisation:
    return Organisation.objects.create(name=name, type=OrganisationType.CIVIL_SOCIETY, country_id=code)


# --- filing and eligibility ----------------------------------------------------------------


def test_focal_point_files_a_request_for_their_organisation(cast, eligible):
    request = file(cast)
    assert request.status == RequestStatus.RECEIVED
    assert request.reference == f"REQ-{datetime.date.today().year}-001"
    assert request.requesters.get().is_lead
    assert request.filed_by == cast.focal
    assert list(request.transitions.values_list("to_status", flat=True)) == ["received"]
    assert AuditEvent.objects.for_object(request).filter(verb="request.filed").exists()


def test_request_refused_for_a_country_not_on_the_eligible_list(cast, eligible):
    with pytest.raises(DomainError) as exc:
        file(cast, countries=("BR", "CO"))
    assert exc.value.code == "ineligible_country"
    assert exc.value.field == "countries"
    assert "Colombia is not on the programme's list of eligible countries" in exc.value.message
    assert not Request.objects.exists()


def test_several_ineligible_countries_are_named_together(cast, eligible):
    with pytest.raises(DomainError) as exc:
        file(cast, countries=("CO", "CL"))
    assert (
        "Chile and Colombia are not" in exc.value.message or "Colombia and Chile are not" in exc.value.message
    )


def test_civil_society_alone_is_refused(cast, eligible):
    ngo = civil_society()
    with pytest.raises(DomainError) as exc:
        file(cast, actor=cast.staff, orgs=(ngo,))
    assert exc.value.code == "civil_society_alone"
    assert "only together with a public body" in exc.value.message


def test_civil_society_together_with_a_public_body_is_accepted(cast, eligible):
    ngo = civil_society()
    request = file(cast, orgs=(cast.org_a, ngo))
    assert request.organisations.count() == 2


def test_a_donor_cannot_request(cast, eligible):
    with pytest.raises(DomainError) as exc:
        file(cast, actor=cast.staff, orgs=(cast.donor,))
    assert exc.value.code == "ineligible_organisation"


def test_a_focal_point_cannot_file_only_for_another_organisation(cast, eligible):
    with pytest.raises(DomainError) as exc:
        file(cast, orgs=(cast.org_b,), countries=("CR",))
    assert exc.value.code == "not_own_organisation"


def test_staff_file_on_a_partners_behalf(cast, eligible):
    request = file(cast, actor=cast.staff, orgs=(cast.org_b,), countries=("CR",), received_on=D(2025, 3, 2))
    assert request.reference == "REQ-2025-001"
    assert request.received_on == D(2025, 3, 2)


def test_a_region_alone_is_enough_for_a_regional_request(cast, eligible):
    request = file(cast, countries=(), region="latin_america")
    assert request.region == "latin_america"


def test_neither_country_nor_region_is_refused(cast, eligible):
    with pytest.raises(DomainError, match="country, or the region"):
        file(cast, countries=())


def test_specific_area_must_belong_to_the_thematic_area(cast, eligible):
    with pytest.raises(DomainError) as exc:
        file(cast, specific_areas=[area("health")])
    assert exc.value.field == "specific_areas"


def test_lead_must_be_a_requester(cast, eligible):
    with pytest.raises(DomainError) as exc:
        file(cast, lead=cast.org_b)
    assert exc.value.field == "lead"


# --- references ----------------------------------------------------------------------------


def test_references_count_per_year(cast, eligible):
    first = file(cast, actor=cast.staff, received_on=D(2025, 1, 5))
    second = file(cast, actor=cast.staff, received_on=D(2025, 6, 5))
    other_year = file(cast, actor=cast.staff, received_on=D(2024, 6, 5))
    assert [first.reference, second.reference, other_year.reference] == [
        "REQ-2025-001",
        "REQ-2025-002",
        "REQ-2024-001",
    ]
    assert RequestSequence.objects.get(year=2025).last == 2


def test_references_continue_after_requests_stored_without_a_counter(cast, eligible):
    stored = make_request(cast.org_a)
    Request.objects.filter(pk=stored.pk).update(reference="REQ-2025-013")
    request = file(cast, actor=cast.staff, received_on=D(2025, 2, 1))
    assert request.reference == "REQ-2025-014"


def test_references_are_fourteen_after_thirteen(cast, eligible):
    RequestSequence.objects.create(year=2026, last=13)
    request = file(cast, actor=cast.staff, received_on=D(2026, 1, 10))
    assert request.reference == "REQ-2026-014"


# --- workflow ------------------------------------------------------------------------------


def walk_to_committee(request: Request, staff: Any) -> Request:
    services.start_analysis(request, actor=staff, note="Complete and eligible.")
    return services.submit_to_committee(request, actor=staff)


def test_the_workflow_records_every_step(cast, eligible):
    request = walk_to_committee(file(cast), cast.staff)
    services.reject_request(request, actor=cast.steering, reason="Outside the programme's scope.")
    request.refresh_from_db()
    steps = list(request.transitions.values_list("from_status", "to_status"))
    assert steps == [
        ("", "received"),
        ("received", "analysis"),
        ("analysis", "submitted"),
        ("submitted", "rejected"),
    ]
    assert request.transitions.get(to_status="analysis").note == "Complete and eligible."
    assert request.decided_by == cast.steering
    assert request.decided_on == datetime.date.today()
    verbs = set(AuditEvent.objects.for_object(request).values_list("verb", flat=True))
    assert {"request.filed", "request.analysis_started", "request.submitted", "request.rejected"} <= verbs


def test_rejection_requires_a_reason(cast, eligible):
    request = walk_to_committee(file(cast), cast.staff)
    with pytest.raises(DomainError) as exc:
        services.reject_request(request, actor=cast.steering, reason="  ")
    assert exc.value.code == "reason_required"
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED


def test_a_step_out_of_order_is_refused(cast, eligible):
    request = file(cast)
    with pytest.raises(ConflictError, match="cannot be approved now"):
        services.approve_request(request, actor=cast.steering)
    with pytest.raises(ConflictError):
        services.submit_to_committee(request, actor=cast.staff)


def test_decision_date_cannot_be_before_receipt_or_in_the_future(cast, eligible):
    request = walk_to_committee(file(cast, actor=cast.staff, received_on=D(2025, 5, 1)), cast.staff)
    with pytest.raises(DomainError, match="before the request was received"):
        services.approve_request(request, actor=cast.steering, decided_on=D(2025, 4, 1))
    with pytest.raises(DomainError, match="future"):
        services.approve_request(
            request, actor=cast.steering, decided_on=datetime.date.today() + datetime.timedelta(days=1)
        )


def test_a_request_is_withdrawn_before_the_decision_only(cast, eligible):
    request = file(cast)
    services.withdraw_request(request, actor=cast.focal, reason="Covered by another donor.")
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    with pytest.raises(ConflictError):
        services.withdraw_request(request, actor=cast.focal)


# --- approval and naming -------------------------------------------------------------------


def test_approval_creates_the_action_in_the_assessment_phase(cast, eligible):
    ngo = civil_society()
    request = walk_to_committee(
        file(cast, orgs=(cast.org_a, ngo), lead=cast.org_a, expected_results="Trainers certified."),
        cast.staff,
    )
    action = services.approve_request(request, actor=cast.steering, reason="Strong ownership.")
    assert action.name == "Brazil I"
    assert action.sequence == 1
    assert action.country_id == "BR"
    assert action.region == "latin_america"
    assert action.type == ActionType.CLASSIC
    assert action.phase == Phase.ASSESSMENT
    assert action.request == request
    assert action.start_date == datetime.date.today()
    assert action.summary == "Trainers certified."
    assert set(action.partnerships.values_list("organisation_id", "is_lead")) == {
        (cast.org_a.pk, True),
        (ngo.pk, False),
    }
    assert list(action.countries.values_list("code", flat=True)) == ["BR"]
    assert list(action.specific_areas.values_list("code", flat=True)) == ["legal_assistance"]
    first = action.transitions.get()
    assert (first.from_phase, first.to_phase, first.by) == ("", "assessment", cast.steering)
    assert request.reference in first.note
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert AuditEvent.objects.for_object(action).filter(verb="action.created").exists()


def test_brazil_iii_follows_brazil_ii(cast, eligible):
    make_action("Brazil I", cast.org_a, "BR", sequence=1)
    make_action("Brazil II", cast.org_a, "BR", sequence=2)
    request = walk_to_committee(file(cast), cast.staff)
    action = services.approve_request(request, actor=cast.steering)
    assert (action.name, action.sequence) == ("Brazil III", 3)


def test_costa_rica_iv_and_v(cast, eligible):
    for n, name in enumerate(["Costa Rica I", "Costa Rica II", "Costa Rica III"], start=1):
        make_action(name, cast.org_b, "CR", sequence=n)
    names = []
    for _ in range(2):
        request = walk_to_committee(
            file(cast, actor=cast.staff, orgs=(cast.org_b,), countries=("CR",)), cast.staff
        )
        names.append(services.approve_request(request, actor=cast.steering).name)
    assert names == ["Costa Rica IV", "Costa Rica V"]


def test_a_taken_name_is_skipped(cast, eligible):
    make_action("Brazil I", cast.org_a, "BR", sequence=1)
    make_action("Brazil II", cast.org_a, "BR")  # written by hand, without a sequence
    request = walk_to_committee(file(cast), cast.staff)
    assert services.approve_request(request, actor=cast.steering).name == "Brazil III"


def test_regional_action_is_named_in_the_decision(cast, eligible):
    request = walk_to_committee(file(cast, countries=("AR", "BO", "PY"), region="latin_america"), cast.staff)
    action = services.approve_request(request, actor=cast.steering, action_name="Gran Chaco")
    assert action.name == "Gran Chaco"
    assert action.type == ActionType.REGIONAL
    assert action.country is None and action.sequence is None
    assert sorted(action.countries.values_list("code", flat=True)) == ["AR", "BO", "PY"]


def test_regional_action_without_a_name_takes_the_regions(cast, eligible):
    request = walk_to_committee(file(cast, countries=(), region="latin_america"), cast.staff)
    assert services.approve_request(request, actor=cast.steering).name == "Latin America & Caribbean"


def test_a_second_regional_action_of_the_same_name_gets_a_numeral(cast, eligible):
    names = []
    for _ in range(2):
        request = walk_to_committee(file(cast, countries=("AR", "PY")), cast.staff)
        names.append(services.approve_request(request, actor=cast.steering, action_name="Gran Chaco").name)
    assert names == ["Gran Chaco", "Gran Chaco II"]


def test_several_countries_make_a_regional_action(cast, eligible):
    request = walk_to_committee(file(cast, countries=("AR", "PY")), cast.staff)
    action = services.approve_request(request, actor=cast.steering)
    assert action.type == ActionType.REGIONAL
    assert action.name == "Argentina and Paraguay"


def test_to_roman():
    assert [services.to_roman(n) for n in (1, 2, 3, 4, 5, 9, 14, 40, 1994)] == [
        "I",
        "II",
        "III",
        "IV",
        "V",
        "IX",
        "XIV",
        "XL",
        "MCMXCIV",
    ]


# --- notifications -------------------------------------------------------------------------


def test_filing_notifies_the_focal_points_and_staff_after_commit(
    cast, eligible, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        file(cast)
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([cast.focal.email, cast.staff.email])
    assert all("REQ-" in m.subject and "request received" in m.subject for m in mail.outbox)


def test_no_mail_when_the_transaction_rolls_back(cast, eligible, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        file(cast, countries=("CO",))
    assert mail.outbox == []


def test_submission_notifies_the_steering_committee(cast, eligible, django_capture_on_commit_callbacks):
    request = file(cast)
    services.start_analysis(request, actor=cast.staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_to_committee(request, actor=cast.staff, note="Internal: strong case.")
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {cast.focal.email, cast.staff.email, cast.steering.email}
    assert "awaiting a decision" in by_address[cast.steering.email].body
    assert "Internal: strong case." not in by_address[cast.focal.email].body  # staff notes stay internal
    assert "Internal: strong case." in by_address[cast.staff.email].body


def test_rejection_mail_gives_the_reason(cast, eligible, django_capture_on_commit_callbacks):
    request = walk_to_committee(file(cast), cast.staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_request(request, actor=cast.steering, reason="Equipment is outside the scope.")
    focal_mail = next(m for m in mail.outbox if m.to == [cast.focal.email])
    assert "not approved" in focal_mail.subject
    assert "Equipment is outside the scope." in focal_mail.body
    assert request.get_absolute_url() in focal_mail.body


def test_approval_mail_names_the_action(cast, eligible, django_capture_on_commit_callbacks):
    request = walk_to_committee(file(cast), cast.staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_request(request, actor=cast.steering)
    focal_mail = next(m for m in mail.outbox if m.to == [cast.focal.email])
    assert "Brazil I" in focal_mail.body


def test_mail_is_rendered_in_the_recipients_language(
    cast, eligible, django_capture_on_commit_callbacks, monkeypatch
):
    from django.utils import translation

    from capdev.actions import notifications

    cast.focal.language = "pt"
    cast.focal.save()
    seen: list[tuple[str, str]] = []
    original = notifications.render_to_string

    def spy(template: str, context: dict[str, Any]) -> str:
        seen.append((context["user"].email, translation.get_language()))
        return original(template, context)

    monkeypatch.setattr(notifications, "render_to_string", spy)
    with django_capture_on_commit_callbacks(execute=True):
        file(cast)
    assert (cast.focal.email, "pt") in seen
    assert (cast.staff.email, "en") in seen


def test_focal_point_of_a_parent_organisation_is_notified(cast, eligible, django_capture_on_commit_callbacks):
    unit = Organisation.objects.create(
        name="Escola Superior", type=OrganisationType.TRAINING_INSTITUTION, country_id="BR", parent=cast.org_a
    )
    with django_capture_on_commit_callbacks(execute=True):
        file(cast, actor=cast.staff, orgs=(unit,))
    assert cast.focal.email in {m.to[0] for m in mail.outbox}


# --- attachments ---------------------------------------------------------------------------


def test_attachments_are_checked_by_content(cast, eligible):
    good = SimpleUploadedFile("letter.pdf", PDF)
    request = file(cast, attachments=[good])
    attachment = request.attachments.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.title == "letter"
    fake = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(DomainError, match="program"):
        file(cast, attachments=[fake])


def test_attachment_size_is_limited(cast, eligible, monkeypatch):
    monkeypatch.setattr("capdev.actions.uploads.MAX_UPLOAD_SIZE", 10)
    with pytest.raises(DomainError, match="the limit is"):
        file(cast, attachments=[SimpleUploadedFile("letter.pdf", PDF)])


# --- pages ---------------------------------------------------------------------------------


def form_data(cast: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "organisations": [cast.org_a.pk],
        "lead": cast.org_a.pk,
        "countries": ["BR"],
        "title": "ToT on asylum",
        "thematic_area": theme().pk,
        "specific_areas": [area("legal_assistance").pk],
        "statement_of_need": "Defenders need training.",
        "channel": "direct",
    }
    data.update(extra)
    return data


def test_the_form_preselects_the_focal_points_organisation(cast, eligible):
    response = cast.client("focal").get("/requests/new/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'name="organisations" value="{cast.org_a.pk}" id="org-{cast.org_a.pk}" checked' in body
    assert f'name="lead" value="{cast.org_a.pk}"' in body
    assert "received_on" not in body  # staff only


def test_filing_through_the_page(cast, eligible):
    upload = SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")
    response = cast.client("focal").post("/requests/new/", {**form_data(cast), "attachments": [upload]})
    request = Request.objects.get()
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    assert request.attachments.count() == 1


def test_an_ineligible_country_is_shown_on_the_form(cast, eligible):
    response = cast.client("focal").post("/requests/new/", form_data(cast, countries=["CO"]))
    assert response.status_code == 200
    assert "not on the programme&#x27;s list of eligible countries" in response.content.decode()
    assert not Request.objects.exists()


def test_civil_society_alone_is_shown_on_the_form(cast, eligible):
    ngo = civil_society()
    response = cast.client("staff").post(
        "/requests/new/", form_data(cast, organisations=[ngo.pk], lead=ngo.pk)
    )
    assert "only together with a public body" in response.content.decode()


def test_specific_areas_follow_the_thematic_area(cast, eligible):
    response = cast.client("focal").get(
        "/requests/specific-areas/", {"thematic_area": theme("horizontal").pk}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "Migration and Health" in body and "Asylum procedures" not in body
    assert "<html" not in body


def test_organisation_search_finds_requesting_organisations_only(cast, eligible):
    client = cast.client("focal")
    body = client.get("/requests/organisations/", {"q": "DGME"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Dirección General de Migración" in body
    assert "DG INTPA" not in client.get("/requests/organisations/", {"q": "INTPA"}).content.decode()
    row = client.get("/requests/organisations/", {"add": cast.org_b.pk}).content.decode()
    assert f'value="{cast.org_b.pk}"' in row and "checked" in row


def test_steering_queue_lists_requests_awaiting_a_decision(cast, world):
    body = cast.client("steering").get("/requests/queue/").content.decode()
    assert world.req_submitted.reference in body
    assert world.req_received.reference not in body
    assert "/approve/" in body


def test_requests_list_is_scoped_and_filterable(cast, world):
    body = cast.client("focal").get("/requests/").content.decode()
    assert world.req_received.reference in body and world.req_b.reference not in body
    partial = cast.client("staff").get("/requests/", {"status": "submitted"}, HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert world.req_submitted.reference in text and world.req_received.reference not in text
    assert "<html" not in text


def test_focal_point_follows_the_status_with_a_timeline(cast, world):
    services.start_analysis(world.req_received, actor=cast.staff)
    body = cast.client("focal").get(world.req_received.get_absolute_url()).content.decode()
    assert "Under analysis" in body
    assert 'aria-current="step"' in body


def test_approving_through_the_page_redirects_to_the_action(cast, world):
    response = cast.client("steering").post(
        f"/requests/{world.req_submitted.pk}/approve/",
        {
            "decided_on": datetime.date.today().isoformat(),
            "reason": "",
            "action_name": "",
            "action_type": "classic",
        },
    )
    action = Action.objects.get(request=world.req_submitted)
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    assert action.name == "Brazil II"  # "Brazil I" exists in the world


def test_rejecting_through_the_page_requires_a_reason(cast, world):
    url = f"/requests/{world.req_submitted.pk}/reject/"
    response = cast.client("steering").post(
        url, {"decided_on": datetime.date.today().isoformat(), "reason": ""}
    )
    assert response.status_code == 200
    assert "Give the reason" in response.content.decode()
    world.req_submitted.refresh_from_db()
    assert world.req_submitted.status == RequestStatus.SUBMITTED


def test_focal_point_edits_a_received_request(cast, world):
    url = f"/requests/{world.req_received.pk}/edit/"
    response = cast.client("focal").post(url, form_data(cast, title="A better title"))
    assert response.status_code == 302
    world.req_received.refresh_from_db()
    assert world.req_received.title == "A better title"
    assert AuditEvent.objects.for_object(world.req_received).filter(verb="request.updated").exists()


def test_a_step_page_explains_when_the_step_is_not_possible(cast, world):
    services.start_analysis(world.req_received, actor=cast.staff)
    response = cast.client("staff").get(f"/requests/{world.req_received.pk}/analyse/")
    assert "this step is not possible now" in response.content.decode()


def test_staff_manage_the_eligible_list(cast, world):
    client = cast.client("staff")
    response = client.post("/requests/eligibility/", {"country": "CO", "note": "Added 2026"})
    assert response.status_code == 302
    assert EligibleCountry.objects.filter(country_id="CO", note="Added 2026").exists()
    response = client.post("/requests/eligibility/CO/remove/")
    assert response.status_code == 302
    assert not EligibleCountry.objects.filter(country_id="CO").exists()
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"eligible_country.added", "eligible_country.removed"} <= verbs


def test_attachment_download_is_private(cast, world):
    response = cast.client("focal").get(
        f"/requests/{world.req_received.pk}/attachments/{world.attachment.pk}/"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_staff_add_an_eligible_country_in_the_admin(cast, eligible):
    response = cast.client("staff").post(
        "/admin/actions/eligiblecountry/add/", {"country": "CO", "note": "2026"}
    )
    assert response.status_code == 302
    assert EligibleCountry.objects.filter(country_id="CO").exists()
    assert AuditEvent.objects.filter(verb="eligiblecountry.created").exists()
    assert cast.client("focal").get("/admin/actions/eligiblecountry/").status_code == 302
