"""Reads and scoping for the expert roster and deployments.

Who sees what:

- programme staff see the whole roster and every deployment;
- an expert (a person with a login) sees their own profile and their own deployments;
- a partner focal point sees the accepted deployments on the activities of their Actions (who
  comes to work with them), but not the roster itself.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

from capdev.core.roles import Role, roles_of
from capdev.organisations.querysets import scoped_org_ids

MAX_ACTIVITY_DAYS = 367  # the longest activity the services accept, plus its first day

if TYPE_CHECKING:
    from capdev.experts.models import Deployment, ExpertProfile  # noqa: F401


class ExpertProfileQuerySet(models.QuerySet["ExpertProfile"]):
    def visible_to(self, user: Any) -> ExpertProfileQuerySet:
        """Staff see the roster; everyone else sees only their own profile."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if roles_of(user).is_staff:
            return self.all()
        return self.filter(person__user_id=user.pk)

    def active(self) -> ExpertProfileQuerySet:
        """Profiles on the roster. Erasing a person takes their profile off the roster (the
        eraser clears `active`), so no join to the person is needed here."""
        return self.filter(active=True)

    def contactable(self) -> ExpertProfileQuerySet:
        """Active experts who consented to be contacted: the ones matching may propose."""
        return self.active().filter(consent_to_contact=True)

    def for_user(self, user: Any) -> ExpertProfileQuerySet:
        return self.filter(person__user_id=getattr(user, "pk", None) or 0)


class DeploymentQuerySet(models.QuerySet["Deployment"]):
    def visible_to(self, user: Any) -> DeploymentQuerySet:
        """Staff see every deployment; experts their own; focal points the accepted deployments
        on the activities of their Actions."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        rs = roles_of(user)
        if rs.is_staff:
            return self.all()
        condition = Q(expert__person__user_id=user.pk)
        orgs = scoped_org_ids(user, Role.FOCAL_POINT)
        if orgs:
            from capdev.actions.models import ActionPartner

            condition |= Q(
                status="accepted",
                activity__action_id__in=ActionPartner.objects.filter(organisation_id__in=orgs).values(
                    "action_id"
                ),
            )
        return self.filter(condition)

    def accepted(self) -> DeploymentQuerySet:
        return self.filter(status="accepted")

    def pending(self) -> DeploymentQuerySet:
        return self.filter(status="invited")

    def overlapping(self, start: Any, end: Any) -> DeploymentQuerySet:
        """Deployments on activities (not cancelled) whose dates overlap [start, end].

        An activity lasts at most a year (activities.MAX_DAYS), so its start is bounded below
        too: the (start_date, end_date) index then reads a narrow range instead of every
        activity that began before `end`. The activities are a subquery (`activity_id IN …`)
        rather than a join so that every database starts from those few activities: SQLite,
        without statistics, otherwise walks every accepted deployment by its status index."""
        from capdev.actions.models import Activity

        earliest = start - datetime.timedelta(days=MAX_ACTIVITY_DAYS)
        activities = (
            Activity.objects.filter(start_date__lte=end, start_date__gte=earliest, end_date__gte=start)
            .exclude(status="cancelled")
            .order_by()
            .values("pk")
        )
        return self.filter(activity_id__in=activities)
