"""Fixtures for the cohorts tests: the shared delivery scene (capdev.cohorts.testing), and a
fuller scene for the pages (`scene`): run A in a programme, an open call into it with a nomination
and a quota, a draft call into run B with the participant's own application, an import record."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from capdev.cohorts.models import (
    Application,
    ApplicationAttachment,
    ApplicationSource,
    Call,
    CallStatus,
    ImportStatus,
    NominationQuota,
    ParticipantImport,
    Programme,
    RunTrainer,
)
from capdev.cohorts.testing import DeliveryWorld, delivery_world, make_application, make_call

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def world(cast: Any) -> DeliveryWorld:
    return delivery_world(cast)


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@dataclass
class Scene:
    world: DeliveryWorld
    programme: Programme
    call_a: Call
    call_b: Call
    application_a: Application  # person_a (org A, no login), nominated by the focal point
    application_own: Application  # the participant's own application to run B's draft call
    attachment: ApplicationAttachment
    quota: NominationQuota
    record: ParticipantImport
    trainer: RunTrainer

    def ids(self) -> dict[str, int]:
        w = self.world
        return {
            "run_a": w.run_a.pk,
            "run_b": w.run_b.pk,
            "enrolment": w.enrolment.pk,
            "enrolment_b": w.enrolment_b.pk,
            "programme": self.programme.pk,
            "call_a": self.call_a.pk,
            "call_b": self.call_b.pk,
            "application_a": self.application_a.pk,
            "application_own": self.application_own.pk,
            "attachment": self.attachment.pk,
            "quota": self.quota.pk,
            "import": self.record.pk,
            "trainer": self.trainer.pk,
            "action": w.run_a.action_id or 0,
        }


@pytest.fixture
def scene(cast: Any, world: DeliveryWorld, media: Any) -> Scene:
    today = timezone.localdate()
    # Dates relative to today, so that "before the run ends" holds whenever the suite runs.
    for run in (world.run_a, world.run_b):
        run.start_date = today + datetime.timedelta(days=20)
        run.end_date = today + datetime.timedelta(days=24)
        run.save()
    programme = Programme.objects.create(
        code="tot-cycle", title="ToT cycle", cohort_label="Cohort 1", organiser=cast.implementer
    )
    world.run_a.programme = programme
    world.run_a.position = 1
    world.run_a.save()
    call_a = make_call(run=world.run_a, title="ToT Brazil: call")
    call_b = make_call(run=world.run_b, title="ToT Costa Rica: call", status=CallStatus.DRAFT)
    application_a = make_application(
        call_a, cast.person_a, source=ApplicationSource.NOMINATION, nominated_by=cast.focal
    )
    application_own = make_application(call_b, cast.participant.person, motivation="I train colleagues.")
    attachment = ApplicationAttachment(
        application=application_a, title="cv.pdf", content_type="application/pdf", size=len(PDF)
    )
    attachment.file.save("cv.pdf", ContentFile(PDF), save=True)
    quota = NominationQuota.objects.create(call=call_a, organisation=cast.org_a, places=2)
    record = ParticipantImport(
        run=world.run_a,
        original_name="people.csv",
        status=ImportStatus.FAILED,
        errors=[
            {"row": 2, "column": "email", "value": "nope", "message": "This is not a valid e-mail address."}
        ],
    )
    record.file.save("people.csv", ContentFile(b"First name,Last name\n"), save=True)
    trainer = RunTrainer.objects.get(run=world.run_a)
    return Scene(
        world, programme, call_a, call_b, application_a, application_own, attachment, quota, record, trainer
    )
