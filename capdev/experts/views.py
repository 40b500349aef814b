"""Roster pages: list with filters, a profile with its deployment history, the profile form,
availability, CV download, roster statistics, "My invitations" (accept or decline), feedback,
withdrawal, and the expert's iCalendar feed (opened by a signed token, without a session)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from capdev.actions import ics
from capdev.actions.activity_views import ics_response
from capdev.core.errors import DomainError
from capdev.core.forms import add_domain_error
from capdev.core.models import AuditEvent
from capdev.core.permissions import can, get_visible_or_404, require
from capdev.core.roles import roles_of
from capdev.core.views import render_list
from capdev.experts import services
from capdev.experts.filters import ExpertFilter
from capdev.experts.forms import AvailabilityForm, DeclineForm, ExpertProfileForm, FeedbackForm, ReasonForm
from capdev.experts.models import Availability, Deployment, DeploymentStatus, ExpertProfile, InstitutionType
from capdev.experts.statistics import roster_figures
from capdev.people.models import Person, Sex


def get_expert(request: HttpRequest, pk: int, perm: str = "experts.view") -> ExpertProfile:
    expert = get_visible_or_404(
        ExpertProfile.objects.select_related(
            "person", "person__nationality", "person__user", "institution", "proposed_by"
        ),
        request.user,
        pk=pk,
    )
    require(request.user, perm, expert)
    return expert


def accepted_count() -> Subquery:
    return Subquery(
        Deployment.objects.filter(expert_id=OuterRef("pk"), status=DeploymentStatus.ACCEPTED)
        .order_by()
        .values("expert_id")
        .annotate(n=Count("id"))
        .values("n"),
        output_field=IntegerField(),
    )


def expert_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "experts.list")
    qs = (
        ExpertProfile.objects.visible_to(request.user)
        .select_related("person", "person__nationality", "institution")
        .annotate(deployed=Coalesce(accepted_count(), 0))
        .order_by("person__last_name", "person__first_name", "id")
    )
    return render_list(
        request,
        template="experts/expert_list.html",
        partial="experts/expert_results.html",
        filterset=ExpertFilter(request.GET, queryset=qs, request=request),
    )


def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    expert = get_expert(request, pk)
    user = request.user
    deployments = expert.deployments.select_related(
        "activity", "activity__action", "activity__country"
    ).order_by("-activity__start_date")
    context = {
        "expert": expert,
        "person": expert.person,
        "languages": expert.person.languages.all(),
        "thematic": expert.thematic_areas.all(),
        "specific": expert.specific_areas.select_related("thematic_area"),
        "availabilities": expert.availabilities.order_by("start_date"),
        "deployments": deployments,
        "today": timezone.localdate(),
        "can_change": can(user, "experts.change", expert),
        "can_view_cv": can(user, "experts.view_cv", expert) and bool(expert.cv),
        "can_feedback": can(user, "experts.feedback"),
        "can_withdraw": can(user, "experts.withdraw"),
        "is_self": expert.person.user_id == user.pk,
        "availability_form": AvailabilityForm(),
        "audit_events": AuditEvent.objects.for_object(expert)[:50] if can(user, "core.view_audit") else None,
    }
    return render(request, "experts/expert_detail.html", context)


def _save_profile(request: HttpRequest, expert: ExpertProfile | None, person: Person | None) -> HttpResponse:
    staff = roles_of(request.user).is_staff
    form = ExpertProfileForm(
        request.POST or None,
        request.FILES or None,
        instance=expert,
        staff=staff,
        initial={"regions": expert.regions} if expert else {"consent_to_contact": True},
    )
    if request.method == "POST" and form.is_valid():
        values = form.values()
        thematic = values.pop("thematic_areas", [])
        specific = values.pop("specific_areas", [])
        try:
            if expert is None:
                assert person is not None
                expert = services.create_profile(
                    person, actor=request.user, thematic_areas=thematic, specific_areas=specific, **values
                )
            else:
                expert = services.update_profile(
                    expert, actor=request.user, thematic_areas=thematic, specific_areas=specific, **values
                )
            upload = form.cleaned_data.get("cv_upload")
            if upload:
                services.attach_cv(expert, actor=request.user, upload=upload)
            elif form.cleaned_data.get("remove_cv"):
                services.remove_cv(expert, actor=request.user)
        except DomainError as exc:
            if exc.field == "cv":
                form.add_error("cv_upload", exc.message)
            else:
                add_domain_error(form, exc)
        else:
            messages.success(request, _("Profile saved."))
            return redirect(expert)
    return render(
        request,
        "experts/expert_form.html",
        {"form": form, "expert": expert, "person": person or (expert.person if expert else None)},
    )


@require_http_methods(["GET", "POST"])
def expert_create(request: HttpRequest) -> HttpResponse:
    """Put a person on the roster: find them by name, then fill in the profile."""
    require(request.user, "experts.add")
    person_id = request.GET.get("person") or request.POST.get("person")
    if person_id and str(person_id).isdigit():
        person = get_visible_or_404(
            Person.objects.select_related("organisation"), request.user, pk=int(person_id)
        )
        if ExpertProfile.objects.filter(person=person).exists():
            messages.info(request, _("%(name)s is already on the roster.") % {"name": person})
            return redirect(person.expert_profile)
        return _save_profile(request, None, person)
    query = (request.GET.get("q") or "").strip()
    candidates: list[Person] = []
    if query:
        qs = Person.objects.visible_to(request.user).active().filter(expert_profile__isnull=True)
        for term in query.split()[:4]:
            qs = qs.filter(
                Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(email__icontains=term)
            )
        candidates = list(
            qs.select_related("organisation", "nationality").order_by("last_name", "first_name")[:20]
        )
    return render(request, "experts/expert_pick.html", {"query": query, "candidates": candidates})


@require_http_methods(["GET", "POST"])
def expert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    expert = get_expert(request, pk, "experts.change")
    return _save_profile(request, expert, None)


@require_POST
def availability_add(request: HttpRequest, pk: int) -> HttpResponse:
    expert = get_expert(request, pk, "experts.change")
    form = AvailabilityForm(request.POST)
    if form.is_valid():
        try:
            services.add_availability(expert, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Availability added."))
    else:
        messages.error(request, _("Give both dates of the availability window."))
    return redirect(reverse("experts:expert-detail", args=[expert.pk]) + "#availability")


@require_POST
def availability_delete(request: HttpRequest, pk: int) -> HttpResponse:
    window = Availability.objects.select_related("expert").filter(pk=pk).first()
    if window is None:
        raise Http404
    expert = get_expert(request, window.expert_id, "experts.change")
    services.remove_availability(window, actor=request.user)
    messages.success(request, _("Availability removed."))
    return redirect(reverse("experts:expert-detail", args=[expert.pk]) + "#availability")


def expert_cv(request: HttpRequest, pk: int) -> HttpResponse:
    expert = get_expert(request, pk, "experts.view_cv")
    if not expert.cv:
        raise Http404
    name = expert.cv.name.rsplit("/", 1)[-1]
    with expert.cv.open("rb") as fh:  # a CV is at most 5 MB: read it whole, close the file at once
        content = fh.read()
    kind = "application/pdf" if name.lower().endswith(".pdf") else services.DOCX
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Statistics ------------------------------------------------------------------------------


def _rows(counts: list[tuple[str, int]]) -> dict[str, Any]:
    total = sum(n for _label, n in counts)
    top = max((n for _label, n in counts), default=0)
    return {"rows": [{"label": label, "n": n} for label, n in counts], "total": total, "max": top}


def expert_statistics(request: HttpRequest) -> HttpResponse:
    """The roster by nationality, institution type and sex, and deployments per expert
    (figures from `capdev.experts.statistics`, cached a minute)."""
    require(request.user, "experts.statistics")
    figures = roster_figures()
    types = dict(InstitutionType.choices)
    sexes = dict(Sex.choices)
    deployed_by_sex = [(str(sexes.get(code, code)), n) for code, n in figures["deployed_by_sex"]]
    context = {
        "total": figures["total"],
        "nationality": _rows([(name or _("Not stated"), n) for name, n in figures["nationality"]]),
        "institution": _rows([(str(types.get(code, code)), n) for code, n in figures["institution"]]),
        "sex": _rows([(str(sexes.get(code, code)), n) for code, n in figures["sex"]]),
        "deployments": _rows(figures["deployments"]),
        "deployed_by_sex": _rows(deployed_by_sex),
        "accepted_total": sum(n for _k, n in deployed_by_sex),
    }
    return render(request, "experts/expert_statistics.html", context)


# --- Invitations -----------------------------------------------------------------------------


def my_invitations(request: HttpRequest) -> HttpResponse:
    """The expert's own page: invitations to answer, deployments ahead and past, calendar link."""
    require(request.user, "experts.own_invitations")
    expert = ExpertProfile.objects.for_user(request.user).select_related("person").first()
    context: dict[str, Any] = {"expert": expert}
    if expert is not None:
        today = timezone.localdate()
        deployments = list(
            expert.deployments.select_related("activity", "activity__action", "activity__country").order_by(
                "activity__start_date"
            )
        )
        context.update(
            {
                "pending": [d for d in deployments if d.status == DeploymentStatus.INVITED],
                "upcoming": [
                    d
                    for d in deployments
                    if d.status == DeploymentStatus.ACCEPTED and d.activity.end_date >= today
                ],
                "past": [
                    d
                    for d in reversed(deployments)
                    if d.status == DeploymentStatus.ACCEPTED and d.activity.end_date < today
                ][:20],
                "feed_url": request.build_absolute_uri(
                    reverse("experts:expert-calendar-ics", args=[expert.pk])
                    + "?token="
                    + services.feed_token(expert, actor=request.user)
                ),
                "decline_form": DeclineForm(),
            }
        )
    return render(request, "experts/invitation_list.html", context)


def _deployment(request: HttpRequest, pk: int, perm: str) -> Deployment:
    deployment = get_visible_or_404(
        Deployment.objects.select_related("activity", "activity__action", "expert", "expert__person"),
        request.user,
        pk=pk,
    )
    require(request.user, perm, deployment)
    return deployment


def _back(request: HttpRequest, deployment: Deployment) -> HttpResponse:
    if request.POST.get("next") == "activity":
        return redirect(deployment.activity)
    if request.POST.get("next") == "expert":
        return redirect(deployment.expert)
    return redirect("experts:invitation-list")


@require_POST
def deployment_accept(request: HttpRequest, pk: int) -> HttpResponse:
    deployment = _deployment(request, pk, "experts.respond")
    try:
        services.accept_invitation(deployment, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("You are deployed to “%(activity)s”.") % {"activity": deployment.activity.title}
        )
    return _back(request, deployment)


@require_POST
def deployment_decline(request: HttpRequest, pk: int) -> HttpResponse:
    deployment = _deployment(request, pk, "experts.respond")
    form = DeclineForm(request.POST)
    note = form.cleaned_data.get("note", "") if form.is_valid() else ""
    try:
        services.decline_invitation(deployment, actor=request.user, note=note)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Invitation declined."))
    return _back(request, deployment)


@require_http_methods(["GET", "POST"])
def deployment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    deployment = _deployment(request, pk, "experts.withdraw")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_deployment(deployment, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The expert has been withdrawn."))
            return redirect(deployment.activity)
    return render(
        request,
        "experts/deployment_form.html",
        {"form": form, "deployment": deployment, "title": _("Withdraw the expert")},
    )


@require_http_methods(["GET", "POST"])
def deployment_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    deployment = _deployment(request, pk, "experts.feedback")
    form = FeedbackForm(
        request.POST or None,
        initial={"feedback_score": deployment.feedback_score or 5, "feedback": deployment.feedback},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_feedback(
                deployment,
                actor=request.user,
                score=form.cleaned_data["feedback_score"],
                feedback=form.cleaned_data["feedback"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Feedback recorded."))
            return redirect(deployment.expert)
    return render(
        request,
        "experts/deployment_form.html",
        {"form": form, "deployment": deployment, "title": _("Feedback on the expert's work")},
    )


# --- Calendar feed -------------------------------------------------------------------------------


@login_not_required
def expert_calendar_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The expert's deployments (accepted, and pending invitations as tentative) as an iCalendar
    feed. Calendar applications have no session: the URL carries a signed token, which the
    expert can revoke by asking for a new link. A logged-in expert (or staff) may also download
    it without the token. Anything else answers 404."""
    token = request.GET.get("token") or ""
    expert = services.profile_for_token(token, pk) if token else None
    if expert is None and not token and request.user.is_authenticated:
        expert = ExpertProfile.objects.visible_to(request.user).select_related("person").filter(pk=pk).first()
    if expert is None:
        raise Http404
    deployments = (
        Deployment.objects.filter(
            expert=expert, status__in=(DeploymentStatus.ACCEPTED, DeploymentStatus.INVITED)
        )
        .select_related("activity", "activity__action", "activity__country")
        .order_by("activity__start_date")
    )
    base = request.build_absolute_uri("/").rstrip("/")
    events = [
        ics.activity_event(d.activity, base_url=base, tentative=d.status == DeploymentStatus.INVITED)
        for d in deployments
    ]
    text = ics.render(events, name=_("%(name)s · deployments") % {"name": expert.person.full_name})
    return ics_response(text, f"expert-{expert.pk}.ics")


@require_POST
def expert_calendar_reset(request: HttpRequest, pk: int) -> HttpResponse:
    expert = get_expert(request, pk, "experts.change")
    services.reset_feed_key(expert, actor=request.user)
    messages.success(request, _("A new calendar link was made; the old one no longer works."))
    if expert.person.user_id == request.user.pk:
        return redirect("experts:invitation-list")
    return redirect(expert)
