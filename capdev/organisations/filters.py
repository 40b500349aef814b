"""One FilterSet per model, shared by the HTML list and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from capdev.core.forms import FastSelect
from capdev.organisations.models import Organisation, OrganisationType
from capdev.reference.models import Region, country_choices


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    type = django_filters.ChoiceFilter(choices=OrganisationType.choices, label=_("Type"), widget=FastSelect)
    country = django_filters.ChoiceFilter(
        choices=lambda: country_choices(used_by_organisations=True), label=_("Country"), widget=FastSelect
    )
    region = django_filters.ChoiceFilter(choices=Region.choices, label=_("Region"), widget=FastSelect)

    class Meta:
        model = Organisation
        fields = ["q", "type", "country", "region"]

    @property
    def searching(self) -> bool:
        """Whether the list is a free-text search (its count is then capped: see core.pagination)."""
        return bool(self.is_valid() and (self.form.cleaned_data.get("q") or "").strip())

    def search(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Organisation]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(acronym__icontains=value))
