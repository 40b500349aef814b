"""Builders for the learning tests (and the browser tests): SCORM zips built in memory, and an
online course on top of the shared delivery scene (`capdev.cohorts.testing.delivery_world`).

`learning_world(cast)` gives the delivery scene's published version with:

- module 1 (online): lessons "The training cycle: overview" and "Needs assessment";
- module 2 (online): lesson "Adults learn by doing" and a tiny SCORM 1.2 package with a pass
  mark of 80 (one SCO, `index.html`);
- module 3 (face-to-face): a lesson participants never see.

So the online part has 4 items; the cast's participant is enrolled in run A.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from capdev.catalogue.models import (
    Course,
    CourseVersion,
    DeliveryPart,
    Module,
    PartKind,
)
from capdev.cohorts.testing import DeliveryWorld, delivery_world
from capdev.competencies.models import VersionStatus
from capdev.learning.models import OnlineLesson, ScormPackage

FIXTURES = Path(__file__).resolve().parent / "tests" / "fixtures"

SCO_PAGE = b"""<!doctype html><html lang="en"><head><title>Quiz</title></head>
<body><h1>Quiz</h1><p>A tiny SCO.</p></body></html>"""


def manifest_12(
    *, mastery: str | None = None, href: str = "index.html", extra_items: str = "", prefix: str = ""
) -> str:
    mastery_xml = f"<adlcp:masteryscore>{mastery}</adlcp:masteryscore>" if mastery is not None else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>{prefix}
<manifest identifier="tiny12" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Tiny quiz</title>
    <item identifier="item1" identifierref="res1"><title>The quiz</title>{mastery_xml}
      <adlcp:datafromlms>hello</adlcp:datafromlms></item>{extra_items}
  </organization></organizations>
  <resources><resource identifier="res1" type="webcontent" adlcp:scormtype="sco" href="{href}">
    <file href="{href}"/></resource></resources>
</manifest>"""


def manifest_2004(*, passing: str | None = None, threshold: str | None = None) -> str:
    objectives = (
        f"""<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="p" satisfiedByMeasure="true">
        <imsss:minNormalizedMeasure>{passing}</imsss:minNormalizedMeasure></imsss:primaryObjective>
        </imsss:objectives></imsss:sequencing>"""
        if passing is not None
        else ""
    )
    threshold_xml = f"<adlcp:completionThreshold>{threshold}</adlcp:completionThreshold>" if threshold else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="tiny2004" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Tiny 2004</title>
    <item identifier="item1" identifierref="res1"><title>The module</title>{threshold_xml}{objectives}</item>
  </organization></organizations>
  <resources><resource identifier="res1" type="webcontent" adlcp:scormType="sco" href="index.html">
    <file href="index.html"/></resource></resources>
</manifest>"""


def make_zip(entries: list[tuple[Any, bytes]], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of (name or ZipInfo, content) entries, names written as given (no sanitising)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def tiny_package(manifest: str | None = None, *, extra: list[tuple[Any, bytes]] | None = None) -> bytes:
    return make_zip(
        [("imsmanifest.xml", (manifest or manifest_12()).encode()), ("index.html", SCO_PAGE), *(extra or [])]
    )


def upload(content: bytes, name: str = "package.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/zip")


def fixture_upload(name: str) -> SimpleUploadedFile:
    return upload((FIXTURES / name).read_bytes(), name)


def draft_version(owner: Any, *, code: str = "online-draft") -> CourseVersion:
    """A draft standard product: an online part (gating) with two modules, then face-to-face."""
    course = Course.objects.create(code=code, owner=owner)
    version = CourseVersion.objects.create(
        course=course,
        number=1,
        title="Draft online course",
        mode="blended",
        status=VersionStatus.DRAFT,
        languages=["en"],
    )
    online = DeliveryPart.objects.create(
        version=version, position=1, kind=PartKind.ONLINE_SELF_PACED, gates_next=True
    )
    f2f = DeliveryPart.objects.create(version=version, position=2, kind=PartKind.FACE_TO_FACE, days=5)
    Module.objects.create(version=version, position=1, title="Training cycle", part=online)
    Module.objects.create(version=version, position=2, title="Adult learning", part=online)
    Module.objects.create(version=version, position=3, title="Practice", part=f2f)
    return version


def install_package(module: Module, content: bytes, name: str = "package.zip") -> ScormPackage:
    """Upload a package on a module of any version (a published one is reopened for the call)."""
    from capdev.learning.services import upload_scorm_package

    version = module.version
    status = version.status
    if status != VersionStatus.DRAFT:
        CourseVersion.objects.filter(pk=version.pk).update(status=VersionStatus.DRAFT)
    try:
        return upload_scorm_package(module, actor=None, upload=upload(content, name))
    finally:
        CourseVersion.objects.filter(pk=version.pk).update(status=status)


@dataclass
class LearningWorld:
    delivery: DeliveryWorld
    modules: list[Module]
    lessons: list[OnlineLesson]  # the 3 online lessons, in course order
    offline_lesson: OnlineLesson
    package: ScormPackage

    @property
    def enrolment(self) -> Any:
        return self.delivery.enrolment

    def ids(self) -> dict[str, Any]:
        d = self.delivery
        return {
            "version": d.version.pk,
            "module": self.modules[0].pk,
            "module2": self.modules[1].pk,
            "lesson": self.lessons[0].pk,
            "lesson3": self.lessons[2].pk,
            "offline_lesson": self.offline_lesson.pk,
            "package": self.package.pk,
            "enrolment": d.enrolment.pk,
            "enrolment_b": d.enrolment_b.pk,
            "run_a": d.run_a.pk,
            "run_b": d.run_b.pk,
        }


def learning_world(cast: Any) -> LearningWorld:
    delivery = delivery_world(cast)
    modules = list(Module.objects.filter(version=delivery.version).order_by("position"))
    lessons = [
        OnlineLesson.objects.create(
            module=modules[0],
            position=1,
            title="The training cycle: overview",
            body="<h2>Four steps</h2><p>Assess, design, deliver, evaluate.</p>",
            estimated_minutes=15,
        ),
        OnlineLesson.objects.create(
            module=modules[0],
            position=2,
            title="Needs assessment",
            body="<p>Start from the needs.</p>",
            video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            estimated_minutes=20,
        ),
        OnlineLesson.objects.create(
            module=modules[1],
            position=1,
            title="Adults learn by doing",
            body="<p>Practice.</p>",
            estimated_minutes=10,
        ),
    ]
    offline = OnlineLesson.objects.create(
        module=modules[2], position=1, title="Rehearsal", body="<p>On site.</p>"
    )
    package = install_package(modules[1], tiny_package(manifest_12(mastery="80")))
    return LearningWorld(delivery, modules, lessons, offline, package)


def with_online_lesson(world: DeliveryWorld) -> DeliveryWorld:
    """The scene's course with one lesson in its online part: without online content there is
    nothing to take online and no gate (services.progress.has_online_content)."""
    module = Module.objects.filter(version=world.version).order_by("position")[0]
    OnlineLesson.objects.create(
        module=module, position=1, title="The training cycle", body="<p>Four steps.</p>"
    )
    return world
