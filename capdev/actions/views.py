"""Action pages: list, detail (summary, partners, objectives, phases, budget, deliverables, MoU,
activities and their timeline), edit, phase changes, partners, budget, deliverables and MoU."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from capdev.actions import budget, deliverables, services
from capdev.actions.filters import ActionFilter
from capdev.actions.forms import (
    ActionForm,
    BudgetLineForm,
    DeliverableForm,
    FunderShareFormSet,
    MouForm,
    PartnersForm,
    PhaseForm,
)
from capdev.actions.models import (
    Action,
    ActionPartner,
    Activity,
    ActivityType,
    BudgetLine,
    Deliverable,
    Level,
    MemorandumOfUnderstanding,
    Phase,
)
from capdev.actions.request_views import protected_file
from capdev.actions.timeline import build_gantt
from capdev.core.errors import DomainError
from capdev.core.forms import add_domain_error
from capdev.core.models import AuditEvent
from capdev.core.permissions import can, get_visible_or_404, require
from capdev.core.views import is_partial, render_list


def action_list_queryset(user: Any) -> Any:
    """The Action list's rows: one query for the page, one for its partners."""
    return (
        Action.objects.visible_to(user)
        .select_related("country", "thematic_area")
        .prefetch_related(
            Prefetch(
                "partnerships",
                queryset=ActionPartner.objects.select_related("organisation").order_by("-is_lead", "id"),
            )
        )
        .order_by("-start_date", "name", "id")
    )


def action_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "actions.list")
    return render_list(
        request,
        template="actions/action_list.html",
        partial="actions/_action_results.html",
        filterset=ActionFilter(request.GET, queryset=action_list_queryset(request.user), request=request),
    )


def get_action(request: HttpRequest, pk: int) -> Action:
    return get_visible_or_404(
        Action.objects.select_related("country", "thematic_area", "request"), request.user, pk=pk
    )


def _activities(request: HttpRequest, action: Action) -> list[Activity]:
    return list(
        Activity.objects.visible_to(request.user)
        .filter(action=action)
        .select_related("country")
        .order_by("start_date", "id")
    )


def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action(request, pk)
    require(request.user, "actions.view", action)
    activities = _activities(request, action)
    objectives: dict[str, list[Any]] = {level: [] for level in Level.values}
    for o in action.objectives.all():
        objectives[o.level].append(o)
    show_budget = can(request.user, "actions.view_budget", action)
    context = {
        "action": action,
        "partners": action.partnerships.select_related("organisation__country").order_by(
            "-is_lead", "organisation__name"
        ),
        "countries": action.countries.all(),
        "specific_areas": action.specific_areas.all(),
        "objective_levels": [(Level(level).label, objectives[level]) for level in Level.values],
        "transitions": action.transitions.select_related("by").order_by("on", "id"),
        "phases": _phase_track(action),
        "overview": budget.budget_overview(action) if show_budget else None,
        "deliverables": action.deliverables.select_related("activity").order_by("due_date", "id"),
        "mou": MemorandumOfUnderstanding.objects.filter(action=action).first(),
        "activities": activities,
        "gantt": build_gantt(
            activities, start=action.start_date, end=action.end_date, today=timezone.localdate()
        ),
        "activity_types": ActivityType.choices,
        "can_change": can(request.user, "actions.change", action),
        "can_manage": can(request.user, "actions.manage", action),
        "can_manage_activities": can(request.user, "actions.manage_activities", action),
        "audit_events": (
            AuditEvent.objects.for_object(action)[:50]
            if can(request.user, "core.view_audit", action)
            else None
        ),
    }
    return render(request, "actions/action_detail.html", context)


def _phase_track(action: Action) -> list[dict[str, Any]]:
    current = services.PHASES.index(action.phase)
    return [
        {
            "label": label,
            "state": "done" if i < current else ("current" if i == current else "todo"),
        }
        for i, (_value, label) in enumerate(Phase.choices)
    ]


def action_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """The Gantt-like timeline alone, for printing."""
    action = get_action(request, pk)
    activities = _activities(request, action)
    context = {
        "action": action,
        "activities": activities,
        "gantt": build_gantt(
            activities, start=action.start_date, end=action.end_date, today=timezone.localdate()
        ),
    }
    return render(request, "actions/action_timeline.html", context)


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff edit the Action; the partners' focal points edit the summary and the objectives."""
    action = get_action(request, pk)
    require(request.user, "actions.change", action)
    staff = can(request.user, "actions.manage", action)
    form = ActionForm(request.POST or None, instance=action, staff=staff)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_action(Action.objects.get(pk=pk), actor=request.user, **form.action_values())
            services.set_objectives(action, actor=request.user, objectives=form.objectives())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(action)
    return render(request, "actions/action_form.html", {"form": form, "action": action, "staff": staff})


@require_http_methods(["GET", "POST"])
def action_phase(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the Action to the next phase, or back with a note."""
    action = get_action(request, pk)
    require(request.user, "actions.manage", action)
    form = PhaseForm(request.POST or None, action_obj=action)
    open_activities = services.open_activities(action)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_phase(
                action,
                actor=request.user,
                to_phase=form.cleaned_data["to_phase"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            action.refresh_from_db()
            messages.success(
                request,
                _("%(name)s is now in the %(phase)s phase.")
                % {"name": action.name, "phase": action.get_phase_display().lower()},
            )
            return redirect(action)
    return render(
        request,
        "actions/action_phase.html",
        {
            "action": action,
            "form": form,
            "open_activities": open_activities,
            "transitions": action.transitions.select_related("by").order_by("on", "id"),
        },
    )


@require_http_methods(["GET", "POST"])
def action_partners(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action(request, pk)
    require(request.user, "actions.manage", action)
    current = list(
        action.partnerships.select_related("organisation").order_by("-is_lead", "organisation__name")
    )
    lead = next((p.organisation for p in current if p.is_lead), None)
    form = PartnersForm(
        request.POST or None,
        user=request.user,
        initial={"organisations": [p.organisation for p in current], "lead": lead},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_partners(
                action,
                actor=request.user,
                organisations=list(form.cleaned_data["organisations"] or []),
                lead=form.cleaned_data["lead"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Partners saved."))
            return redirect(action)
    return render(request, "actions/action_partners.html", {"action": action, "form": form})


# --- budget --------------------------------------------------------------------------------


def action_budget(request: HttpRequest, pk: int) -> HttpResponse:
    """The budget against the time frame: lines, totals, funder shares."""
    action = get_action(request, pk)
    require(request.user, "actions.view_budget", action)
    context = {
        "action": action,
        "overview": budget.budget_overview(action),
        "can_manage": can(request.user, "actions.manage", action),
    }
    if is_partial(request):
        return render(request, "actions/_budget_overview.html", context)
    return render(request, "actions/action_budget.html", context)


def _line(action: Action, line_pk: int) -> BudgetLine:
    line = BudgetLine.objects.filter(action=action, pk=line_pk).first()
    if line is None:
        raise Http404
    return line


@require_http_methods(["GET", "POST"])
def budget_line_edit(request: HttpRequest, pk: int, line_pk: int | None = None) -> HttpResponse:
    action = get_action(request, pk)
    require(request.user, "actions.manage", action)
    line = _line(action, line_pk) if line_pk else None
    form = BudgetLineForm(request.POST or None, instance=line)
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in budget.LINE_FIELDS}
        try:
            if line is None:
                budget.add_budget_line(action, actor=request.user, **values)
            else:
                budget.update_budget_line(line, actor=request.user, **values)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Budget line saved."))
            return redirect("actions:action-budget", pk=action.pk)
    return render(request, "actions/budget_line_form.html", {"action": action, "form": form, "line": line})


@require_http_methods(["GET", "POST"])
def budget_line_delete(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    action = get_action(request, pk)
    require(request.user, "actions.manage", action)
    line = _line(action, line_pk)
    error = ""
    if request.method == "POST":
        try:
            budget.remove_budget_line(line, actor=request.user)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Budget line removed."))
            return redirect("actions:action-budget", pk=action.pk)
    return render(
        request, "actions/budget_line_delete.html", {"action": action, "line": line, "error": error}
    )


@require_http_methods(["GET", "POST"])
def funder_shares_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action(request, pk)
    require(request.user, "actions.manage", action)
    initial = [
        {"funder": s.funder, "fund": s.fund, "percent": s.percent}
        for s in action.funder_shares.select_related("funder").order_by("-percent", "id")
    ]
    formset = FunderShareFormSet(request.POST or None, initial=initial, prefix="shares")
    error = ""
    if request.method == "POST" and formset.is_valid():
        shares = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("funder")]
        try:
            budget.set_funder_shares(action, actor=request.user, shares=shares)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Funder shares saved."))
            return redirect("actions:action-budget", pk=action.pk)
    return render(
        request, "actions/funder_shares_form.html", {"action": action, "formset": formset, "error": error}
    )


# --- deliverables and MoU ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def deliverable_edit(request: HttpRequest, pk: int, deliverable_pk: int | None = None) -> HttpResponse:
    action = get_action(request, pk)
    require(request.user, "actions.manage", action)
    item = Deliverable.objects.filter(action=action, pk=deliverable_pk).first() if deliverable_pk else None
    if deliverable_pk and item is None:
        raise Http404
    form = DeliverableForm(request.POST or None, request.FILES or None, instance=item, action_obj=action)
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in deliverables.DELIVERABLE_FIELDS}
        upload = form.cleaned_data.get("file") or None
        try:
            if item is None:
                deliverables.add_deliverable(action, actor=request.user, upload=upload, **values)
            else:
                deliverables.update_deliverable(item, actor=request.user, upload=upload, **values)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Deliverable saved."))
            return redirect(f"{action.get_absolute_url()}#deliverables")
    return render(request, "actions/deliverable_form.html", {"action": action, "form": form, "item": item})


def deliverable_download(request: HttpRequest, pk: int, deliverable_pk: int) -> Any:
    action = get_action(request, pk)
    item = Deliverable.objects.filter(action=action, pk=deliverable_pk).first()
    if item is None or not item.file:
        raise Http404
    return protected_file(item.file, item.content_type)


@require_http_methods(["GET", "POST"])
def mou_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action(request, pk)
    require(request.user, "actions.manage", action)
    mou = MemorandumOfUnderstanding.objects.filter(action=action).first()
    initial = (
        {
            "signed_on": mou.signed_on,
            "signatories": mou.signatories,
            "valid_until": mou.valid_until,
            "notes": mou.notes,
        }
        if mou
        else {}
    )
    form = MouForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file", None) or None
        try:
            deliverables.save_mou(action, actor=request.user, upload=upload, **data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Memorandum of understanding saved."))
            return redirect(f"{action.get_absolute_url()}#mou")
    return render(request, "actions/mou_form.html", {"action": action, "form": form, "mou": mou})


def mou_download(request: HttpRequest, pk: int) -> Any:
    action = get_action(request, pk)
    require(request.user, "actions.view_mou", action)
    mou = MemorandumOfUnderstanding.objects.filter(action=action).first()
    if mou is None or not mou.file:
        raise Http404
    return protected_file(mou.file, mou.content_type)
