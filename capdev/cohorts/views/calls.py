"""Call pages: the list (open calls for everyone, every call for staff), a call, the call form,
opening and closing, quotas, applying, nominating, adding a candidate."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from capdev.cohorts import services
from capdev.cohorts.filters import OPEN_NOW, CallFilter
from capdev.cohorts.forms import ApplyForm, CallForm, CandidateForm, NominateForm, QuotaForm, default_deadline
from capdev.cohorts.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    CourseRun,
    NominationQuota,
    Programme,
)
from capdev.cohorts.profile import CRITERIA, CallProfile
from capdev.cohorts.services.applications import ATTACHMENT_MAX_SIZE, MAX_ATTACHMENTS
from capdev.cohorts.services.calls import quota_for
from capdev.cohorts.views.common import audit_for, find_people, get_call
from capdev.core.errors import DomainError
from capdev.core.forms import add_domain_error
from capdev.core.permissions import can, get_visible_or_404, require
from capdev.core.roles import Role, roles_of
from capdev.core.views import render_list
from capdev.organisations.models import OrganisationType
from capdev.organisations.querysets import scoped_org_ids
from capdev.people.models import Person


def is_open_now(call: Call) -> bool:
    now = timezone.now()
    return (
        call.status == CallStatus.OPEN
        and call.deadline > now
        and (call.opens_at is None or call.opens_at <= now)
    )


def call_list(request: HttpRequest) -> HttpResponse:
    """Everyone sees the calls open now (with "Apply" / "Nominate"); staff see every call."""
    require(request.user, "cohorts.list_calls")
    staff = roles_of(request.user).is_staff
    params = request.GET.copy()
    if not staff and "status" not in params:
        params["status"] = OPEN_NOW
    qs = Call.objects.visible_to(request.user).select_related("run", "programme").order_by("-deadline", "id")
    person_id = roles_of(request.user).person_id

    def decorate(rows: list[Call]) -> None:
        mine = (
            dict(
                Application.objects.filter(call__in=rows, person_id=person_id).values_list(
                    "call_id", "status"
                )
            )
            if person_id
            else {}
        )
        labels = dict(ApplicationStatus.choices)
        for row in rows:
            row.open_now = is_open_now(row)  # type: ignore[attr-defined]
            row.my_status = mine.get(row.pk)  # type: ignore[attr-defined]
            row.my_status_label = labels.get(row.my_status, "")  # type: ignore[attr-defined]

    return render_list(
        request,
        template="cohorts/call_list.html",
        partial="cohorts/call_results.html",
        filterset=CallFilter(params, queryset=qs, request=request),
        decorate=decorate,
        context={
            "can_nominate": can(request.user, "cohorts.nominate"),
            "can_apply": can(request.user, "cohorts.apply"),
        },
    )


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_call(request, pk)
    user = request.user
    rs = roles_of(user)
    staff = rs.is_staff
    mine = Application.objects.filter(call=call, person_id=rs.person_id).first() if rs.person_id else None
    counts = (
        dict(
            Application.objects.filter(call=call)
            .order_by()
            .values("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        if staff
        else {}
    )
    orgs = scoped_org_ids(user, Role.FOCAL_POINT)
    quotas: list[dict[str, Any]] = []
    if staff:
        quotas = [
            {"quota": q, "organisation": q.organisation, "places": q.places}
            for q in NominationQuota.objects.filter(call=call).select_related("organisation")
        ]
    elif orgs and call.accepts_nominations:
        from capdev.organisations.models import Organisation

        for org in Organisation.objects.filter(pk__in=orgs).order_by("name"):
            used = (
                Application.objects.filter(call=call, organisation=org, source="nomination")
                .exclude(status="withdrawn")
                .count()
            )
            quotas.append({"organisation": org, "places": quota_for(call, org.pk), "used": used})
    open_now = is_open_now(call)
    context = {
        "call": call,
        "target": call.run or call.programme,
        "profile": _profile_lines(call),
        "open_now": open_now,
        "my_application": mine,
        "counts": [
            (status, label, counts[status]) for status, label in ApplicationStatus.choices if status in counts
        ],
        "total": sum(counts.values()),
        "quotas": quotas,
        "can_apply": open_now and mine is None and can(user, "cohorts.apply", call),
        "can_nominate": open_now and can(user, "cohorts.nominate", call),
        "can_manage": can(user, "cohorts.manage_calls", call),
        "can_select": can(user, "cohorts.select", call),
        "quota_form": QuotaForm() if staff else None,
        "audit_events": audit_for(request, call),
    }
    return render(request, "cohorts/call_detail.html", context)


def _profile_lines(call: Call) -> list[tuple[Any, str]]:
    """The candidate profile, criterion by criterion, in words."""
    types = dict(OrganisationType.choices)
    profile = CallProfile(call)
    lines: list[tuple[Any, str]] = []
    if profile.organisation_types:
        lines.append(
            (
                CRITERIA["organisation_type"],
                ", ".join(str(types.get(t, t)) for t in sorted(profile.organisation_types)),
            )
        )
    if profile.countries:
        lines.append((CRITERIA["country"], ", ".join(str(c) for c in call.countries.all())))
    if call.positions:
        lines.append((CRITERIA["position"], ", ".join(call.positions)))
    if profile.languages:
        from capdev.people.models import language_choices

        names = dict(language_choices())
        lines.append(
            (
                CRITERIA["languages"],
                ", ".join(f"{names.get(code, code)} ≥ {level}" for code, level in profile.languages),
            )
        )
    return lines


def _target(request: HttpRequest) -> tuple[CourseRun | None, Programme | None]:
    run_id, programme_id = request.GET.get("run", ""), request.GET.get("programme", "")
    run = (
        get_visible_or_404(CourseRun.objects.all(), request.user, pk=int(run_id))
        if run_id.isdigit()
        else None
    )
    programme = (
        get_visible_or_404(Programme.objects.all(), request.user, pk=int(programme_id))
        if programme_id.isdigit()
        else None
    )
    return run, programme


@require_http_methods(["GET", "POST"])
def call_create(request: HttpRequest) -> HttpResponse:
    """A new call for the run (?run=) or programme (?programme=) it comes from."""
    require(request.user, "cohorts.manage_calls")
    run, programme = _target(request)
    if run is None and programme is None:
        messages.info(request, _("Open a run or a programme and create its call from there."))
        return redirect("cohorts:run-list")
    title = _("Call for participants: %(target)s") % {"target": run or programme}
    form = CallForm(request.POST or None, initial={"title": title[:255], "deadline": default_deadline()})
    if request.method == "POST" and form.is_valid():
        values = form.values()
        countries = values.pop("countries")
        try:
            call = services.create_call(
                actor=request.user, run=run, programme=programme, countries=countries, **values
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Call saved as a draft. Open it when it is ready."))
            return redirect(call)
    return render(request, "cohorts/call_form.html", {"form": form, "call": None, "target": run or programme})


@require_http_methods(["GET", "POST"])
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_call(request, pk, "cohorts.manage_calls")
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        countries = values.pop("countries")
        try:
            services.update_call(call, actor=request.user, countries=countries, **values)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Call saved."))
            return redirect(call)
    return render(
        request, "cohorts/call_form.html", {"form": form, "call": call, "target": call.run or call.programme}
    )


@require_POST
def call_status(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_call(request, pk, "cohorts.manage_calls")
    try:
        if request.POST.get("status") == "open":
            services.open_call(call, actor=request.user)
            messages.success(request, _("The call is open: every user sees it until its deadline."))
        else:
            services.close_call(call, actor=request.user)
            messages.success(request, _("The call is closed. Selection and the waitlist go on."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(call)


@require_POST
def call_quota(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_call(request, pk, "cohorts.manage_calls")
    form = QuotaForm(request.POST)
    if form.is_valid():
        try:
            services.set_quota(
                call,
                form.cleaned_data["organisation"],
                actor=request.user,
                places=form.cleaned_data["places"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Quota saved."))
    else:
        messages.error(request, _("Choose an organisation and give the number of places (0 or more)."))
    return redirect(reverse("cohorts:call-detail", args=[call.pk]) + "#quotas")


@require_POST
def quota_remove(request: HttpRequest, pk: int, quota_pk: int) -> HttpResponse:
    call = get_call(request, pk, "cohorts.manage_calls")
    quota = NominationQuota.objects.filter(call=call, pk=quota_pk).first()
    if quota is None:
        raise Http404
    services.remove_quota(quota, actor=request.user)
    messages.success(request, _("Quota removed."))
    return redirect(reverse("cohorts:call-detail", args=[call.pk]) + "#quotas")


@require_http_methods(["GET", "POST"])
def call_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """The logged-in person applies for themselves."""
    call = get_call(request, pk, "cohorts.apply")
    person_id = roles_of(request.user).person_id
    person = Person.objects.filter(pk=person_id).select_related("organisation").first() if person_id else None
    existing = Application.objects.filter(call=call, person=person).first() if person else None
    if existing is not None:
        messages.info(request, _("You have already applied to this call."))
        return redirect(existing)
    form = ApplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.apply_to_call(
                call,
                person,
                actor=request.user,
                motivation=form.cleaned_data["motivation"],
                attachments=form.cleaned_data["attachments"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("Your application has been sent. You will be told of each decision by e-mail.")
            )
            return redirect(application)
    return render(
        request,
        "cohorts/call_apply.html",
        {
            "form": form,
            "call": call,
            "person": person,
            "open_now": is_open_now(call),
            "max_files": MAX_ATTACHMENTS,
            "max_mb": ATTACHMENT_MAX_SIZE // 1024 // 1024,
        },
    )


@require_http_methods(["GET", "POST"])
def call_nominate(request: HttpRequest, pk: int) -> HttpResponse:
    """A focal point nominates a person of their organisation(s), within the quota."""
    call = get_call(request, pk, "cohorts.nominate")
    orgs = scoped_org_ids(request.user, Role.FOCAL_POINT)
    form = NominateForm(request.POST or None, org_ids=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.nominate_candidate(
                call,
                form.cleaned_data["person"],
                actor=request.user,
                motivation=form.cleaned_data["motivation"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(name)s is nominated.") % {"name": application.person})
            return redirect(call)
    from capdev.organisations.models import Organisation

    quotas = []
    for org in Organisation.objects.filter(pk__in=orgs).order_by("name"):
        used = (
            Application.objects.filter(call=call, organisation=org, source="nomination")
            .exclude(status="withdrawn")
            .count()
        )
        quotas.append({"organisation": org, "places": quota_for(call, org.pk), "used": used})
    return render(
        request,
        "cohorts/call_nominate.html",
        {"form": form, "call": call, "quotas": quotas, "open_now": is_open_now(call)},
    )


@require_http_methods(["GET", "POST"])
def call_add_candidate(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff add a candidate (any time): find the person, then add."""
    call = get_call(request, pk, "cohorts.select")
    if request.method == "POST":
        form = CandidateForm(request.POST)
        if form.is_valid():
            person = get_visible_or_404(Person.objects.all(), request.user, pk=form.cleaned_data["person"])
            try:
                application = services.add_candidate(
                    call, person, actor=request.user, motivation=form.cleaned_data["motivation"]
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("%(name)s is a candidate.") % {"name": application.person})
                return redirect("cohorts:call-selection", pk=call.pk)
        return redirect("cohorts:call-add-candidate", pk=call.pk)
    query = (request.GET.get("q") or "").strip()
    return render(
        request,
        "cohorts/call_add_candidate.html",
        {
            "call": call,
            "query": query,
            "candidates": find_people(
                request, query, exclude=Application.objects.filter(call=call).values("person_id")
            ),
        },
    )
