"""Commits of CMI data are checked element by element before anything is stored."""

from __future__ import annotations

from decimal import Decimal

import pytest

from capdev.learning.scorm import cmi
from capdev.learning.scorm.cmi import CmiError

# What scorm-again 3.4 sends for SCORM 1.2 (flattened, full commit, at termination).
FULL_12 = {
    "cmi.suspend_data": "viewed=1,2,3",
    "cmi.launch_data": "hello",
    "cmi.comments": "",
    "cmi.comments_from_lms": "",
    "cmi.core.student_id": "42",
    "cmi.core.student_name": "Santos, Paula",
    "cmi.core.lesson_location": "3",
    "cmi.core.credit": "credit",
    "cmi.core.lesson_status": "passed",
    "cmi.core.entry": "",
    "cmi.core.lesson_mode": "normal",
    "cmi.core.exit": "suspend",
    "cmi.core.session_time": "00:01:30",
    "cmi.core.score.raw": "85",
    "cmi.core.score.min": "",
    "cmi.core.score.max": "100",
    "cmi.core.total_time": "0001:02:03.50",
    "cmi.objectives.0.id": "o1",
    "cmi.objectives.0.status": "passed",
    "cmi.objectives.0.score.raw": "",
    "cmi.objectives.0.score.min": "",
    "cmi.objectives.0.score.max": "100",
    "cmi.student_data.mastery_score": "80",
    "cmi.student_data.max_time_allowed": "",
    "cmi.student_data.time_limit_action": "",
    "cmi.student_preference.audio": "",
    "cmi.student_preference.language": "",
    "cmi.student_preference.speed": "",
    "cmi.student_preference.text": "",
    "cmi.interactions.0.id": "q1",
    "cmi.interactions.0.time": "10:02:03",
    "cmi.interactions.0.type": "choice",
    "cmi.interactions.0.weighting": "1",
    "cmi.interactions.0.student_response": "b",
    "cmi.interactions.0.result": "wrong",
    "cmi.interactions.0.latency": "00:00:12",
    "cmi.interactions.0.objectives": {},
    "cmi.interactions.0.correct_responses": {},
}

FULL_2004 = {
    "cmi.comments_from_learner": {},
    "cmi.comments_from_lms": {},
    "cmi.completion_status": "completed",
    "cmi.completion_threshold": "",
    "cmi.credit": "credit",
    "cmi.entry": "",
    "cmi.exit": "suspend",
    "cmi.interactions.0.id": "q1",
    "cmi.interactions.0.type": "choice",
    "cmi.interactions.0.objectives": {},
    "cmi.interactions.0.timestamp": "2026-12-01T10:00:00",
    "cmi.interactions.0.weighting": "",
    "cmi.interactions.0.learner_response": "a[,]b",
    "cmi.interactions.0.result": "0.5",
    "cmi.interactions.0.latency": "PT12S",
    "cmi.interactions.0.description": "",
    "cmi.interactions.0.correct_responses": {},
    "cmi.launch_data": "",
    "cmi.learner_id": "42",
    "cmi.learner_name": "Santos, Paula",
    "cmi.learner_preference.audio_level": "1",
    "cmi.learner_preference.language": "",
    "cmi.learner_preference.delivery_speed": "1",
    "cmi.learner_preference.audio_captioning": "0",
    "cmi.location": "14",
    "cmi.max_time_allowed": "",
    "cmi.mode": "normal",
    "cmi.objectives": {},
    "cmi.progress_measure": "1",
    "cmi.scaled_passing_score": "",
    "cmi.score.scaled": "0.8",
    "cmi.score.raw": "80",
    "cmi.score.min": "0",
    "cmi.score.max": "100",
    "cmi.session_time": "PT1H2M3.5S",
    "cmi.success_status": "passed",
    "cmi.suspend_data": "",
    "cmi.time_limit_action": "continue,no message",
    "cmi.total_time": "PT1H2M3.5S",
}


def test_a_full_scorm_12_commit_is_accepted_and_sorted():
    commit = cmi.validate("1.2", FULL_12)
    assert commit.fields == {
        "suspend_data": "viewed=1,2,3",
        "location": "3",
        "lesson_status": "passed",
        "exit": "suspend",
        "session_time": Decimal(90),
        "score_raw": Decimal(85),
        "score_min": None,
        "score_max": Decimal(100),
    }
    # Objectives and interactions are kept for resuming; empty values and LMS elements are not.
    assert commit.keep == {
        "cmi.objectives.0.id": "o1",
        "cmi.objectives.0.status": "passed",
        "cmi.objectives.0.score.max": "100",
        "cmi.interactions.0.id": "q1",
        "cmi.interactions.0.time": "10:02:03",
        "cmi.interactions.0.type": "choice",
        "cmi.interactions.0.weighting": "1",
        "cmi.interactions.0.student_response": "b",
        "cmi.interactions.0.result": "wrong",
        "cmi.interactions.0.latency": "00:00:12",
    }


def test_a_full_scorm_2004_commit_is_accepted():
    commit = cmi.validate("2004", FULL_2004)
    assert commit.fields["completion_status"] == "completed"
    assert commit.fields["success_status"] == "passed"
    assert commit.fields["score_scaled"] == Decimal("0.8")
    assert commit.fields["session_time"] == Decimal("3723.5")
    assert commit.fields["progress_measure"] == Decimal(1)
    assert commit.keep["cmi.interactions.0.learner_response"] == "a[,]b"
    assert "cmi.learner_id" not in commit.keep and "cmi.total_time" not in commit.keep


@pytest.mark.parametrize(
    ("version", "element", "value", "words"),
    [
        ("1.2", "cmi.core.lesson_status", "finished", "is not one of"),
        ("1.2", "cmi.core.exit", "normal", "is not one of"),  # 2004 only
        ("1.2", "cmi.core.score.raw", "101", "outside 0 to 100"),
        ("1.2", "cmi.core.score.raw", "-1", "outside 0 to 100"),
        ("1.2", "cmi.core.score.raw", "eighty", "not a number"),
        ("1.2", "cmi.core.score.raw", "NaN", "not a valid number"),
        ("1.2", "cmi.core.session_time", "PT1M", "not a time span"),
        ("1.2", "cmi.core.session_time", "1:2:3", "not a time span"),
        ("1.2", "cmi.core.session_time", "00:61:00", "not a time span"),
        ("1.2", "cmi.suspend_data", "x" * 4097, "longer than 4096"),
        ("1.2", "cmi.core.lesson_location", "x" * 256, "longer than 255"),
        ("1.2", "cmi.interactions.0.type", "essay", "is not one of"),
        ("1.2", "cmi.interactions.1000.id", "q", "index is larger than 999"),
        ("1.2", "cmi.completion_status", "completed", "not a CMI element of SCORM 1.2"),
        ("1.2", "cmi.core.lesson_status", 1, "must be a string"),
        ("1.2", "cmi.core.evil", "x", "not a CMI element"),
        ("2004", "cmi.completion_status", "passed", "is not one of"),
        ("2004", "cmi.success_status", "completed", "is not one of"),
        ("2004", "cmi.score.scaled", "1.5", "outside -1 to 1"),
        ("2004", "cmi.score.scaled", "-1.01", "outside -1 to 1"),
        ("2004", "cmi.progress_measure", "2", "outside 0 to 1"),
        ("2004", "cmi.session_time", "00:01:30", "ISO 8601 duration"),
        ("2004", "cmi.session_time", "PT", "ISO 8601 duration"),
        ("2004", "cmi.session_time", "P1H", "ISO 8601 duration"),
        ("2004", "cmi.suspend_data", "x" * 64001, "longer than 64000"),
        ("2004", "cmi.location", "x" * 1001, "longer than 1000"),
        ("2004", "cmi.interactions.0.timestamp", "yesterday", "not a valid timestamp"),
        ("2004", "cmi.interactions.0.result", "wrong", "not a number"),
        ("2004", "cmi.core.lesson_status", "passed", "not a CMI element of SCORM 2004"),
        ("2004", "cmi.learner_preference.audio_captioning", "2", "is not one of"),
        ("2004", "cmi.objectives.0.score.scaled", "3", "outside -1 to 1"),
    ],
)
def test_a_commit_with_one_bad_element_is_refused_naming_it(version, element, value, words):
    with pytest.raises(CmiError) as info:
        cmi.validate(
            version,
            {"cmi.location" if version == "2004" else "cmi.core.lesson_location": "1", element: value},
        )
    assert info.value.field == element[:120]
    assert info.value.message.startswith(element[:120])
    assert words in info.value.message


@pytest.mark.parametrize("payload", [[], "cmi.core.lesson_status=passed", None, 42])
def test_a_commit_must_be_an_object(payload):
    with pytest.raises(Exception, match="JSON object of CMI elements"):
        cmi.validate("1.2", payload)


def test_only_empty_collections_may_be_objects():
    assert cmi.validate("1.2", {"cmi.interactions": {}}).fields == {}
    with pytest.raises(CmiError, match="one element per value"):
        cmi.validate("1.2", {"cmi.interactions.0.objectives": {"0": {"id": "x"}}})
    with pytest.raises(CmiError, match="must be a string"):
        cmi.validate("1.2", {"cmi.core.lesson_location": {}})


def test_lms_elements_are_accepted_but_ignored():
    commit = cmi.validate("1.2", {"cmi.core.student_id": "someone-else", "cmi.core.total_time": "9999:00:00"})
    assert commit.fields == {} and commit.keep == {}


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("00:00:00", 0), ("01:02:03.5", Decimal("3723.5")), ("0100:00:00.25", Decimal("360000.25"))],
)
def test_scorm_12_time_spans(value, seconds):
    assert cmi.parse_timespan_12(value) == seconds


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("PT0S", 0), ("PT1H30M", 5400), ("P1DT0.5S", Decimal("86400.5")), ("P1M", 2_629_800), ("PT0H0M0S", 0)],
)
def test_scorm_2004_durations(value, seconds):
    assert cmi.parse_duration_2004(value) == seconds


def test_total_time_is_written_back_in_each_format():
    assert cmi.format_timespan_12(Decimal("3723.5")) == "0001:02:03.50"
    assert cmi.format_duration_2004(Decimal("3723.5")) == "PT1H2M3.5S"
    assert cmi.format_duration_2004(Decimal(0)) == "PT0H0M0S"


@pytest.mark.parametrize(
    ("completion", "success", "pass_mark", "done"),
    [
        ("completed", "unknown", False, True),
        ("completed", "failed", False, False),
        ("completed", "unknown", True, False),
        ("completed", "passed", True, True),
        ("incomplete", "passed", False, True),
        ("incomplete", "unknown", False, False),
        ("not attempted", "unknown", False, False),
    ],
)
def test_what_counts_as_done(completion, success, pass_mark, done):
    assert cmi.counts_as_done(completion, success, pass_mark) is done


def test_scorm_12_status_as_completion_and_success():
    assert cmi.derive_12("passed") == ("completed", "passed")
    assert cmi.derive_12("failed") == ("completed", "failed")
    assert cmi.derive_12("completed") == ("completed", "unknown")
    assert cmi.derive_12("browsed") == ("incomplete", "unknown")
    assert cmi.derive_12("not attempted") == ("not attempted", "unknown")
