"""FilterSets for requests, Actions and deliverables, shared by the HTML lists and the API.

Filters on related rows (partner, country) use `id__in` subqueries so that no `distinct()` is
needed: the Action list stays a simple indexed scan on 10,000 Actions.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capdev.actions.models import (
    Action,
    ActionPartner,
    ActionType,
    Deliverable,
    DeliverableKind,
    DeliverableStatus,
    Phase,
    Request,
    RequestOrganisation,
    RequestStatus,
)
from capdev.core.forms import FastSelect
from capdev.organisations.models import Organisation
from capdev.reference.models import Region, ThematicArea, country_choices

FIRST_YEAR = 2009  # the programme's first phase


def year_choices() -> list[tuple[int, int]]:
    return [(y, y) for y in range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1)]


def _countries() -> list[tuple[str, str]]:
    """Countries outside the EU, named in the active language (cached: see country_choices)."""
    return country_choices(outside_eu=True)


# Selects are rendered in one pass (FastSelect) and countries come from the cached choices: with
# Django's per-option widget templates, the 200-country select alone cost more than the list.


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    phase = django_filters.ChoiceFilter(choices=Phase.choices, label=_("Phase"), widget=FastSelect)
    type = django_filters.ChoiceFilter(choices=ActionType.choices, label=_("Type"), widget=FastSelect)
    region = django_filters.ChoiceFilter(
        choices=[c for c in Region.choices if c[0] not in ("eu_ms", "other")],
        label=_("Region"),
        widget=FastSelect,
    )
    country = django_filters.ChoiceFilter(
        choices=_countries, method="in_country", label=_("Country"), widget=FastSelect
    )
    thematic_area = django_filters.ModelChoiceFilter(
        queryset=ThematicArea.objects.all(), label=_("Thematic area"), widget=FastSelect
    )
    partner = django_filters.NumberFilter(method="with_partner", label=_("Partner"), widget=forms.HiddenInput)
    organisation_name = django_filters.CharFilter(method="with_partner_name", label=_("Partner"))
    year = django_filters.ChoiceFilter(
        choices=year_choices, method="running_in", label=_("Year"), widget=FastSelect
    )

    class Meta:
        model = Action
        fields = [
            "q",
            "phase",
            "type",
            "region",
            "country",
            "thematic_area",
            "partner",
            "organisation_name",
            "year",
        ]

    def search(self, queryset: QuerySet[Action], name: str, value: str) -> QuerySet[Action]:
        value = " ".join(value.split())
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(summary__icontains=value))

    def in_country(self, queryset: QuerySet[Action], name: str, value: str) -> QuerySet[Action]:
        if not value:
            return queryset
        involved = Action.countries.through.objects.filter(country_id=value).values("action_id")
        return queryset.filter(Q(country_id=value) | Q(pk__in=involved))

    def with_partner(self, queryset: QuerySet[Action], name: str, value: Any) -> QuerySet[Action]:
        if value is None:
            return queryset
        return queryset.filter(pk__in=ActionPartner.objects.filter(organisation_id=value).values("action_id"))

    def with_partner_name(self, queryset: QuerySet[Action], name: str, value: str) -> QuerySet[Action]:
        value = " ".join(value.split())
        if not value:
            return queryset
        orgs = Organisation.objects.filter(Q(name__icontains=value) | Q(acronym__iexact=value)).values("pk")
        return queryset.filter(
            pk__in=ActionPartner.objects.filter(organisation_id__in=orgs).values("action_id")
        )

    def running_in(self, queryset: QuerySet[Action], name: str, value: str) -> QuerySet[Action]:
        """Actions running at some point of the year: started by its end, not ended before it."""
        if not str(value or "").isdigit():
            return queryset
        year = int(value)
        return queryset.filter(start_date__year__lte=year).filter(
            Q(end_date__isnull=True) | Q(end_date__year__gte=year)
        )


class RequestFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, label=_("Status"), widget=FastSelect)
    thematic_area = django_filters.ModelChoiceFilter(
        queryset=ThematicArea.objects.all(), label=_("Thematic area"), widget=FastSelect
    )
    country = django_filters.ChoiceFilter(
        choices=_countries, method="in_country", label=_("Country"), widget=FastSelect
    )
    year = django_filters.ChoiceFilter(
        choices=year_choices,
        field_name="received_on",
        lookup_expr="year",
        label=_("Year received"),
        widget=FastSelect,
    )
    organisation = django_filters.NumberFilter(
        method="from_organisation", label=_("Organisation"), widget=forms.HiddenInput
    )

    class Meta:
        model = Request
        fields = ["q", "status", "thematic_area", "country", "year", "organisation"]

    def search(self, queryset: QuerySet[Request], name: str, value: str) -> QuerySet[Request]:
        value = " ".join(value.split())
        if not value:
            return queryset
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))

    def in_country(self, queryset: QuerySet[Request], name: str, value: str) -> QuerySet[Request]:
        if not value:
            return queryset
        return queryset.filter(
            pk__in=Request.countries.through.objects.filter(country_id=value).values("request_id")
        )

    def from_organisation(self, queryset: QuerySet[Request], name: str, value: Any) -> QuerySet[Request]:
        if value is None:
            return queryset
        return queryset.filter(
            pk__in=RequestOrganisation.objects.filter(organisation_id=value).values("request_id")
        )


class DeliverableFilter(django_filters.FilterSet):
    action = django_filters.NumberFilter(field_name="action_id", label=_("Action"))
    kind = django_filters.ChoiceFilter(choices=DeliverableKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=DeliverableStatus.choices, label=_("Status"))

    class Meta:
        model = Deliverable
        fields = ["action", "kind", "status"]
