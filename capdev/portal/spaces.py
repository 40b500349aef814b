"""Reads for the personal spaces (issue 5, section 5) and the staff run overview, each with a
fixed number of queries whatever the number of runs, enrolments or attendance marks.

- the participant's space: their courses with progress, next sessions, open applications;
- the trainer's space: today's sessions and the runs they train with their participants' progress;
- the enrolment funnel of runs: applied → selected → started the online part → completed it →
  attended → completed the course.

The portal may read every app (it sits above them all); it writes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone

from capdev.catalogue.models import DeliveryPart, PartKind
from capdev.cohorts.models import (
    OPEN_APPLICATION_STATUSES,
    Application,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
)
from capdev.core.roles import roles_of
from capdev.delivery.models import Session
from capdev.learning.models import OnlineLesson, ScormPackage

NEXT_SESSIONS = 6
# The funnel's stages, in order; each is a subset of the one before (see `funnel_counts`).
STAGES = ("applied", "selected", "started_online", "completed_online", "attended", "completed")


# --- The participant --------------------------------------------------------------------------


@dataclass
class CourseCard:
    """One of the participant's enrolments, with what the page shows about it."""

    enrolment: Enrolment
    run: CourseRun
    has_online_part: bool
    gated: bool  # the online part must be completed before the face-to-face part
    next_session: Session | None = None

    @property
    def blocked(self) -> bool:
        """Face-to-face days ahead that the participant cannot join yet."""
        return self.gated and not self.enrolment.cleared_for_face_to_face


@dataclass
class LearnerSpace:
    current: list[CourseCard] = field(default_factory=list)
    past: list[CourseCard] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)


def learner_space(user: Any, *, today: datetime.date | None = None) -> LearnerSpace:
    """The user's own enrolments (not withdrawn), next sessions and open applications: six
    queries (enrolments with their runs, the versions' online content and parts, next sessions,
    applications)."""
    space = LearnerSpace()
    person_id = roles_of(user).person_id
    if not person_id:
        return space
    today = today or timezone.localdate()
    enrolments = list(
        Enrolment.objects.filter(person_id=person_id)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("run", "run__course_version", "run__country")
        .order_by("run__start_date", "run_id")
    )
    version_ids = {e.run.course_version_id for e in enrolments}
    online_parts = online_parts_of(version_ids)
    run_ids = [e.run_id for e in enrolments]
    now = timezone.now()
    sessions = list(
        Session.objects.filter(run_id__in=run_ids)
        .scheduled()
        .upcoming(now)
        .select_related("run", "destination_country")
        .order_by("starts_at", "pk")[:NEXT_SESSIONS]
    )
    first_session: dict[int, Session] = {}
    for s in sessions:
        first_session.setdefault(s.run_id, s)
    for e in enrolments:
        card = CourseCard(
            enrolment=e,
            run=e.run,
            has_online_part=e.run.course_version_id in online_parts,
            gated=online_parts.get(e.run.course_version_id, False),
            next_session=first_session.get(e.run_id),
        )
        finished = e.run.end_date < today or e.run.status in ("completed", "cancelled")
        (space.past if finished else space.current).append(card)
    space.past.reverse()  # most recent first
    space.sessions = sessions
    space.applications = list(
        Application.objects.filter(person_id=person_id, status__in=OPEN_APPLICATION_STATUSES)
        .select_related("call")
        .order_by("call__deadline", "pk")
    )
    return space


def online_parts_of(version_ids: set[int]) -> dict[int, bool]:
    """{version id: whether its online part gates the next part} for the versions whose online
    self-paced part has something to take (a lesson or a SCORM package): without content there is
    nothing to do online and no gate (learning.services.has_online_content). Three queries."""
    with_content = set(
        OnlineLesson.objects.filter(module__version_id__in=version_ids)
        .online()
        .values_list("module__version_id", flat=True)
    ) | set(
        ScormPackage.objects.filter(module__version_id__in=version_ids)
        .online()
        .values_list("module__version_id", flat=True)
    )
    out: dict[int, bool] = {}
    for version_id, gates in (
        DeliveryPart.objects.filter(version_id__in=with_content, kind=PartKind.ONLINE_SELF_PACED)
        .values_list("version_id", "gates_next")
        .order_by()
    ):
        out[version_id] = out.get(version_id, False) or gates
    return out


# --- The trainer ------------------------------------------------------------------------------


def todays_sessions(user: Any, *, today: datetime.date | None = None) -> list[Session]:
    """The sessions of today (in each session's own time zone) of the runs the user trains."""
    today = today or timezone.localdate()
    rows = (
        Session.objects.of_runs_trained_by(user)
        .scheduled()
        .around(today)
        .select_related("run", "destination_country")
        .order_by("starts_at", "pk")
    )
    return [s for s in rows if s.date == today]


def trained_runs(user: Any) -> QuerySet[CourseRun]:
    """The runs the user trains, current and upcoming first (by start), then past (newest first)."""
    today = timezone.localdate()
    return (
        CourseRun.objects.trained_by(user)
        .select_related("course_version", "country")
        .annotate(finished=Q(end_date__lt=today) | Q(status__in=("completed", "cancelled")))
        .order_by("finished", F("start_date").asc(), "pk")
    )


def decorate_trained_runs(runs: list[CourseRun]) -> None:
    """Add each run's participant figures and its next session (four queries for the page)."""
    decorate_funnel(runs)
    now = timezone.now()
    firsts = (
        Session.objects.filter(run_id__in=[r.pk for r in runs])
        .scheduled()
        .upcoming(now)
        .values("run_id")
        .annotate(first=Min("starts_at"))
        .order_by()
        .values_list("run_id", "first")
    )
    # The sessions themselves, to show their own local date, time and time zone.
    condition = Q(pk__in=[])
    for run_id, first in firsts:
        condition |= Q(run_id=run_id, starts_at=first)
    nexts: dict[int, Session] = {}
    for session in Session.objects.scheduled().filter(condition).order_by("pk"):
        nexts.setdefault(session.run_id, session)
    for run in runs:
        run.next_session = nexts.get(run.pk)  # type: ignore[attr-defined]


# --- The funnel -------------------------------------------------------------------------------


def _with_online_content() -> Q:
    """Enrolments in runs whose course has something to take online (a lesson or a SCORM package
    in its online self-paced part): only they can start or complete an online part."""
    lessons = OnlineLesson.objects.online().values("module__version_id")
    packages = ScormPackage.objects.online().values("module__version_id")
    return Q(run__course_version_id__in=lessons) | Q(run__course_version_id__in=packages)


def _enrolment_counts() -> dict[str, Any]:
    return {
        "selected": Count("pk"),
        "selected_online": Count("pk", filter=_with_online_content()),
        "active": Count("pk", filter=~Q(status=EnrolmentStatus.WITHDRAWN)),
        # Completing implies starting (a row may carry only the completion, e.g. from an import).
        "started_online": Count(
            "pk", filter=Q(online_started_at__isnull=False) | Q(online_completed_at__isnull=False)
        ),
        "completed_online": Count("pk", filter=Q(online_completed_at__isnull=False)),
        "attended": Count("pk", filter=Q(sessions_attended__gt=0)),
        "completed": Count("pk", filter=Q(status=EnrolmentStatus.COMPLETED)),
        "direct": Count("pk", filter=Q(application__isnull=True)),
    }


def _applications_for(runs: QuerySet[CourseRun] | list[int]) -> QuerySet[Application]:
    """Applications to calls into these runs or into their programmes."""
    run_ids = runs if isinstance(runs, list) else runs.values("pk")
    programme_ids = CourseRun.objects.filter(pk__in=run_ids, programme__isnull=False).values("programme_id")
    return Application.objects.filter(Q(call__run_id__in=run_ids) | Q(call__programme_id__in=programme_ids))


def funnel_counts(runs: QuerySet[CourseRun]) -> dict[str, int]:
    """The funnel over every run of `runs` (three aggregate queries), the sum of the runs' rows
    (`decorate_funnel`).

    - applied: every candidate who applied or was nominated, plus everyone enrolled directly
      (by staff or an import) without applying;
    - selected: everyone who was given a place (enrolments, including those who withdrew later);
    - started / completed the online part, attended at least one session, completed the course.
    A person in a programme of three runs counts once per run, at every stage: an applicant to
    the programme's call counts once in each of its runs among `runs`.
    """
    enrolments = Enrolment.objects.filter(run_id__in=runs.values("pk")).aggregate(**_enrolment_counts())
    runs_of_programme = dict(
        CourseRun.objects.filter(pk__in=runs.values("pk"), programme__isnull=False)
        .values("programme_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("programme_id", "n")
    )
    applied = sum(
        n * (runs_of_programme.get(programme_id, 0) if programme_id else 1)
        for programme_id, n in _applications_for(runs)
        .values("call__programme_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("call__programme_id", "n")
    )
    counts = {k: int(v or 0) for k, v in enrolments.items()}
    counts["applied"] = applied + counts.pop("direct")
    return counts


def decorate_funnel(runs: list[CourseRun]) -> None:
    """Per-run funnel figures for the rows of a page: one query over their enrolments and one over
    the applications to their calls (a programme's applicants count in each of its runs)."""
    ids = [r.pk for r in runs]
    rows = {
        row["run_id"]: row
        for row in Enrolment.objects.filter(run_id__in=ids)
        .values("run_id")
        .annotate(**_enrolment_counts())
        .order_by()
    }
    by_run: dict[int, int] = {}
    by_programme: dict[int, int] = {}
    for run_id, programme_id, n in (
        _applications_for(ids)
        .values("call__run_id", "call__programme_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("call__run_id", "call__programme_id", "n")
    ):
        if run_id:
            by_run[run_id] = by_run.get(run_id, 0) + n
        if programme_id:
            by_programme[programme_id] = by_programme.get(programme_id, 0) + n
    for run in runs:
        row = rows.get(run.pk, {})
        figures = {stage: int(row.get(stage, 0) or 0) for stage in STAGES if stage != "applied"}
        figures["active"] = int(row.get("active", 0) or 0)
        figures["selected_online"] = int(row.get("selected_online", 0) or 0)
        figures["applied"] = (
            by_run.get(run.pk, 0)
            + (by_programme.get(run.programme_id, 0) if run.programme_id else 0)
            + int(row.get("direct", 0) or 0)
        )
        run.funnel = figures  # type: ignore[attr-defined]


# The stage each stage is a share of: the online stages concern only the people selected into runs
# with an online part, so attending is a share of everyone selected, not of those who completed an
# online part (the diploma has none).
BASE = {
    "selected": "applied",
    "started_online": "selected_online",
    "completed_online": "started_online",
    "attended": "selected",
    "completed": "attended",
}


def funnel_stages(counts: dict[str, int]) -> list[dict[str, Any]]:
    """The stages with labels, their share of the first stage and of the stage they follow from."""
    from django.utils.translation import gettext_lazy as _
    from django.utils.translation import ngettext

    labels = {
        "applied": _("Applied or nominated"),
        "selected": _("Selected"),
        "started_online": _("Started the online part"),
        "completed_online": _("Completed the online part"),
        "attended": _("Attended the face-to-face part"),
        "completed": _("Completed the course"),
    }
    top = counts.get("applied", 0)
    online, selected = counts.get("selected_online", 0), counts.get("selected", 0)
    out = []
    for stage in STAGES:
        n = counts.get(stage, 0)
        base = counts.get(BASE[stage], 0) if stage in BASE else 0
        note = ""
        if stage in ("started_online", "completed_online") and online != selected:
            note = ngettext(
                "Among the %(n)s person selected into a run with an online part.",
                "Among the %(n)s people selected into runs with an online part.",
                online,
            ) % {"n": online}
        out.append(
            {
                "key": stage,
                "label": labels[stage],
                "count": n,
                "of_top": round(100 * n / top) if top else 0,
                "of_previous": round(100 * n / base) if base else None,
                "note": note,
            }
        )
    return out


def application_counts(applications: QuerySet[Application]) -> list[dict[str, Any]]:
    """Applications by status, in the order of the selection (one GROUP BY)."""
    from capdev.cohorts.models import ApplicationStatus

    counts = dict(applications.values("status").annotate(n=Count("pk")).order_by().values_list("status", "n"))
    return [
        {"status": value, "label": label, "count": counts[value]}
        for value, label in ApplicationStatus.choices
        if counts.get(value)
    ]
