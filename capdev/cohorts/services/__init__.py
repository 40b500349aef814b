"""Writes of the cohorts app (STYLE.md: every write that changes a status, touches several rows
or sends mail), one module per area:

- `runs`: runs, trainers, status, the activity's participant numbers;
- `programmes`: programmes and their runs;
- `calls`: calls, quotas, the candidate profile;
- `applications`: apply, nominate, add a candidate, attachments;
- `selection`: shortlist, accept, waitlist, reject, offers, expiry, withdrawal;
- `enrolments`: direct enrolment, withdrawal, outcome, the online-part gate waiver;
- `imports`: bulk import of participants;
- `seats`: seat counting and run locks; `privacy`: personal-data export and erasure.

Importing this package registers the personal-data exporter and eraser.
"""

from capdev.cohorts.services import privacy  # noqa: F401  (personal-data registry)
from capdev.cohorts.services.applications import (
    add_attachments,
    add_candidate,
    apply_to_call,
    nominate_candidate,
    remove_attachment,
)
from capdev.cohorts.services.calls import (
    close_call,
    create_call,
    open_call,
    refresh_profile_fit,
    remove_quota,
    set_quota,
    update_call,
)
from capdev.cohorts.services.enrolments import (
    enrol_participant,
    record_outcome,
    revoke_gate_waiver,
    waive_online_gate,
    withdraw_enrolment,
)
from capdev.cohorts.services.imports import apply_import, check_import, discard_import
from capdev.cohorts.services.programmes import (
    add_run,
    create_programme,
    move_run,
    remove_run,
    update_programme,
)
from capdev.cohorts.services.runs import (
    add_trainer,
    change_run_status,
    check_trainer_authorised,
    create_run,
    remove_trainer,
    sync_activity_participants,
    update_run,
)
from capdev.cohorts.services.seats import free_seats, seat_summary, seats_taken
from capdev.cohorts.services.selection import (
    accept_application,
    accept_offer,
    decline_offer,
    expire_offers,
    move_on_waitlist,
    offer_free_seats,
    reject_application,
    shortlist_application,
    waitlist_application,
    withdraw_application,
)

__all__ = [
    "accept_application",
    "accept_offer",
    "add_attachments",
    "add_candidate",
    "add_run",
    "add_trainer",
    "apply_import",
    "apply_to_call",
    "change_run_status",
    "check_import",
    "check_trainer_authorised",
    "close_call",
    "create_call",
    "create_programme",
    "create_run",
    "decline_offer",
    "discard_import",
    "enrol_participant",
    "expire_offers",
    "free_seats",
    "move_on_waitlist",
    "move_run",
    "nominate_candidate",
    "offer_free_seats",
    "open_call",
    "record_outcome",
    "refresh_profile_fit",
    "reject_application",
    "remove_attachment",
    "remove_quota",
    "remove_run",
    "remove_trainer",
    "revoke_gate_waiver",
    "seat_summary",
    "seats_taken",
    "set_quota",
    "shortlist_application",
    "sync_activity_participants",
    "update_call",
    "update_programme",
    "update_run",
    "waitlist_application",
    "waive_online_gate",
    "withdraw_application",
    "withdraw_enrolment",
]
