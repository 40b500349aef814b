"""Recompute the attendance figures of enrolments.

A session counts once it has started, so the figures of a class move as time passes even when
nobody marks anything (an unmarked session that was held counts as missed). Marking, cancelling
and moving sessions refresh the figures at once; run this once a day (e.g. from cron) to catch
up with the sessions that started since:

    capdev manage refresh_attendance            # runs with a session started in the last 2 days
    capdev manage refresh_attendance --days 30
    capdev manage refresh_attendance --run 42   # one run
    capdev manage refresh_attendance --all      # every run
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from capdev.cohorts.models import Enrolment
from capdev.delivery.models import Session
from capdev.delivery.services import refresh_attendance

BATCH = 2000


class Command(BaseCommand):
    help = "Recompute enrolments' attendance figures (sessions attended, counted, rate)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=2, help="Runs with a session started in the last N days."
        )
        parser.add_argument("--run", type=int, action="append", default=[], help="A run's id (repeatable).")
        parser.add_argument("--all", action="store_true", help="Every run.")

    def handle(self, *args: Any, **options: Any) -> None:
        enrolments = Enrolment.objects.all()
        if options["run"]:
            enrolments = enrolments.filter(run_id__in=options["run"])
        elif not options["all"]:
            now = timezone.now()
            since = now - datetime.timedelta(days=max(options["days"], 0))
            runs = Session.objects.filter(starts_at__gt=since, starts_at__lte=now).values("run_id")
            enrolments = enrolments.filter(run_id__in=runs)
        ids = list(enrolments.order_by("pk").values_list("pk", flat=True))
        changed = 0
        for start in range(0, len(ids), BATCH):
            changed += refresh_attendance(ids[start : start + BATCH])
        self.stdout.write(f"{len(ids)} enrolments checked, {changed} updated.")
