"""FilterSets of sessions and attendance marks, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capdev.core.forms import FastSelect
from capdev.delivery.models import Attendance, AttendanceStatus, Session, SessionKind

DATE = forms.DateInput(attrs={"type": "date"})

WHEN_CHOICES = [
    ("upcoming", _("Upcoming")),
    ("past", _("Past")),
    ("cancelled", _("Cancelled")),
]


class SessionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    when = django_filters.ChoiceFilter(
        choices=WHEN_CHOICES, method="by_when", label=_("When"), widget=FastSelect
    )
    kind = django_filters.ChoiceFilter(choices=SessionKind.choices, label=_("Kind"), widget=FastSelect)
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"), widget=DATE)
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Until"), widget=DATE)
    run = django_filters.NumberFilter(field_name="run_id", label=_("Run"), widget=forms.HiddenInput)

    class Meta:
        model = Session
        fields = ["q", "when", "kind", "date_from", "date_to", "run"]

    def search(self, queryset: QuerySet[Session], name: str, value: str) -> QuerySet[Session]:
        for term in value.split()[:5]:
            queryset = queryset.filter(
                Q(title__icontains=term)
                | Q(room__icontains=term)
                | Q(host_institution__icontains=term)
                | Q(destination_city__icontains=term)
            )
        return queryset

    def by_when(self, queryset: QuerySet[Session], name: str, value: str) -> QuerySet[Session]:
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(cancelled=False, ends_at__gt=now)
        if value == "past":
            return queryset.filter(cancelled=False, ends_at__lte=now)
        if value == "cancelled":
            return queryset.filter(cancelled=True)
        return queryset


class AttendanceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Participant"))
    status = django_filters.ChoiceFilter(
        choices=AttendanceStatus.choices, label=_("Attendance"), widget=FastSelect
    )
    kind = django_filters.ChoiceFilter(
        choices=SessionKind.choices, field_name="session__kind", label=_("Kind of session"), widget=FastSelect
    )
    date_from = django_filters.DateFilter(
        field_name="session__date", lookup_expr="gte", label=_("From"), widget=DATE
    )
    date_to = django_filters.DateFilter(
        field_name="session__date", lookup_expr="lte", label=_("Until"), widget=DATE
    )
    run = django_filters.NumberFilter(method="by_run", label=_("Run"), widget=forms.HiddenInput)
    session = django_filters.NumberFilter(
        field_name="session_id", label=_("Session"), widget=forms.HiddenInput
    )
    enrolment = django_filters.NumberFilter(
        field_name="enrolment_id", label=_("Enrolment"), widget=forms.HiddenInput
    )

    class Meta:
        model = Attendance
        fields = ["q", "status", "kind", "date_from", "date_to", "run", "session", "enrolment"]

    def search(self, queryset: QuerySet[Attendance], name: str, value: str) -> QuerySet[Attendance]:
        for term in value.split()[:4]:
            queryset = queryset.filter(
                Q(enrolment__person__first_name__icontains=term)
                | Q(enrolment__person__last_name__icontains=term)
            )
        return queryset

    def by_run(self, queryset: QuerySet[Attendance], name: str, value: Any) -> QuerySet[Attendance]:
        # Through the sessions of the run: the (session, enrolment) index then serves the marks.
        if value in (None, ""):
            return queryset
        return queryset.filter(session_id__in=Session.objects.filter(run_id=value).values("pk"))
