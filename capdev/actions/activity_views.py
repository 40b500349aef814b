"""Activity pages: the programme-wide list with its counter, the month calendar, an activity with
its experts and (for staff) the matching shortlist, the plan/edit/cancel/complete forms, inviting
from the shortlist, and the Action's iCalendar feed."""

from __future__ import annotations

import calendar
import datetime
import hashlib
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, F, Min, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from capdev.actions import activities as services
from capdev.actions import ics
from capdev.actions.activity_filters import ActivityFilter
from capdev.actions.activity_forms import ActivityForm, CancelForm, CompleteForm, InviteForm
from capdev.actions.models import Action, Activity, ActivityStatus, ActivityType
from capdev.core.errors import DomainError
from capdev.core.forms import add_domain_error
from capdev.core.models import AuditEvent
from capdev.core.permissions import can, get_visible_or_404, require
from capdev.core.roles import roles_of
from capdev.core.views import render_list

COUNTER_TTL = 60


def get_activity(request: HttpRequest, pk: int, perm: str = "activities.view") -> Activity:
    """The activity if the user sees it (else 404) and holds `perm` on it (else 403)."""
    activity = get_visible_or_404(
        Activity.objects.select_related(
            "action", "action__country", "action__thematic_area", "country", "course_version"
        ),
        request.user,
        pk=pk,
    )
    require(request.user, perm, activity)
    return activity


def _scope_key(user: Any) -> str:
    """Users who see the same activities share cached figures: everyone for staff and
    steering members, one entry per user otherwise."""
    rs = roles_of(user)
    if rs.is_staff or rs.has("steering"):
        return "all"
    return f"user-{user.pk}"


def activity_counter(user: Any) -> dict[str, Any]:
    """The programme-wide counter: totals, countries, first year, and activities by type and by
    year (cached a minute per scope)."""
    key = "activities:counter:" + hashlib.sha1(_scope_key(user).encode()).hexdigest()[:16]  # noqa: S324
    figures = cache.get(key)
    if figures is not None:
        return figures
    qs = Activity.objects.visible_to(user).exclude(status=ActivityStatus.CANCELLED)
    totals = qs.aggregate(
        total=Count("id"),
        countries=Count(Coalesce(F("country_id"), F("action__country_id")), distinct=True),
        since=Min("start_date"),
        participants=Coalesce(
            Sum(F("participants_women") + F("participants_men") + F("participants_other")), 0
        ),
    )
    labels = dict(ActivityType.choices)
    by_type = [
        {"type": row["type"], "label": labels.get(row["type"], row["type"]), "count": row["n"]}
        for row in qs.values("type").annotate(n=Count("id")).order_by("-n", "type")
    ]
    by_year = list(
        qs.annotate(year=ExtractYear("start_date")).values("year").annotate(n=Count("id")).order_by("year")
    )
    figures = {
        "total": totals["total"],
        "countries": totals["countries"],
        "since": totals["since"].year if totals["since"] else None,
        "participants": totals["participants"],
        "by_type": by_type,
        "by_year": by_year,
        "max_type": max((r["count"] for r in by_type), default=0),
        "max_year": max((r["n"] for r in by_year), default=0),
    }
    cache.set(key, figures, COUNTER_TTL)
    return figures


def activity_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "activities.list")
    qs = (
        Activity.objects.visible_to(request.user)
        .select_related("action", "country")
        .order_by("-start_date", "-id")
    )
    filterset = ActivityFilter(request.GET, queryset=qs, request=request)
    return render_list(
        request,
        template="actions/activity_list.html",
        partial="actions/activity_results.html",
        filterset=filterset,
        context={"counter": activity_counter(request.user)},
    )


# --- Calendar ---------------------------------------------------------------------------------


def _month(value: str | None) -> datetime.date:
    if value:
        try:
            year, month = (int(p) for p in value.split("-", 1))
            return datetime.date(year, month, 1)
        except (ValueError, TypeError):
            pass
    today = timezone.localdate()
    return today.replace(day=1)


def _add_months(first: datetime.date, n: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


CELL_LIMIT = 3
AGENDA_PAGE = 50


def activity_calendar(request: HttpRequest) -> HttpResponse:
    """A month of activities: a grid on wide screens, a day-by-day list on phones (and for
    screen readers, which get the list as the page's main content).

    A busy month holds hundreds of activities, so the page reads only their dates first
    (`id, start, end`), places them on the grid (at most CELL_LIMIT per day, "+N more" links
    to the rest) and cuts the day-by-day list into pages of AGENDA_PAGE; then it loads, once,
    only the activities it shows."""
    require(request.user, "activities.list")
    first = _month(request.GET.get("month"))
    last = _add_months(first, 1) - datetime.timedelta(days=1)
    # An activity lasts at most a year (activities.MAX_DAYS): bounding its start from below
    # lets the (start_date, end_date) index read about a year of activities, not every one
    # that began before the end of the month.
    qs = Activity.objects.visible_to(request.user).filter(
        start_date__gte=first - datetime.timedelta(days=services.MAX_DAYS),
        start_date__lte=last,
        end_date__gte=first,
    )
    kind = request.GET.get("type") or ""
    if kind in ActivityType.values:
        qs = qs.filter(type=kind)
    action_id = request.GET.get("action") or ""
    if action_id.isdigit():
        qs = qs.filter(action_id=int(action_id))
    dates = list(qs.order_by("start_date", "id").values_list("id", "start_date", "end_date"))
    by_day: dict[datetime.date, list[int]] = {}
    for pk, start, end in dates:
        day = max(start, first)
        end = min(end, last)
        while day <= end:
            by_day.setdefault(day, []).append(pk)
            day += datetime.timedelta(days=1)
    # The list view: each activity once, under the day it starts (or the 1st for those that
    # began the month before); `dates` is already in that order.
    paginator = Paginator(dates, AGENDA_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    shown = {pk for todays in by_day.values() for pk in todays[:CELL_LIMIT]}
    shown.update(pk for pk, _start, _end in page.object_list)
    loaded = (
        Activity.objects.filter(pk__in=shown)
        .order_by()
        .select_related("action")
        .only(
            "id",
            "title",
            "type",
            "status",
            "start_date",
            "end_date",
            "city",
            "mode",
            "action__id",
            "action__name",
        )
        .in_bulk()
    )
    # Worked out once per activity (a long one sits in many cells): `get_FOO_display` hashes
    # every lazy choice label on each call.
    type_labels = {value: str(label) for value, label in ActivityType.choices}
    for a in loaded.values():
        a.url = a.get_absolute_url()  # type: ignore[attr-defined]
        a.type_label = type_labels.get(a.type, a.type)  # type: ignore[attr-defined]
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        cells = []
        for day in week:
            todays = by_day.get(day, []) if day.month == first.month else []
            cells.append(
                {
                    "date": day,
                    "in_month": day.month == first.month,
                    "activities": [loaded[pk] for pk in todays[:CELL_LIMIT] if pk in loaded],
                    "more": max(0, len(todays) - CELL_LIMIT),
                }
            )
        weeks.append(cells)
    agenda: dict[datetime.date, list[Activity]] = {}
    for pk, start, _end in page.object_list:
        if pk in loaded:
            agenda.setdefault(max(start, first), []).append(loaded[pk])
    extra = "".join(f"&{k}={v}" for k, v in (("type", kind), ("action", action_id)) if v)
    context = {
        "month": first,
        "weeks": weeks,
        "agenda": list(agenda.items()),
        "page_obj": page,
        "count": len(dates),
        "previous": _add_months(first, -1),
        "next": _add_months(first, 1),
        "today": timezone.localdate(),
        "types": ActivityType.choices,
        "kind": kind,
        "action_id": action_id,
        "extra": extra,
        "weekdays": [calendar.day_name[i] for i in range(7)],
    }
    return render(request, "actions/calendar.html", context)


# --- One activity -----------------------------------------------------------------------------


def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity(request, pk)
    user = request.user
    from capdev.experts.models import Deployment, DeploymentStatus

    deployments = Deployment.objects.filter(activity=activity).select_related(
        "expert__person", "expert__person__nationality", "expert__institution"
    )
    staff = roles_of(user).is_staff
    if not staff:
        deployments = deployments.filter(status=DeploymentStatus.ACCEPTED)
    shortlist = None
    can_match = can(user, "experts.match", activity)
    if can_match and activity.status in services.OPEN:
        from capdev.experts.matching import shortlist as build_shortlist

        shortlist = build_shortlist(activity, limit=5, excluded_limit=3)
    can_manage = can(user, "actions.manage_activities", activity)
    context = {
        "activity": activity,
        "action": activity.action,
        "deployments": deployments.order_by("status", "expert__person__last_name"),
        "deliverables": activity.deliverables.all(),
        "shortlist": shortlist,
        "can_match": can_match,
        "can_manage": can_manage and activity.status in services.OPEN,
        "can_invite": can(user, "experts.invite", activity) and activity.status in services.OPEN,
        "audit_events": AuditEvent.objects.for_object(activity)[:50]
        if can(user, "core.view_audit")
        else None,
    }
    return render(request, "actions/activity_detail.html", context)


def activity_matching(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranked shortlist of experts for an activity, each score explained (staff)."""
    activity = get_activity(request, pk, "experts.match")
    from capdev.experts.matching import MAX_POINTS
    from capdev.experts.matching import shortlist as build_shortlist

    result = build_shortlist(activity, limit=25, excluded_limit=10)
    return render(
        request,
        "actions/activity_matching.html",
        {
            "activity": activity,
            "action": activity.action,
            "shortlist": result,
            "max_points": MAX_POINTS,
            "can_invite": can(request.user, "experts.invite", activity) and activity.status in services.OPEN,
        },
    )


@require_POST
def activity_invite(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity(request, pk, "experts.invite")
    from capdev.experts import services as expert_services
    from capdev.experts.matching import score_of
    from capdev.experts.models import ExpertProfile

    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an expert to invite."))
        return redirect("actions:activity-matching", pk=activity.pk)
    expert = get_visible_or_404(
        ExpertProfile.objects.select_related("person"), request.user, pk=form.cleaned_data["expert"]
    )
    match = score_of(activity, expert.pk)
    try:
        expert_services.invite_expert(
            activity,
            expert,
            actor=request.user,
            role=form.cleaned_data.get("role") or "",
            match_score=match.score if match else None,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(expert)s has been invited.") % {"expert": expert})
    target = request.POST.get("next") or ""
    if target == "detail":
        return redirect(activity)
    return redirect("actions:activity-matching", pk=activity.pk)


# --- Plan, change, cancel, complete -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, action_id: int) -> HttpResponse:
    action_obj = get_visible_or_404(Action.objects.all(), request.user, pk=action_id)
    require(request.user, "actions.manage_activities", action_obj)
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.create_activity(action_obj, actor=request.user, **form.values())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Activity “%(title)s” planned.") % {"title": activity.title})
            return redirect(activity)
    return render(
        request, "actions/activity_form.html", {"form": form, "action": action_obj, "activity": None}
    )


@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity(request, pk, "actions.manage_activities")
    if activity.status not in services.OPEN:
        messages.warning(request, _("This activity is closed; it can no longer be changed."))
        return redirect(activity)
    form = ActivityForm(request.POST or None, instance=Activity.objects.get(pk=activity.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_activity(activity, actor=request.user, **form.values())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(activity)
    return render(
        request, "actions/activity_form.html", {"form": form, "action": activity.action, "activity": activity}
    )


@require_http_methods(["GET", "POST"])
def activity_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity(request, pk, "actions.manage_activities")
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_activity(activity, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The activity has been cancelled."))
            return redirect(activity)
    return render(
        request,
        "actions/activity_confirm.html",
        {"form": form, "activity": activity, "verb": "cancel", "title": _("Cancel this activity")},
    )


@require_http_methods(["GET", "POST"])
def activity_complete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity(request, pk, "actions.manage_activities")
    initial = {
        "participants_women": activity.participants_women,
        "participants_men": activity.participants_men,
        "participants_other": activity.participants_other,
    }
    form = CompleteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.complete_activity(activity, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The activity is marked as done."))
            return redirect(activity)
    return render(
        request,
        "actions/activity_confirm.html",
        {"form": form, "activity": activity, "verb": "complete", "title": _("Mark this activity as done")},
    )


# --- iCalendar -------------------------------------------------------------------------------------


def ics_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def action_calendar_ics(request: HttpRequest, action_id: int) -> HttpResponse:
    """The activities of one Action as an iCalendar feed (those the user sees)."""
    action_obj = get_visible_or_404(Action.objects.all(), request.user, pk=action_id)
    require(request.user, "actions.view", action_obj)
    activities = (
        Activity.objects.visible_to(request.user)
        .filter(action=action_obj)
        .select_related("action", "country")
        .order_by("start_date", "id")
    )
    base = request.build_absolute_uri("/").rstrip("/")
    events = [ics.activity_event(a, base_url=base) for a in activities]
    text = ics.render(events, name=f"{action_obj.name} · capdev")
    return ics_response(text, f"action-{action_obj.pk}.ics")
