"""FilterSet for people, shared by the directory page and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from capdev.core.forms import FastSelect
from capdev.organisations.models import Organisation
from capdev.people.models import Person, Sex
from capdev.reference.models import Region, country_choices


def _organisations(request: Any) -> QuerySet[Organisation]:
    if request is None:
        return Organisation.objects.none()
    return Organisation.objects.visible_to(request.user).only("id", "name", "acronym")


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    # The organisation filter is set from links (an organisation's page → its people); the form
    # offers a name search instead of a select that would list thousands of organisations.
    organisation = django_filters.ModelChoiceFilter(
        queryset=_organisations, label=_("Organisation"), widget=forms.HiddenInput
    )
    organisation_name = django_filters.CharFilter(method="search_organisation", label=_("Organisation"))
    nationality = django_filters.ChoiceFilter(
        choices=country_choices, label=_("Nationality"), widget=FastSelect
    )
    region = django_filters.ChoiceFilter(
        choices=Region.choices, field_name="organisation__region", label=_("Region"), widget=FastSelect
    )
    sex = django_filters.ChoiceFilter(choices=Sex.choices, label=_("Sex"), widget=FastSelect)

    class Meta:
        model = Person
        fields = ["q", "organisation", "organisation_name", "nationality", "region", "sex"]

    @property
    def searching(self) -> bool:
        """Whether the list is a free-text search (its count is then capped: see core.pagination)."""
        return bool(self.is_valid() and (self.form.cleaned_data.get("q") or "").strip())

    def search_organisation(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(organisation__name__icontains=value) | Q(organisation__acronym__iexact=value)
        )

    def search(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        terms = value.split()
        for term in terms[:5]:
            queryset = queryset.filter(
                Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(email__icontains=term)
            )
        return queryset
