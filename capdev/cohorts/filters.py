"""FilterSets for runs, programmes, calls, applications and enrolments, shared by the pages and
the API. Choice lists are built per request from what the user may see; related filters use
`id__in` subqueries (no `distinct()`)."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capdev.actions.models import Action
from capdev.catalogue.models import Course
from capdev.cohorts.models import (
    Application,
    ApplicationSource,
    ApplicationStatus,
    Call,
    CallStatus,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
    Programme,
    RunStatus,
)
from capdev.core.forms import FastSelect
from capdev.organisations.models import Organisation
from capdev.reference.models import country_choices

FIRST_YEAR = 2009


def year_choices() -> list[tuple[int, int]]:
    return [(y, y) for y in range(timezone.localdate().year + 2, FIRST_YEAR - 1, -1)]


def _user(request: Any) -> Any:
    return getattr(request, "user", None)


def _visible_runs(request: Any) -> QuerySet[CourseRun]:
    return CourseRun.objects.visible_to(_user(request))


def _courses(request: Any) -> QuerySet[Course]:
    if request is None:
        return Course.objects.none()
    return Course.objects.filter(pk__in=_visible_runs(request).values("course_version__course_id")).only(
        "id", "code"
    )


def _programmes(request: Any) -> QuerySet[Programme]:
    if request is None:
        return Programme.objects.none()
    return Programme.objects.visible_to(request.user).only("id", "title", "cohort_label")


def _hosts(request: Any) -> QuerySet[Organisation]:
    if request is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=_visible_runs(request).values("host_id")).only(
        "id", "name", "acronym"
    )


def _actions(request: Any) -> QuerySet[Action]:
    if request is None:
        return Action.objects.none()
    return Action.objects.visible_to(request.user).only("id", "name")


def _runs(request: Any) -> QuerySet[CourseRun]:
    if request is None:
        return CourseRun.objects.none()
    return _visible_runs(request).only("id", "title")


def _calls(request: Any) -> QuerySet[Call]:
    if request is None:
        return Call.objects.none()
    return Call.objects.visible_to(request.user).only("id", "title")


def _application_orgs(request: Any) -> QuerySet[Organisation]:
    if request is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=Application.objects.visible_to(request.user).values("organisation_id")
    ).only("id", "name", "acronym")


def _year_range(queryset: QuerySet[Any], year: Any, start: str, end: str) -> QuerySet[Any]:
    """Rows running during `year` (a date range the index on the start date serves)."""
    if not year:
        return queryset
    first, last = datetime.date(int(year), 1, 1), datetime.date(int(year), 12, 31)
    return queryset.filter(**{f"{start}__lte": last, f"{end}__gte": first})


class RunFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=RunStatus.choices, label=_("Status"), widget=FastSelect)
    course = django_filters.ModelChoiceFilter(
        queryset=_courses, field_name="course_version__course", label=_("Course")
    )
    programme = django_filters.ModelChoiceFilter(queryset=_programmes, label=_("Programme"))
    # A name search: thousands of host organisations make a select too long to render or use;
    # `host` (an id) stays for links and the API.
    host_name = django_filters.CharFilter(method="by_host_name", label=_("Host organisation"))
    host = django_filters.ModelChoiceFilter(
        queryset=_hosts, label=_("Host organisation"), widget=forms.HiddenInput
    )
    country = django_filters.ChoiceFilter(choices=country_choices, label=_("Country"), widget=FastSelect)
    year = django_filters.ChoiceFilter(
        choices=year_choices, method="running_in", label=_("Year"), widget=FastSelect
    )
    # Set from links (an Action's page → its runs), not offered as a select of every Action.
    action = django_filters.ModelChoiceFilter(queryset=_actions, label=_("Action"), widget=forms.HiddenInput)

    class Meta:
        model = CourseRun
        fields = ["q", "status", "course", "programme", "host_name", "host", "country", "year", "action"]

    def search(self, queryset: QuerySet[CourseRun], name: str, value: str) -> QuerySet[CourseRun]:
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(title__icontains=term)
                | Q(code__icontains=term)
                | Q(cohort_label__icontains=term)
                | Q(city__icontains=term)
            )
        return queryset

    def by_host_name(self, queryset: QuerySet[CourseRun], name: str, value: str) -> QuerySet[CourseRun]:
        """Runs whose host's name contains every word, or whose acronym is one of them."""
        for term in value.split()[:5]:
            queryset = queryset.filter(Q(host__name__icontains=term) | Q(host__acronym__iexact=term))
        return queryset

    def running_in(self, queryset: QuerySet[CourseRun], name: str, value: Any) -> QuerySet[CourseRun]:
        return _year_range(queryset, value, "start_date", "end_date")


class ProgrammeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    year = django_filters.ChoiceFilter(
        choices=year_choices, method="running_in", label=_("Year"), widget=FastSelect
    )

    class Meta:
        model = Programme
        fields = ["q", "year"]

    def search(self, queryset: QuerySet[Programme], name: str, value: str) -> QuerySet[Programme]:
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(title__icontains=term) | Q(code__icontains=term) | Q(cohort_label__icontains=term)
            )
        return queryset

    def running_in(self, queryset: QuerySet[Programme], name: str, value: Any) -> QuerySet[Programme]:
        return _year_range(queryset, value, "start_date", "end_date")


OPEN_NOW = "open_now"


class CallFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(
        choices=[(OPEN_NOW, _("Open for candidates now")), *CallStatus.choices],
        method="by_status",
        label=_("Status"),
        widget=FastSelect,
    )
    run = django_filters.ModelChoiceFilter(queryset=_runs, label=_("Run"), widget=forms.HiddenInput)
    programme = django_filters.ModelChoiceFilter(
        queryset=_programmes, label=_("Programme"), widget=forms.HiddenInput
    )

    class Meta:
        model = Call
        fields = ["q", "status", "run", "programme"]

    def search(self, queryset: QuerySet[Call], name: str, value: str) -> QuerySet[Call]:
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(title__icontains=term) | Q(run__title__icontains=term) | Q(programme__title__icontains=term)
            )
        return queryset

    def by_status(self, queryset: QuerySet[Call], name: str, value: str) -> QuerySet[Call]:
        if value == OPEN_NOW:
            return queryset.open_now()  # type: ignore[attr-defined]
        return queryset.filter(status=value) if value else queryset


FIT_CHOICES = [("all", _("Meets the whole profile")), ("missing", _("Misses a criterion"))]


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(
        choices=ApplicationStatus.choices, label=_("Status"), widget=FastSelect
    )
    organisation = django_filters.ModelChoiceFilter(queryset=_application_orgs, label=_("Organisation"))
    fit = django_filters.ChoiceFilter(
        choices=FIT_CHOICES, method="by_fit", label=_("Profile fit"), widget=FastSelect
    )
    source = django_filters.ChoiceFilter(
        choices=ApplicationSource.choices, label=_("Source"), widget=FastSelect
    )
    call = django_filters.ModelChoiceFilter(queryset=_calls, label=_("Call"), widget=forms.HiddenInput)

    class Meta:
        model = Application
        fields = ["q", "status", "organisation", "fit", "source", "call"]

    def search(self, queryset: QuerySet[Application], name: str, value: str) -> QuerySet[Application]:
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(person__first_name__icontains=term)
                | Q(person__last_name__icontains=term)
                | Q(call__title__icontains=term)
            )
        return queryset

    def by_fit(self, queryset: QuerySet[Application], name: str, value: str) -> QuerySet[Application]:
        if value == "all":
            return queryset.filter(fit_misses=0)
        if value == "missing":
            return queryset.filter(fit_misses__gt=0)
        return queryset


class EnrolmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(
        choices=EnrolmentStatus.choices, label=_("Status"), widget=FastSelect
    )
    run = django_filters.ModelChoiceFilter(queryset=_runs, label=_("Run"), widget=forms.HiddenInput)

    class Meta:
        model = Enrolment
        fields = ["q", "status", "run"]

    def search(self, queryset: QuerySet[Enrolment], name: str, value: str) -> QuerySet[Enrolment]:
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(person__first_name__icontains=term)
                | Q(person__last_name__icontains=term)
                | Q(person__organisation__acronym__iexact=term)
            )
        return queryset
