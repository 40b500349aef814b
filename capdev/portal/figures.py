"""Figures for the home dashboards, computed from the database with a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q

from capdev.core.roles import Role, roles_of
from capdev.organisations.models import Organisation, OrganisationType
from capdev.organisations.querysets import scoped_org_ids
from capdev.people.models import Person, Sex
from capdev.reference.models import Region


def programme_figures() -> dict[str, Any]:
    """Programme-wide figures for staff and the steering committee, cached for a minute: they
    scan every person, and a dashboard may be a minute behind."""
    figures = cache.get_or_set("portal:programme_figures", _programme_figures, timeout=60)
    return figures if figures is not None else _programme_figures()


def _programme_figures() -> dict[str, Any]:
    orgs = Organisation.objects.aggregate(
        total=Count("id"),
        partners=Count("id", filter=Q(type=OrganisationType.PARTNER_AUTHORITY)),
        training=Count("id", filter=Q(type=OrganisationType.TRAINING_INSTITUTION)),
    )
    people = Person.objects.active().aggregate(
        total=Count("id"),
        women=Count("id", filter=Q(sex=Sex.FEMALE)),
        experts=Count("id", filter=Q(user__memberships__role=Role.TRAINER), distinct=True),
    )
    partner_countries = (
        Organisation.objects.filter(
            type__in=[OrganisationType.PARTNER_AUTHORITY, OrganisationType.TRAINING_INSTITUTION]
        )
        .exclude(country__isnull=True)
        .values("country")
        .distinct()
        .count()
    )
    by_region_rows = (
        Organisation.objects.filter(
            type__in=[OrganisationType.PARTNER_AUTHORITY, OrganisationType.TRAINING_INSTITUTION]
        )
        .values("region")
        .annotate(orgs=Count("id"), countries=Count("country", distinct=True))
        .order_by("region")
    )
    labels = dict(Region.choices)
    by_region = [
        {
            "region": labels.get(r["region"], r["region"] or "—"),
            "orgs": r["orgs"],
            "countries": r["countries"],
        }
        for r in by_region_rows
        if r["region"] in labels and r["region"] != Region.EU_MEMBER_STATES
    ]
    max_orgs = max((r["orgs"] for r in by_region), default=0)
    return {
        "organisations": orgs["total"],
        "partners": orgs["partners"],
        "training_institutions": orgs["training"],
        "people": people["total"],
        "women": people["women"],
        "experts": people["experts"],
        "countries": partner_countries,
        "by_region": by_region,
        "max_region_orgs": max_orgs,
    }


def organisation_figures(user: Any) -> dict[str, Any]:
    """Figures for a focal point: their organisation(s) and the people in them."""
    org_ids = scoped_org_ids(user, Role.FOCAL_POINT)
    orgs = list(Organisation.objects.filter(id__in=org_ids).select_related("country").order_by("name"))
    people = Person.objects.active().filter(organisation_id__in=org_ids)
    agg = people.aggregate(
        total=Count("id"),
        women=Count("id", filter=Q(sex=Sex.FEMALE)),
        men=Count("id", filter=Q(sex=Sex.MALE)),
    )
    per_org = {
        row["organisation"]: row["n"]
        for row in people.values("organisation").annotate(n=Count("id")).order_by()
    }
    return {
        "organisations": [{"org": o, "people": per_org.get(o.pk, 0)} for o in orgs],
        "people": agg["total"],
        "women": agg["women"],
        "men": agg["men"],
    }


def dashboard_for(user: Any) -> dict[str, Any]:
    rs = roles_of(user)
    context: dict[str, Any] = {"roles": rs.names}
    if rs.is_staff or rs.has(Role.STEERING_COMMITTEE):
        context["programme"] = programme_figures()
    if rs.has(Role.FOCAL_POINT):
        context["focal"] = organisation_figures(user)
    context["delivery"] = delivery_figures(user)
    if rs.person_id:
        context["me"] = (
            Person.objects.select_related("organisation", "nationality").filter(pk=rs.person_id).first()
        )
    return context


def delivery_figures(user: Any) -> dict[str, Any]:
    """The delivery line of the dashboard, by role (a few counts, each one query)."""
    from django.utils import timezone

    from capdev.cohorts.models import Application, Call, CourseRun, Enrolment
    from capdev.portal.spaces import todays_sessions

    rs = roles_of(user)
    today = timezone.localdate()
    out: dict[str, Any] = {}
    if rs.is_staff or rs.has(Role.STEERING_COMMITTEE):
        runs = CourseRun.objects.exclude(status="cancelled")
        out["programme"] = runs.aggregate(
            running=Count("pk", filter=Q(start_date__lte=today, end_date__gte=today)),
            upcoming=Count("pk", filter=Q(start_date__gt=today)),
        ) | {"open_calls": Call.objects.open_now().count()}
    if rs.has(Role.FOCAL_POINT):
        orgs = scoped_org_ids(user, Role.FOCAL_POINT)
        out["organisation"] = Enrolment.objects.filter(person__organisation_id__in=orgs).aggregate(
            current=Count("pk", filter=Q(run__end_date__gte=today) & ~Q(status="withdrawn")),
            completed=Count("pk", filter=Q(status="completed")),
        ) | {
            "applicants": Application.objects.filter(organisation_id__in=orgs)
            .filter(status__in=("submitted", "shortlisted", "waitlisted", "offered"))
            .count()
        }
    if rs.has(Role.TRAINER):
        out["today"] = len(todays_sessions(user, today=today))
    if rs.person_id:
        current = (
            Enrolment.objects.filter(person_id=rs.person_id, run__end_date__gte=today)
            .exclude(status="withdrawn")
            .count()
        )
        if current or rs.has(Role.PARTICIPANT):  # a trainer who takes no course is not shown 0
            out["learning"] = current
    return out
