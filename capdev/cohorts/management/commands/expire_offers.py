"""`capdev manage expire_offers`: expire the places offered and not answered in time, and offer
them to the next candidates on the waitlists. Run it daily (e.g. from cron); the selection pages
also run it lazily for their call."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from capdev.cohorts.services import expire_offers


class Command(BaseCommand):
    help = "Expire unanswered offers of places and offer those places to the next on the waitlist."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = expire_offers(actor=None)
        self.stdout.write(f"{expired} offer(s) expired.")
