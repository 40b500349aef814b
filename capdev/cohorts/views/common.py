"""Helpers shared by the cohorts views."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from capdev.cohorts.models import Application, Call, CourseRun, Enrolment, Programme
from capdev.core.models import AuditEvent
from capdev.core.permissions import can, get_visible_or_404, require
from capdev.people.models import Person

PEOPLE_PICK_LIMIT = 20


def get_run(request: HttpRequest, pk: int, perm: str = "cohorts.view_run") -> CourseRun:
    """The run if the user sees it (else 404) and holds `perm` on it (else 403).

    The programme, Action and activity (often empty) load on use: joining all eight relations
    made PostgreSQL plan the query for 9–15 ms, against 3 ms for these five."""
    run = get_visible_or_404(
        CourseRun.objects.select_related(
            "course_version",
            "course_version__course",
            "organiser",
            "host",
            "country",
        ),
        request.user,
        pk=pk,
    )
    require(request.user, perm, run)
    return run


def get_programme(request: HttpRequest, pk: int, perm: str = "cohorts.view_programme") -> Programme:
    programme = get_visible_or_404(
        Programme.objects.select_related("organiser", "action"), request.user, pk=pk
    )
    require(request.user, perm, programme)
    return programme


def get_call(request: HttpRequest, pk: int, perm: str = "cohorts.view_call") -> Call:
    call = get_visible_or_404(
        Call.objects.select_related("run", "run__country", "programme", "created_by"), request.user, pk=pk
    )
    require(request.user, perm, call)
    return call


def get_application(request: HttpRequest, pk: int, perm: str = "cohorts.view_application") -> Application:
    application = get_visible_or_404(
        Application.objects.select_related(
            "call",
            "call__run",
            "call__programme",
            "person",
            "person__organisation",
            "person__nationality",
            "organisation",
            "nominated_by",
            "decided_by",
        ),
        request.user,
        pk=pk,
    )
    require(request.user, perm, application)
    return application


def get_enrolment(request: HttpRequest, pk: int, perm: str = "cohorts.view_enrolment") -> Enrolment:
    enrolment = get_visible_or_404(
        Enrolment.objects.select_related(
            "run",
            "run__course_version",
            "run__country",
            "person",
            "person__organisation",
            "application",
            "gate_waived_by",
        ),
        request.user,
        pk=pk,
    )
    require(request.user, perm, enrolment)
    return enrolment


def audit_for(request: HttpRequest, obj: Any) -> Any:
    """The object's change history, for those who may see audit trails (staff)."""
    if not can(request.user, "core.view_audit"):
        return None
    return AuditEvent.objects.for_object(obj)[:50]


def find_people(request: HttpRequest, query: str, *, exclude: QuerySet[Any] | None = None) -> list[Person]:
    """People the user sees whose name or e-mail matches every word of `query` (at most 20)."""
    if not query.strip():
        return []
    qs = Person.objects.visible_to(request.user).active()
    for term in query.split()[:4]:
        qs = qs.filter(
            Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(email__icontains=term)
        )
    if exclude is not None:
        qs = qs.exclude(pk__in=exclude)
    return list(qs.select_related("organisation").order_by("last_name", "first_name")[:PEOPLE_PICK_LIMIT])


def safe_next(request: HttpRequest, fallback: str) -> str:
    """A same-site address to go back to after a POST (`next`), or `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback
