"""Personal data held by the cohorts app: export and erasure (capdev.core.personal_data).

- Export: the person's applications (with their attachments' names and the profile fit), their
  enrolments (status, dates, progress figures, waiver) and the runs they train.
- Erasure: attachments are deleted (files too), motivations and the reasons written about the
  person are blanked; imported files that list the person are deleted and their names removed
  from the import records. Enrolments and applications stay, with their statuses and dates, so
  that the numbers of people selected, trained and completed by sex and organisation stay true.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from capdev.cohorts.models import Application, ApplicationAttachment, Enrolment, ParticipantImport, RunTrainer
from capdev.core import audit, personal_data


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


@personal_data.exporter("cohorts")
def export_cohorts(person: Any) -> dict[str, Any]:
    applications = (
        Application.objects.filter(person=person)
        .select_related("call", "organisation")
        .prefetch_related("attachments")
        .order_by("created_at")
    )
    enrolments = Enrolment.objects.filter(person=person).select_related("run").order_by("enrolled_at")
    return {
        "applications": [
            {
                "call": a.call.title,
                "organisation": str(a.organisation) if a.organisation else None,
                "source": a.source,
                "status": a.status,
                "motivation": a.motivation,
                "submitted_at": _date(a.created_at),
                "decided_at": _date(a.decided_at),
                "decision_reason": a.decision_reason,
                "waitlist_rank": a.waitlist_rank,
                "offer_expires_on": _date(a.offer_expires_on),
                "profile_fit": a.profile_fit,
                "attachments": [{"title": f.title, "size": f.size} for f in a.attachments.all()],
            }
            for a in applications
        ],
        "enrolments": [
            {
                "run": e.run.title,
                "run_dates": [_date(e.run.start_date), _date(e.run.end_date)],
                "status": e.status,
                "enrolled_at": _date(e.enrolled_at),
                "online_progress": e.online_progress,
                "online_started_at": _date(e.online_started_at),
                "online_completed_at": _date(e.online_completed_at),
                "admitted_without_online_part": _date(e.gate_waived_at),
                "gate_waiver_reason": e.gate_waiver_reason,
                "sessions_attended": e.sessions_attended,
                "sessions_counted": e.sessions_counted,
                "attendance_rate": str(e.attendance_rate) if e.attendance_rate is not None else None,
                "completed_at": _date(e.completed_at),
                "withdrawn_at": _date(e.withdrawn_at),
                "withdrawal_reason": e.withdrawal_reason,
            }
            for e in enrolments
        ],
        "runs_trained": [
            {"run": t.run.title, "role": t.role}
            for t in RunTrainer.objects.filter(person=person)
            .select_related("run")
            .order_by("run__start_date")
        ],
    }


def _delete_after_commit(storage: Any, name: str) -> None:
    transaction.on_commit(lambda: storage.delete(name))


@personal_data.eraser("cohorts")
def erase_cohorts(person: Any, actor: Any) -> None:
    attachments = list(ApplicationAttachment.objects.filter(application__person=person))
    for attachment in attachments:
        if attachment.file:
            _delete_after_commit(attachment.file.storage, attachment.file.name)
    ApplicationAttachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    Application.objects.filter(person=person).update(motivation="", decision_reason="")
    Enrolment.objects.filter(person=person).update(withdrawal_reason="", gate_waiver_reason="")
    # A text search narrows the imports down ("person": 12 also finds 123); each row then decides.
    for record in ParticipantImport.objects.filter(rows__icontains=f'"person": {person.pk}').order_by("pk"):
        if not any(row.get("person") == person.pk for row in record.rows):
            continue
        record.rows = [{**row, "name": ""} if row.get("person") == person.pk else row for row in record.rows]
        if record.file:
            _delete_after_commit(record.file.storage, record.file.name)
            record.file.name = ""
        record.save(update_fields=["rows", "file", "updated_at"])
    audit.record(
        actor, "cohorts.personal_data_erased", person, data={"attachments_deleted": len(attachments)}
    )
