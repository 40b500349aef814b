"""The lesson FilterSet, shared by the knowledge-base page and the API.

`q` is the full-text search (search.py): with a search the results come best first, otherwise
newest first. The Action filter offers only the Actions the reader may see (an id outside that
set is an invalid choice, answered like an unknown id), and only those that have lessons.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from capdev.actions.models import Action, ActivityType
from capdev.core.forms import rebuild_filter_fields
from capdev.core.roles import roles_of
from capdev.knowledge.models import Lesson, LessonKind, Tag
from capdev.knowledge.search import search_lessons
from capdev.knowledge.services import tag_key
from capdev.reference.models import Country, ThematicArea
from capdev.reference.models import country_choices as all_country_choices

LANGUAGE_CHOICES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("ar", _("Arabic")),
    ("ru", _("Russian")),
]


class LessonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=LessonKind.choices, label=_("Kind"), empty_label=_("Both"))
    thematic_area = django_filters.ModelChoiceFilter(
        queryset=ThematicArea.objects.all(),
        field_name="thematic_areas",
        label=_("Thematic area"),
        empty_label=_("All areas"),
    )
    country = django_filters.ChoiceFilter(
        choices=[], method="in_country", label=_("Country"), empty_label=_("All countries")
    )
    activity_type = django_filters.ChoiceFilter(
        choices=ActivityType.choices,
        method="with_activity_type",
        label=_("Activity type"),
        empty_label=_("All types"),
    )
    tag = django_filters.CharFilter(method="with_tag", label=_("Tag"))
    # The portfolio holds thousands of Actions: no select of them all. `action` (an id, from a
    # link such as an Action page's) is a hidden field checked against the Actions the reader
    # sees; `action_name` finds Actions by name.
    action = django_filters.ModelChoiceFilter(
        queryset=Action.objects.none(), method="for_action", label=_("Action"), widget=forms.HiddenInput
    )
    action_name = django_filters.CharFilter(method="for_action_name", label=_("Action"))
    language = django_filters.ChoiceFilter(
        choices=LANGUAGE_CHOICES, label=_("Language"), empty_label=_("All languages")
    )
    status = django_filters.ChoiceFilter(
        choices=[("published", _("Published")), ("draft", _("Draft"))],
        method="with_status",
        label=_("Status"),
        empty_label=_("Published and drafts"),
    )

    class Meta:
        model = Lesson
        fields = [
            "q",
            "kind",
            "thematic_area",
            "country",
            "activity_type",
            "tag",
            "action",
            "action_name",
            "language",
        ]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        staff = roles_of(user).is_staff
        self.filters["action"].queryset = Action.objects.visible_to(user).only("id", "name")
        self.user = user
        countries: list[tuple[str, str]] = []

        def country_choices() -> list[tuple[str, str]]:
            """Countries of the reader's lessons, read once: an EXISTS probe per country (no scan
            of every lesson's countries), codes only; the names in the active language come from
            the cached list of all countries (already sorted by name)."""
            if not countries:
                links = Lesson.countries.through.objects.filter(country_id=OuterRef("code"))
                if not staff:
                    links = links.filter(lesson__published=True)
                used = set(Country.objects.filter(Exists(links)).values_list("code", flat=True))
                countries.extend(choice for choice in all_country_choices() if choice[0] in used)
            return countries

        self.filters["country"].extra["choices"] = country_choices
        rebuild_filter_fields(self)  # fields built from the class (API schema) would keep its scope
        if not staff:  # drafts are staff-only: the filter would mean nothing to others
            del self.filters["status"]

    @property
    def searching(self) -> bool:
        return bool(self.is_valid() and (self.form.cleaned_data.get("q") or "").strip())

    def filter_queryset(self, queryset: QuerySet[Lesson]) -> QuerySet[Lesson]:
        """Every filter first, the full-text search last (it orders by rank)."""
        text = ""
        for name, value in self.form.cleaned_data.items():
            if name == "q":
                text = value or ""
                continue
            queryset = self.filters[name].filter(queryset, value)
        if text.strip():
            queryset = search_lessons(queryset, text)
        return queryset

    def search(self, queryset: QuerySet[Lesson], name: str, value: str) -> QuerySet[Lesson]:
        return queryset  # applied last, in filter_queryset

    def with_status(self, queryset: QuerySet[Lesson], name: str, value: str) -> QuerySet[Lesson]:
        if value in ("published", "draft"):
            return queryset.filter(published=value == "published")
        return queryset

    def in_country(self, queryset: QuerySet[Lesson], name: str, value: str) -> QuerySet[Lesson]:
        if not value:
            return queryset
        return queryset.filter(
            pk__in=Lesson.countries.through.objects.filter(country_id=value).values("lesson_id")
        )

    def with_activity_type(self, queryset: QuerySet[Lesson], name: str, value: str) -> QuerySet[Lesson]:
        return queryset.with_activity_type(value) if value else queryset  # type: ignore[attr-defined]

    def with_tag(self, queryset: QuerySet[Lesson], name: str, value: str) -> QuerySet[Lesson]:
        if not value:
            return queryset
        tags = Tag.objects.filter(key=tag_key(value)).values("pk")
        return queryset.filter(pk__in=Lesson.tags.through.objects.filter(tag_id__in=tags).values("lesson_id"))

    def for_action_name(self, queryset: QuerySet[Lesson], name: str, value: str) -> QuerySet[Lesson]:
        value = " ".join((value or "").split())
        if not value:
            return queryset
        named = Action.objects.visible_to(self.user).filter(name__icontains=value).values("pk")
        return queryset.filter(
            pk__in=Lesson.actions.through.objects.filter(action_id__in=named).values("lesson_id")
        )

    @property
    def chosen_action(self) -> Action | None:
        """The Action of the hidden `action` filter, when valid (shown as a removable chip)."""
        return self.form.cleaned_data.get("action") if self.is_valid() else None

    def for_action(self, queryset: QuerySet[Lesson], name: str, value: Action | None) -> QuerySet[Lesson]:
        return queryset.for_action(value) if value is not None else queryset  # type: ignore[attr-defined]
