"""Request pages: list, steering-committee queue, filing form, detail with timeline, workflow
steps, attachments, the eligible-country list, and two htmx helpers of the form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from capdev.actions import services
from capdev.actions.filters import RequestFilter
from capdev.actions.forms import (
    DecisionForm,
    EligibleCountryForm,
    NoteForm,
    RequestForm,
    request_initial,
    search_organisations,
)
from capdev.actions.models import EligibleCountry, Request, RequestAttachment, RequestStatus
from capdev.core.errors import DomainError
from capdev.core.forms import add_domain_error
from capdev.core.models import AuditEvent
from capdev.core.permissions import can, get_visible_or_404, require
from capdev.core.views import is_partial, render_list
from capdev.reference.models import SpecificArea

STEP_PERMS = {
    "analyse": "requests.analyse",
    "submit": "requests.analyse",
    "approve": "requests.decide",
    "reject": "requests.decide",
    "withdraw": "requests.withdraw",
}


def _list_queryset(request: HttpRequest) -> Any:
    return (
        Request.objects.visible_to(request.user)
        .select_related("thematic_area", "action")
        .prefetch_related("requesters__organisation", "countries")
        .order_by("-received_on", "-id")
    )


def request_list(request: HttpRequest) -> HttpResponse:
    """Staff see every request, focal points their organisations', steering members those put
    before the committee."""
    require(request.user, "requests.list")
    return render_list(
        request,
        template="actions/request_list.html",
        partial="actions/_request_results.html",
        filterset=RequestFilter(request.GET, queryset=_list_queryset(request), request=request),
        context={
            "awaiting": Request.objects.visible_to(request.user).awaiting_decision().count()
            if can(request.user, "requests.queue")
            else None,
        },
    )


def request_queue(request: HttpRequest) -> HttpResponse:
    """The steering committee's queue: requests awaiting a decision, oldest first."""
    require(request.user, "requests.queue")
    queue = list(
        Request.objects.visible_to(request.user)
        .awaiting_decision()
        .select_related("thematic_area")
        .prefetch_related("requesters__organisation", "countries", "specific_areas", "transitions")
        .order_by("received_on", "id")
    )
    for r in queue:
        r.submitted_at = max(  # type: ignore[attr-defined]
            (t.at for t in r.transitions.all() if t.to_status == RequestStatus.SUBMITTED), default=None
        )
    return render(
        request,
        "actions/request_queue.html",
        {"queue": queue, "can_decide": can(request.user, "requests.decide")},
    )


def _form_page(request: HttpRequest, form: RequestForm, obj: Request | None) -> HttpResponse:
    return render(request, "actions/request_form.html", {"form": form, "request_obj": obj})


@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "requests.file")
    form = RequestForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = form.service_values()
        try:
            obj = services.file_request(actor=request.user, **values)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Request %(ref)s received. You will be told of each step by e-mail.")
                % {"ref": obj.reference},
            )
            return redirect(obj)
    return _form_page(request, form, None)


def _get_request(request: HttpRequest, pk: int) -> Request:
    return get_visible_or_404(
        Request.objects.select_related("thematic_area", "filed_by", "decided_by"), request.user, pk=pk
    )


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _get_request(request, pk)
    require(request.user, "requests.view", obj)
    steps = {
        step: can(request.user, perm, obj) and obj.status in services.REQUEST_STEPS[step][0]
        for step, perm in STEP_PERMS.items()
    }
    action = getattr(obj, "action", None) if obj.status == RequestStatus.APPROVED else None
    from capdev.actions.models import Action

    context = {
        "request_obj": obj,
        "requesters": obj.requesters.select_related("organisation__country").order_by(
            "-is_lead", "organisation__name"
        ),
        "countries": obj.countries.all(),
        "specific_areas": obj.specific_areas.all(),
        "attachments": obj.attachments.order_by("created_at", "id"),
        "transitions": obj.transitions.select_related("by").order_by("at", "id"),
        "steps": steps,
        "any_step": any(steps.values()),
        "can_change": can(request.user, "requests.change", obj),
        "action": action
        if action and Action.objects.visible_to(request.user).filter(pk=action.pk).exists()
        else None,
        "audit_events": AuditEvent.objects.for_object(obj)[:50]
        if can(request.user, "core.view_audit", obj)
        else None,
        "progress": _progress(obj),
    }
    return render(request, "actions/request_detail.html", context)


def _progress(obj: Request) -> list[dict[str, Any]]:
    """The workflow as steps (done, current, to come) for the status tracker."""
    order: list[str] = [RequestStatus.RECEIVED, RequestStatus.UNDER_ANALYSIS, RequestStatus.SUBMITTED]
    final = (
        obj.status
        if obj.status in (RequestStatus.REJECTED, RequestStatus.WITHDRAWN)
        else RequestStatus.APPROVED
    )
    labels = dict(RequestStatus.choices)
    path = [*order, final]
    if obj.status == RequestStatus.WITHDRAWN:
        reached = {t for t in obj.transitions.values_list("from_status", flat=True) if t}
        path = [s for s in order if s in reached] + [RequestStatus.WITHDRAWN]
    current = path.index(obj.status) if obj.status in path else 0
    return [
        {"label": labels[s], "state": "done" if i < current else ("current" if i == current else "todo")}
        for i, s in enumerate(path)
    ]


@require_http_methods(["GET", "POST"])
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _get_request(request, pk)
    require(request.user, "requests.change", obj)
    form = RequestForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        request_obj=obj,
        initial=request_initial(obj),
    )
    if request.method == "POST" and form.is_valid():
        values = form.service_values()
        try:
            services.update_request(obj, actor=request.user, **values)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(obj)
    return _form_page(request, form, obj)


@require_http_methods(["GET", "POST"])
def request_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step of the workflow: GET shows the form (note, or the decision), POST does it."""
    if step not in STEP_PERMS:
        raise Http404
    obj = _get_request(request, pk)
    require(request.user, STEP_PERMS[step], obj)
    allowed = obj.status in services.REQUEST_STEPS[step][0]
    regional = services.is_regional(obj)
    form: Any
    if step in ("approve", "reject"):
        form = DecisionForm(request.POST or None, reject=step == "reject", regional=regional)
    else:
        form = NoteForm(request.POST or None)
    if request.method == "POST" and allowed and form.is_valid():
        data = form.cleaned_data
        try:
            if step == "analyse":
                services.start_analysis(obj, actor=request.user, note=data["note"])
                messages.success(request, _("The request is now under analysis."))
            elif step == "submit":
                services.submit_to_committee(obj, actor=request.user, note=data["note"])
                messages.success(request, _("The request is submitted to the steering committee."))
            elif step == "withdraw":
                services.withdraw_request(obj, actor=request.user, reason=data["note"])
                messages.success(request, _("The request is withdrawn."))
            elif step == "approve":
                new = services.approve_request(
                    obj,
                    actor=request.user,
                    decided_on=data["decided_on"],
                    reason=data["reason"],
                    action_name=data.get("action_name", ""),
                    action_type=data.get("action_type") or None,
                )
                messages.success(
                    request, _("Request approved: the Action “%(name)s” is created.") % {"name": new.name}
                )
                return redirect(new)
            else:
                services.reject_request(
                    obj, actor=request.user, reason=data["reason"], decided_on=data["decided_on"]
                )
                messages.success(request, _("Request rejected; the requesters are informed."))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect(obj)
    return render(
        request,
        "actions/request_step.html",
        {
            "request_obj": obj,
            "step": step,
            "form": form,
            "allowed": allowed,
            "regional": regional,
            "title": STEP_TITLES[step](),
        },
    )


STEP_TITLES = {
    "analyse": lambda: _("Start the analysis"),
    "submit": lambda: _("Submit to the steering committee"),
    "approve": lambda: _("Approve the request"),
    "reject": lambda: _("Reject the request"),
    "withdraw": lambda: _("Withdraw the request"),
}


def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Serve an attachment to a user who sees the request (never a public /media/ URL)."""
    obj = _get_request(request, pk)
    attachment = RequestAttachment.objects.filter(pk=attachment_pk, request=obj).first()
    if attachment is None or not attachment.file:
        raise Http404
    return protected_file(attachment.file, attachment.content_type)


def protected_file(file: Any, content_type: str) -> FileResponse:
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=file.name.rsplit("/", 1)[-1],
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- htmx helpers of the form --------------------------------------------------------------


def specific_areas_fragment(request: HttpRequest) -> HttpResponse:
    """The specific-area checkboxes of the chosen thematic area."""
    require(request.user, "requests.file")
    theme = request.GET.get("thematic_area") or ""
    areas = (
        SpecificArea.objects.filter(thematic_area_id=int(theme))
        if theme.isdigit()
        else SpecificArea.objects.none()
    )
    chosen = set(request.GET.getlist("specific_areas"))
    return render(
        request,
        "actions/_specific_areas.html",
        {"areas": areas, "chosen": chosen, "name": request.GET.get("name") or "specific_areas"},
    )


def organisation_search(request: HttpRequest) -> HttpResponse:
    """Organisations that may be named on a request, found by name (joint requests); with
    `add=<id>` the row to append to the form."""
    require(request.user, "requests.file")
    add = request.GET.get("add") or ""
    if add.isdigit():
        from capdev.actions.forms import OrgRow, requestable_organisations

        org = requestable_organisations().select_related("country").filter(pk=add).first()
        if org is None:
            raise Http404
        return render(request, "actions/_org_row.html", {"row": OrgRow(org, True, False)})
    return render(
        request,
        "actions/_org_search_results.html",
        {"results": search_organisations(request.GET.get("q", "")), "q": request.GET.get("q", "")},
    )


# --- eligible countries --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def eligibility_list(request: HttpRequest) -> HttpResponse:
    """The programme's eligible countries (staff add and remove)."""
    require(request.user, "requests.manage_eligibility")
    form = EligibleCountryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        row = services.make_eligible(
            form.cleaned_data["country"],
            actor=request.user,
            since=form.cleaned_data["since"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("%(country)s is now eligible.") % {"country": row.country.label})
        return redirect("actions:eligibility-list")
    rows = EligibleCountry.objects.select_related("country").order_by("country__region", "country__name")
    context = {"rows": rows, "form": form}
    if is_partial(request):
        return render(request, "actions/_eligibility_rows.html", context)
    return render(request, "actions/eligibility_list.html", context)


@require_http_methods(["GET", "POST"])
def eligibility_remove(request: HttpRequest, code: str) -> HttpResponse:
    """GET asks for confirmation; POST takes the country off the list."""
    require(request.user, "requests.manage_eligibility")
    row = EligibleCountry.objects.select_related("country").filter(pk=code.upper()).first()
    if row is None:
        raise Http404
    country = row.country
    if request.method == "GET":
        return render(request, "actions/eligibility_remove.html", {"row": row})
    try:
        services.remove_eligibility(country, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(country)s is no longer eligible.") % {"country": country.label})
    return redirect("actions:eligibility-list")
