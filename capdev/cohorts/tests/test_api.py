"""The cohorts API: reads scoped like the pages, writes through the services with their refusals
as JSON (400 for bad input, 409 for a conflict), the FilterSets shared with the pages, and the
OpenAPI schema."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from capdev.cohorts.models import Application, ApplicationStatus, CourseRun, Enrolment, RunStatus
from capdev.cohorts.testing import make_application, make_call, make_person

API = "/api/v1"


def post(client: Any, url: str, data: Any = None) -> Any:
    return client.post(url, data or {}, content_type="application/json")


def test_staff_plan_a_run_and_others_may_not(cast, world):
    payload = {
        "title": "ToT São Paulo",
        "course_version": world.version.pk,
        "organiser": cast.implementer.pk,
        "host": cast.org_a.pk,
        "language": "pt",
        "start_date": "2027-03-01",
        "end_date": "2027-03-05",
        "capacity": 20,
        "country": "BR",
    }
    response = post(cast.client("staff"), f"{API}/runs/", payload)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "planned" and body["seats_taken"] == 0 and body["trainers"] == []
    assert post(cast.client("focal"), f"{API}/runs/", payload).status_code == 403
    bad = post(cast.client("staff"), f"{API}/runs/", {**payload, "language": "ar"})
    assert bad.status_code == 400 and bad.json()["field"] == "language"


def test_run_status_and_capacity_refusals_are_json(cast, world):
    client = cast.client("staff")
    url = f"{API}/runs/{world.run_a.pk}/"
    response = client.patch(url, {"capacity": 0}, content_type="application/json")
    assert response.status_code == 400
    from capdev.cohorts.testing import enrol

    enrol(world.run_a, cast.person_a)
    response = client.patch(url, {"capacity": 1}, content_type="application/json")
    assert response.status_code == 409 and response.json()["field"] == "capacity"
    response = post(client, f"{url}status/", {"status": "cancelled"})
    assert response.status_code == 400 and response.json()["field"] == "reason"
    response = post(client, f"{url}status/", {"status": "cancelled", "reason": "Strike"})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


def test_the_run_list_shares_its_filters_with_the_page_and_counts_seats(cast, world):
    CourseRun.objects.filter(pk=world.run_b.pk).update(status=RunStatus.PLANNED)
    body = cast.client("staff").get(f"{API}/runs/?status=open").json()
    assert [r["code"] for r in body["results"]] == ["tot-br"]
    assert body["results"][0]["seats_taken"] == 1
    assert body["results"][0]["trainers"][0]["name"] == "Tina Borg"
    assert [r["code"] for r in cast.client("outsider").get(f"{API}/runs/").json()["results"]] == ["tot-cr"]


def test_apply_nominate_and_decide_through_the_api(cast, world):
    call = make_call(run=world.run_a, default_quota=1)
    response = post(cast.client("outsider"), f"{API}/applications/", {"call": call.pk, "motivation": "Keen"})
    assert response.status_code == 201 and response.json()["source"] == "application"
    again = post(cast.client("outsider"), f"{API}/applications/", {"call": call.pk})
    assert again.status_code == 409 and again.json()["code"] == "duplicate"
    nominated = post(
        cast.client("focal"), f"{API}/applications/nominate/", {"call": call.pk, "person": cast.person_a.pk}
    )
    assert nominated.status_code == 201
    other = make_person("Rui", "Dias", cast.org_a)
    quota = post(cast.client("focal"), f"{API}/applications/nominate/", {"call": call.pk, "person": other.pk})
    assert quota.status_code == 409 and quota.json()["code"] == "quota"
    hidden = post(
        cast.client("focal"), f"{API}/applications/nominate/", {"call": call.pk, "person": cast.person_b.pk}
    )
    assert hidden.status_code == 404  # not one of the focal point's people
    assert (
        post(
            cast.client("participant"),
            f"{API}/applications/nominate/",
            {"call": call.pk, "person": cast.person_a.pk},
        ).status_code
        == 403
    )

    staff = cast.client("staff")
    pk = nominated.json()["id"]
    assert post(staff, f"{API}/applications/{pk}/reject/", {}).status_code == 400
    assert post(cast.client("focal"), f"{API}/applications/{pk}/accept/").status_code == 403
    accepted = post(staff, f"{API}/applications/{pk}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    applicant = Application.objects.get(call=call, person=cast.outsider.person)
    make_application(call, other)
    post(staff, f"{API}/applications/{applicant.pk}/accept/")  # 3 of 3
    full = post(staff, f"{API}/applications/{Application.objects.get(person=other).pk}/accept/")
    assert full.status_code == 409 and full.json()["code"] == "full"
    assert (
        post(staff, f"{API}/applications/{Application.objects.get(person=other).pk}/waitlist/").json()[
            "waitlist_rank"
        ]
        == 1
    )


def test_offers_are_answered_through_the_api(cast, world):
    call = make_call(run=world.run_a)
    accepted = [make_application(call, make_person(f"A{i}", "Lima", cast.org_a)) for i in range(2)]
    staff = cast.client("staff")
    for application in accepted:
        post(staff, f"{API}/applications/{application.pk}/accept/")
    own = make_application(call, cast.outsider.person)
    post(staff, f"{API}/applications/{own.pk}/waitlist/")
    withdrawn = post(staff, f"{API}/applications/{accepted[0].pk}/withdraw/", {"reason": "New post"})
    assert withdrawn.json()["status"] == "withdrawn"
    own.refresh_from_db()
    assert own.status == ApplicationStatus.OFFERED
    assert post(cast.client("focal"), f"{API}/applications/{own.pk}/accept-offer/").status_code == 404
    response = post(cast.client("outsider"), f"{API}/applications/{own.pk}/accept-offer/")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert Enrolment.objects.filter(run=world.run_a, person=cast.outsider.person).exists()


def test_enrolments_are_read_and_withdrawn(cast, world):
    body = cast.client("trainer").get(f"{API}/enrolments/").json()
    assert [e["name"] for e in body["results"]] == ["Paula Santos"]
    url = f"{API}/enrolments/{world.enrolment.pk}/withdraw/"
    assert post(cast.client("focal"), url, {"reason": "x"}).status_code == 403
    assert post(cast.client("participant"), url, {}).status_code == 400
    response = post(cast.client("participant"), url, {"reason": "New job"})
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"


def test_calls_and_programmes_are_written_by_staff(cast, world):
    staff = cast.client("staff")
    programme = post(staff, f"{API}/programmes/", {"title": "Diploma", "organiser": cast.institute.pk})
    assert programme.status_code == 201
    pid = programme.json()["id"]
    added = post(staff, f"{API}/programmes/{pid}/add-run/", {"run": world.run_b.pk})
    assert added.json()["runs"] == [world.run_b.pk]
    call = post(
        staff,
        f"{API}/calls/",
        {
            "programme": pid,
            "title": "Diploma call",
            "deadline": "2030-01-01T12:00:00Z",
            "languages": [{"language": "en", "level": "B2"}],
            "countries": ["BR", "CR"],
        },
    )
    assert call.status_code == 201, call.json()
    cid = call.json()["id"]
    assert call.json()["status"] == "draft" and call.json()["countries"] == ["BR", "CR"]
    assert post(staff, f"{API}/calls/{cid}/open/").json()["status"] == "open"
    assert post(staff, f"{API}/calls/{cid}/quota/", {"organisation": cast.org_a.pk, "places": 3}).json()[
        "quotas"
    ] == [{"organisation": cast.org_a.pk, "places": 3}]
    assert post(cast.client("focal"), f"{API}/calls/{cid}/close/").status_code == 403
    assert post(staff, f"{API}/calls/{cid}/close/").json()["status"] == "closed"
    both = post(
        staff,
        f"{API}/calls/",
        {"run": world.run_a.pk, "programme": pid, "title": "x", "deadline": "2030-01-01T12:00:00Z"},
    )
    assert both.status_code == 400


@pytest.mark.django_db
def test_the_schema_documents_the_cohorts_endpoints_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in (
        "/api/v1/runs/{id}/status/",
        "/api/v1/applications/nominate/",
        "/api/v1/applications/{id}/accept-offer/",
        "/api/v1/enrolments/{id}/withdraw/",
    ):
        assert path in schema
    assert "RunStatusEnum" in schema and "ApplicationStatusEnum" in schema
