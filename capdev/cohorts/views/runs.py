"""Run pages: the list, a run (facts, seats, trainers, calls, participants, the panels of the
learning and delivery apps), the run form, status changes, trainers and direct enrolment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from capdev.actions.models import Action, Activity
from capdev.cohorts import services
from capdev.cohorts.filters import RunFilter
from capdev.cohorts.forms import ReasonForm, RunForm, RunStatusForm, TrainerForm
from capdev.cohorts.models import ACTIVE_RUN_STATUSES, Call, CourseRun, Enrolment, RunTrainer, TrainerRole
from capdev.cohorts.panels import panels_for_run
from capdev.cohorts.services.seats import seat_summary, seats_taken
from capdev.cohorts.views.common import audit_for, find_people, get_run
from capdev.core.errors import DomainError
from capdev.core.forms import add_domain_error
from capdev.core.permissions import can, get_visible_or_404, require
from capdev.core.roles import roles_of
from capdev.core.views import is_partial, paginate, query_without_page, render_list
from capdev.people.models import Person

PARTICIPANTS_PER_PAGE = 40


def run_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "cohorts.list_runs")
    qs = (
        CourseRun.objects.visible_to(request.user)
        .select_related("course_version", "host", "country", "programme")
        .order_by("-start_date", "title", "id")
    )

    def with_seats(rows: list[CourseRun]) -> None:
        taken = seats_taken(r.pk for r in rows)
        for row in rows:
            row.seats_taken = taken[row.pk]  # type: ignore[attr-defined]

    return render_list(
        request,
        template="cohorts/run_list.html",
        partial="cohorts/run_results.html",
        filterset=RunFilter(request.GET, queryset=qs, request=request),
        decorate=with_seats,
    )


def _participants(request: HttpRequest, run: CourseRun) -> dict[str, Any]:
    qs = (
        Enrolment.objects.visible_to(request.user)
        .filter(run=run)
        .select_related("person", "person__organisation")
        .order_by("person__last_name", "person__first_name", "id")
    )
    page = paginate(request, qs, PARTICIPANTS_PER_PAGE)
    return {
        "run": run,
        "page": page,
        "participants": page.object_list,
        "querystring": query_without_page(request),
    }


def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_run(request, pk)
    participants = _participants(request, run)
    if is_partial(request):
        return render(request, "cohorts/_run_participants.html", participants)
    user = request.user
    rs = roles_of(user)
    into_run = Q(run=run)
    if run.programme_id:
        into_run |= Q(programme_id=run.programme_id)
    calls = Call.objects.visible_to(user).filter(into_run)
    own = Enrolment.objects.filter(run=run, person_id=rs.person_id).first() if rs.person_id else None
    context = {
        **participants,
        "seats": seat_summary([run])[0],
        "trainers": run.trainers.select_related("person", "person__organisation").order_by(
            "role", "person__last_name"
        ),
        "calls": calls.order_by("-deadline"),
        "own_enrolment": own,
        "panels": panels_for_run(request, run),
        "can_manage": can(user, "cohorts.manage_runs", run) and run.status in ACTIVE_RUN_STATUSES,
        "can_manage_calls": can(user, "cohorts.manage_calls") and run.status in ACTIVE_RUN_STATUSES,
        "can_enrol": can(user, "cohorts.enrol", run) and run.status in ACTIVE_RUN_STATUSES,
        "audit_events": audit_for(request, run),
    }
    return render(request, "cohorts/run_detail.html", context)


def _initial_from_activity(request: HttpRequest) -> dict[str, Any]:
    """Planning a run from an activity's page: its Action, dates, place and product."""
    raw = request.GET.get("activity", "")
    if not raw.isdigit():
        return {}
    activity = Activity.objects.visible_to(request.user).select_related("action").filter(pk=int(raw)).first()
    if activity is None:
        return {}
    return {
        "title": activity.title,
        "action": activity.action_id,
        "activity": activity.pk,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "venue": activity.venue,
        "city": activity.city,
        "country": activity.country_id,
        "course_version": activity.course_version_id,
    }


def _save_run(request: HttpRequest, run: CourseRun | None) -> HttpResponse:
    initial = _initial_from_activity(request) if run is None else {}
    form = RunForm(request.POST or None, instance=run, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            if run is None:
                run = services.create_run(actor=request.user, **values)
            else:
                run = services.update_run(run, actor=request.user, **values)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Run saved."))
            return redirect(run)
    return render(request, "cohorts/run_form.html", {"form": form, "run": run})


@require_http_methods(["GET", "POST"])
def run_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "cohorts.manage_runs")
    return _save_run(request, None)


@require_http_methods(["GET", "POST"])
def run_edit(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_run(request, pk, "cohorts.manage_runs")
    if run.status not in ACTIVE_RUN_STATUSES:
        messages.error(
            request,
            _("This run is %(status)s; it can no longer be changed.")
            % {"status": run.get_status_display().lower()},
        )
        return redirect(run)
    return _save_run(request, run)


@require_GET
def activity_options(request: HttpRequest) -> HttpResponse:
    """The activity choices of an Action (htmx: refreshes the run form's activity list)."""
    require(request.user, "cohorts.manage_runs")
    raw = request.GET.get("action", "")
    action = Action.objects.visible_to(request.user).filter(pk=int(raw)).first() if raw.isdigit() else None
    activities = (
        Activity.objects.filter(action=action).order_by("start_date") if action else Activity.objects.none()
    )
    return render(request, "cohorts/_activity_options.html", {"activities": activities})


@require_http_methods(["GET", "POST"])
def run_status(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_run(request, pk, "cohorts.manage_runs")
    form = RunStatusForm(request.POST or None, run=run)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_run_status(
                run,
                actor=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The run's status was changed."))
            return redirect(run)
    return render(request, "cohorts/run_status.html", {"form": form, "run": run})


@require_http_methods(["GET", "POST"])
def run_trainers(request: HttpRequest, pk: int) -> HttpResponse:
    """The run's trainers; find a person by name and add them in a role (staff)."""
    run = get_run(request, pk, "cohorts.manage_runs")
    if request.method == "POST":
        form = TrainerForm(request.POST)
        if form.is_valid():
            person = get_visible_or_404(Person.objects.all(), request.user, pk=form.cleaned_data["person"])
            try:
                services.add_trainer(run, person, actor=request.user, role=form.cleaned_data["role"])
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("%(name)s is now a trainer of this run.") % {"name": person})
        else:
            messages.error(request, _("Choose a person and a role."))
        return redirect("cohorts:run-trainers", pk=run.pk)
    query = (request.GET.get("q") or "").strip()
    trainers = run.trainers.select_related("person", "person__organisation").order_by(
        "role", "person__last_name"
    )
    return render(
        request,
        "cohorts/run_trainers.html",
        {
            "run": run,
            "trainers": trainers,
            "query": query,
            "candidates": find_people(request, query, exclude=run.trainers.values("person_id")),
            "roles": TrainerRole.choices,
            "editable": run.status in ACTIVE_RUN_STATUSES,
        },
    )


@require_POST
def trainer_remove(request: HttpRequest, pk: int, trainer_pk: int) -> HttpResponse:
    run = get_run(request, pk, "cohorts.manage_runs")
    trainer = RunTrainer.objects.select_related("person").filter(run=run, pk=trainer_pk).first()
    if trainer is None:
        messages.error(request, _("This trainer is no longer on the run."))
        return redirect("cohorts:run-trainers", pk=run.pk)
    try:
        services.remove_trainer(trainer, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(name)s is no longer a trainer of this run.") % {"name": trainer.person}
        )
    return redirect("cohorts:run-trainers", pk=run.pk)


@require_http_methods(["GET", "POST"])
def run_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """Enrol a person directly (staff): find them by name, then enrol."""
    run = get_run(request, pk, "cohorts.enrol")
    if request.method == "POST":
        raw = request.POST.get("person", "")
        person = (
            get_visible_or_404(Person.objects.all(), request.user, pk=int(raw)) if raw.isdigit() else None
        )
        if person is None:
            messages.error(request, _("Choose the person to enrol."))
            return redirect("cohorts:run-enrol", pk=run.pk)
        try:
            services.enrol_participant(run, person, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(reverse("cohorts:run-enrol", args=[run.pk]) + f"?q={person.last_name}")
        messages.success(request, _("%(name)s is enrolled.") % {"name": person})
        return redirect(run)
    query = (request.GET.get("q") or "").strip()
    enrolled = Enrolment.objects.filter(run=run).active().values("person_id")
    return render(
        request,
        "cohorts/run_enrol.html",
        {
            "run": run,
            "query": query,
            "candidates": find_people(request, query, exclude=enrolled),
            "seats": seat_summary([run])[0],
            "reason_form": ReasonForm(),
        },
    )
