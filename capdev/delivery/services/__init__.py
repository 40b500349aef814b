"""Every write of the delivery app (sessions, attendance and its figures, calendar links) and its
personal-data registrations. Views, the API and commands call these functions only."""

from capdev.delivery.services import personal  # noqa: F401  (registers the exporter and eraser)
from capdev.delivery.services.attendance import (
    Mark,
    MarkResult,
    check_can_take_attendance,
    gate_applies,
    gating_part,
    mark_attendance,
    not_cleared,
    refresh_attendance,
    refresh_run_attendance,
    sheet_rows,
)
from capdev.delivery.services.feeds import (
    person_for_token,
    personal_feed_token,
    reset_personal_feed,
    reset_run_feed,
    run_feed_token,
    run_for_token,
)
from capdev.delivery.services.sessions import (
    add_daily_sessions,
    cancel_session,
    create_session,
    daily_dates,
    reinstate_session,
    update_session,
)

__all__ = [
    "Mark",
    "MarkResult",
    "add_daily_sessions",
    "cancel_session",
    "check_can_take_attendance",
    "create_session",
    "daily_dates",
    "gate_applies",
    "gating_part",
    "mark_attendance",
    "not_cleared",
    "person_for_token",
    "personal_feed_token",
    "refresh_attendance",
    "refresh_run_attendance",
    "reinstate_session",
    "reset_personal_feed",
    "reset_run_feed",
    "run_feed_token",
    "run_for_token",
    "sheet_rows",
    "update_session",
]
