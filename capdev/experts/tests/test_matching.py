"""Matching: each component's points and explanation, the ranking, exclusions, query count."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capdev.experts import services
from capdev.experts.languages import working_languages
from capdev.experts.matching import date_range, shortlist
from capdev.experts.models import Availability, Deployment, DeploymentStatus, ExpertProfile
from capdev.experts.tests.conftest import D, make_activity, make_expert, new_person


def components(match: Any) -> dict[str, Any]:
    return {c.key: c for c in match.components}


def match_of(result: Any, expert: ExpertProfile) -> Any:
    return next(m for m in result.matches + result.excluded if m.expert_id == expert.pk)


def test_working_language_comes_from_the_country_then_the_course(roster: Any) -> None:
    assert working_languages(roster.activity_a) == ["pt"]
    assert working_languages(roster.activity_b) == ["es"]


def test_each_component_is_scored_and_explained(roster: Any) -> None:
    Availability.objects.create(expert=roster.other, start_date=D(2022, 7, 1), end_date=D(2022, 7, 31))
    result = shortlist(roster.activity_a)
    tina = components(match_of(result, roster.tina))
    assert tina["thematic"].points == 20
    assert tina["specific"].points == 10
    assert "Asylum procedures" in tina["specific"].explanation
    assert tina["language"].points == 20
    assert tina["language"].explanation == "Speaks Portuguese at C1 (+20)"
    assert tina["region"].points == 15
    assert tina["availability"].points == 0  # no window given
    assert tina["feedback"].points == 5
    assert tina["feedback"].explanation == "No feedback yet (+5, neutral)"
    other = components(match_of(result, roster.other))
    assert other["thematic"].points == 0
    assert other["language"].explanation == "Does not speak Portuguese (0)"
    assert other["availability"].points == 15
    assert other["availability"].explanation == "Available 4–8 July 2022 (+15)"


def test_ranking_is_by_score_then_stable(roster: Any) -> None:
    result = shortlist(roster.activity_a)
    scores = [m.score for m in result.matches]
    assert scores == sorted(scores, reverse=True)
    assert result.matches[0].expert_id == roster.tina.pk
    assert result.matches[0].score == 20 + 10 + 20 + 15 + 0 + 5


def test_partial_availability_and_levels_below_b1(roster: Any) -> None:
    weak = make_expert(new_person("Ana", "Weak"), languages=(("pt", "A2"),))
    Availability.objects.create(expert=weak, start_date=D(2022, 7, 6), end_date=D(2022, 7, 20))
    c = components(match_of(shortlist(roster.activity_a), weak))
    assert c["language"].points == 0
    assert "below B1" in c["language"].explanation
    assert c["availability"].points == 5
    assert c["availability"].explanation == "Available only 6–8 July 2022 (+5)"


def test_feedback_average_gives_points(roster: Any) -> None:
    ExpertProfile.objects.filter(pk=roster.other.pk).update(feedback_average=Decimal("4.5"), feedback_count=3)
    c = components(match_of(shortlist(roster.activity_a), roster.other))
    assert c["feedback"].points == 9
    assert c["feedback"].explanation == "Average feedback 4.5/5 from 3 deployment(s) (+9)"


def test_expert_deployed_on_overlapping_dates_is_excluded_with_the_reason(roster: Any) -> None:
    overlapping = make_activity(roster.action_b, "Handbook drafting", D(2022, 7, 5), 3)
    Deployment.objects.create(activity=overlapping, expert=roster.other, status=DeploymentStatus.ACCEPTED)
    result = shortlist(roster.activity_a)
    assert roster.other.pk not in [m.expert_id for m in result.matches]
    excluded = match_of(result, roster.other)
    assert excluded.excluded
    assert components(excluded)["availability"].explanation == (
        "Already deployed 5–7 July 2022 in Costa Rica IV (Handbook drafting) (0, excluded)"
    )
    assert result.excluded_count == 1


def test_cancelled_activities_do_not_exclude(roster: Any) -> None:
    overlapping = make_activity(roster.action_b, "Cancelled", D(2022, 7, 5), 3, status="cancelled")
    Deployment.objects.create(activity=overlapping, expert=roster.other, status=DeploymentStatus.ACCEPTED)
    assert not match_of(shortlist(roster.activity_a), roster.other).excluded


def test_experts_without_consent_or_inactive_are_not_proposed(roster: Any) -> None:
    ExpertProfile.objects.filter(pk=roster.other.pk).update(consent_to_contact=False)
    ids = [m.expert_id for m in shortlist(roster.activity_a).matches]
    assert roster.other.pk not in ids


def test_current_invitation_status_is_shown(roster: Any) -> None:
    assert match_of(shortlist(roster.activity_b), roster.tina).deployment_status == "invited"


@pytest.mark.parametrize("size", [5, 40])
def test_matching_runs_in_a_constant_number_of_queries(roster: Any, size: int) -> None:
    for i in range(size):
        e = make_expert(new_person(f"E{i}", "Roster"), thematic=("protection",), languages=(("pt", "B2"),))
        Availability.objects.create(expert=e, start_date=D(2022, 7, 1), end_date=D(2022, 7, 10))
    activity = (
        type(roster.activity_a)
        .objects.select_related("action", "action__thematic_area", "country", "course_version")
        .get(pk=roster.activity_a.pk)
    )
    with CaptureQueriesContext(connection) as ctx:
        result = shortlist(activity, limit=25)
        [m.expert.person.full_name for m in result.matches]
    assert len(ctx.captured_queries) <= 10, [q["sql"] for q in ctx.captured_queries]


def test_date_ranges_read_naturally() -> None:
    assert date_range(D(2022, 7, 4), D(2022, 7, 8)) == "4–8 July 2022"
    assert date_range(D(2022, 6, 30), D(2022, 7, 2)) == "30 June – 2 July 2022"
    assert date_range(D(2022, 12, 28), D(2023, 1, 3)) == "28 December 2022 – 3 January 2023"
    assert date_range(D(2022, 7, 4), D(2022, 7, 4)) == "4 July 2022"


def test_score_is_recorded_on_invitation(cast: Any, roster: Any) -> None:
    from capdev.experts.matching import score_of

    match = score_of(roster.activity_a, roster.other.pk)
    assert match is not None
    dep = services.invite_expert(roster.activity_a, roster.other, actor=cast.staff, match_score=match.score)
    assert dep.match_score == Decimal(match.score)


def test_feedback_points_in_sql_match_the_python_rule_for_every_storable_average() -> None:
    from capdev.experts.matching import FEEDBACK_THRESHOLDS, _points_for_feedback

    def by_threshold(average: Decimal) -> int:
        return next((p for p, lowest in FEEDBACK_THRESHOLDS if average >= lowest), 0)

    for hundredths in range(100, 501):
        average = Decimal(hundredths) / 100
        assert by_threshold(average) == _points_for_feedback(average, 1), average


@pytest.mark.parametrize("average", ["1.00", "1.20", "1.21", "2.00", "2.79", "2.80", "4.40", "4.79", "5.00"])
def test_feedback_points_ranked_by_the_database_agree_with_the_explanation(roster: Any, average: str) -> None:
    ExpertProfile.objects.filter(pk=roster.other.pk).update(
        feedback_average=Decimal(average), feedback_count=2
    )
    match = match_of(shortlist(roster.activity_a), roster.other)
    assert components(match)["feedback"].points == services_points(Decimal(average))
    assert match.score == sum(c.points for c in match.components)


def services_points(average: Decimal) -> int:
    from capdev.experts.matching import _points_for_feedback

    return _points_for_feedback(average, 1)


def test_every_score_is_the_sum_of_its_explained_components(roster: Any) -> None:
    overlapping = make_activity(roster.action_b, "Handbook drafting", D(2022, 7, 5), 3)
    busy = make_expert(new_person("Bea", "Busy"), thematic=("protection",), languages=(("pt", "native"),))
    Deployment.objects.create(activity=overlapping, expert=busy, status=DeploymentStatus.ACCEPTED)
    both = make_expert(
        new_person("Rui", "Two"),
        thematic=("protection",),
        specific=("asylum_procedures", "reception"),
        regions=("asia", "latin_america"),
        languages=(("pt", "B1"), ("es", "C2")),
    )
    Availability.objects.create(expert=both, start_date=D(2022, 6, 1), end_date=D(2022, 7, 31))
    Availability.objects.create(expert=both, start_date=D(2022, 7, 6), end_date=D(2022, 7, 7))
    result = shortlist(roster.activity_a)
    for match in result.matches + result.excluded:
        assert match.score == sum(c.points for c in match.components), match.expert_id
    assert match_of(result, busy).score == 20 + 0 + 25 + 0 + 0 + 5
    assert result.considered == 4 and result.excluded_count == 1


def test_equal_scores_are_ordered_by_profile_id(roster: Any) -> None:
    twins = [make_expert(new_person(f"Twin{i}", "Same"), languages=(("pt", "B2"),)) for i in range(3)]
    result = shortlist(roster.activity_a)
    tied = [m.expert_id for m in result.matches if m.expert_id in {t.pk for t in twins}]
    assert tied == sorted(t.pk for t in twins)


def test_shortlist_limits_and_counts(roster: Any) -> None:
    for i in range(4):
        make_expert(new_person(f"X{i}", "Extra"))
    result = shortlist(roster.activity_a, limit=3, excluded_limit=0)
    assert len(result.matches) == 3 and result.considered == 6 and result.excluded == []
