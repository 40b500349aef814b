"""E-mail notifications about requests, sent after the transaction that changed them commits.

Who hears of a change: the focal points of the requesting organisations (and of the organisations
above them) and whoever filed the request; programme staff; and, when a request is submitted to
the steering committee, its members. Each person gets the message in their preferred language.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from capdev.core.roles import Role

PARTNER, STAFF, STEERING = "partner", "staff", "steering"
_state = threading.local()


@contextlib.contextmanager
def muted() -> Iterator[None]:
    """No notifications inside this block (the demo loader writes history, not news)."""
    previous = getattr(_state, "muted", False)
    _state.muted = True
    try:
        yield
    finally:
        _state.muted = previous


def request_changed(request: Any, event: str, *, actor: Any = None, note: str = "") -> None:
    """Queue the notifications for `event` ("filed", "analyse", "submit", "approve", "reject",
    "withdraw") on `request`; they are sent only if the transaction commits."""
    if getattr(_state, "muted", False):
        return
    pk = request.pk
    transaction.on_commit(lambda: send_request_mail(pk, event, note=note))


def _ancestors(org_ids: set[int]) -> set[int]:
    from capdev.organisations.models import Organisation

    seen = set(org_ids)
    frontier = set(org_ids)
    while frontier:
        parents = set(
            Organisation.objects.filter(pk__in=frontier, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
        frontier = parents - seen
        seen |= frontier
    return seen


def recipients(request: Any, event: str) -> dict[str, list[Any]]:
    """The users to notify, by audience; each user appears once (in the first audience)."""
    from capdev.accounts.models import User

    org_ids = set(request.requesters.values_list("organisation_id", flat=True))
    partner_ids = set(
        User.objects.filter(
            is_active=True,
            memberships__active=True,
            memberships__role=Role.FOCAL_POINT,
            memberships__organisation_id__in=_ancestors(org_ids),
        ).values_list("pk", flat=True)
    )
    if request.filed_by_id:
        partner_ids.add(request.filed_by_id)
    staff_ids = set(
        User.objects.filter(
            is_active=True, memberships__active=True, memberships__role=Role.PROGRAMME_STAFF
        ).values_list("pk", flat=True)
    )
    steering_ids: set[int] = set()
    if event == "submit":
        steering_ids = set(
            User.objects.filter(
                is_active=True, memberships__active=True, memberships__role=Role.STEERING_COMMITTEE
            ).values_list("pk", flat=True)
        )
    staff_ids -= partner_ids
    steering_ids -= partner_ids | staff_ids
    users = User.objects.in_bulk(partner_ids | staff_ids | steering_ids)
    by_email = lambda ids: sorted((users[i] for i in ids if users[i].email), key=lambda u: u.email)  # noqa: E731
    return {PARTNER: by_email(partner_ids), STAFF: by_email(staff_ids), STEERING: by_email(steering_ids)}


def send_request_mail(request_pk: int, event: str, *, note: str = "") -> int:
    """Render and send the messages; returns how many were sent."""
    from capdev.actions.models import Request

    request = Request.objects.select_related("thematic_area").filter(pk=request_pk).first()
    if request is None:
        return 0
    action = getattr(request, "action", None) if request.status == "approved" else None
    url = f"{settings.SITE_URL}{request.get_absolute_url()}"
    messages = []
    for audience, users in recipients(request, event).items():
        for user in users:
            with translation.override(user.language or settings.LANGUAGE_CODE):
                context = {
                    "request": request,
                    "event": event,
                    "audience": audience,
                    "note": note,
                    "action": action,
                    "url": url,
                    "action_url": f"{settings.SITE_URL}{action.get_absolute_url()}" if action else "",
                    "user": user,
                }
                subject = " ".join(
                    render_to_string("actions/email/request_changed_subject.txt", context).split()
                )
                body = render_to_string("actions/email/request_changed.txt", context)
            messages.append(EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
