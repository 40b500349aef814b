"""FilterSets shared by the pages and the API: participants' online progress (the run's progress
table, "My online courses", /api/v1/online-progress/), lessons and SCORM attempts (API)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from capdev.cohorts.models import Enrolment
from capdev.core.forms import FastSelect
from capdev.learning.models import OnlineLesson, ScormAttempt

NOT_STARTED, IN_PROGRESS, COMPLETED = "not_started", "in_progress", "completed"
STATE_CHOICES = [
    (NOT_STARTED, _("Not started")),
    (IN_PROGRESS, _("In progress")),
    (COMPLETED, pgettext_lazy("online part", "Completed")),
]


def state_of(enrolment: Enrolment) -> str:
    if enrolment.online_completed_at is not None:
        return COMPLETED
    return IN_PROGRESS if enrolment.online_started_at is not None else NOT_STARTED


class OnlineProgressFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    state = django_filters.ChoiceFilter(
        choices=STATE_CHOICES, method="by_state", label=_("Online part"), widget=FastSelect
    )
    run = django_filters.NumberFilter(field_name="run_id", label=_("Run"), widget=forms.HiddenInput)

    class Meta:
        model = Enrolment
        fields = ["q", "state", "run"]

    def search(self, queryset: QuerySet[Enrolment], name: str, value: str) -> QuerySet[Enrolment]:
        for term in value.split()[:4]:
            queryset = queryset.filter(
                Q(person__first_name__icontains=term)
                | Q(person__last_name__icontains=term)
                | Q(run__title__icontains=term)
            )
        return queryset

    def by_state(self, queryset: QuerySet[Enrolment], name: str, value: str) -> QuerySet[Enrolment]:
        if value == COMPLETED:
            return queryset.filter(online_completed_at__isnull=False)
        if value == IN_PROGRESS:
            return queryset.filter(online_started_at__isnull=False, online_completed_at__isnull=True)
        if value == NOT_STARTED:
            return queryset.filter(online_started_at__isnull=True, online_completed_at__isnull=True)
        return queryset


class OnlineLessonFilter(django_filters.FilterSet):
    version = django_filters.NumberFilter(field_name="module__version_id", label=_("Course version"))
    module = django_filters.NumberFilter(field_name="module_id", label=_("Module"))

    class Meta:
        model = OnlineLesson
        fields = ["version", "module"]


class ScormAttemptFilter(django_filters.FilterSet):
    enrolment = django_filters.NumberFilter(field_name="enrolment_id", label=_("Enrolment"))
    package = django_filters.NumberFilter(field_name="package_id", label=_("Package"))
    done = django_filters.BooleanFilter(
        field_name="done_at", lookup_expr="isnull", exclude=True, label=_("Counted as done")
    )

    class Meta:
        model = ScormAttempt
        fields = ["enrolment", "package", "done"]
