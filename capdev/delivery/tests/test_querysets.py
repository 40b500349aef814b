"""Who sees which sessions and attendance marks (404 outside these)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from capdev.cohorts.models import Enrolment
from capdev.cohorts.testing import enrol
from capdev.delivery import services
from capdev.delivery.models import Attendance, Session
from capdev.delivery.tests.conftest import add_participants, add_session, days, move_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def marks(cast: Any, run: Any, world: Any) -> dict[str, Any]:
    run_b = move_run(world.run_b, days(-2), days(2))
    Enrolment.objects.filter(run__in=[run, run_b]).update(online_completed_at=timezone.now())
    (stranger,) = add_participants(run, 1, prefix="Other", org=cast.org_b)  # org B's person in run A
    # The cast's trainer takes run B as a participant.
    as_participant = enrol(run_b, cast.trainer.person, online_completed_at=timezone.now())
    s_a = add_session(run, cast.staff, days(0))
    s_b = add_session(run_b, cast.staff, days(0), timezone="America/Costa_Rica")
    services.mark_attendance(s_a, {world.enrolment.pk: "present", stranger.pk: "absent"}, actor=cast.staff)
    services.mark_attendance(
        s_b, {world.enrolment_b.pk: "present", as_participant.pk: "late"}, actor=cast.staff
    )
    return {
        "paula": world.enrolment.pk,
        "stranger": stranger.pk,
        "diego": world.enrolment_b.pk,
        "tina": as_participant.pk,
        "s_a": s_a,
        "s_b": s_b,
    }


def seen(user: Any) -> set[int]:
    return set(Attendance.objects.visible_to(user).values_list("enrolment_id", flat=True))


def test_marks_follow_the_enrolments_one_sees(cast: Any, marks: dict[str, Any]) -> None:
    assert seen(cast.staff) == {marks["paula"], marks["stranger"], marks["diego"], marks["tina"]}
    assert seen(cast.trainer) == {
        marks["paula"],
        marks["stranger"],
        marks["tina"],
    }  # run A's class, and their own
    assert seen(cast.focal) == {marks["paula"]}  # org A's people only
    assert seen(cast.outsider) == {marks["stranger"], marks["diego"]}  # org B's people, wherever they are
    assert seen(cast.participant) == {marks["paula"]}
    assert seen(cast.steering) == set()
    assert Attendance.objects.visible_to(None).count() == 0


def test_sessions_follow_the_runs_one_sees(cast: Any, marks: dict[str, Any]) -> None:
    s_a, s_b = marks["s_a"].pk, marks["s_b"].pk
    assert set(Session.objects.visible_to(cast.steering).values_list("pk", flat=True)) == {s_a, s_b}
    assert set(Session.objects.visible_to(cast.focal).values_list("pk", flat=True)) == {s_a}
    assert set(Session.objects.visible_to(cast.participant).values_list("pk", flat=True)) == {s_a}
    assert set(Session.objects.visible_to(cast.trainer).values_list("pk", flat=True)) == {s_a, s_b}
