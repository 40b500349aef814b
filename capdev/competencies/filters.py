"""The framework FilterSet, shared by the HTML list and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from capdev.competencies.models import (
    CompetencyItem,
    Framework,
    FrameworkVersion,
    ItemKind,
    Nature,
    VersionStatus,
)
from capdev.core.forms import rebuild_filter_fields
from capdev.organisations.models import Organisation


class FrameworkFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(
        choices=VersionStatus.choices, method="with_status", label=_("Has a version that is")
    )
    owner = django_filters.ModelChoiceFilter(queryset=Organisation.objects.none(), label=_("Owner"))

    class Meta:
        model = Framework
        fields = ["q", "status", "owner"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the owners of frameworks the user may see (a draft-only owner stays unnamed).
        visible = Framework.objects.visible_to(getattr(self.request, "user", None))
        self.filters["owner"].queryset = Organisation.objects.filter(pk__in=visible.values("owner_id")).only(
            "id", "name", "acronym"
        )
        rebuild_filter_fields(self)

    def _versions(self) -> QuerySet[FrameworkVersion]:
        user = getattr(self.request, "user", None)
        return FrameworkVersion.objects.visible_to(user).filter(framework=OuterRef("pk"))

    def search(self, queryset: QuerySet[Framework], name: str, value: str) -> QuerySet[Framework]:
        value = value.strip()
        if not value:
            return queryset
        in_versions = self._versions().filter(Q(title__icontains=value) | Q(subject__icontains=value))
        return queryset.filter(
            Q(title__icontains=value) | Q(owner__acronym__iexact=value) | Q(Exists(in_versions))
        )

    def with_status(self, queryset: QuerySet[Framework], name: str, value: str) -> QuerySet[Framework]:
        if not value:
            return queryset
        return queryset.filter(Exists(self._versions().filter(status=value)))


class CompetencyItemFilter(django_filters.FilterSet):
    """Items of the versions the user may see (API)."""

    version = django_filters.NumberFilter(field_name="version_id", label=_("Version"))
    parent = django_filters.NumberFilter(field_name="parent_id", label=_("Parent item"))
    top_level = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label=_("Top level"))
    kind = django_filters.ChoiceFilter(choices=ItemKind.choices, label=_("Level"))
    nature = django_filters.ChoiceFilter(choices=Nature.choices, label=_("Type"))
    q = django_filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = CompetencyItem
        fields = ["version", "parent", "top_level", "kind", "nature", "q"]

    def search(self, queryset: QuerySet[CompetencyItem], name: str, value: str) -> QuerySet[CompetencyItem]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(statement__icontains=value) | Q(code__icontains=value))


class FrameworkVersionFilter(django_filters.FilterSet):
    framework = django_filters.NumberFilter(field_name="framework_id", label=_("Framework"))
    status = django_filters.ChoiceFilter(choices=VersionStatus.choices, label=_("Status"))

    class Meta:
        model = FrameworkVersion
        fields = ["framework", "status"]
