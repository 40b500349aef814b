"""Calendar-feed links: the run's timetable feed and each person's personal feed.

Calendar applications fetch a feed without a session, so the link carries a signed token: the
object's id and a secret (`CourseRun.feed_key`, `CalendarFeed.key`). Replacing the secret revokes
every link given out; a token for another object, a tampered token or an old secret opens
nothing (404).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core import signing
from django.db import transaction

from capdev.cohorts.models import CourseRun
from capdev.core import audit
from capdev.delivery.models import CalendarFeed

RUN_SALT = "capdev.delivery.run-calendar-feed"
PERSON_SALT = "capdev.delivery.personal-calendar-feed"


def _key() -> str:
    return secrets.token_hex(16)


@transaction.atomic
def reset_run_feed(run: CourseRun, *, actor: Any) -> CourseRun:
    """Give the run a new calendar secret: every timetable link handed out stops working."""
    run = CourseRun.objects.select_for_update().get(pk=run.pk)
    had_key = bool(run.feed_key)
    run.feed_key = _key()
    run.save(update_fields=["feed_key", "updated_at"])
    if had_key:
        audit.record(actor, "run.calendar_link_revoked", run)
    return run


def run_feed_token(run: CourseRun, *, actor: Any = None) -> str:
    """The signed token of the run's timetable feed (creating the secret on first use)."""
    if not run.feed_key:
        fresh = reset_run_feed(run, actor=actor)
        run.feed_key = fresh.feed_key
    return signing.dumps({"r": run.pk, "k": run.feed_key}, salt=RUN_SALT, compress=True)


def run_for_token(token: str, pk: int) -> CourseRun | None:
    """The run whose feed `token` opens, or None."""
    try:
        payload = signing.loads(token, salt=RUN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("r") != pk or not payload.get("k"):
        return None
    return CourseRun.objects.filter(pk=pk, feed_key=payload["k"]).first()


@transaction.atomic
def reset_personal_feed(person: Any, *, actor: Any) -> CalendarFeed:
    """Give the person a new calendar secret: their old personal link stops working."""
    feed = CalendarFeed.objects.select_for_update().filter(person=person).first()
    if feed is None:
        return CalendarFeed.objects.create(person=person, key=_key())
    feed.key = _key()
    feed.save(update_fields=["key", "created_at"])
    audit.record(actor, "person.calendar_link_revoked", person)
    return feed


def personal_feed_token(person: Any, *, actor: Any = None) -> str:
    feed = CalendarFeed.objects.filter(person=person).first()
    if feed is None:
        feed = reset_personal_feed(person, actor=actor)
    return signing.dumps({"p": person.pk, "k": feed.key}, salt=PERSON_SALT, compress=True)


def person_for_token(token: str, pk: int) -> Any:
    """The (not erased) person whose personal feed `token` opens, or None."""
    try:
        payload = signing.loads(token, salt=PERSON_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("p") != pk or not payload.get("k"):
        return None
    feed = (
        CalendarFeed.objects.select_related("person")
        .filter(person_id=pk, key=payload["k"], person__erased_at__isnull=True)
        .first()
    )
    return feed.person if feed else None
