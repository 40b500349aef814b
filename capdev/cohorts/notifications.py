"""E-mails about applications and enrolments, sent after the transaction that made the decision
commits, each in its recipient's language.

Who hears of a decision: the candidate (at the e-mail address of their person record) and, for a
nomination, the focal point who nominated them. A candidate without a login gets the message in
the run's language when capdev offers it, otherwise in the site's default language.

Events: application "submitted", "shortlisted", "accepted", "waitlisted", "rejected", "offered",
"offer_accepted", "offer_declined", "offer_expired", "withdrawn"; enrolment "enrolled",
"withdrawn".
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

_state = threading.local()
APPLICATION_EVENTS = (
    "submitted",
    "shortlisted",
    "accepted",
    "waitlisted",
    "rejected",
    "offered",
    "offer_accepted",
    "offer_declined",
    "offer_expired",
    "withdrawn",
)
ENROLMENT_EVENTS = ("enrolled", "withdrawn")


@contextlib.contextmanager
def muted() -> Iterator[None]:
    """No e-mails inside this block (the demo loader writes history, not news)."""
    previous = getattr(_state, "muted", False)
    _state.muted = True
    try:
        yield
    finally:
        _state.muted = previous


def is_muted() -> bool:
    return bool(getattr(_state, "muted", False))


def application_changed(application: Any, event: str, *, note: str = "") -> None:
    """Queue the e-mail about `event` on `application`; sent only if the transaction commits. A
    failure to send is logged and never undoes the decision (`robust`)."""
    if event not in APPLICATION_EVENTS:
        raise ValueError(f"unknown application event {event!r}")
    if is_muted():
        return
    pk = application.pk
    transaction.on_commit(lambda: send_application_mail(pk, event, note=note), robust=True)


def enrolment_changed(enrolment: Any, event: str, *, note: str = "") -> None:
    if event not in ENROLMENT_EVENTS:
        raise ValueError(f"unknown enrolment event {event!r}")
    if is_muted():
        return
    pk = enrolment.pk
    transaction.on_commit(lambda: send_enrolment_mail(pk, event, note=note), robust=True)


def _language(user: Any, fallback: str) -> str:
    available = {code for code, _name in settings.LANGUAGES}
    if user is not None and getattr(user, "language", "") in available:
        return str(user.language)
    return fallback if fallback in available else settings.LANGUAGE_CODE


def _recipients(person: Any, nominator: Any, fallback: str) -> list[tuple[str, str, str, Any]]:
    """(e-mail, language, audience, user) for the candidate and the nominating focal point."""
    out: list[tuple[str, str, str, Any]] = []
    if person is not None and person.email and not person.is_erased:
        user = person.user if person.user_id else None
        out.append((person.email, _language(user, fallback), "candidate", user))
    if (
        nominator is not None
        and nominator.is_active
        and nominator.email
        and (not out or nominator.email.lower() != out[0][0].lower())
    ):
        out.append((nominator.email, _language(nominator, fallback), "nominator", nominator))
    return out


def _send(template: str, recipients: list[tuple[str, str, str, Any]], context: dict[str, Any]) -> int:
    messages = []
    for email, language, audience, user in recipients:
        with translation.override(language):
            ctx = {**context, "audience": audience, "user": user}
            subject = " ".join(render_to_string(f"cohorts/email/{template}_subject.txt", ctx).split())
            body = render_to_string(f"cohorts/email/{template}.txt", ctx)
        messages.append(EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def send_application_mail(application_pk: int, event: str, *, note: str = "") -> int:
    """Render and send the messages about an application; returns how many were sent."""
    from capdev.cohorts.models import Application

    application = (
        Application.objects.select_related(
            "person", "person__user", "call", "call__run", "call__programme", "nominated_by"
        )
        .filter(pk=application_pk)
        .first()
    )
    if application is None:
        return 0
    call = application.call
    target = call.run or call.programme
    fallback = call.run.language if call.run else settings.LANGUAGE_CODE
    nominator = application.nominated_by if application.source == "nomination" else None
    context = {
        "application": application,
        "person": application.person,
        "call": call,
        "target": target,
        "run": call.run,
        "programme": call.programme,
        "event": event,
        "note": note,
        "url": f"{settings.SITE_URL}{application.get_absolute_url()}",
    }
    return _send("application", _recipients(application.person, nominator, fallback), context)


def send_enrolment_mail(enrolment_pk: int, event: str, *, note: str = "") -> int:
    from capdev.cohorts.models import Enrolment

    enrolment = (
        Enrolment.objects.select_related("person", "person__user", "run").filter(pk=enrolment_pk).first()
    )
    if enrolment is None:
        return 0
    context = {
        "enrolment": enrolment,
        "person": enrolment.person,
        "run": enrolment.run,
        "event": event,
        "note": note,
        "url": f"{settings.SITE_URL}{enrolment.get_absolute_url()}",
    }
    return _send("enrolment", _recipients(enrolment.person, None, enrolment.run.language), context)
