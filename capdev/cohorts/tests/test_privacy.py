"""Personal data: the export lists applications, enrolments and runs trained; erasure deletes the
attachments (files too) and what was written about the person, and keeps statuses and dates."""

from __future__ import annotations

import os

from capdev.cohorts.models import Application, ApplicationAttachment, Enrolment, ImportStatus
from capdev.people import services as people


def test_export_and_erasure(cast, scene, django_capture_on_commit_callbacks):
    person = cast.person_a
    Enrolment.objects.create(
        run=scene.world.run_b, person=person, withdrawal_reason="Moved to Lisbon", status="withdrawn"
    )
    stored = scene.attachment.file.path
    scene.record.status = ImportStatus.APPLIED
    scene.record.rows = [{"row": 2, "outcome": "new", "person": person.pk, "name": "Ana Ribeiro"}]
    scene.record.save()

    exported = people.export_person_data(person, actor=cast.staff)["cohorts"]
    assert exported["applications"][0]["call"] == scene.call_a.title
    assert exported["applications"][0]["attachments"] == [{"title": "cv.pdf", "size": scene.attachment.size}]
    assert exported["enrolments"][0]["withdrawal_reason"] == "Moved to Lisbon"
    trainer_export = people.export_person_data(cast.trainer.person, actor=cast.staff)["cohorts"]
    assert trainer_export["runs_trained"] == [{"run": scene.world.run_a.title, "role": "lead"}]

    with django_capture_on_commit_callbacks(execute=True):
        people.erase_person(person, actor=cast.staff, reason="Request 7")
    assert not ApplicationAttachment.objects.filter(application__person=person).exists()
    assert not os.path.exists(stored)
    application = Application.objects.get(pk=scene.application_a.pk)
    assert application.status == "submitted" and application.motivation == ""
    enrolment = Enrolment.objects.get(run=scene.world.run_b, person=person)
    assert enrolment.status == "withdrawn" and enrolment.withdrawal_reason == ""
    scene.record.refresh_from_db()
    assert scene.record.rows == [{"row": 2, "outcome": "new", "person": person.pk, "name": ""}]
    assert not scene.record.file
