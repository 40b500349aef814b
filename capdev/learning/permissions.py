"""Permission rules for the online part.

Visibility (404) is decided by the querysets (`capdev.learning.querysets`, and the catalogue's
and cohorts' own); these rules decide what a user who sees an object may do with it (403).
"""

from __future__ import annotations

from typing import Any

from capdev.core.permissions import can, rule
from capdev.core.roles import Role, RoleSet
from capdev.organisations.querysets import scoped_org_ids


def _version_of(obj: Any) -> Any:
    """The course version of a version, module, lesson, image or package."""
    from capdev.catalogue.models import CourseVersion, Module
    from capdev.learning.models import LessonImage, OnlineLesson, ScormPackage

    if isinstance(obj, CourseVersion):
        return obj
    if isinstance(obj, Module):
        return obj.version
    if isinstance(obj, OnlineLesson | ScormPackage):
        return obj.module.version
    if isinstance(obj, LessonImage):
        return obj.lesson.module.version
    return None


def trains_run(roles: RoleSet, run_id: int) -> bool:
    from capdev.cohorts.models import RunTrainer

    person_id = roles.person_id
    if person_id is None:
        return False
    return RunTrainer.objects.filter(run_id=run_id, person_id=person_id).exists()


def trains_version(roles: RoleSet, version_id: int) -> bool:
    from capdev.cohorts.models import RunTrainer

    person_id = roles.person_id
    if person_id is None:
        return False
    return RunTrainer.objects.filter(person_id=person_id, run__course_version_id=version_id).exists()


@rule("learning.author")
def author(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Write lessons and upload SCORM packages: whoever may change the product in the catalogue
    (programme staff; focal points of the organisation that owns it). Only drafts can be changed;
    the services refuse published and retired versions with a message."""
    if roles.is_staff:
        return True
    version = _version_of(obj)
    if version is None:
        return False
    return version.course.owner_id in scoped_org_ids(user, Role.FOCAL_POINT)


@rule("learning.preview")
def preview(user: Any, roles: RoleSet, obj: Any) -> bool:
    """See a version's online content as a participant would (nothing is recorded): its authors
    and the trainers of a run that delivers it."""
    if can(user, "learning.author", obj):
        return True
    version = _version_of(obj)
    return version is not None and trains_version(roles, version.pk)


@rule("learning.view_course")
def view_course(user: Any, roles: RoleSet, obj: Any) -> bool:
    """An enrolment's online course: whoever sees the enrolment (the participant, staff, the
    run's trainers, the focal points of the participant's organisation)."""
    return True


@rule("learning.take")
def take(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Mark lessons done and play SCORM packages with the results recorded: the participant
    themself, while their enrolment is active (not withdrawn)."""
    return obj is not None and roles.person_id == obj.person_id and obj.is_active


@rule("learning.play")
def play(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Open an enrolment's SCORM player: the participant (recorded), staff and the run's trainers
    (a preview, nothing recorded)."""
    if obj is None:
        return False
    if can(user, "learning.take", obj):
        return True
    return roles.is_staff or trains_run(roles, obj.run_id)


@rule("learning.view_run_progress")
def view_run_progress(user: Any, roles: RoleSet, obj: Any) -> bool:
    """The participants' progress in a run: staff, the run's trainers, and focal points (who see
    their own organisation's participants only)."""
    if roles.is_staff or roles.has(Role.FOCAL_POINT):
        return True
    return obj is not None and trains_run(roles, obj.pk)


@rule("learning.open_content")
def open_content(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Download a lesson image or a SCORM package's files: staff, authors, the trainers of a run
    of the version and its enrolled participants — exactly who reads the content
    (`readable_version_ids`), so visibility already decided it."""
    return True


@rule("learning.my_courses")
def my_courses(user: Any, roles: RoleSet, obj: Any) -> bool:
    """The "My online courses" page is in the menu of participants (anyone may open it)."""
    return roles.has(Role.PARTICIPANT)
