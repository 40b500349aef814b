"""Applications, nominations and candidates added by staff.

- **Apply**: a logged-in person applies for themselves to an open call that accepts
  applications, between its opening time and its deadline, with a motivation and up to five
  attachments (PDF or Word .docx, 5 MB each, checked by content).
- **Nominate**: a focal point nominates a person of their organisation(s) to an open call that
  accepts nominations, before the deadline, within the quota of the person's organisation. The
  quota is counted with the call's row locked, so two focal points nominating at once never
  exceed it. Withdrawn nominations give their place back.
- **Add a candidate**: staff add anyone, at any time while the call's run takes participants.
- A person is a candidate once per call. Each application is checked against the call's profile.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capdev.cohorts import notifications
from capdev.cohorts.models import (
    Application,
    ApplicationAttachment,
    ApplicationSource,
    ApplicationStatus,
    Call,
    CallStatus,
)
from capdev.cohorts.profile import CallProfile, misses
from capdev.cohorts.services.calls import quota_for
from capdev.cohorts.services.enrolling import active_enrolment
from capdev.cohorts.services.seats import runs_of_call
from capdev.core import audit
from capdev.core.errors import ConflictError, DomainError
from capdev.organisations.querysets import scoped_org_ids

ATTACHMENT_TYPES = ("pdf", "docx")
ATTACHMENT_MAX_SIZE = 5 * 1024 * 1024
MAX_ATTACHMENTS = 5
MOTIVATION_MAX = 5000


def check_open(call: Call, *, now: Any = None) -> None:
    """The call takes candidates now: open, opening time come, deadline not passed."""
    now = now or timezone.now()
    if call.status != CallStatus.OPEN:
        raise ConflictError(
            _("This call is %(status)s; it does not take candidates.")
            % {"status": call.get_status_display().lower()},
            code="closed",
        )
    if call.opens_at and call.opens_at > now:
        raise ConflictError(
            _("This call opens on %(date)s.")
            % {"date": timezone.localtime(call.opens_at).strftime("%Y-%m-%d %H:%M")},
            code="not_yet_open",
        )
    if call.deadline <= now:
        raise ConflictError(
            _("The deadline of this call (%(date)s) has passed.")
            % {"date": timezone.localtime(call.deadline).strftime("%Y-%m-%d %H:%M")},
            code="deadline",
        )


def _check_person(call: Call, person: Any) -> None:
    if person is None:
        raise DomainError(
            _("Your login has no person record; ask programme staff to link one."), field="person"
        )
    if person.is_erased:
        raise DomainError(_("This person's data was erased; they cannot be a candidate."), field="person")
    existing = Application.objects.filter(call=call, person=person).first()
    if existing is not None:
        raise ConflictError(
            _("%(name)s is already a candidate to this call (%(status)s); a person applies once per call.")
            % {"name": person, "status": existing.get_status_display().lower()},
            field="person",
            code="duplicate",
        )
    runs = runs_of_call(call)
    if runs and all(active_enrolment(r, person) is not None for r in runs):
        raise ConflictError(
            _("%(name)s is already enrolled; there is no need to apply.") % {"name": person},
            field="person",
            code="already_enrolled",
        )


def _check_motivation(motivation: str) -> str:
    motivation = (motivation or "").strip()
    if len(motivation) > MOTIVATION_MAX:
        raise DomainError(
            _("The motivation may be at most %(n)s characters long.") % {"n": f"{MOTIVATION_MAX:,}"},
            field="motivation",
        )
    return motivation


def check_attachment(name: str, fh: Any, size: int) -> str:
    """The attachment's content type, or DomainError (field "attachments")."""
    from capdev.core.uploads import check_upload, extension_of

    if extension_of(name) not in ATTACHMENT_TYPES:
        raise DomainError(
            _("“%(name)s”: attach PDF or Word (.docx) files only.") % {"name": name},
            field="attachments",
            code="file_type",
        )
    try:
        kind = check_upload(name, fh, size, max_size=ATTACHMENT_MAX_SIZE, allowed=ATTACHMENT_TYPES)
    except DomainError as exc:
        raise DomainError(exc.message, field="attachments", code=exc.code) from exc
    return kind.content_type


def _create(
    call: Call, person: Any, *, actor: Any, source: str, motivation: str, nominated_by: Any = None
) -> Application:
    profile = CallProfile(call)
    fit = profile.fit(person)
    application = Application(
        call=call,
        person=person,
        organisation_id=person.organisation_id,
        source=source,
        nominated_by=nominated_by,
        motivation=motivation,
        profile_fit=fit,
        fit_misses=misses(fit),
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a second request of the same person got there first
        raise ConflictError(
            _("%(name)s is already a candidate to this call; a person applies once per call.")
            % {"name": person},
            field="person",
            code="duplicate",
        ) from exc
    return application


def _attach(application: Application, uploads: Iterable[Any], *, actor: Any) -> None:
    """Check every file first, then store them: a refused file leaves nothing stored."""
    uploads = list(uploads)
    if len(uploads) + application.attachments.count() > MAX_ATTACHMENTS:
        raise DomainError(
            _("Attach at most %(n)s files.") % {"n": MAX_ATTACHMENTS}, field="attachments", code="too_many"
        )
    checked = [(upload, check_attachment(upload.name, upload, upload.size or 0)) for upload in uploads]
    for upload, content_type in checked:
        upload.seek(0)
        name = upload.name.replace("\\", "/").rsplit("/", 1)[-1]
        attachment = ApplicationAttachment(
            application=application, title=name[:255], content_type=content_type, size=upload.size
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        audit.record(actor, "application.attachment_added", application, data={"file": name})


@transaction.atomic
def apply_to_call(
    call: Call, person: Any, *, actor: Any, motivation: str = "", attachments: Iterable[Any] = ()
) -> Application:
    """The logged-in person applies to an open call for themselves."""
    call = Call.objects.select_related("run", "programme").get(pk=call.pk)
    check_open(call)
    if not call.accepts_applications:
        raise ConflictError(
            _("This call takes nominations by focal points only; ask your organisation's focal point."),
            code="no_applications",
        )
    _check_person(call, person)
    application = _create(
        call,
        person,
        actor=actor,
        source=ApplicationSource.APPLICATION,
        motivation=_check_motivation(motivation),
    )
    _attach(application, attachments, actor=actor)
    audit.record(
        actor, "application.submitted", application, data={"call": call, "source": application.source}
    )
    notifications.application_changed(application, "submitted")
    return application


@transaction.atomic
def nominate_candidate(call: Call, person: Any, *, actor: Any, motivation: str = "") -> Application:
    """A focal point nominates a person of their organisation(s), within the quota of the
    person's organisation (counted with the call's row locked)."""
    call = Call.objects.select_for_update(of=("self",)).select_related("run", "programme").get(pk=call.pk)
    check_open(call)
    if not call.accepts_nominations:
        raise ConflictError(
            _("This call does not take nominations; candidates apply themselves."), code="no_nominations"
        )
    if person is None:
        raise DomainError(_("Choose the person to nominate."), field="person")
    orgs = scoped_org_ids(actor, "focal_point")
    if person.organisation_id is None or person.organisation_id not in orgs:
        raise DomainError(
            _("You may nominate people of your own organisation(s) only; %(name)s is not one of them.")
            % {"name": person},
            field="person",
        )
    _check_person(call, person)
    places = quota_for(call, person.organisation_id)
    if places is not None:
        used = (
            Application.objects.filter(
                call=call, organisation_id=person.organisation_id, source=ApplicationSource.NOMINATION
            )
            .exclude(status=ApplicationStatus.WITHDRAWN)
            .count()
        )
        if used >= places:
            raise ConflictError(
                ngettext(
                    "%(org)s has used its %(places)s nomination place for this call. Withdraw the "
                    "nomination or ask programme staff for a larger quota.",
                    "%(org)s has used its %(places)s nomination places for this call. Withdraw a "
                    "nomination or ask programme staff for a larger quota.",
                    places,
                )
                % {"org": person.organisation, "places": places},
                field="person",
                code="quota",
            )
    application = _create(
        call,
        person,
        actor=actor,
        source=ApplicationSource.NOMINATION,
        motivation=_check_motivation(motivation),
        nominated_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(actor, "application.nominated", application, data={"call": call, "quota": places})
    notifications.application_changed(application, "submitted")
    return application


@transaction.atomic
def add_candidate(call: Call, person: Any, *, actor: Any, motivation: str = "") -> Application:
    """Staff add a candidate to a call (whatever its status or deadline)."""
    call = Call.objects.select_related("run", "programme").get(pk=call.pk)
    if person is None:
        raise DomainError(_("Choose the person to add."), field="person")
    _check_person(call, person)
    application = _create(
        call, person, actor=actor, source=ApplicationSource.STAFF, motivation=_check_motivation(motivation)
    )
    audit.record(actor, "application.added_by_staff", application, data={"call": call})
    return application


@transaction.atomic
def add_attachments(application: Application, uploads: Iterable[Any], *, actor: Any) -> Application:
    """Add files to an application that is still open."""
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED):
        raise ConflictError(
            _("Files can be added while the application is under review only."), code="status"
        )
    _attach(application, uploads, actor=actor)
    return application


@transaction.atomic
def remove_attachment(attachment: ApplicationAttachment, *, actor: Any) -> None:
    application = Application.objects.select_for_update(of=("self",)).get(pk=attachment.application_id)
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED):
        raise ConflictError(
            _("Files can be removed while the application is under review only."), code="status"
        )
    name, storage = attachment.file.name, attachment.file.storage
    audit.record(actor, "application.attachment_removed", application, data={"file": attachment.title})
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
