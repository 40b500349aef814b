"""One FilterSet for course versions, shared by the catalogue page and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from capdev.catalogue.forms import language_choices
from capdev.catalogue.models import CourseKind, CourseVersion, DeliveryMode
from capdev.competencies.models import VersionStatus
from capdev.reference.models import ThematicArea

LEVEL_CHOICES = [(i, str(i)) for i in range(1, 9)]
CREDIT_CHOICES = [("yes", _("With ECTS credits")), ("no", _("Without credits"))]


def current_per_course(qs: QuerySet[CourseVersion]) -> QuerySet[CourseVersion]:
    """Keep one version per course among `qs`: the published one if any, else the newest."""
    preference = models.Case(
        models.When(status=VersionStatus.PUBLISHED, then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )
    best = qs.filter(course_id=models.OuterRef("course_id")).order_by(preference, "-number").values("pk")[:1]
    return qs.filter(pk=models.Subquery(best))


class CourseVersionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=VersionStatus.choices, label=_("Status"))
    thematic_area = django_filters.ModelChoiceFilter(
        field_name="thematic_areas", queryset=ThematicArea.objects.all(), label=_("Thematic area")
    )
    language = django_filters.ChoiceFilter(
        choices=language_choices, method="by_language", label=_("Language")
    )
    mode = django_filters.ChoiceFilter(choices=DeliveryMode.choices, label=_("Delivery mode"))
    credits = django_filters.ChoiceFilter(choices=CREDIT_CHOICES, method="by_credits", label=_("Credits"))
    level = django_filters.ChoiceFilter(
        field_name="qualification_level", choices=LEVEL_CHOICES, label=_("Level (EQF/MQF)")
    )

    class Meta:
        model = CourseVersion
        fields = ["q", "status", "thematic_area", "language", "mode", "credits", "level"]

    def __init__(self, *args: Any, current_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current_only = current_only

    def search(self, queryset: QuerySet[CourseVersion], name: str, value: str) -> QuerySet[CourseVersion]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(summary__icontains=value)
            | Q(course__code__icontains=value)
            | Q(target_audience__icontains=value)
        )

    def by_language(
        self, queryset: QuerySet[CourseVersion], name: str, value: str
    ) -> QuerySet[CourseVersion]:
        # JSON list of codes; a quoted match works on SQLite and PostgreSQL alike
        return queryset.filter(languages__icontains=f'"{value}"') if value else queryset

    def by_credits(self, queryset: QuerySet[CourseVersion], name: str, value: str) -> QuerySet[CourseVersion]:
        if value == "yes":
            return queryset.filter(ects_credits__isnull=False)
        if value == "no":
            return queryset.filter(ects_credits__isnull=True)
        return queryset

    def filter_queryset(self, queryset: QuerySet[CourseVersion]) -> QuerySet[CourseVersion]:
        qs = super().filter_queryset(queryset)
        return current_per_course(qs) if self.current_only else qs


def standard_versions(user: Any) -> QuerySet[CourseVersion]:
    """Versions of standard products the user may see, ready for a list."""
    return (
        CourseVersion.objects.visible_to(user)
        .filter(course__kind=CourseKind.STANDARD)
        .select_related("course", "course__owner")
        .prefetch_related("thematic_areas")
        .order_by("title", "course_id", "-number")
    )
