"""The "Online part" sections of the run page and of the enrolment page (capdev.cohorts.panels).

- Run page, for staff, the run's trainers and focal points: how many participants have not
  started, are in progress or completed the online part, and a link to the per-participant table.
  Counts come from the enrolment rows (one aggregate query), so a focal point sees their own
  organisation's participants counted only.
- Enrolment page, for whoever sees the enrolment: each lesson and package of the online part with
  its status and score, and the gate. A constant number of queries.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from capdev.cohorts.models import Enrolment
from capdev.cohorts.panels import Panel, enrolment_panel, run_panel
from capdev.core.permissions import can
from capdev.learning.course import course_outline


def progress_counts(enrolments: Any) -> dict[str, int]:
    """Participants (withdrawn ones left out) by where they are in the online part."""
    return enrolments.exclude(status="withdrawn").aggregate(
        total=Count("id"),
        not_started=Count("id", filter=Q(online_started_at__isnull=True, online_completed_at__isnull=True)),
        in_progress=Count("id", filter=Q(online_started_at__isnull=False, online_completed_at__isnull=True)),
        completed=Count("id", filter=Q(online_completed_at__isnull=False)),
    )


@run_panel("online", order=30)
def run_online_panel(request: HttpRequest, run: Any) -> Panel | None:
    if not can(request.user, "learning.view_run_progress", run):
        return None
    from capdev.learning.services import online_content

    content = online_content(run.course_version_id)
    counts = progress_counts(Enrolment.objects.visible_to(request.user).filter(run=run))
    return Panel(
        title=_("Online part"),
        template="learning/_run_panel.html",
        context={"counts": counts, "content": content},
        action=(_("Participants' progress"), reverse("learning:run-progress", args=[run.pk])),
    )


@enrolment_panel("online", order=30)
def enrolment_online_panel(request: HttpRequest, enrolment: Any) -> Panel | None:
    if not can(request.user, "learning.view_course", enrolment):
        return None
    outline = course_outline(enrolment, request=request, with_materials=False)
    return Panel(
        title=_("Online part"),
        template="learning/_enrolment_panel.html",
        context={"outline": outline},
        action=(_("Open the online course"), reverse("learning:course", args=[enrolment.pk])),
    )
