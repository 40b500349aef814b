"""FilterSet for activities, shared by the programme-wide list and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from capdev.actions.models import Action, Activity, ActivityMode, ActivityStatus, ActivityType
from capdev.core.forms import FastSelect
from capdev.reference.models import Region, country_choices


def _actions(request: Any) -> QuerySet[Action]:
    if request is None:
        return Action.objects.none()
    return Action.objects.visible_to(request.user).only("id", "name")


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    # Selects rendered in one pass (FastSelect) and countries from the cached choices: Django's
    # per-option templates for 250 countries cost more than the list itself.
    type = django_filters.ChoiceFilter(choices=ActivityType.choices, label=_("Type"), widget=FastSelect)
    mode = django_filters.ChoiceFilter(choices=ActivityMode.choices, label=_("Mode"), widget=FastSelect)
    status = django_filters.ChoiceFilter(choices=ActivityStatus.choices, label=_("Status"), widget=FastSelect)
    year = django_filters.NumberFilter(field_name="start_date__year", label=_("Year"))
    region = django_filters.ChoiceFilter(
        choices=Region.choices, method="by_region", label=_("Region"), widget=FastSelect
    )
    country = django_filters.ChoiceFilter(choices=country_choices, label=_("Country"), widget=FastSelect)
    on = django_filters.DateFilter(method="on_day", label=_("On"), widget=forms.HiddenInput)
    # Set from links (an Action's page → its activities), not offered as a 10,000-option select.
    action = django_filters.ModelChoiceFilter(queryset=_actions, label=_("Action"), widget=forms.HiddenInput)

    class Meta:
        model = Activity
        fields = ["q", "type", "mode", "status", "year", "region", "country", "on", "action"]

    def search(self, queryset: QuerySet[Activity], name: str, value: str) -> QuerySet[Activity]:
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(title__icontains=term) | Q(city__icontains=term) | Q(action__name__icontains=term)
            )
        return queryset

    def by_region(self, queryset: QuerySet[Activity], name: str, value: str) -> QuerySet[Activity]:
        if not value:
            return queryset
        return queryset.filter(
            Q(country__region=value)
            | Q(country__isnull=True) & (Q(action__region=value) | Q(action__country__region=value))
        )

    def on_day(self, queryset: QuerySet[Activity], name: str, value: Any) -> QuerySet[Activity]:
        """Activities taking place on that day (from the calendar's "+N more")."""
        return queryset.filter(start_date__lte=value, end_date__gte=value) if value else queryset
