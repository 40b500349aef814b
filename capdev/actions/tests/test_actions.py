"""Actions: co-design and staff edits, partners, phases (forward, back with a note, completion
refused while activities are open), the timeline, and the Action pages and list."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capdev.actions import services
from capdev.actions.models import Action, ActivityStatus, Level, Phase
from capdev.actions.tests.conftest import make_action, make_activity, theme
from capdev.actions.timeline import build_gantt
from capdev.core.errors import ConflictError, DomainError, PermissionDeniedError
from capdev.core.models import AuditEvent
from capdev.organisations.models import Organisation, OrganisationType

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = datetime.date.today()


@pytest.fixture
def action(cast: Any) -> Action:
    return make_action("Brazil III", cast.org_a, "BR", phase=Phase.ASSESSMENT, start_date=D(2021, 2, 3))


# --- editing -------------------------------------------------------------------------------


def test_focal_point_of_a_partner_edits_the_summary(cast, action):
    services.update_action(action, actor=cast.focal, summary="Co-designed with the DPU.")
    action.refresh_from_db()
    assert action.summary == "Co-designed with the DPU."
    event = AuditEvent.objects.for_object(action).get(verb="action.updated")
    assert event.changes["summary"][1] == "Co-designed with the DPU."


def test_focal_point_cannot_change_staff_fields(cast, action):
    with pytest.raises(PermissionDeniedError) as exc:
        services.update_action(action, actor=cast.focal, name="Brazil IV")
    assert exc.value.status == 403


def test_staff_rename_an_action_but_not_onto_another(cast, action):
    make_action("Brazil II", cast.org_a, "BR")
    with pytest.raises(ConflictError):
        services.update_action(action, actor=cast.staff, name="Brazil II")
    services.update_action(action, actor=cast.staff, name="Brazil III (DPU)", end_date=D(2023, 6, 30))
    action.refresh_from_db()
    assert action.name == "Brazil III (DPU)"


def test_end_before_start_is_refused(cast, action):
    with pytest.raises(DomainError, match="end date"):
        services.update_action(action, actor=cast.staff, end_date=D(2020, 1, 1))


def test_objectives_at_three_levels(cast, action):
    services.set_objectives(
        action,
        actor=cast.focal,
        objectives={
            Level.INDIVIDUAL: ["Defenders apply refugee law.", "  ", "14 trainers certified."],
            Level.ORGANISATIONAL: ["ESDPU runs the course yearly."],
        },
    )
    assert list(action.objectives.filter(level="individual").values_list("text", "position")) == [
        ("Defenders apply refugee law.", 1),
        ("14 trainers certified.", 2),
    ]
    assert AuditEvent.objects.for_object(action).filter(verb="action.objectives_changed").exists()


def test_outsider_cannot_set_objectives(cast, action):
    with pytest.raises(PermissionDeniedError):
        services.set_objectives(action, actor=cast.outsider, objectives={Level.INDIVIDUAL: ["x"]})


def test_partners_are_replaced_with_one_lead(cast, action):
    school = Organisation.objects.create(
        name="ESDPU", type=OrganisationType.TRAINING_INSTITUTION, country_id="BR"
    )
    services.set_partners(action, actor=cast.staff, organisations=[cast.org_a, school], lead=school)
    assert set(action.partnerships.values_list("organisation_id", "is_lead")) == {
        (cast.org_a.pk, False),
        (school.pk, True),
    }
    with pytest.raises(DomainError):
        services.set_partners(action, actor=cast.staff, organisations=[])


# --- phases --------------------------------------------------------------------------------


def test_phases_move_forward_one_at_a_time(cast, action):
    services.change_phase(action, actor=cast.staff, to_phase=Phase.DESIGN, on=D(2021, 9, 6), note="TNA done.")
    with pytest.raises(DomainError, match="next phase is implementation"):
        services.change_phase(action, actor=cast.staff, to_phase=Phase.HANDOVER)
    action.refresh_from_db()
    assert action.phase == Phase.DESIGN
    last = action.transitions.order_by("-id").first()
    assert (last.from_phase, last.to_phase, last.on, last.by, last.note) == (
        "assessment",
        "design",
        D(2021, 9, 6),
        cast.staff,
        "TNA done.",
    )


def test_going_back_needs_a_note(cast, action):
    services.change_phase(action, actor=cast.staff, to_phase=Phase.DESIGN)
    with pytest.raises(DomainError) as exc:
        services.change_phase(action, actor=cast.staff, to_phase=Phase.ASSESSMENT)
    assert exc.value.code == "note_required"
    services.change_phase(
        action, actor=cast.staff, to_phase=Phase.ASSESSMENT, note="New director: needs again."
    )
    action.refresh_from_db()
    assert action.phase == Phase.ASSESSMENT
    event = AuditEvent.objects.for_object(action).filter(verb="action.phase_changed").first()
    assert event.data["direction"] == "back"


def test_same_phase_and_dates_before_the_last_change_are_refused(cast, action):
    with pytest.raises(ConflictError):
        services.change_phase(action, actor=cast.staff, to_phase=Phase.ASSESSMENT)
    with pytest.raises(DomainError, match="before the previous phase change"):
        services.change_phase(action, actor=cast.staff, to_phase=Phase.DESIGN, on=D(2020, 1, 1))
    with pytest.raises(DomainError, match="future"):
        services.change_phase(
            action, actor=cast.staff, to_phase=Phase.DESIGN, on=TODAY + datetime.timedelta(days=3)
        )


def walk_to_handover(action: Action, staff: Any) -> None:
    for phase in (Phase.DESIGN, Phase.IMPLEMENTATION, Phase.HANDOVER):
        services.change_phase(action, actor=staff, to_phase=phase)


def test_completing_is_refused_while_activities_are_open(cast, action):
    walk_to_handover(action, cast.staff)
    make_activity(action, "Assessment mission", D(2021, 4, 12), status=ActivityStatus.DONE)
    make_activity(action, "Training of Trainers", D(2022, 7, 4), status=ActivityStatus.ONGOING)
    make_activity(action, "Handover workshop", D(2022, 11, 7))
    make_activity(action, "Replica in Manaus", D(2023, 3, 1))
    make_activity(action, "Cancelled visit", D(2022, 5, 1), status=ActivityStatus.CANCELLED)
    with pytest.raises(ConflictError) as exc:
        services.change_phase(action, actor=cast.staff, to_phase=Phase.COMPLETED)
    assert exc.value.code == "open_activities"
    assert exc.value.message.startswith(
        "3 activities are still open: Training of Trainers (ongoing); Handover workshop (planned); Replica in Manaus (planned)."
    )
    action.refresh_from_db()
    assert action.phase == Phase.HANDOVER


def test_completing_with_every_activity_closed(cast, action):
    walk_to_handover(action, cast.staff)
    make_activity(action, "Training of Trainers", D(2022, 7, 4), status=ActivityStatus.DONE)
    services.change_phase(action, actor=cast.staff, to_phase=Phase.COMPLETED, note="Evaluated.")
    action.refresh_from_db()
    assert action.phase == Phase.COMPLETED
    assert action.end_date == D(2023, 12, 31)  # kept: it was set


def test_one_open_activity_is_named_in_the_singular(cast, action):
    walk_to_handover(action, cast.staff)
    make_activity(action, "Handover workshop", D(2022, 11, 7))
    with pytest.raises(ConflictError, match=r"^1 activity is still open: Handover workshop"):
        services.change_phase(action, actor=cast.staff, to_phase=Phase.COMPLETED)


# --- timeline ------------------------------------------------------------------------------


class A:
    def __init__(self, start: datetime.date, end: datetime.date, type: str = "workshop") -> None:
        self.start_date, self.end_date, self.type = start, end, type

    def get_type_display(self) -> str:
        return self.type


def test_gantt_spans_whole_months_and_places_bars():
    gantt = build_gantt(
        [A(D(2022, 1, 1), D(2022, 1, 31)), A(D(2022, 3, 1), D(2022, 3, 1))], today=D(2022, 2, 1)
    )
    assert gantt is not None
    assert (gantt.start, gantt.end) == (D(2022, 1, 1), D(2022, 3, 31))
    assert [m.date.month for m in gantt.months] == [1, 2, 3]
    assert gantt.bars[0].left == 0 and round(gantt.bars[0].width, 1) == round(100 * 31 / 90, 1)
    assert round(gantt.bars[1].left, 1) == round(100 * 59 / 90, 1)
    assert gantt.today == round(100 * 31 / 90, 3)
    assert [y.year for y in gantt.years] == [2022]
    assert gantt.legend == [("workshop", "workshop")]


def test_gantt_includes_the_action_time_frame_and_hides_a_today_outside_it():
    gantt = build_gantt(
        [A(D(2022, 5, 2), D(2022, 5, 6))], start=D(2021, 11, 15), end=D(2023, 2, 1), today=D(2025, 1, 1)
    )
    assert gantt is not None
    assert gantt.start == D(2021, 11, 1) and gantt.end == D(2023, 2, 28)
    assert [y.year for y in gantt.years] == [2021, 2022, 2023]
    assert gantt.today is None
    assert gantt.month_labels == "short"


def test_long_gantts_use_month_initials_then_years_only():
    assert build_gantt([A(D(2020, 1, 1), D(2022, 6, 30))], today=D(2021, 1, 1)).month_labels == "initial"
    assert build_gantt([A(D(2015, 1, 1), D(2022, 6, 30))], today=D(2021, 1, 1)).month_labels == "none"


def test_no_activities_no_gantt():
    assert build_gantt([], today=TODAY) is None


# --- pages ---------------------------------------------------------------------------------


def test_detail_shows_the_timeline_budget_deliverables_and_mou(cast, world):
    body = cast.client("staff").get(world.action_a.get_absolute_url()).content.decode()
    assert "gantt-bar t-tot" in body
    assert "Training of Trainers" in body
    assert "Experts&#x27; fees" in body
    assert "Training handbook" in body
    assert "DPU and ICMPD" in body
    assert "Change phase" in body


def test_an_expert_sees_the_action_without_budget_or_mou_file(cast, world):
    body = cast.client("trainer").get(world.action_a.get_absolute_url()).content.decode()
    assert "Training of Trainers" in body
    assert 'id="budget"' not in body
    assert "/mou/file/" not in body
    assert "Change phase" not in body


def test_an_expert_sees_only_the_activities_deployed_to(cast, world):
    make_activity(world.action_a, "Focus group without the expert", D(2022, 3, 1))
    staff_body = cast.client("staff").get(world.action_a.get_absolute_url()).content.decode()
    trainer_body = cast.client("trainer").get(world.action_a.get_absolute_url()).content.decode()
    assert "Focus group without the expert" in staff_body
    assert "Focus group without the expert" not in trainer_body


def test_focal_point_co_designs_through_the_page(cast, world):
    url = f"/actions/{world.action_a.pk}/edit/"
    page = cast.client("focal").get(url).content.decode()
    assert 'name="summary"' in page and 'name="name"' not in page
    response = cast.client("focal").post(
        url,
        {
            "summary": "Shaped with the DPU.",
            "objectives_individual": "Defenders apply refugee law.\n14 trainers certified.",
            "objectives_organisational": "",
            "objectives_enabling": "Guidance updated.",
        },
    )
    assert response.status_code == 302
    world.action_a.refresh_from_db()
    assert world.action_a.summary == "Shaped with the DPU."
    assert world.action_a.objectives.count() == 3


def test_staff_edit_through_the_page(cast, world):
    response = cast.client("staff").post(
        f"/actions/{world.action_a.pk}/edit/",
        {
            "name": "Brazil I",
            "type": "holistic",
            "region": "latin_america",
            "countries": ["BR"],
            "thematic_area": theme().pk,
            "start_date": "2022-01-01",
            "end_date": "2024-06-30",
            "summary": "x",
        },
    )
    assert response.status_code == 302
    world.action_a.refresh_from_db()
    assert world.action_a.type == "holistic" and world.action_a.end_date == D(2024, 6, 30)


def test_phase_page_shows_the_refusal(cast, world):
    action = world.action_a
    services.change_phase(action, actor=cast.staff, to_phase=Phase.HANDOVER, on=D(2022, 11, 7))
    make_activity(action, "Replica in Manaus", D(2023, 3, 1))
    response = cast.client("staff").post(
        f"/actions/{action.pk}/phase/", {"to_phase": "completed", "on": TODAY.isoformat(), "note": ""}
    )
    assert response.status_code == 200
    assert "1 activity is still open: Replica in Manaus (planned)" in response.content.decode()


def test_phase_page_moves_forward(cast, world):
    response = cast.client("staff").post(
        f"/actions/{world.action_a.pk}/phase/", {"to_phase": "handover", "on": TODAY.isoformat(), "note": ""}
    )
    assert response.status_code == 302
    world.action_a.refresh_from_db()
    assert world.action_a.phase == "handover"


def test_printable_timeline(cast, world):
    body = cast.client("focal").get(f"/actions/{world.action_a.pk}/timeline/").content.decode()
    assert "gantt-bar" in body and "window.print()" in body
    assert "Activities as a table" in body


def test_partners_page_replaces_partners(cast, world):
    response = cast.client("staff").post(
        f"/actions/{world.action_a.pk}/partners/",
        {"organisations": [cast.org_a.pk, cast.institute.pk], "lead": cast.institute.pk},
    )
    assert response.status_code == 302
    assert world.action_a.partnerships.get(is_lead=True).organisation == cast.institute


# --- list ----------------------------------------------------------------------------------


def test_list_is_scoped(cast, world):
    focal = cast.client("focal").get("/actions/").content.decode()
    assert "Brazil I" in focal and "Costa Rica I" not in focal
    trainer = cast.client("trainer").get("/actions/").content.decode()
    assert "Brazil I" in trainer and "Costa Rica I" not in trainer


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"phase": "implementation"}, "Brazil I", "Georgia I"),
        ({"country": "BR"}, "Brazil I", "Costa Rica I"),
        ({"region": "latin_america"}, "Brazil I", "Georgia I"),
        ({"organisation_name": "DGME"}, "Costa Rica I", "Brazil I"),
        ({"q": "costa"}, "Costa Rica I", "Brazil I"),
        ({"year": "2021"}, "Georgia I", "Brazil I"),
        ({"type": "holistic"}, "Georgia I", "Brazil I"),
        ({"thematic_area": "horizontal"}, "Georgia I", "Brazil I"),
    ],
)
def test_list_filters(cast, world, query, shown, hidden):
    make_action(
        "Georgia I",
        cast.org_b,
        "GE",
        phase="completed",
        type="holistic",
        thematic_area=theme("horizontal"),
        start_date=D(2020, 1, 1),
        end_date=D(2021, 3, 1),
        region="eu_neighbourhood",
    )
    if "thematic_area" in query:
        query = {"thematic_area": theme(query["thematic_area"]).pk}
    body = cast.client("staff").get("/actions/", query).content.decode()
    assert f">{shown}<" in body
    assert f">{hidden}<" not in body


def test_list_filters_by_partner_id(cast, world):
    body = cast.client("staff").get("/actions/", {"partner": cast.org_b.pk}).content.decode()
    assert ">Costa Rica I<" in body and ">Brazil I<" not in body


def test_htmx_gets_only_the_results(cast, world):
    response = cast.client("staff").get("/actions/", {"q": "brazil"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and ">Brazil I<" in body


def _list_queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/actions/").status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_rows(cast, world):
    client = cast.client("staff")
    _list_queries(client)  # warm caches (content types, sessions)
    before = _list_queries(client)
    for n in range(30):
        make_action(f"Synthetic {n}", cast.org_a if n % 2 else cast.org_b, "BR")
    after = _list_queries(client)
    assert after == before
    assert after <= 12


def test_list_query_count_for_a_focal_point_is_constant(cast, world):
    client = cast.client("focal")
    _list_queries(client)
    before = _list_queries(client)
    for n in range(20):
        make_action(f"Synthetic {n}", cast.org_a, "BR")
    assert _list_queries(client) == before
