"""The enrolment page (a participant in a run: status history, then the learning and delivery
apps' panels), withdrawal, the outcome and the online-part gate waiver."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from capdev.cohorts import services
from capdev.cohorts.forms import ReasonForm
from capdev.cohorts.models import EnrolmentStatus, RunStatus
from capdev.cohorts.panels import panels_for_enrolment
from capdev.cohorts.views.common import get_enrolment
from capdev.core.errors import DomainError
from capdev.core.forms import add_domain_error
from capdev.core.models import AuditEvent
from capdev.core.permissions import can

HISTORY_VERBS = (
    "enrolment.created",
    "enrolment.re_enrolled",
    "enrolment.withdrawn",
    "enrolment.outcome",
    "enrolment.gate_waived",
    "enrolment.gate_waiver_revoked",
)


def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment(request, pk)
    user = request.user
    run = enrolment.run
    manage = can(user, "cohorts.manage_enrolment", enrolment)
    context = {
        "enrolment": enrolment,
        "run": run,
        "person": enrolment.person,
        # The status history comes from the audit trail (who and when for staff; when for others).
        "history": AuditEvent.objects.for_object(enrolment)
        .filter(verb__in=HISTORY_VERBS)
        .order_by("at", "id"),
        "show_actors": manage,
        "panels": panels_for_enrolment(request, enrolment),
        "can_withdraw": enrolment.status == EnrolmentStatus.ENROLLED
        and run.status not in (RunStatus.COMPLETED, RunStatus.CANCELLED)
        and can(user, "cohorts.withdraw_enrolment", enrolment),
        "can_outcome": manage
        and enrolment.status != EnrolmentStatus.WITHDRAWN
        and run.status in (RunStatus.IN_PROGRESS, RunStatus.COMPLETED),
        "can_waive": manage
        and enrolment.status != EnrolmentStatus.WITHDRAWN
        and not enrolment.cleared_for_face_to_face,
        "can_revoke": manage and enrolment.gate_waived_at is not None,
    }
    return render(request, "cohorts/enrolment_detail.html", context)


@require_http_methods(["GET", "POST"])
def enrolment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment(request, pk, "cohorts.withdraw_enrolment")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_enrolment(enrolment, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The enrolment was withdrawn; the seat is offered to the waitlist."))
            return redirect(enrolment)
    return render(
        request,
        "cohorts/enrolment_reason.html",
        {
            "form": form,
            "enrolment": enrolment,
            "title": _("Withdraw from the run"),
            "intro": _("The seat is freed and offered to the first candidate on the waitlist."),
            "button": _("Withdraw"),
        },
    )


@require_http_methods(["GET", "POST"])
def enrolment_waive(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment(request, pk, "cohorts.manage_enrolment")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.waive_online_gate(enrolment, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("The participant may join the face-to-face part without the online part.")
            )
            return redirect(enrolment)
    return render(
        request,
        "cohorts/enrolment_reason.html",
        {
            "form": form,
            "enrolment": enrolment,
            "title": _("Admit without the online part"),
            "intro": _(
                "The online part must be completed before the face-to-face part when the course says so. "
                "Record why this participant may join without it; trainers will then be able to mark them present."
            ),
            "button": _("Admit"),
        },
    )


@require_POST
def enrolment_waiver_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment(request, pk, "cohorts.manage_enrolment")
    try:
        services.revoke_gate_waiver(enrolment, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The admission without the online part was taken back."))
    return redirect(enrolment)


@require_POST
def enrolment_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment(request, pk, "cohorts.manage_enrolment")
    try:
        services.record_outcome(
            enrolment, actor=request.user, completed=request.POST.get("outcome") == "completed"
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Outcome recorded."))
    return redirect(enrolment)
