"""FilterSet for people, shared by the directory page and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from capdev.organisations.models import Organisation
from capdev.people.models import Person, Sex
from capdev.reference.models import Country, Region


def _organisations(request: Any) -> QuerySet[Organisation]:
    if request is None:
        return Organisation.objects.none()
    return Organisation.objects.visible_to(request.user).only("id", "name", "acronym")


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    organisation = django_filters.ModelChoiceFilter(queryset=_organisations, label=_("Organisation"))
    nationality = django_filters.ModelChoiceFilter(
        queryset=Country.objects.filter(nationals__isnull=False).distinct(), label=_("Nationality")
    )
    region = django_filters.ChoiceFilter(
        choices=Region.choices, field_name="organisation__region", label=_("Region")
    )
    sex = django_filters.ChoiceFilter(choices=Sex.choices, label=_("Sex"))

    class Meta:
        model = Person
        fields = ["q", "organisation", "nationality", "region", "sex"]

    def search(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        terms = value.split()
        for term in terms[:5]:
            queryset = queryset.filter(
                Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(email__icontains=term)
            )
        return queryset
