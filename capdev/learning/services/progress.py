"""Participants' progress through the online part: lessons opened and done, SCORM launches and
commits, and the figures written on the enrolment.

The online part of a run is every lesson and every SCORM package of the modules of its course
version that belong to an online self-paced part. An item is done when the participant marked
the lesson done, or when every SCO of the package counts (passed; or, without a pass mark,
completed and not failed). `refresh_online_progress`, run after every lesson marked done and
every SCORM commit, writes `Enrolment.online_progress` (the share of items done, 0–100, rounded
down so that 100 means everything), `online_started_at` (the first lesson opened or SCO
launched) and `online_completed_at` (when the last item is done; recorded in the audit trail as
"completed the online part"). A version without online
content leaves the progress at 0 and never completes: the gate does not apply to it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from capdev.cohorts.models import Enrolment
from capdev.core import audit, personal_data
from capdev.core.errors import ConflictError, DomainError, PermissionDeniedError
from capdev.core.permissions import can
from capdev.learning.models import LessonProgress, OnlineLesson, ScormAttempt, ScormPackage
from capdev.learning.scorm import cmi

MAX_SELF_TIMED_SESSION = Decimal(12 * 3600)


# --- reading the online part ---------------------------------------------------------------------


@dataclass
class OnlineContent:
    """The lessons and packages of a version's online self-paced part(s), in module order."""

    lessons: list[OnlineLesson] = field(default_factory=list)
    packages: list[ScormPackage] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return len(self.lessons) + len(self.packages)


def online_content(version_id: int) -> OnlineContent:
    """Two queries, whatever the size of the version."""
    lessons = list(
        OnlineLesson.objects.filter(module__version_id=version_id)
        .online()
        .select_related("module")
        .order_by("module__position", "position", "pk")
    )
    packages = list(
        ScormPackage.objects.filter(module__version_id=version_id)
        .online()
        .select_related("module")
        .order_by("module__position", "pk")
    )
    return OnlineContent(lessons, packages)


def has_online_content(version_id: int) -> bool:
    """Whether a version's online self-paced part has anything to take (a lesson or a package).
    Without any, progress stays at 0 and the gate to the next part does not apply: apps that
    enforce the gate (attendance) should check this first. Two EXISTS queries."""
    return (
        OnlineLesson.objects.filter(module__version_id=version_id).online().exists()
        or ScormPackage.objects.filter(module__version_id=version_id).online().exists()
    )


def package_done(package: ScormPackage, done_scos: set[str]) -> bool:
    ids = {s["id"] for s in package.scos or []}
    return bool(ids) and ids <= done_scos


def _require_take(actor: Any, enrolment: Enrolment) -> None:
    if actor is not None and not can(actor, "learning.take", enrolment):
        raise PermissionDeniedError(_("Only the participant can record progress in their own online course."))
    if not enrolment.is_active:
        raise ConflictError(_("This enrolment was withdrawn: progress can no longer be recorded."))


# --- the figures on the enrolment ----------------------------------------------------------------


@transaction.atomic
def refresh_online_progress(enrolment: Enrolment, *, actor: Any = None) -> Enrolment:
    """Recompute and store the enrolment's online progress figures (a constant number of
    queries). Records "completed the online part" the first time every item is done."""
    enrolment = Enrolment.objects.select_for_update().select_related("run").get(pk=enrolment.pk)
    content = online_content(enrolment.run.course_version_id)
    lesson_ids = {x.pk for x in content.lessons}
    package_ids = {p.pk for p in content.packages}
    progress = list(
        LessonProgress.objects.filter(enrolment=enrolment, lesson_id__in=lesson_ids)
        .order_by()  # the default ordering joins six tables for nothing
        .values_list("completed_at", flat=True)
    )
    attempts = list(
        ScormAttempt.objects.filter(enrolment=enrolment, package_id__in=package_ids)
        .order_by()
        .values_list("package_id", "sco_id", "done_at")
    )
    done_scos: dict[int, set[str]] = {}
    for package_id, sco_id, done_at in attempts:
        if done_at is not None:
            done_scos.setdefault(package_id, set()).add(sco_id)
    done = sum(1 for completed in progress if completed is not None) + sum(
        1 for p in content.packages if package_done(p, done_scos.get(p.pk, set()))
    )
    total = content.item_count
    now = timezone.now()
    changed: list[str] = []
    percent = (100 * done) // total if total else 0
    if percent != enrolment.online_progress:
        enrolment.online_progress = percent
        changed.append("online_progress")
    if enrolment.online_started_at is None and (progress or attempts):
        enrolment.online_started_at = now
        changed.append("online_started_at")
    completed_now = False
    if total and done == total and enrolment.online_completed_at is None:
        enrolment.online_completed_at = now
        changed.append("online_completed_at")
        completed_now = True
    if changed:
        enrolment.save(update_fields=[*changed, "updated_at"])
    if completed_now:
        audit.record(
            actor,
            "enrolment.online_completed",
            enrolment,
            data={"summary": "completed the online part", "items": total},
        )
    return enrolment


# --- lessons -------------------------------------------------------------------------------------


def _lesson_of(enrolment: Enrolment, lesson: OnlineLesson) -> None:
    module = lesson.module
    online = (
        module.part_id is not None and module.part is not None and module.part.kind == "online_self_paced"
    )
    if module.version_id != enrolment.run.course_version_id or not online:
        raise DomainError(_("This lesson is not part of the participant's course."), field="lesson")


@transaction.atomic
def open_lesson(enrolment: Enrolment, lesson: OnlineLesson, *, actor: Any) -> LessonProgress:
    """Record that the participant opened a lesson (the first time only)."""
    _require_take(actor, enrolment)
    _lesson_of(enrolment, lesson)
    row, created = LessonProgress.objects.get_or_create(
        enrolment=enrolment, lesson=lesson, defaults={"opened_at": timezone.now()}
    )
    if created and enrolment.online_started_at is None:
        refresh_online_progress(enrolment, actor=actor)
    return row


@transaction.atomic
def complete_lesson(enrolment: Enrolment, lesson: OnlineLesson, *, actor: Any) -> LessonProgress:
    """Mark a lesson done (idempotent) and refresh the enrolment's progress."""
    _require_take(actor, enrolment)
    _lesson_of(enrolment, lesson)
    now = timezone.now()
    row, _created = LessonProgress.objects.select_for_update().get_or_create(
        enrolment=enrolment, lesson=lesson, defaults={"opened_at": now}
    )
    if row.completed_at is None:
        row.completed_at = now
        row.save(update_fields=["completed_at"])
        audit.record(
            actor, "lesson.completed", enrolment, data={"lesson": lesson.title, "lesson_id": lesson.pk}
        )
        refresh_online_progress(enrolment, actor=actor)
    return row


# --- SCORM ---------------------------------------------------------------------------------------


def _package_of(enrolment: Enrolment, package: ScormPackage, sco_id: str | None) -> dict[str, Any]:
    module = package.module
    online = (
        module.part_id is not None and module.part is not None and module.part.kind == "online_self_paced"
    )
    if module.version_id != enrolment.run.course_version_id or not online:
        raise DomainError(_("This package is not part of the participant's course."), field="package")
    sco = package.sco(sco_id)
    if sco is None:
        raise DomainError(_("The package has no SCO “%(id)s”.") % {"id": (sco_id or "")[:80]}, field="sco")
    return sco


def learner_name(enrolment: Enrolment) -> str:
    person = enrolment.person
    return f"{person.last_name}, {person.first_name}".strip(", ")


def resume_data(
    package: ScormPackage,
    sco: dict[str, Any],
    attempt: ScormAttempt | None,
    *,
    learner_id: str,
    learner: str,
    entry: str,
    credit: bool = True,
) -> dict[str, str]:
    """The flattened CMI the player loads before the SCO starts: what the LMS provides and what
    the previous launches left (status, score, location, suspend data, objectives...)."""
    data: dict[str, str] = {}
    total = attempt.total_seconds if attempt is not None else Decimal(0)

    def score(prefix: str, value: Decimal | None) -> None:
        if value is not None:
            data[prefix] = format(value.normalize(), "f")

    if package.version == "1.2":
        data.update(
            {
                "cmi.core.student_id": learner_id,
                "cmi.core.student_name": learner,
                "cmi.core.credit": "credit" if credit else "no-credit",
                "cmi.core.lesson_mode": "normal" if credit else "browse",
                "cmi.core.entry": entry,
                "cmi.core.total_time": cmi.format_timespan_12(total),
                "cmi.launch_data": sco.get("launch_data") or "",
            }
        )
        if sco.get("mastery_score") is not None:
            data["cmi.student_data.mastery_score"] = str(sco["mastery_score"])
        for key in ("max_time_allowed", "time_limit_action"):
            if sco.get(key):
                data[f"cmi.student_data.{key}"] = sco[key]
        if attempt is not None:
            if attempt.lesson_status:
                data["cmi.core.lesson_status"] = attempt.lesson_status
            data["cmi.core.lesson_location"] = attempt.location
            data["cmi.suspend_data"] = attempt.suspend_data
            score("cmi.core.score.raw", attempt.score_raw)
            score("cmi.core.score.min", attempt.score_min)
            score("cmi.core.score.max", attempt.score_max)
            # SCORM 1.2 interactions are write-only: only objectives, comments and preferences return.
            data.update(
                {k: v for k, v in (attempt.cmi or {}).items() if not k.startswith("cmi.interactions.")}
            )
        return data

    data.update(
        {
            "cmi.learner_id": learner_id,
            "cmi.learner_name": learner,
            "cmi.credit": "credit" if credit else "no-credit",
            "cmi.mode": "normal" if credit else "browse",
            "cmi.entry": entry,
            "cmi.total_time": cmi.format_duration_2004(total),
            "cmi.launch_data": sco.get("launch_data") or "",
        }
    )
    for key in ("scaled_passing_score", "completion_threshold"):
        if sco.get(key) is not None:
            data[f"cmi.{key}"] = str(sco[key])
    if sco.get("max_time_allowed"):
        data["cmi.max_time_allowed"] = sco["max_time_allowed"]
    if sco.get("time_limit_action"):
        data["cmi.time_limit_action"] = sco["time_limit_action"]
    if attempt is not None:
        data["cmi.completion_status"] = attempt.completion_status
        data["cmi.success_status"] = attempt.success_status
        data["cmi.location"] = attempt.location
        data["cmi.suspend_data"] = attempt.suspend_data
        score("cmi.score.scaled", attempt.score_scaled)
        score("cmi.score.raw", attempt.score_raw)
        score("cmi.score.min", attempt.score_min)
        score("cmi.score.max", attempt.score_max)
        score("cmi.progress_measure", attempt.progress_measure)
        data.update(attempt.cmi or {})
    return data


@transaction.atomic
def launch_sco(
    enrolment: Enrolment, package: ScormPackage, sco_id: str | None, *, actor: Any
) -> tuple[ScormAttempt, dict[str, str]]:
    """Start (or resume) a SCO for the participant: a new launch secret, the session clock reset,
    and the CMI data the player loads. A suspended SCO resumes (entry "resume")."""
    _require_take(actor, enrolment)
    sco = _package_of(enrolment, package, sco_id)
    now = timezone.now()
    attempt, _created = ScormAttempt.objects.select_for_update().get_or_create(
        enrolment=enrolment,
        package=package,
        sco_id=sco["id"],
        defaults={"lesson_status": "not attempted" if package.version == "1.2" else ""},
    )
    if attempt.exit == "suspend":
        entry = "resume"
    elif attempt.launches == 0:
        entry = "ab-initio"
    else:
        entry = ""
    attempt.session_key = secrets.token_urlsafe(32)
    attempt.session_base_seconds = attempt.total_seconds
    attempt.session_seconds = Decimal(0)
    attempt.session_time_reported = False
    attempt.launches += 1
    attempt.launched_at = now
    attempt.first_launched_at = attempt.first_launched_at or now
    attempt.save()
    if enrolment.online_started_at is None:
        refresh_online_progress(enrolment, actor=actor)
    data = resume_data(
        package,
        sco,
        attempt,
        learner_id=str(enrolment.person_id),
        learner=learner_name(enrolment),
        entry=entry,
    )
    return attempt, data


def _scaled_12(raw: Decimal | None, low: Decimal | None, high: Decimal | None) -> Decimal | None:
    if raw is None:
        return None
    low = low if low is not None else Decimal(0)
    high = high if high is not None else Decimal(100)
    if high <= low:
        return None
    return max(Decimal(-1), min(Decimal(1), ((raw - low) / (high - low)).quantize(Decimal("0.0000001"))))


STATUS_FIELDS = ["lesson_status", "completion_status", "success_status", "score_raw", "score_scaled"]


@transaction.atomic
def commit_cmi(
    enrolment: Enrolment,
    package: ScormPackage,
    sco_id: str,
    *,
    actor: Any,
    session_key: str,
    data: Any,
    final: bool = False,
) -> ScormAttempt:
    """Store a commit of the SCO's CMI data (validated by capdev.learning.scorm.cmi) and decide
    what the LMS decides:

    - SCORM 1.2: at the final commit an unset lesson status becomes "completed"; with a pass
      mark (adlcp:masteryscore) and a score, the status becomes passed or failed by the score;
    - SCORM 2004: with a completion threshold and a progress measure, completion is decided by
      the measure; with a pass mark (scaled passing score), success is decided by the scaled
      score (unknown without one);
    - time: the session time the SCO reports (or the time since the launch when it reports
      none) is added to the total before the launch.

    Refused when the launch secret is not the current one (the SCO was opened again elsewhere).
    """
    _require_take(actor, enrolment)
    sco = _package_of(enrolment, package, sco_id)
    attempt = (
        ScormAttempt.objects.select_for_update()
        .filter(enrolment=enrolment, package=package, sco_id=sco["id"])
        .first()
    )
    if attempt is None or not attempt.session_key:
        raise ConflictError(_("Open the package before sending its results."), code="not_launched")
    if not constant_time_compare(str(session_key or ""), attempt.session_key):
        raise ConflictError(
            _("This package was opened again in another window or tab; its results are recorded there."),
            code="stale_session",
        )
    commit = cmi.validate(package.version, data)
    values = commit.fields
    before = audit.snapshot(attempt, STATUS_FIELDS)
    now = timezone.now()

    for name in ("location", "suspend_data", "exit"):
        if name in values:
            setattr(attempt, name, values[name])
    for name in ("score_raw", "score_min", "score_max", "progress_measure"):
        if name in values:
            setattr(attempt, name, values[name])
    if commit.keep:
        attempt.cmi = commit.keep

    if package.version == "1.2":
        status = values.get("lesson_status", attempt.lesson_status) or "not attempted"
        if final and status == "not attempted":
            status = "completed"
        mastery = sco.get("mastery_score")
        if (
            mastery is not None
            and attempt.score_raw is not None
            and status not in ("incomplete", "not attempted", "browsed")
        ):
            status = "passed" if attempt.score_raw >= Decimal(str(mastery)) else "failed"
        attempt.lesson_status = status
        attempt.completion_status, attempt.success_status = cmi.derive_12(status)
        attempt.score_scaled = _scaled_12(attempt.score_raw, attempt.score_min, attempt.score_max)
        has_pass_mark = mastery is not None
    else:
        if "score_scaled" in values:
            attempt.score_scaled = values["score_scaled"]
        completion = values.get("completion_status", attempt.completion_status) or "unknown"
        success = values.get("success_status", attempt.success_status) or "unknown"
        threshold = sco.get("completion_threshold")
        if threshold is not None and attempt.progress_measure is not None:
            completion = "completed" if attempt.progress_measure >= Decimal(str(threshold)) else "incomplete"
        passing = sco.get("scaled_passing_score")
        if passing is not None:
            if attempt.score_scaled is None:
                success = "unknown"
            else:
                success = "passed" if attempt.score_scaled >= Decimal(str(passing)) else "failed"
        attempt.completion_status, attempt.success_status = completion, success
        has_pass_mark = passing is not None

    session = values.get("session_time")
    if session:  # the SCO's own clock, cumulative within the launch
        attempt.session_seconds = session
        attempt.session_time_reported = True
    elif not attempt.session_time_reported and attempt.launched_at is not None:
        elapsed = Decimal((now - attempt.launched_at).total_seconds()).quantize(Decimal("0.01"))
        attempt.session_seconds = max(Decimal(0), min(elapsed, MAX_SELF_TIMED_SESSION))
    attempt.total_seconds = attempt.session_base_seconds + attempt.session_seconds
    attempt.commits += 1
    attempt.last_committed_at = now
    newly_done = attempt.done_at is None and cmi.counts_as_done(
        attempt.completion_status, attempt.success_status, has_pass_mark
    )
    if newly_done:
        attempt.done_at = now
    attempt.save()

    changes = audit.diff(before, audit.snapshot(attempt, STATUS_FIELDS))
    if changes:
        audit.record(
            actor,
            "scorm_attempt.updated",
            enrolment,
            changes=changes,
            data={"package": package.title, "sco": sco["id"], "counts": attempt.done_at is not None},
        )
    refresh_online_progress(enrolment, actor=actor)
    return attempt


# --- personal data -------------------------------------------------------------------------------


@personal_data.exporter("online_learning")
def export_online_learning(person: Any) -> list[dict[str, Any]]:
    """Every enrolment's online progress: figures, lessons done, SCORM results and data."""
    enrolments = list(
        Enrolment.objects.filter(person=person).select_related("run").order_by("run__start_date", "pk")
    )
    lessons = LessonProgress.objects.filter(enrolment__person=person).select_related("lesson").order_by("pk")
    attempts = ScormAttempt.objects.filter(enrolment__person=person).select_related("package").order_by("pk")
    by_enrolment: dict[int, dict[str, Any]] = {
        e.pk: {
            "run": e.run.title,
            "online_progress": e.online_progress,
            "online_started_at": e.online_started_at.isoformat() if e.online_started_at else None,
            "online_completed_at": e.online_completed_at.isoformat() if e.online_completed_at else None,
            "lessons": [],
            "scorm": [],
        }
        for e in enrolments
    }
    for row in lessons:
        by_enrolment[row.enrolment_id]["lessons"].append(
            {
                "lesson": row.lesson.title,
                "opened_at": row.opened_at.isoformat() if row.opened_at else None,
                "done_at": row.completed_at.isoformat() if row.completed_at else None,
            }
        )
    for a in attempts:
        by_enrolment[a.enrolment_id]["scorm"].append(
            {
                "package": a.package.title,
                "sco": a.sco_id,
                **audit.snapshot(
                    a,
                    [
                        "lesson_status",
                        "completion_status",
                        "success_status",
                        "score_raw",
                        "score_min",
                        "score_max",
                        "score_scaled",
                        "total_seconds",
                        "location",
                        "suspend_data",
                        "exit",
                        "launches",
                        "first_launched_at",
                        "last_committed_at",
                        "done_at",
                    ],
                ),
                "cmi": a.cmi,
            }
        )
    return [
        section
        for section in by_enrolment.values()
        if section["lessons"] or section["scorm"] or section["online_progress"]
    ]


@personal_data.eraser("online_learning")
def erase_online_learning(person: Any, actor: Any) -> None:
    """Erasure removes what a participant wrote or what identifies their session inside SCORM
    content (suspend data, location, answers to interactions, comments, objectives, the launch
    secret). Statuses, scores, times and lessons done stay, anonymous with the person, so that
    the run's figures remain true."""
    ScormAttempt.objects.filter(enrolment__person=person).update(
        suspend_data="", location="", cmi={}, session_key="", exit=""
    )
    audit.record(actor, "online_learning.erased", person)
