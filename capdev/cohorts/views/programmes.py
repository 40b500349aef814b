"""Programme pages: the list, a programme (its runs in order with dates and seats, its calls),
the programme form, adding, removing and reordering runs."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from capdev.cohorts import services
from capdev.cohorts.filters import ProgrammeFilter
from capdev.cohorts.forms import ProgrammeForm, ProgrammeRunForm
from capdev.cohorts.models import Call, CourseRun, Programme
from capdev.cohorts.services.programmes import accepted_candidates
from capdev.cohorts.services.seats import seat_summary
from capdev.cohorts.views.common import audit_for, get_programme
from capdev.core.errors import DomainError
from capdev.core.forms import add_domain_error
from capdev.core.permissions import can, require
from capdev.core.views import render_list


def programme_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "cohorts.list_programmes")
    qs = (
        Programme.objects.visible_to(request.user)
        .select_related("organiser")
        .order_by("-start_date", "title", "id")
    )

    def with_runs(rows: list[Programme]) -> None:
        from django.db.models import Count

        counts = dict(
            CourseRun.objects.filter(programme__in=rows)
            .order_by()
            .values("programme_id")
            .annotate(n=Count("id"))
            .values_list("programme_id", "n")
        )
        for row in rows:
            row.run_count = counts.get(row.pk, 0)  # type: ignore[attr-defined]

    return render_list(
        request,
        template="cohorts/programme_list.html",
        partial="cohorts/programme_results.html",
        filterset=ProgrammeFilter(request.GET, queryset=qs, request=request),
        decorate=with_runs,
    )


def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme(request, pk)
    user = request.user
    runs = list(
        programme.runs.select_related("course_version", "country").order_by("position", "start_date", "pk")
    )
    visible = set(CourseRun.objects.visible_to(user).filter(programme=programme).values_list("pk", flat=True))
    manage = can(user, "cohorts.manage_programmes", programme)
    context = {
        "programme": programme,
        "rows": seat_summary(runs),
        "visible_runs": visible,
        "calls": Call.objects.visible_to(user).filter(programme=programme).order_by("-deadline"),
        "accepted": len(accepted_candidates(programme)) if manage else None,
        "can_manage": manage,
        "can_manage_calls": can(user, "cohorts.manage_calls"),
        "run_form": ProgrammeRunForm() if manage else None,
        "audit_events": audit_for(request, programme),
    }
    return render(request, "cohorts/programme_detail.html", context)


def _save(request: HttpRequest, programme: Programme | None) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, instance=programme, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if programme is None:
                programme = services.create_programme(actor=request.user, **form.cleaned_data)
            else:
                programme = services.update_programme(programme, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Programme saved."))
            return redirect(programme)
    return render(request, "cohorts/programme_form.html", {"form": form, "programme": programme})


@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "cohorts.manage_programmes")
    return _save(request, None)


@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme(request, pk, "cohorts.manage_programmes")
    return _save(request, programme)


@require_POST
def programme_add_run(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme(request, pk, "cohorts.manage_programmes")
    form = ProgrammeRunForm(request.POST)
    if form.is_valid():
        try:
            services.add_run(programme, form.cleaned_data["run"], actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Run added to the programme."))
    else:
        messages.error(request, _("Choose a run that is in no programme yet."))
    return redirect(programme)


def _programme_run(programme: Programme, run_pk: int) -> CourseRun | None:
    return CourseRun.objects.filter(programme=programme, pk=run_pk).first()


@require_POST
def programme_remove_run(request: HttpRequest, pk: int, run_pk: int) -> HttpResponse:
    programme = get_programme(request, pk, "cohorts.manage_programmes")
    run = _programme_run(programme, run_pk)
    if run is None:
        messages.error(request, _("This run is not in the programme."))
        return redirect(programme)
    try:
        services.remove_run(programme, run, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("“%(run)s” was taken out of the programme.") % {"run": run})
    return redirect(programme)


@require_POST
def programme_move_run(request: HttpRequest, pk: int, run_pk: int) -> HttpResponse:
    programme = get_programme(request, pk, "cohorts.manage_programmes")
    run = _programme_run(programme, run_pk)
    if run is not None:
        offset = -1 if request.POST.get("direction") == "up" else 1
        services.move_run(programme, run, actor=request.user, offset=offset)
    return redirect(programme)
