"""Applications: "My applications" (and the scoped list for focal points and staff), an
application with its profile fit, withdrawing, answering an offer, attachments; and the
selection page of a call with its decisions (htmx: the page's selection region is redrawn after
each decision, so seats and the sex balance are always current)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from capdev.cohorts import services
from capdev.cohorts.filters import ApplicationFilter
from capdev.cohorts.forms import ApplyForm, ReasonForm
from capdev.cohorts.models import (
    Application,
    ApplicationAttachment,
    ApplicationStatus,
    Call,
)
from capdev.cohorts.profile import CRITERIA
from capdev.cohorts.services.seats import free_seats, runs_of_call, seat_summary
from capdev.cohorts.views.common import audit_for, get_application, get_call, safe_next
from capdev.core.errors import DomainError
from capdev.core.permissions import can, require
from capdev.core.roles import Role, roles_of
from capdev.core.views import paginate, render_list
from capdev.people.models import Sex

S = ApplicationStatus
SELECTION_PER_PAGE = 50


def application_list(request: HttpRequest) -> HttpResponse:
    """Staff see every application, focal points those of their organisations' people, everyone
    their own ("My applications", with the places offered to answer first)."""
    require(request.user, "cohorts.list_applications")
    rs = roles_of(request.user)
    qs = (
        Application.objects.visible_to(request.user)
        .select_related("call", "call__run", "call__programme", "person", "person__organisation")
        .order_by("-created_at", "-id")
    )
    offers = (
        list(
            Application.objects.filter(person_id=rs.person_id, status=S.OFFERED)
            .select_related("call", "call__run", "call__programme")
            .order_by("offer_expires_on")
        )
        if rs.person_id
        else []
    )
    return render_list(
        request,
        template="cohorts/application_list.html",
        partial="cohorts/application_results.html",
        filterset=ApplicationFilter(request.GET, queryset=qs, request=request),
        context={"offers": offers, "mine_only": not (rs.is_staff or rs.has(Role.FOCAL_POINT))},
    )


def _fit_rows(application: Application) -> list[dict[str, Any]]:
    fit = application.profile_fit or {}
    return [{"label": label, "value": fit.get(key)} for key, label in CRITERIA.items()]


def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    user = request.user
    context = {
        "application": application,
        "call": application.call,
        "person": application.person,
        "fit": _fit_rows(application),
        "attachments": application.attachments.all()
        if can(user, "cohorts.view_attachments", application)
        else None,
        "enrolments": application.enrolments.select_related("run").order_by("run__start_date"),
        "can_withdraw": application.status in services.selection.WITHDRAWABLE
        and can(user, "cohorts.withdraw_application", application),
        "can_answer": application.status == S.OFFERED and can(user, "cohorts.answer_offer", application),
        "can_select": can(user, "cohorts.select", application.call),
        "can_add_files": application.status in (S.SUBMITTED, S.SHORTLISTED)
        and can(user, "cohorts.change_attachments", application),
        "files_form": ApplyForm(),
        "audit_events": audit_for(request, application),
    }
    return render(request, "cohorts/application_detail.html", context)


@require_http_methods(["GET", "POST"])
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk, "cohorts.withdraw_application")
    form = ReasonForm(request.POST or None)
    form.fields["reason"].required = False
    form.fields["reason"].label = _("Reason (optional)")
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_application(application, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The application was withdrawn."))
        return redirect(application)
    return render(request, "cohorts/application_withdraw.html", {"form": form, "application": application})


@require_POST
def application_offer(request: HttpRequest, pk: int) -> HttpResponse:
    """The candidate accepts or declines the place offered."""
    application = get_application(request, pk, "cohorts.answer_offer")
    try:
        if request.POST.get("answer") == "accept":
            services.accept_offer(application, actor=request.user)
            messages.success(request, _("You have taken the place: you are enrolled."))
        else:
            services.decline_offer(application, actor=request.user, note=request.POST.get("note", ""))
            messages.success(request, _("You have declined the place."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(safe_next(request, application.get_absolute_url()))


@require_POST
def application_files(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk, "cohorts.change_attachments")
    form = ApplyForm(request.POST, request.FILES)
    form.fields["motivation"].required = False
    if form.is_valid() and form.cleaned_data["attachments"]:
        try:
            services.add_attachments(application, form.cleaned_data["attachments"], actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Files added."))
    else:
        messages.error(request, _("Choose one or more files to add."))
    return redirect(reverse("cohorts:application-detail", args=[application.pk]) + "#attachments")


@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    application = get_application(request, pk, "cohorts.change_attachments")
    attachment = ApplicationAttachment.objects.filter(application=application, pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    try:
        services.remove_attachment(attachment, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("File removed."))
    return redirect(reverse("cohorts:application-detail", args=[application.pk]) + "#attachments")


def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    application = get_application(request, pk, "cohorts.view_attachments")
    attachment = ApplicationAttachment.objects.filter(application=application, pk=attachment_pk).first()
    if attachment is None or not attachment.file:
        raise Http404
    with attachment.file.open("rb") as fh:  # at most 5 MB
        content = fh.read()
    response = HttpResponse(content, content_type=attachment.content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, attachment.title) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Selection ------------------------------------------------------------------------------------


def selection_context(request: HttpRequest, call: Call, params: QueryDict) -> dict[str, Any]:
    """Everything the selection region shows: seats, balance, the waitlist and the page of
    applications matching the filters (a constant number of queries)."""
    runs = runs_of_call(call)
    seats = seat_summary(runs)
    accepted = Application.objects.filter(call=call, status=S.ACCEPTED)
    by_sex = dict.fromkeys(Sex.values, 0)
    for sex in accepted.values_list("person__sex", flat=True):
        by_sex[sex] = by_sex.get(sex, 0) + 1
    total = sum(by_sex.values())
    women_share = round(100 * by_sex[Sex.FEMALE] / total) if total else None
    qs = (
        Application.objects.filter(call=call)
        .select_related("person", "person__organisation", "organisation")
        .order_by("status", "waitlist_rank", "person__last_name", "id")
    )
    filterset = ApplicationFilter(params, queryset=qs, request=request)
    page = paginate(_with_params(request, params), filterset.qs, SELECTION_PER_PAGE)
    querystring = params.copy()
    querystring.pop("page", None)
    return {
        "call": call,
        "seats": seats,
        "free": free_seats(runs) if runs else 0,
        "by_sex": by_sex,
        "accepted_total": total,
        "women_share": women_share,
        "target": call.women_target_percent,
        "waitlist": list(
            Application.objects.filter(call=call).waitlist().select_related("person", "person__organisation")
        ),
        "offers": list(
            Application.objects.filter(call=call, status=S.OFFERED)
            .select_related("person")
            .order_by("offer_expires_on")
        ),
        "filter": filterset,
        "page": page,
        "object_list": page.object_list,
        "querystring": querystring.urlencode(),
        "results_template": "cohorts/_selection_results.html",
        "criteria": CRITERIA,
        "here": f"{reverse('cohorts:call-selection', args=[call.pk])}?{params.urlencode()}",
    }


def _with_params(request: HttpRequest, params: QueryDict) -> HttpRequest:
    if request.GET is params:
        return request
    clone = HttpRequest()
    clone.GET = params
    return clone


def call_selection(request: HttpRequest, pk: int) -> HttpResponse:
    """One page per call for staff: applications with their fit, filters, decisions, the
    waitlist, seats and the sex balance of those accepted."""
    call = get_call(request, pk, "cohorts.select")
    services.expire_offers(calls=[call.pk], actor=request.user)
    context = selection_context(request, call, request.GET)
    from capdev.core.views import is_partial

    if is_partial(request):
        return render(request, "cohorts/_selection_results.html", context)
    return render(request, "cohorts/call_selection.html", context)


def _number(value: str | None) -> int:
    return int(value) if value and value.strip().lstrip("-").isdigit() else 0


DECISIONS = {
    "shortlist": (services.shortlist_application, _("%(name)s is shortlisted.")),
    "accept": (services.accept_application, _("%(name)s is accepted and enrolled.")),
    "waitlist": (services.waitlist_application, _("%(name)s is on the waitlist.")),
}


@require_POST
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """A decision from the selection page: shortlist, accept, waitlist, reject (with a reason),
    move on the waitlist, or record the candidate's answer to an offer."""
    application = get_application(request, pk)
    call = application.call
    require(request.user, "cohorts.select", call)
    decision = request.POST.get("decision", "")
    name = application.person.full_name
    feedback: tuple[str, str]
    try:
        if decision in DECISIONS:
            fn, text = DECISIONS[decision]
            fn(application, actor=request.user)
            feedback = ("success", text % {"name": name})
        elif decision == "reject":
            services.reject_application(
                application, actor=request.user, reason=request.POST.get("reason", "")
            )
            feedback = ("success", _("%(name)s is rejected; the reason was sent to them.") % {"name": name})
        elif decision == "move":
            services.move_on_waitlist(
                application, actor=request.user, position=_number(request.POST.get("position"))
            )
            feedback = ("success", _("%(name)s was moved on the waitlist.") % {"name": name})
        elif decision == "offer_accept":
            services.accept_offer(application, actor=request.user)
            feedback = ("success", _("%(name)s took the place offered and is enrolled.") % {"name": name})
        elif decision == "offer_decline":
            services.decline_offer(application, actor=request.user)
            feedback = (
                "success",
                _("%(name)s declined the place; it went to the next on the waitlist.") % {"name": name},
            )
        else:
            feedback = ("danger", _("Unknown decision."))
    except DomainError as exc:
        feedback = ("danger", exc.message)
    back = safe_next(request, reverse("cohorts:call-selection", args=[call.pk]))
    if getattr(request, "htmx", False):
        params = QueryDict(urlsplit(back).query, mutable=True)
        context = selection_context(
            request, Call.objects.select_related("run", "programme").get(pk=call.pk), params
        )
        context["feedback"] = feedback
        return render(request, "cohorts/_selection.html", context)
    (messages.success if feedback[0] == "success" else messages.error)(request, feedback[1])
    return redirect(back)
