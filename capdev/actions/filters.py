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
from capdev.organisations.models import Organisation
from capdev.reference.models import Country, Region, ThematicArea

FIRST_YEAR = 2009  # the programme's first phase


def year_choices() -> list[tuple[int, int]]:
    return [(y, y) for y in range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1)]


def _countries() -> QuerySet[Country]:
    return Country.objects.exclude(region="eu_ms").only("code", "name", "iso_name")


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    phase = django_filters.ChoiceFilter(choices=Phase.choices, label=_("Phase"))
    type = django_filters.ChoiceFilter(choices=ActionType.choices, label=_("Type"))
    region = django_filters.ChoiceFilter(
        choices=[c for c in Region.choices if c[0] not in ("eu_ms", "other")], label=_("Region")
    )
    country = django_filters.ModelChoiceFilter(queryset=_countries(), method="in_country", label=_("Country"))
    thematic_area = django_filters.ModelChoiceFilter(
        queryset=ThematicArea.objects.all(), label=_("Thematic area")
    )
    partner = django_filters.NumberFilter(method="with_partner", label=_("Partner"), widget=forms.HiddenInput)
    organisation_name = django_filters.CharFilter(method="with_partner_name", label=_("Partner"))
    year = django_filters.ChoiceFilter(choices=year_choices, method="running_in", label=_("Year"))

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

    def in_country(self, queryset: QuerySet[Action], name: str, value: Country | None) -> QuerySet[Action]:
        if value is None:
            return queryset
        involved = Action.countries.through.objects.filter(country_id=value.pk).values("action_id")
        return queryset.filter(Q(country_id=value.pk) | Q(pk__in=involved))

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
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, label=_("Status"))
    thematic_area = django_filters.ModelChoiceFilter(
        queryset=ThematicArea.objects.all(), label=_("Thematic area")
    )
    country = django_filters.ModelChoiceFilter(queryset=_countries(), method="in_country", label=_("Country"))
    year = django_filters.ChoiceFilter(
        choices=year_choices,
        field_name="received_on",
        lookup_expr="year",
        label=_("Year received"),
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

    def in_country(self, queryset: QuerySet[Request], name: str, value: Country | None) -> QuerySet[Request]:
        if value is None:
            return queryset
        return queryset.filter(
            pk__in=Request.countries.through.objects.filter(country_id=value.pk).values("request_id")
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
