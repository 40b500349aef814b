"""Reads and scoping for requests, Actions and activities (section 6 of the Actions issue).

Who sees what:

- programme staff see everything;
- steering-committee members see every Action (read-only) and the requests that have been put
  before the committee (submitted, approved, rejected);
- partner focal points see the requests filed by, and the Actions partnered with, one of their
  organisations (or sub-organisations);
- experts (trainer role) see the Actions in which they hold an accepted deployment, and only the
  activities they are deployed to.

Scoping uses `id__in` subqueries rather than joins so that no `distinct()` is needed and list
queries stay cheap on 10,000 Actions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

from capdev.core.roles import Role, roles_of
from capdev.organisations.querysets import scoped_org_ids

if TYPE_CHECKING:
    from capdev.actions.models import Action, Activity, Request  # noqa: F401

# Statuses a steering-committee member can see: what awaits their decision and what was decided.
STEERING_REQUEST_STATUSES = ("submitted", "approved", "rejected")


def _deployed_activity_ids(user: Any) -> models.QuerySet[Any]:
    from capdev.experts.models import Deployment, DeploymentStatus

    return Deployment.objects.filter(expert__person__user=user, status=DeploymentStatus.ACCEPTED).values(
        "activity_id"
    )


def _deployed_action_ids(user: Any) -> models.QuerySet[Any]:
    from capdev.experts.models import Deployment, DeploymentStatus

    return Deployment.objects.filter(expert__person__user=user, status=DeploymentStatus.ACCEPTED).values(
        "activity__action_id"
    )


def _partner_action_ids(org_ids: set[int]) -> models.QuerySet[Any]:
    from capdev.actions.models import ActionPartner

    return ActionPartner.objects.filter(organisation_id__in=org_ids).values("action_id")


class RequestQuerySet(models.QuerySet["Request"]):
    def visible_to(self, user: Any) -> RequestQuerySet:
        """Staff see every request; steering members those put before the committee; focal
        points those of their organisations (and those they filed)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        rs = roles_of(user)
        if rs.is_staff:
            return self.all()
        condition = Q(pk__in=[])
        if rs.has(Role.STEERING_COMMITTEE):
            condition |= Q(status__in=STEERING_REQUEST_STATUSES)
        orgs = scoped_org_ids(user, Role.FOCAL_POINT)
        if orgs:
            from capdev.actions.models import RequestOrganisation

            condition |= Q(
                pk__in=RequestOrganisation.objects.filter(organisation_id__in=orgs).values("request_id")
            )
            condition |= Q(filed_by=user)
        return self.filter(condition)

    def awaiting_decision(self) -> RequestQuerySet:
        """Requests submitted to the steering committee and not yet decided."""
        return self.filter(status="submitted")

    def open(self) -> RequestQuerySet:
        """Requests not yet decided or withdrawn."""
        return self.filter(status__in=("received", "analysis", "submitted"))

    def for_organisation(self, org: Any) -> RequestQuerySet:
        from capdev.actions.models import RequestOrganisation

        return self.filter(pk__in=RequestOrganisation.objects.filter(organisation=org).values("request_id"))


class ActionQuerySet(models.QuerySet["Action"]):
    def visible_to(self, user: Any) -> ActionQuerySet:
        """Staff and steering members see every Action; focal points the Actions where one of
        their organisations is a partner; experts those where they hold an accepted deployment."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        rs = roles_of(user)
        if rs.is_staff or rs.has(Role.STEERING_COMMITTEE):
            return self.all()
        condition = Q(pk__in=[])
        orgs = scoped_org_ids(user, Role.FOCAL_POINT)
        if orgs:
            condition |= Q(pk__in=_partner_action_ids(orgs))
        if rs.has(Role.TRAINER):
            condition |= Q(pk__in=_deployed_action_ids(user))
        return self.filter(condition)

    def for_partner(self, org: Any) -> ActionQuerySet:
        return self.filter(pk__in=_partner_action_ids({org.pk}))

    def open(self) -> ActionQuerySet:
        return self.exclude(phase="completed")


class ActivityQuerySet(models.QuerySet["Activity"]):
    def visible_to(self, user: Any) -> ActivityQuerySet:
        """The activities of the Actions the user sees, except that an expert who sees an Action
        only through deployments sees only the activities they are deployed to."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        rs = roles_of(user)
        if rs.is_staff or rs.has(Role.STEERING_COMMITTEE):
            return self.all()
        condition = Q(pk__in=[])
        orgs = scoped_org_ids(user, Role.FOCAL_POINT)
        if orgs:
            condition |= Q(action_id__in=_partner_action_ids(orgs))
        if rs.has(Role.TRAINER):
            condition |= Q(pk__in=_deployed_activity_ids(user))
        return self.filter(condition)

    def open(self) -> ActivityQuerySet:
        """Planned or ongoing activities (they keep an Action from completing)."""
        return self.filter(status__in=("planned", "ongoing"))

    def for_action(self, action: Action | int) -> ActivityQuerySet:
        return self.filter(action=action)
