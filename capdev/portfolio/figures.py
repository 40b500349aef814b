"""The portfolio's figures: a fixed set of aggregate queries, scoped and filtered, cached.

Every figure starts from the actions app's `visible_to` querysets, so a partner focal point's
dashboard counts only their own organisation's requests and Actions (and those Actions'
activities and experts), with the same code as the programme-wide dashboard.

Five aggregate queries, whatever the size of the portfolio:

1. requests by status;
2. Actions by (phase, type, region, thematic area) — the four breakdowns are summed from it;
3. the countries reached (an Action's country and the countries it involves);
4. the experts deployed (distinct experts with an accepted deployment on a counted activity), by
   nationality and sex;
5. activities by (year, type) with the participants of the activities held, by sex;

plus two small look-ups (the thematic areas' names; the names of experts' nationalities that are
not among the countries reached).

Filters: a year range (requests by the year they were received; Actions running at some point in
the range; activities, deployments and participants by the activity's start), a region, a
thematic area and an Action type (which apply to Actions and everything inside them; requests
have no type, so the type filter leaves them out of it). Cancelled activities are not counted;
participants are those of activities done or under way.

The computed figures hold codes and numbers only (labels are translated when shown) and are
cached for 60 seconds per (scope, filters): one minute behind is fine for a dashboard.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from capdev.actions.models import Action, Activity, ActivityStatus, Request
from capdev.core.roles import Role, roles_of
from capdev.experts.models import Deployment, DeploymentStatus, ExpertProfile
from capdev.reference.models import Country, ThematicArea

CACHE_SECONDS = 60
CACHE_VERSION = 1
HELD = (ActivityStatus.DONE, ActivityStatus.ONGOING)


@dataclass(frozen=True)
class Filters:
    """The dashboard's filters, already validated (see forms.PortfolioFilterForm)."""

    year_from: int | None = None
    year_to: int | None = None
    region: str = ""
    thematic_area: int | None = None
    type: str = ""

    def cache_key(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:16]

    @property
    def active(self) -> bool:
        return any(v not in (None, "") for v in asdict(self).values())

    def start(self) -> datetime.date | None:
        return datetime.date(self.year_from, 1, 1) if self.year_from else None

    def end(self) -> datetime.date | None:
        return datetime.date(self.year_to, 12, 31) if self.year_to else None


def scope_of(user: Any) -> str:
    """What the figures cover for `user`: "programme" (staff), "committee" (steering members:
    every Action, the requests put before the committee) or "organisation" (a focal point)."""
    roles = roles_of(user)
    if roles.is_staff:
        return "programme"
    if roles.has(Role.STEERING_COMMITTEE):
        return "committee"
    return "organisation"


def portfolio_figures(user: Any, filters: Filters) -> dict[str, Any]:
    """The figures for `user` and `filters`, from the cache when computed less than a minute ago."""
    scope = "staff" if roles_of(user).is_staff else f"user-{user.pk}"
    key = f"portfolio:v{CACHE_VERSION}:{scope}:{filters.cache_key()}"
    figures: dict[str, Any] | None = cache.get(key)
    if figures is None:
        figures = compute_figures(user, filters)
        cache.set(key, figures, CACHE_SECONDS)
    return figures


class StartYear(ExtractYear):
    """The year of a date. On SQLite, `substr` of the stored ISO date: ExtractYear calls a Python
    function per row there, six times slower over 100,000 activities."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.lhs)
        return f"CAST(substr({sql}, 1, 4) AS integer)", params


# --- scoped, filtered querysets --------------------------------------------------------------


def filtered_requests(user: Any, f: Filters) -> QuerySet[Request]:
    qs = Request.objects.visible_to(user)
    if f.year_from:
        qs = qs.filter(received_on__gte=f.start())
    if f.year_to:
        qs = qs.filter(received_on__lte=f.end())
    if f.region:
        in_region = Request.countries.through.objects.filter(country__region=f.region).values("request_id")
        qs = qs.filter(Q(region=f.region) | Q(pk__in=in_region))
    if f.thematic_area:
        qs = qs.filter(thematic_area_id=f.thematic_area)
    return qs


def _action_conditions(f: Filters, prefix: str = "") -> Q:
    """Region, thematic area and type, on Action fields reached through `prefix`."""
    q = Q()
    if f.region:
        q &= Q(**{f"{prefix}region": f.region})
    if f.thematic_area:
        q &= Q(**{f"{prefix}thematic_area_id": f.thematic_area})
    if f.type:
        q &= Q(**{f"{prefix}type": f.type})
    return q


def filtered_actions(user: Any, f: Filters) -> QuerySet[Action]:
    """Actions in scope matching the filters; with a year range, those running at some point of
    it (started by its end, not ended before its start)."""
    qs = Action.objects.visible_to(user).filter(_action_conditions(f))
    if f.year_to:
        qs = qs.filter(start_date__lte=f.end())
    if f.year_from:
        qs = qs.filter(start_date__isnull=False).filter(Q(end_date__isnull=True) | Q(end_date__gte=f.start()))
    return qs


def filtered_activities(user: Any, f: Filters) -> QuerySet[Activity]:
    """Activities in scope (not cancelled) of the Actions matching the filters, started in the
    year range."""
    qs = Activity.objects.visible_to(user).exclude(status=ActivityStatus.CANCELLED)
    qs = qs.filter(_action_conditions(f, "action__"))
    if f.year_from:
        qs = qs.filter(start_date__gte=f.start())
    if f.year_to:
        qs = qs.filter(start_date__lte=f.end())
    return qs


# --- the five queries ------------------------------------------------------------------------


def compute_figures(user: Any, f: Filters) -> dict[str, Any]:
    """Compute every figure (five aggregate queries and two small look-ups)."""
    requests_by_status = {
        row["status"]: row["n"]
        for row in filtered_requests(user, f).values("status").annotate(n=Count("id")).order_by()
    }

    actions = filtered_actions(user, f)
    action_cells = [
        [row["phase"], row["type"], row["region"] or "", row["thematic_area_id"], row["n"]]
        for row in actions.values("phase", "type", "region", "thematic_area_id")
        .annotate(n=Count("id"))
        .order_by()
    ]

    ids = actions.values("pk")
    involved = Action.countries.through.objects.filter(action_id__in=ids).values("country_id")
    countries = [
        list(row)
        for row in Country.objects.filter(
            Q(code__in=actions.exclude(country__isnull=True).values("country_id")) | Q(code__in=involved)
        )
        .values_list("code", "name", "iso_name", "region")
        .order_by("region", "name")
    ]

    activities = filtered_activities(user, f)
    deployed = Deployment.objects.filter(
        status=DeploymentStatus.ACCEPTED, activity_id__in=activities.values("pk")
    ).values("expert_id")
    experts = [
        [row["person__nationality_id"] or "", row["person__sex"] or "", row["n"]]
        for row in ExpertProfile.objects.filter(pk__in=deployed)
        .values("person__nationality_id", "person__sex")
        .annotate(n=Count("id"))
        .order_by()
    ]
    held = Q(status__in=HELD)
    activity_cells = [
        [
            row["year"],
            row["type"],
            row["n"],
            row["women"] or 0,
            row["men"] or 0,
            row["other"] or 0,
        ]
        for row in activities.annotate(year=StartYear("start_date"))
        .values("year", "type")
        .annotate(
            n=Count("id"),
            women=Sum("participants_women", filter=held),
            men=Sum("participants_men", filter=held),
            other=Sum("participants_other", filter=held),
        )
        .order_by()
    ]
    nationalities = {code for code, _sex, _n in experts if code}
    known = {c[0] for c in countries}
    extra_countries = {}
    if nationalities - known:
        extra_countries = {
            code: [name, iso]
            for code, name, iso in Country.objects.filter(code__in=nationalities - known).values_list(
                "code", "name", "iso_name"
            )
        }
    themes = {
        str(pk): [name, position]
        for pk, name, position in ThematicArea.objects.values_list("pk", "name", "position")
    }
    return {
        "requests_by_status": requests_by_status,
        "action_cells": action_cells,
        "countries": countries,
        "experts": experts,
        "activity_cells": activity_cells,
        "country_names": extra_countries,
        "themes": themes,
    }
