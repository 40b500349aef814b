"""Filters of the participants list (staff, focal points), built on the cohorts' EnrolmentFilter
so that the page and the enrolments API filter alike."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from capdev.cohorts.filters import EnrolmentFilter, year_choices
from capdev.cohorts.models import Enrolment
from capdev.core.forms import FastSelect
from capdev.organisations.models import Organisation
from capdev.organisations.querysets import scoped_org_ids

NOT_STARTED, IN_PROGRESS, COMPLETED = "not_started", "in_progress", "completed"


def _organisations(request: Any) -> QuerySet[Organisation]:
    """A focal point's own organisations (staff filter by searching instead)."""
    if request is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=scoped_org_ids(request.user)).only("id", "name", "acronym")


class ParticipantFilter(EnrolmentFilter):
    online = django_filters.ChoiceFilter(
        choices=[
            (NOT_STARTED, _("Not started")),
            (IN_PROGRESS, _("In progress")),
            (COMPLETED, pgettext_lazy("online part", "Completed")),
        ],
        method="by_online",
        label=_("Online part"),
        widget=FastSelect,
    )
    year = django_filters.ChoiceFilter(
        choices=year_choices, method="running_in", label=_("Year"), widget=FastSelect
    )
    organisation = django_filters.ModelChoiceFilter(
        queryset=_organisations, field_name="person__organisation", label=_("Organisation")
    )

    class Meta(EnrolmentFilter.Meta):
        fields = ["q", "status", "online", "year", "organisation", "run"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = kwargs.get("request")
        if request is not None and len(scoped_org_ids(request.user)) < 2:
            del self.filters["organisation"]  # one organisation (or staff): nothing to choose

    def by_online(self, queryset: QuerySet[Enrolment], name: str, value: str) -> QuerySet[Enrolment]:
        if value == NOT_STARTED:
            return queryset.filter(online_started_at__isnull=True)
        if value == IN_PROGRESS:
            return queryset.filter(online_started_at__isnull=False, online_completed_at__isnull=True)
        if value == COMPLETED:
            return queryset.filter(online_completed_at__isnull=False)
        return queryset

    def running_in(self, queryset: QuerySet[Enrolment], name: str, value: Any) -> QuerySet[Enrolment]:
        year = int(value)
        return queryset.filter(
            run__start_date__lte=datetime.date(year, 12, 31), run__end_date__gte=datetime.date(year, 1, 1)
        )
