"""The public catalogue's query and filters (no login: only published versions ever appear)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from capdev.catalogue.models import CourseKind, CourseVersion, DeliveryMode
from capdev.competencies.models import VersionStatus
from capdev.core.forms import rebuild_filter_fields
from capdev.reference.models import ThematicArea


def current_published_versions() -> QuerySet[CourseVersion]:
    """The newest published version of every course (standard products and adaptations).

    Everything a list row shows comes with it (course, owner, the standard an adaptation is based
    on); thematic areas are prefetched, so a page costs a fixed number of queries.
    """
    newer = CourseVersion.objects.filter(
        course=OuterRef("course"), status=VersionStatus.PUBLISHED, number__gt=OuterRef("number")
    )
    return (
        CourseVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .filter(~Exists(newer))
        .select_related("course", "course__owner", "based_on", "based_on__course")
        .prefetch_related("thematic_areas")
        .order_by("title", "course__code")
    )


def language_name(code: str) -> str:
    """The language's name in the active language (the code itself when Django does not know it)."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def language_choices() -> list[tuple[str, str]]:
    """The languages published products are offered in (one query)."""
    codes: set[str] = set()
    published = CourseVersion.objects.filter(status=VersionStatus.PUBLISHED)
    for languages in published.order_by().values_list("languages", flat=True).distinct():
        codes.update(c for c in languages or [] if isinstance(c, str))
    return sorted(((c, language_name(c)) for c in codes), key=lambda pair: pair[1])


class _Once:
    """A callable that computes its value on the first call only."""

    def __init__(self, fn: Callable[[], list[tuple[str, str]]]) -> None:
        self.fn = fn
        self.value: list[tuple[str, str]] | None = None

    def __deepcopy__(self, memo: dict[int, Any]) -> _Once:
        return self  # the form field and its widget get copies; they share the one value

    def __call__(self) -> list[tuple[str, str]]:
        if self.value is None:
            self.value = self.fn()
        return self.value


CREDIT_CHOICES = [
    ("none", _("Not credit-bearing")),
    ("any", _("With ECTS credits")),
    ("upto2", _("Up to 2 ECTS")),
    ("2to5", _("More than 2, up to 5 ECTS")),
    ("over5", _("More than 5 ECTS")),
]

LEVEL_CHOICES = [(str(n), _("Level %(n)s") % {"n": n}) for n in range(1, 9)]


class PublicCourseFilter(django_filters.FilterSet):
    """Search and filters of the public catalogue; also usable by an API over the same query."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    thematic_area = django_filters.ModelChoiceFilter(
        queryset=ThematicArea.objects.all(),
        field_name="thematic_areas",
        label=_("Thematic area"),
        empty_label=_("All thematic areas"),
    )
    language = django_filters.ChoiceFilter(
        choices=language_choices,
        method="filter_language",
        label=_("Language"),
        empty_label=_("All languages"),
    )
    mode = django_filters.ChoiceFilter(
        choices=DeliveryMode.choices, label=_("Delivery mode"), empty_label=_("All modes")
    )
    level = django_filters.ChoiceFilter(
        choices=LEVEL_CHOICES,
        field_name="qualification_level",
        label=_("Level (EQF/MQF)"),
        empty_label=_("Any level"),
    )
    credits = django_filters.ChoiceFilter(
        choices=CREDIT_CHOICES, method="filter_credits", label=_("Credits"), empty_label=_("Any credits")
    )
    kind = django_filters.ChoiceFilter(
        choices=[
            (CourseKind.STANDARD, _("Standard products")),
            (CourseKind.ADAPTATION, _("Partners' adaptations")),
        ],
        field_name="course__kind",
        label=_("Type"),
        empty_label=_("All types"),
    )

    class Meta:
        model = CourseVersion
        fields = ["q", "thematic_area", "language", "mode", "level", "credits", "kind"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The languages in use are read once per request, for validation and rendering alike.
        self.filters["language"].extra["choices"] = _Once(language_choices)
        rebuild_filter_fields(self)

    def search(self, queryset: QuerySet[CourseVersion], name: str, value: str) -> QuerySet[CourseVersion]:
        words = value.split()
        for word in words[:8]:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(target_audience__icontains=word)
                | Q(course__code__icontains=word)
                | Q(course__owner__name__icontains=word)
                | Q(course__owner__acronym__iexact=word)
            )
        return queryset

    def filter_language(
        self, queryset: QuerySet[CourseVersion], name: str, value: str
    ) -> QuerySet[CourseVersion]:
        # `languages` is a JSON list of codes; matching the quoted code on its text works on both
        # SQLite and PostgreSQL ("pt" does not match "pt-br").
        return queryset.filter(languages__icontains=f'"{value}"') if value else queryset

    def filter_credits(
        self, queryset: QuerySet[CourseVersion], name: str, value: str
    ) -> QuerySet[CourseVersion]:
        two, five = Decimal(2), Decimal(5)
        conditions: dict[str, Any] = {
            "none": Q(ects_credits__isnull=True) | Q(ects_credits=0),
            "any": Q(ects_credits__gt=0),
            "upto2": Q(ects_credits__gt=0, ects_credits__lte=two),
            "2to5": Q(ects_credits__gt=two, ects_credits__lte=five),
            "over5": Q(ects_credits__gt=five),
        }
        return queryset.filter(conditions[value]) if value in conditions else queryset
