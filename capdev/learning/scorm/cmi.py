"""The CMI data a SCO commits through scorm-again, checked element by element.

The player sends every commit as flattened JSON (`{"cmi.core.lesson_status": "passed", ...}`).
A commit is accepted only when every key is a known element of the package's SCORM version
and every value has that element's type: vocabularies (statuses, exit), scores (SCORM 1.2:
0–100; SCORM 2004: scaled −1…1, raw/min/max any real number), time intervals (1.2
`HHHH:MM:SS.SS`, 2004 ISO 8601 `P…T…H…M…S`), lengths (suspend data: 4,096 characters in 1.2,
64,000 in 2004; location: 255 / 1,000) and collection indexes (0–999). Anything else refuses the
whole commit with an error naming the element, so that nothing half-valid is stored.

Elements the LMS owns (learner id and name, credit, entry, mode, total time, launch data, pass
mark...) are accepted but ignored: capdev computes them itself. Objectives, interactions,
comments and preferences are kept in `ScormAttempt.cmi` so that a resumed SCO finds them again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from capdev.core.errors import DomainError

MAX_INDEX = 999
MAX_KEYS = 20_000
UNSET: Any = object()

STATUS_12 = {"passed", "completed", "failed", "incomplete", "browsed", "not attempted"}
EXIT_12 = {"time-out", "suspend", "logout", ""}
COMPLETION_2004 = {"completed", "incomplete", "not attempted", "unknown"}
SUCCESS_2004 = {"passed", "failed", "unknown"}
EXIT_2004 = {"time-out", "suspend", "logout", "normal", ""}
INTERACTION_TYPES_12 = {
    "true-false",
    "choice",
    "fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
}
INTERACTION_TYPES_2004 = INTERACTION_TYPES_12 | {"long-fill-in", "other"}
RESULTS_12 = {"correct", "wrong", "unanticipated", "neutral"}
RESULTS_2004 = {"correct", "incorrect", "unanticipated", "neutral"}

TIMESPAN_12 = re.compile(r"^(\d{2,4}):([0-5]\d):([0-5]\d(?:\.\d{1,2})?)$")
TIME_12 = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$")
DURATION_2004 = re.compile(
    r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,2})?)S)?)?$"
)
TIMESTAMP_2004 = re.compile(
    r"^\d{4}(-\d{2}(-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d{1,2})?)?)?(Z|[+-]\d{2}(:\d{2})?)?)?)?)?$"
)


class CmiError(DomainError):
    """A commit refused because of one element."""

    def __init__(self, element: str, message: str) -> None:
        super().__init__(
            _("%(element)s: %(message)s") % {"element": element[:120], "message": message},
            field=element[:120],
            code="cmi",
        )


# --- time intervals ----------------------------------------------------------------------------

SECONDS_PER = {"Y": Decimal(31_557_600), "M": Decimal(2_629_800), "D": Decimal(86_400)}


def parse_timespan_12(value: str) -> Decimal:
    match = TIMESPAN_12.match(value)
    if not match:
        raise ValueError(value)
    hours, minutes, seconds = match.groups()
    return Decimal(hours) * 3600 + Decimal(minutes) * 60 + Decimal(seconds)


def parse_duration_2004(value: str) -> Decimal:
    match = DURATION_2004.match(value)
    if not match or value in ("P", "PT") or value.endswith("T"):
        raise ValueError(value)
    years, months, days, hours, minutes, seconds = (Decimal(g) if g else Decimal(0) for g in match.groups())
    return (
        years * SECONDS_PER["Y"]
        + months * SECONDS_PER["M"]
        + days * SECONDS_PER["D"]
        + hours * 3600
        + minutes * 60
        + seconds
    )


def format_timespan_12(seconds: Decimal) -> str:
    """HHHH:MM:SS.SS, as SCORM 1.2's cmi.core.total_time (hours capped at 9999)."""
    seconds = max(Decimal(0), seconds)
    hours = min(int(seconds // 3600), 9999)
    rest = seconds - Decimal(hours) * 3600 if hours < 9999 else Decimal(0)
    minutes = int(rest // 60)
    secs = (rest - minutes * 60).quantize(Decimal("0.01"))
    return f"{hours:04d}:{minutes:02d}:{secs:05.2f}"


def format_duration_2004(seconds: Decimal) -> str:
    """PTnHnMnS, as SCORM 2004's cmi.total_time."""
    seconds = max(Decimal(0), seconds)
    hours = int(seconds // 3600)
    minutes = int((seconds - hours * 3600) // 60)
    secs = (seconds - hours * 3600 - minutes * 60).quantize(Decimal("0.01")).normalize()
    return f"PT{hours}H{minutes}M{secs:f}S"


# --- value checks --------------------------------------------------------------------------------

Check = Callable[[str, str], Any]


def text(limit: int) -> Check:
    def check(element: str, value: str) -> str:
        if len(value) > limit:
            raise CmiError(element, _("longer than %(n)s characters.") % {"n": limit})
        return value

    return check


def vocabulary(allowed: set[str]) -> Check:
    def check(element: str, value: str) -> str:
        if value not in allowed:
            raise CmiError(
                element,
                _("“%(value)s” is not one of %(allowed)s.")
                % {"value": value[:40], "allowed": ", ".join(sorted(a or '""' for a in allowed))},
            )
        return value

    return check


def number(low: Decimal | None = None, high: Decimal | None = None, *, integer: bool = False) -> Check:
    def check(element: str, value: str) -> Decimal | None:
        if value == "":
            return None
        try:
            result = Decimal(value)
        except (InvalidOperation, ValueError) as exc:
            raise CmiError(element, _("“%(value)s” is not a number.") % {"value": value[:40]}) from exc
        if not result.is_finite() or abs(result) >= Decimal("1e10"):
            raise CmiError(element, _("“%(value)s” is not a valid number.") % {"value": value[:40]})
        if integer and result != result.to_integral_value():
            raise CmiError(element, _("“%(value)s” is not a whole number.") % {"value": value[:40]})
        if (low is not None and result < low) or (high is not None and result > high):
            raise CmiError(
                element,
                _("%(value)s is outside %(low)s to %(high)s.")
                % {
                    "value": value[:40],
                    "low": low if low is not None else "−∞",
                    "high": high if high is not None else "∞",
                },
            )
        return result

    return check


def pattern(regex: re.Pattern[str], what: str) -> Check:
    """A check that `value` matches `regex`; `what` ("time" or "timestamp") picks the message, a
    whole sentence per kind of value (no English word is passed into a translated sentence)."""

    def check(element: str, value: str) -> str:
        if value and not regex.match(value):
            messages = {
                "time": _("“%(value)s” is not a valid time: write it as HH:MM:SS."),
                "timestamp": _("“%(value)s” is not a valid timestamp: write it as YYYY-MM-DDThh:mm:ss."),
            }
            raise CmiError(element, messages[what] % {"value": value[:40]})
        return value

    return check


def timespan_12(element: str, value: str) -> Decimal | None:
    if value == "":
        return None
    try:
        return parse_timespan_12(value)
    except ValueError as exc:
        raise CmiError(
            element, _("“%(value)s” is not a time span HH:MM:SS.") % {"value": value[:40]}
        ) from exc


def duration_2004(element: str, value: str) -> Decimal | None:
    if value == "":
        return None
    try:
        return parse_duration_2004(value)
    except ValueError as exc:
        raise CmiError(
            element, _("“%(value)s” is not an ISO 8601 duration such as PT1H30M5S.") % {"value": value[:40]}
        ) from exc


def result_value(words: set[str]) -> Check:
    def check(element: str, value: str) -> str:
        if value in words or value == "":
            return value
        number()(element, value)
        return value

    return check


def ignored(element: str, value: str) -> None:
    return None


# --- element tables -------------------------------------------------------------------------------
# (pattern, check, where): where is "field:<name>" (a column of ScormAttempt), "keep" (kept in
# ScormAttempt.cmi for resuming) or "ignore" (owned by the LMS).

N = r"(\d{1,9})"
Rule = tuple[re.Pattern[str], Check, str]


def _rules(rows: list[tuple[str, Check, str]]) -> list[Rule]:
    return [(re.compile(f"^{regex}$"), check, where) for regex, check, where in rows]


SCORE_12 = number(Decimal(0), Decimal(100))
RULES_12 = _rules(
    [
        (r"cmi\.core\.lesson_status", vocabulary(STATUS_12), "field:lesson_status"),
        (r"cmi\.core\.lesson_location", text(255), "field:location"),
        (r"cmi\.core\.exit", vocabulary(EXIT_12), "field:exit"),
        (r"cmi\.core\.session_time", timespan_12, "field:session_time"),
        (r"cmi\.core\.score\.raw", SCORE_12, "field:score_raw"),
        (r"cmi\.core\.score\.min", SCORE_12, "field:score_min"),
        (r"cmi\.core\.score\.max", SCORE_12, "field:score_max"),
        (r"cmi\.suspend_data", text(4096), "field:suspend_data"),
        (r"cmi\.comments", text(4096), "keep"),
        (rf"cmi\.objectives\.{N}\.id", text(255), "keep"),
        (rf"cmi\.objectives\.{N}\.status", vocabulary(STATUS_12 | {""}), "keep"),
        (rf"cmi\.objectives\.{N}\.score\.(raw|min|max)", SCORE_12, "keep"),
        (r"cmi\.student_preference\.audio", number(Decimal(-1), Decimal(100), integer=True), "keep"),
        (r"cmi\.student_preference\.language", text(255), "keep"),
        (r"cmi\.student_preference\.speed", number(Decimal(-100), Decimal(100), integer=True), "keep"),
        (r"cmi\.student_preference\.text", number(Decimal(-1), Decimal(1), integer=True), "keep"),
        (rf"cmi\.interactions\.{N}\.id", text(255), "keep"),
        (rf"cmi\.interactions\.{N}\.time", pattern(TIME_12, "time"), "keep"),
        (rf"cmi\.interactions\.{N}\.type", vocabulary(INTERACTION_TYPES_12 | {""}), "keep"),
        (rf"cmi\.interactions\.{N}\.weighting", number(), "keep"),
        (rf"cmi\.interactions\.{N}\.student_response", text(4096), "keep"),
        (rf"cmi\.interactions\.{N}\.result", result_value(RESULTS_12), "keep"),
        (rf"cmi\.interactions\.{N}\.latency", timespan_12, "keep"),
        (rf"cmi\.interactions\.{N}\.objectives\.{N}\.id", text(255), "keep"),
        (rf"cmi\.interactions\.{N}\.correct_responses\.{N}\.pattern", text(4096), "keep"),
        (r"cmi\.core\.(student_id|student_name|credit|entry|lesson_mode|total_time)", ignored, "ignore"),
        (r"cmi\.(launch_data|comments_from_lms)", ignored, "ignore"),
        (r"cmi\.student_data\.(mastery_score|max_time_allowed|time_limit_action)", ignored, "ignore"),
    ]
)
COLLECTIONS_12 = re.compile(
    rf"^cmi\.(interactions|objectives|interactions\.{N}\.(objectives|correct_responses))$"
)

SCORE_2004 = number()
RULES_2004 = _rules(
    [
        (r"cmi\.completion_status", vocabulary(COMPLETION_2004), "field:completion_status"),
        (r"cmi\.success_status", vocabulary(SUCCESS_2004), "field:success_status"),
        (r"cmi\.exit", vocabulary(EXIT_2004), "field:exit"),
        (r"cmi\.session_time", duration_2004, "field:session_time"),
        (r"cmi\.location", text(1000), "field:location"),
        (r"cmi\.suspend_data", text(64000), "field:suspend_data"),
        (r"cmi\.progress_measure", number(Decimal(0), Decimal(1)), "field:progress_measure"),
        (r"cmi\.score\.scaled", number(Decimal(-1), Decimal(1)), "field:score_scaled"),
        (r"cmi\.score\.raw", SCORE_2004, "field:score_raw"),
        (r"cmi\.score\.min", SCORE_2004, "field:score_min"),
        (r"cmi\.score\.max", SCORE_2004, "field:score_max"),
        (r"cmi\.learner_preference\.audio_level", number(Decimal(0)), "keep"),
        (r"cmi\.learner_preference\.language", text(250), "keep"),
        (r"cmi\.learner_preference\.delivery_speed", number(Decimal(0)), "keep"),
        (r"cmi\.learner_preference\.audio_captioning", vocabulary({"-1", "0", "1"}), "keep"),
        (rf"cmi\.comments_from_learner\.{N}\.comment", text(4000), "keep"),
        (rf"cmi\.comments_from_learner\.{N}\.location", text(250), "keep"),
        (rf"cmi\.comments_from_learner\.{N}\.timestamp", pattern(TIMESTAMP_2004, "timestamp"), "keep"),
        (rf"cmi\.objectives\.{N}\.id", text(4000), "keep"),
        (rf"cmi\.objectives\.{N}\.success_status", vocabulary(SUCCESS_2004), "keep"),
        (rf"cmi\.objectives\.{N}\.completion_status", vocabulary(COMPLETION_2004), "keep"),
        (rf"cmi\.objectives\.{N}\.progress_measure", number(Decimal(0), Decimal(1)), "keep"),
        (rf"cmi\.objectives\.{N}\.description", text(250), "keep"),
        (rf"cmi\.objectives\.{N}\.score\.scaled", number(Decimal(-1), Decimal(1)), "keep"),
        (rf"cmi\.objectives\.{N}\.score\.(raw|min|max)", SCORE_2004, "keep"),
        (rf"cmi\.interactions\.{N}\.id", text(4000), "keep"),
        (rf"cmi\.interactions\.{N}\.type", vocabulary(INTERACTION_TYPES_2004 | {""}), "keep"),
        (rf"cmi\.interactions\.{N}\.timestamp", pattern(TIMESTAMP_2004, "timestamp"), "keep"),
        (rf"cmi\.interactions\.{N}\.weighting", number(), "keep"),
        (rf"cmi\.interactions\.{N}\.learner_response", text(4000), "keep"),
        (rf"cmi\.interactions\.{N}\.result", result_value(RESULTS_2004), "keep"),
        (rf"cmi\.interactions\.{N}\.latency", duration_2004, "keep"),
        (rf"cmi\.interactions\.{N}\.description", text(250), "keep"),
        (rf"cmi\.interactions\.{N}\.objectives\.{N}\.id", text(4000), "keep"),
        (rf"cmi\.interactions\.{N}\.correct_responses\.{N}\.pattern", text(4000), "keep"),
        (
            r"cmi\.(completion_threshold|credit|entry|launch_data|learner_id|learner_name|max_time_allowed|mode"
            r"|scaled_passing_score|time_limit_action|total_time|_version)",
            ignored,
            "ignore",
        ),
        (rf"cmi\.comments_from_lms\.{N}\.(comment|location|timestamp)", ignored, "ignore"),
        (r"adl\.nav\.request", ignored, "ignore"),
        (rf"adl\.data\.{N}\.(id|store)", ignored, "ignore"),
    ]
)
COLLECTIONS_2004 = re.compile(
    rf"^(cmi\.(comments_from_learner|comments_from_lms|interactions|objectives"
    rf"|interactions\.{N}\.(objectives|correct_responses))|adl\.data)$"
)


@dataclass
class Commit:
    """A checked commit: the attempt's columns that it sets, and the elements kept for resuming."""

    fields: dict[str, Any] = field(default_factory=dict)
    keep: dict[str, str] = field(default_factory=dict)


def validate(version: str, data: Any) -> Commit:
    """Check a flattened CMI commit of a SCORM `version` ("1.2" or "2004")."""
    if not isinstance(data, dict):
        raise DomainError(_("The commit must be a JSON object of CMI elements."), code="cmi")
    if len(data) > MAX_KEYS:
        raise DomainError(_("The commit holds too many elements."), code="cmi")
    rules, collections = (RULES_12, COLLECTIONS_12) if version == "1.2" else (RULES_2004, COLLECTIONS_2004)
    commit = Commit()
    for element, value in data.items():
        if not isinstance(element, str):
            raise DomainError(_("The commit must be a JSON object of CMI elements."), code="cmi")
        if isinstance(value, dict) and collections.match(element):
            if value:
                raise CmiError(element, _("a collection must be sent as one element per value."))
            continue  # an empty collection, as scorm-again renders one
        for regex, check, where in rules:
            match = regex.match(element)
            if match is None:
                continue
            if any(int(index) > MAX_INDEX for index in match.groups() if index and index.isdigit()):
                raise CmiError(element, _("the index is larger than %(n)s.") % {"n": MAX_INDEX})
            if not isinstance(value, str):
                raise CmiError(element, _("the value must be a string."))
            checked = check(element, value)
            if where.startswith("field:"):
                commit.fields[where.removeprefix("field:")] = checked
            elif where == "keep" and value != "":
                commit.keep[element] = value
            break
        else:
            raise CmiError(element, _("not a CMI element of SCORM %(version)s.") % {"version": version})
    return commit


# --- what the LMS decides -----------------------------------------------------------------------


def derive_12(lesson_status: str) -> tuple[str, str]:
    """SCORM 1.2's lesson status as SCORM 2004's completion and success statuses."""
    if lesson_status == "passed":
        return "completed", "passed"
    if lesson_status == "failed":
        return "completed", "failed"
    if lesson_status in ("completed", "incomplete", "browsed"):
        return ("completed" if lesson_status == "completed" else "incomplete"), "unknown"
    return "not attempted", "unknown"


def counts_as_done(completion: str, success: str, has_pass_mark: bool) -> bool:
    """A SCO counts toward the online part when passed, or — without a pass mark — completed and
    not failed. Failing never counts."""
    if success == "passed":
        return True
    if success == "failed" or has_pass_mark:
        return False
    return completion == "completed"
