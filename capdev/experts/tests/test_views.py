"""Roster pages: filters, query counts, statistics, the profile form with CV upload, "My
invitations" (accept/decline), feedback, the expert's calendar feed, and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capdev.actions import ics
from capdev.experts import services
from capdev.experts.models import Availability, Deployment, DeploymentStatus, ExpertProfile
from capdev.experts.tests.conftest import D, make_activity, make_expert, new_person

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def names(response: Any) -> list[str]:
    return [e.person.last_name for e in response.context["object_list"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Borg", "Novak"]),
        ("language=pt", ["Borg"]),
        ("language=pt&min_level=C2", []),
        ("language=en&min_level=C1", ["Borg"]),
        ("language=es&min_level=B2", ["Novak"]),
        ("thematic_area={protection}", ["Borg"]),
        ("specific_area={asylum}", ["Borg"]),
        ("region=latin_america", ["Borg"]),
        ("region=africa", []),
        ("nationality=CZ", ["Novak"]),
        ("sex=F", ["Borg"]),
        ("institution_type=asylum", ["Borg", "Novak"]),
        ("q=novak", ["Novak"]),
        ("available_from=2030-01-10&available_until=2030-01-12", ["Novak"]),
        ("available_from=2022-07-05&available_until=2022-07-06", []),
    ],
)
def test_roster_filters(cast: Any, roster: Any, query: str, expected: list[str]) -> None:
    from capdev.reference.models import SpecificArea, ThematicArea

    Availability.objects.create(expert=roster.other, start_date=D(2030, 1, 1), end_date=D(2030, 1, 31))
    Availability.objects.create(expert=roster.tina, start_date=D(2022, 7, 1), end_date=D(2022, 7, 31))
    query = query.format(
        protection=ThematicArea.objects.get(code="protection").pk,
        asylum=SpecificArea.objects.get(code="asylum_procedures").pk,
    )
    response = cast.client("staff").get(f"/experts/?{query}")
    assert response.status_code == 200
    assert sorted(names(response)) == expected


def test_roster_list_query_count_is_constant(cast: Any, roster: Any) -> None:
    client = cast.client("staff")
    client.get("/experts/")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/experts/").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(30):
        e = make_expert(new_person(f"N{i}", f"Extra{i}"), thematic=("protection",), regions=("asia",))
        Deployment.objects.create(activity=roster.activity_b, expert=e, status=DeploymentStatus.ACCEPTED)
    assert count() == before


def test_htmx_request_gets_only_the_results(cast: Any, roster: Any) -> None:
    response = cast.client("staff").get("/experts/?sex=F", HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content and b"Borg" in response.content


def test_statistics_show_accessible_tables(cast: Any, roster: Any) -> None:
    response = cast.client("steering").get("/experts/statistics/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<caption>Experts by nationality</caption>" in html
    assert response.context["total"] == 2
    assert {r["label"]: r["n"] for r in response.context["deployments"]["rows"]}["1"] == 1
    assert {r["label"]: r["n"] for r in response.context["sex"]["rows"]} == {"Female": 1, "Male": 1}
    assert "Tina" not in html  # aggregates only


def test_expert_edits_own_profile_and_uploads_a_cv(
    cast: Any, roster: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    client = cast.client("trainer")
    response = client.post(
        f"/experts/{roster.tina.pk}/edit/",
        {
            "institution_type": "asylum",
            "regions": ["latin_america", "asia"],
            "years_experience": "12",
            "consent_to_contact": "on",
            "cv_upload": SimpleUploadedFile("katrin-cv.pdf", PDF),
            "active": "",  # ignored: experts cannot take themselves off the roster through this field
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    roster.tina.refresh_from_db()
    assert roster.tina.regions == ["asia", "latin_america"] and roster.tina.years_experience == 12
    assert roster.tina.cv.name.endswith("katrin-cv.pdf") and roster.tina.active
    download = client.get(f"/experts/{roster.tina.pk}/cv/")
    assert download.content == PDF and "attachment" in download["Content-Disposition"]


def test_cv_with_wrong_content_is_refused_on_the_form(cast: Any, roster: Any) -> None:
    response = cast.client("trainer").post(
        f"/experts/{roster.tina.pk}/edit/",
        {"institution_type": "asylum", "cv_upload": SimpleUploadedFile("cv.pdf", b"not a pdf at all")},
    )
    assert response.status_code == 200
    assert "not a PDF" in str(response.context["form"].errors["cv_upload"])


def test_staff_add_a_person_to_the_roster(cast: Any, roster: Any) -> None:
    person = new_person("Lucía", "Herrera", "F", "ES")
    client = cast.client("staff")
    assert "Herrera" in client.get("/experts/new/?q=herrera").content.decode()
    response = client.post("/experts/new/", {"person": person.pk, "institution_type": "foreign_affairs"})
    assert response.status_code == 302
    assert ExpertProfile.objects.get(person=person).institution_type == "foreign_affairs"


def test_my_invitations_accept_and_decline(cast: Any, roster: Any) -> None:
    client = cast.client("trainer")
    page = client.get("/experts/invitations/")
    assert [d.pk for d in page.context["pending"]] == [roster.invited.pk]
    assert "calendar.ics?token=" in page.context["feed_url"]
    response = client.post(f"/experts/deployments/{roster.invited.pk}/accept/", follow=True)
    roster.invited.refresh_from_db()
    assert roster.invited.status == DeploymentStatus.ACCEPTED
    assert "You are deployed" in response.content.decode()


def test_acceptance_refused_with_a_clear_message_when_double_booked(cast: Any, roster: Any) -> None:
    clash = make_activity(roster.action_b, "Overlapping mission", D(2022, 7, 7), 3)
    dep = Deployment.objects.create(activity=clash, expert=roster.tina)
    response = cast.client("trainer").post(f"/experts/deployments/{dep.pk}/accept/", follow=True)
    html = response.content.decode()
    assert "cannot be deployed to two activities on overlapping dates" in html
    dep.refresh_from_db()
    assert dep.status == DeploymentStatus.INVITED


def test_expert_cannot_answer_someone_elses_invitation(cast: Any, roster: Any) -> None:
    dep = Deployment.objects.create(activity=roster.activity_a, expert=roster.other)
    assert cast.client("trainer").post(f"/experts/deployments/{dep.pk}/accept/").status_code == 404


def test_staff_record_feedback(cast: Any, roster: Any) -> None:
    response = cast.client("staff").post(
        f"/experts/deployments/{roster.deployed.pk}/feedback/",
        {"feedback_score": "5", "feedback": "Excellent"},
    )
    assert response.status_code == 302
    roster.tina.refresh_from_db()
    assert roster.tina.feedback_average == 5


def test_expert_feed_by_token_without_a_session(cast: Any, roster: Any) -> None:
    from django.test import Client

    token = services.feed_token(roster.tina)
    response = Client().get(f"/experts/{roster.tina.pk}/calendar.ics", {"token": token})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = {e["SUMMARY"]: e for e in ics.parse(response.content.decode())}
    assert events["Training of Trainers (Brazil III)"]["STATUS"] == "CONFIRMED"
    assert events["Protocol drafting workshop (Costa Rica IV)"]["STATUS"] == "TENTATIVE"
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert Client().get(f"/experts/{roster.tina.pk}/calendar.ics", {"token": tampered}).status_code == 404
    cast.client("trainer").post(f"/experts/{roster.tina.pk}/calendar/reset/")
    assert Client().get(f"/experts/{roster.tina.pk}/calendar.ics", {"token": token}).status_code == 404


def test_api_invite_and_accept(cast: Any, roster: Any) -> None:
    staff = cast.client("staff")
    activity = make_activity(roster.action_a, "Online module", D(2024, 3, 1), 1)
    response = staff.post(
        "/api/v1/deployments/",
        {"activity": activity.pk, "expert": roster.tina.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    dep_id = response.json()["id"]
    assert response.json()["match_score"] is not None
    accepted = cast.client("trainer").post(f"/api/v1/deployments/{dep_id}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    again = cast.client("trainer").post(f"/api/v1/deployments/{dep_id}/accept/")
    assert again.status_code == 409 and "already answered" in again.json()["detail"]


def test_api_expert_list_is_filtered(cast: Any, roster: Any) -> None:
    response = cast.client("staff").get("/api/v1/experts/?language=pt&min_level=B2")
    assert [r["name"] for r in response.json()["results"]] == ["Tina Borg"]


def test_statistics_count_the_roster_and_every_accepted_deployment(cast: Any, roster: Any) -> None:
    from capdev.experts.statistics import roster_figures

    gone = make_expert(new_person("Ivo", "Gone", "M", "CZ"))
    ExpertProfile.objects.filter(pk=gone.pk).update(active=False)
    for i in range(3):
        Deployment.objects.create(
            activity=make_activity(roster.action_a, f"Replica {i}", D(2023, 3, 1 + i)),
            expert=gone if i else roster.other,
            status=DeploymentStatus.ACCEPTED,
        )
    figures = roster_figures()
    assert figures["total"] == 2  # Ivo is off the roster
    assert dict(figures["sex"]) == {"F": 1, "M": 1}
    assert dict(figures["deployments"]) == {"0": 0, "1": 2, "2": 0, "3–5": 0, "6–10": 0, "11+": 0}
    # Deployments by sex count everyone's, on the roster or not: Tina 1, Jan 1, Ivo 2.
    assert dict(figures["deployed_by_sex"]) == {"F": 1, "M": 3}
    assert figures["nationality"][0][1] == 1 and {n for _c, n in figures["nationality"]} == {1}


def test_statistics_are_cached_for_a_minute(cast: Any, roster: Any) -> None:
    client = cast.client("staff")
    client.get("/experts/statistics/")
    with CaptureQueriesContext(connection) as cold:
        from django.core.cache import cache

        cache.clear()
        client.get("/experts/statistics/")
    with CaptureQueriesContext(connection) as warm:
        page = client.get("/experts/statistics/")
    assert len(cold.captured_queries) - len(warm.captured_queries) == 2
    Deployment.objects.create(
        activity=roster.activity_b, expert=roster.other, status=DeploymentStatus.ACCEPTED
    )
    assert client.get("/experts/statistics/").context["accepted_total"] == page.context["accepted_total"]
