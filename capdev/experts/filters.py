"""FilterSet for the expert roster, shared by the roster page and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from capdev.core.forms import FastSelect
from capdev.experts.models import Availability, Deployment, ExpertProfile, InstitutionType
from capdev.people.models import PersonLanguage, Sex, language_choices
from capdev.reference.data import CEFR_LEVELS
from capdev.reference.models import Region, SpecificArea, ThematicArea, country_choices

LEVEL_ORDER = [code for code, _label in CEFR_LEVELS]  # A1 … C2, native


def levels_at_least(level: str) -> list[str]:
    """CEFR levels at or above `level` (native counts as above C2)."""
    if level not in LEVEL_ORDER:
        return LEVEL_ORDER
    return LEVEL_ORDER[LEVEL_ORDER.index(level) :]


DATE = forms.DateInput(attrs={"type": "date"})


class ExpertFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    thematic_area = django_filters.ModelChoiceFilter(
        queryset=ThematicArea.objects.all(), field_name="thematic_areas", label=_("Thematic expertise")
    )
    specific_area = django_filters.ModelChoiceFilter(
        queryset=SpecificArea.objects.select_related("thematic_area"),
        method="by_specific_area",
        label=_("Specific expertise"),
    )
    language = django_filters.ChoiceFilter(
        choices=language_choices, method="by_language", label=_("Language"), widget=FastSelect
    )
    min_level = django_filters.ChoiceFilter(
        choices=CEFR_LEVELS, method="noop", label=_("At least"), empty_label=_("any level"), widget=FastSelect
    )
    region = django_filters.ChoiceFilter(
        choices=Region.choices, method="by_region", label=_("Region worked in"), widget=FastSelect
    )
    nationality = django_filters.ChoiceFilter(
        choices=country_choices, field_name="person__nationality", label=_("Nationality"), widget=FastSelect
    )
    sex = django_filters.ChoiceFilter(
        choices=Sex.choices, field_name="person__sex", label=_("Sex"), widget=FastSelect
    )
    institution_type = django_filters.ChoiceFilter(
        choices=InstitutionType.choices, label=_("Institution type"), widget=FastSelect
    )
    available_from = django_filters.DateFilter(method="noop", label=_("Available from"), widget=DATE)
    available_until = django_filters.DateFilter(method="noop", label=_("until"), widget=DATE)

    class Meta:
        model = ExpertProfile
        fields = [
            "q",
            "thematic_area",
            "specific_area",
            "language",
            "min_level",
            "region",
            "nationality",
            "sex",
            "institution_type",
            "available_from",
            "available_until",
        ]

    def noop(self, queryset: QuerySet[ExpertProfile], name: str, value: Any) -> QuerySet[ExpertProfile]:
        return queryset  # applied together with another field, in filter_queryset

    def search(self, queryset: QuerySet[ExpertProfile], name: str, value: str) -> QuerySet[ExpertProfile]:
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(person__first_name__icontains=term)
                | Q(person__last_name__icontains=term)
                | Q(institution__name__icontains=term)
                | Q(institution__acronym__iexact=term)
            )
        return queryset

    def by_specific_area(
        self, queryset: QuerySet[ExpertProfile], name: str, value: Any
    ) -> QuerySet[ExpertProfile]:
        if not value:
            return queryset
        through = ExpertProfile.specific_areas.through
        return queryset.filter(
            Exists(through.objects.filter(expertprofile_id=OuterRef("pk"), specificarea_id=value.pk))
        )

    def by_language(
        self, queryset: QuerySet[ExpertProfile], name: str, value: str
    ) -> QuerySet[ExpertProfile]:
        if not value:
            return queryset
        levels = levels_at_least(self.form.cleaned_data.get("min_level") or "")
        return queryset.filter(
            Exists(
                PersonLanguage.objects.filter(
                    person_id=OuterRef("person_id"), language=value, level__in=levels
                )
            )
        )

    def by_region(self, queryset: QuerySet[ExpertProfile], name: str, value: str) -> QuerySet[ExpertProfile]:
        # `regions` is a JSON list of codes; the quoted code cannot match inside another code.
        return queryset.filter(regions__icontains=f'"{value}"') if value else queryset

    def filter_queryset(self, queryset: QuerySet[ExpertProfile]) -> QuerySet[ExpertProfile]:
        queryset = super().filter_queryset(queryset)
        start = self.form.cleaned_data.get("available_from")
        end = self.form.cleaned_data.get("available_until") or start
        if start and end and end >= start:
            queryset = queryset.filter(
                Exists(
                    Availability.objects.filter(
                        expert_id=OuterRef("pk"), start_date__lte=start, end_date__gte=end
                    )
                ),
                ~Exists(
                    Deployment.objects.accepted().overlapping(start, end).filter(expert_id=OuterRef("pk"))
                ),
            )
        return queryset
