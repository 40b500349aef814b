"""Activity services and pages: plan, change, cancel, complete; published catalogue products
only; dates; experts see only their activities; the list, counter and query counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capdev.actions import activities as services
from capdev.actions.models import Activity, ActivityStatus
from capdev.catalogue.models import Course, CourseVersion
from capdev.core.errors import ConflictError, DomainError
from capdev.core.models import AuditEvent
from capdev.experts.models import Deployment, DeploymentStatus
from capdev.experts.tests.conftest import D, make_activity, roster  # noqa: F401


def version(owner: Any, status: str, languages: list[str] | None = None) -> CourseVersion:
    course = Course.objects.create(code=f"tot-{status}", owner=owner)
    return CourseVersion.objects.create(
        course=course,
        number=1,
        title="Vocational Train the Trainers",
        mode="blended",
        status=status,
        languages=languages or ["pt"],
    )


def plan(action: Any, actor: Any, **extra: Any) -> Activity:
    values = {"type": "tot", "title": "ToT", "start_date": D(2022, 7, 4), "end_date": D(2022, 7, 8)}
    values.update(extra)
    return services.create_activity(action, actor=actor, **values)


def test_activity_planned_with_a_published_product_and_audited(cast: Any, roster: Any) -> None:  # noqa: F811
    v = version(cast.implementer, "published")
    activity = plan(roster.action_a, cast.staff, course_version=v, city="Brasília", country_id="BR")
    assert activity.status == ActivityStatus.PLANNED and activity.mode == "face_to_face"
    assert AuditEvent.objects.for_object(activity).get().verb == "activity.created"
    from capdev.experts.languages import working_languages

    assert working_languages(activity) == ["pt"]


def test_draft_product_refused_naming_the_field(cast: Any, roster: Any) -> None:  # noqa: F811
    with pytest.raises(DomainError) as exc:
        plan(roster.action_a, cast.staff, course_version=version(cast.implementer, "draft"))
    assert exc.value.field == "course_version"


def test_end_before_start_refused(cast: Any, roster: Any) -> None:  # noqa: F811
    with pytest.raises(DomainError) as exc:
        plan(roster.action_a, cast.staff, end_date=D(2022, 7, 1))
    assert exc.value.field == "end_date"


def test_completed_action_takes_no_new_activity(cast: Any, roster: Any) -> None:  # noqa: F811
    roster.action_a.phase = "completed"
    roster.action_a.save()
    with pytest.raises(DomainError, match="completed"):
        plan(roster.action_a, cast.staff)


def test_new_dates_refused_when_they_double_book_a_deployed_expert(cast: Any, roster: Any) -> None:  # noqa: F811
    other = make_activity(roster.action_b, "Later", D(2022, 8, 1), 2)
    Deployment.objects.create(activity=other, expert=roster.tina, status=DeploymentStatus.ACCEPTED)
    with pytest.raises(ConflictError) as exc:
        services.update_activity(
            roster.activity_a, actor=cast.staff, start_date=D(2022, 7, 30), end_date=D(2022, 8, 3)
        )
    assert exc.value.field == "start_date" and "Tina Borg" in exc.value.message
    services.update_activity(roster.activity_a, actor=cast.staff, title="ToT (pilot)")
    roster.activity_a.refresh_from_db()
    assert roster.activity_a.title == "ToT (pilot)"


def test_cancel_withdraws_pending_invitations(cast: Any, roster: Any) -> None:  # noqa: F811
    with pytest.raises(DomainError):
        services.cancel_activity(roster.activity_b, actor=cast.staff, reason="")
    services.cancel_activity(roster.activity_b, actor=cast.staff, reason="Elections")
    roster.invited.refresh_from_db()
    assert roster.invited.status == DeploymentStatus.WITHDRAWN
    with pytest.raises(DomainError, match="no longer be changed"):
        services.update_activity(roster.activity_b, actor=cast.staff, title="x")


def test_complete_records_participants_by_sex(cast: Any, roster: Any) -> None:  # noqa: F811
    done = services.complete_activity(
        roster.activity_a, actor=cast.staff, participants_women=9, participants_men=5, participants_other=0
    )
    assert done.status == ActivityStatus.DONE and done.participants_total == 14
    with pytest.raises(ConflictError):
        services.complete_activity(done, actor=cast.staff)


def test_future_activity_cannot_be_done(cast: Any, roster: Any) -> None:  # noqa: F811
    future = make_activity(roster.action_a, "Future", datetime.date.today() + datetime.timedelta(days=10))
    with pytest.raises(DomainError, match="before it has started"):
        services.complete_activity(future, actor=cast.staff)


# --- Pages --------------------------------------------------------------------------------------


def test_staff_plan_an_activity_from_the_action(cast: Any, roster: Any) -> None:  # noqa: F811
    client = cast.client("staff")
    response = client.post(
        f"/actions/{roster.action_a.pk}/activities/new/",
        {
            "type": "online_course",
            "title": "Online course, five weekly modules",
            "start_date": "2022-05-02",
            "end_date": "2022-06-03",
            "mode": "online",
            "participants_women": "",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(title="Online course, five weekly modules")
    assert response["Location"] == activity.get_absolute_url()
    bad = client.post(
        f"/actions/{roster.action_a.pk}/activities/new/",
        {"type": "tot", "title": "x", "start_date": "2022-05-02", "end_date": "2022-05-01", "mode": "online"},
    )
    assert bad.status_code == 200 and "before the first day" in str(bad.context["form"].errors["end_date"])


def test_staff_cancel_and_complete_through_the_pages(cast: Any, roster: Any) -> None:  # noqa: F811
    client = cast.client("staff")
    assert (
        client.post(f"/activities/{roster.activity_b.pk}/cancel/", {"reason": "Postponed"}).status_code == 302
    )
    assert (
        client.post(
            f"/activities/{roster.activity_a.pk}/complete/",
            {"participants_women": "9", "participants_men": "5", "participants_other": "0"},
        ).status_code
        == 302
    )
    roster.activity_a.refresh_from_db()
    assert roster.activity_a.participants_total == 14


def test_expert_sees_only_activities_deployed_to(cast: Any, roster: Any) -> None:  # noqa: F811
    client = cast.client("trainer")
    assert client.get(f"/activities/{roster.activity_a.pk}/").status_code == 200
    assert client.get(f"/activities/{roster.activity_b.pk}/").status_code == 404
    listed = client.get("/activities/").context["object_list"]
    assert [a.pk for a in listed] == [roster.activity_a.pk]


def test_detail_shows_experts_and_shortlist_for_staff_only(cast: Any, roster: Any) -> None:  # noqa: F811
    staff = cast.client("staff").get(f"/activities/{roster.activity_a.pk}/")
    assert staff.context["shortlist"] is not None and "Best matches" in staff.content.decode()
    focal = cast.client("focal").get(f"/activities/{roster.activity_a.pk}/")
    assert focal.context["shortlist"] is None and "Tina Borg" in focal.content.decode()


def test_staff_invite_from_the_shortlist(cast: Any, roster: Any) -> None:  # noqa: F811
    response = cast.client("staff").post(
        f"/activities/{roster.activity_b.pk}/invite/", {"expert": roster.other.pk}, follow=True
    )
    assert "has been invited" in response.content.decode()
    dep = Deployment.objects.get(activity=roster.activity_b, expert=roster.other)
    assert dep.match_score is not None


def test_matching_page_explains_each_score(cast: Any, roster: Any) -> None:  # noqa: F811
    html = cast.client("staff").get(f"/activities/{roster.activity_a.pk}/matching/").content.decode()
    assert "Speaks Portuguese at C1 (+20)" in html
    assert "Has worked in Latin America &amp; Caribbean (+15)" in html


def test_counter_by_type_and_year(cast: Any, roster: Any) -> None:  # noqa: F811
    make_activity(roster.action_a, "2018 roundtable", D(2018, 5, 2), type="roundtable", country_id="TH")
    counter = cast.client("staff").get("/activities/").context["counter"]
    assert counter["total"] == 3 and counter["since"] == 2018
    assert counter["countries"] == 3  # Brazil, Costa Rica, Thailand
    assert {r["year"]: r["n"] for r in counter["by_year"]} == {2018: 1, 2022: 2}
    assert {r["type"] for r in counter["by_type"]} == {"tot", "workshop", "roundtable"}


def test_activity_list_query_count_is_constant(cast: Any, roster: Any) -> None:  # noqa: F811
    client = cast.client("staff")
    client.get("/activities/")

    def count() -> int:
        cache.clear()  # the counter is cached a minute: count its queries too
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/activities/?page=1").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(30):
        make_activity(
            roster.action_b, f"Extra {i}", D(2023, 1, 1) + datetime.timedelta(days=i), country_id="CR"
        )
    assert count() == before


def test_activity_filters(cast: Any, roster: Any) -> None:  # noqa: F811
    client = cast.client("staff")
    assert [a.title for a in client.get("/activities/?type=tot").context["object_list"]] == [
        "Training of Trainers"
    ]
    assert [a.title for a in client.get("/activities/?on=2022-07-19").context["object_list"]] == [
        "Protocol drafting workshop"
    ]
    assert [
        a.title for a in client.get("/activities/?region=latin_america&q=protocol").context["object_list"]
    ] == ["Protocol drafting workshop"]


def test_api_creates_through_the_service(cast: Any, roster: Any) -> None:  # noqa: F811
    payload = {
        "action": roster.action_a.pk,
        "type": "seminar",
        "title": "Seminar",
        "start_date": "2023-02-01",
        "end_date": "2023-01-31",
    }
    bad = cast.client("staff").post("/api/v1/activities/", payload, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "end_date"
    payload["end_date"] = "2023-02-02"
    assert (
        cast.client("focal").post("/api/v1/activities/", payload, content_type="application/json").status_code
        == 403
    )
    ok = cast.client("staff").post("/api/v1/activities/", payload, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["status"] == "planned"
    shortlist = cast.client("staff").get(f"/api/v1/activities/{ok.json()['id']}/shortlist/").json()
    assert shortlist["languages"] == ["pt"] and shortlist["results"][0]["components"]
