"""Writes on the expert roster: profiles, availability, CVs, invitations and their answers,
feedback, and the calendar-feed token.

Double-booking rule: an expert never holds two accepted deployments on activities whose dates
overlap (cancelled activities do not count). It is checked when an invitation is sent (an expert
already deployed on those dates is not invited) and again, race-safely, when it is accepted:
the expert's profile row is locked (`select_for_update`) so that two acceptances for the same
expert are serialised and the second one sees the first.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, Any

from django.core import signing
from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _

from capdev.core import audit, personal_data
from capdev.core.errors import ConflictError, DomainError
from capdev.experts.models import Availability, Deployment, DeploymentStatus, ExpertProfile
from capdev.reference.models import Region

FIELDS = [
    "institution",
    "institution_type",
    "regions",
    "proposed_by",
    "years_experience",
    "bio",
    "consent_to_contact",
    "active",
]
CV_MAX_SIZE = 5 * 1024 * 1024  # 5 MB
CV_TYPES = ("pdf", "docx")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FEED_SALT = "capdev.experts.calendar-feed"
OPEN_ACTIVITY = ("planned", "ongoing")


def _check_values(values: dict[str, Any]) -> None:
    unknown = {k for k in values if k not in FIELDS and k.removesuffix("_id") not in FIELDS}
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    regions = values.get("regions")
    if regions is not None:
        valid = set(Region.values)
        bad = [r for r in regions if r not in valid]
        if bad:
            raise DomainError(
                _("Unknown region(s): %(r)s.") % {"r": ", ".join(map(str, bad))}, field="regions"
            )
        values["regions"] = sorted(set(regions))
    years = values.get("years_experience")
    if years is not None and (years < 0 or years > 60):
        raise DomainError(_("Years of experience must be between 0 and 60."), field="years_experience")


def _areas(profile: ExpertProfile) -> dict[str, list[str]]:
    return {
        "thematic_areas": sorted(profile.thematic_areas.values_list("code", flat=True)),
        "specific_areas": sorted(profile.specific_areas.values_list("code", flat=True)),
    }


@transaction.atomic
def create_profile(
    person: Any,
    *,
    actor: Any,
    thematic_areas: Iterable[Any] = (),
    specific_areas: Iterable[Any] = (),
    **values: Any,
) -> ExpertProfile:
    """Put a person on the expert roster. A person holds at most one profile; erased people
    cannot be added."""
    if person.is_erased:
        raise DomainError(_("This person's data was erased; they cannot join the roster."), field="person")
    if ExpertProfile.objects.filter(person=person).exists():
        raise ConflictError(_("%(name)s is already on the expert roster.") % {"name": person}, field="person")
    _check_values(values)
    if not values.get("institution_type"):
        raise DomainError(_("Choose the type of the expert's home institution."), field="institution_type")
    profile = ExpertProfile(person=person, **values)
    profile.full_clean(exclude=["person", "cv"])
    profile.save()
    profile.thematic_areas.set(list(thematic_areas))
    profile.specific_areas.set(list(specific_areas))
    audit.record(
        actor,
        "expert.created",
        profile,
        changes=audit.diff({}, {**audit.snapshot(profile, FIELDS), **_areas(profile)}),
    )
    return profile


@transaction.atomic
def update_profile(
    profile: ExpertProfile,
    *,
    actor: Any,
    thematic_areas: Iterable[Any] | None = None,
    specific_areas: Iterable[Any] | None = None,
    **values: Any,
) -> ExpertProfile:
    """Change a roster profile; records what changed."""
    profile = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
    _check_values(values)
    before = {**audit.snapshot(profile, FIELDS), **_areas(profile)}
    for name, value in values.items():
        setattr(profile, name, value)
    profile.full_clean(exclude=["person", "cv"])
    profile.save()
    if thematic_areas is not None:
        profile.thematic_areas.set(list(thematic_areas))
    if specific_areas is not None:
        profile.specific_areas.set(list(specific_areas))
    changes = audit.diff(before, {**audit.snapshot(profile, FIELDS), **_areas(profile)})
    if changes:
        audit.record(actor, "expert.updated", profile, changes=changes)
    return profile


# --- Availability -----------------------------------------------------------------------------


@transaction.atomic
def add_availability(
    profile: ExpertProfile, *, actor: Any, start_date: Any, end_date: Any, note: str = ""
) -> Availability:
    """Record a window in which the expert is available. Windows of one expert may not overlap
    (extend the existing one instead)."""
    if start_date is None or end_date is None:
        raise DomainError(_("Give both the first and the last day."), field="start_date")
    if end_date < start_date:
        raise DomainError(_("The last day cannot be before the first day."), field="end_date")
    clash = profile.availabilities.filter(start_date__lte=end_date, end_date__gte=start_date).first()
    if clash is not None:
        raise ConflictError(
            _("This window overlaps the one already given (%(window)s); change that one instead.")
            % {"window": clash},
            field="start_date",
        )
    window = Availability.objects.create(expert=profile, start_date=start_date, end_date=end_date, note=note)
    audit.record(actor, "expert.availability_added", profile, data={"from": start_date, "until": end_date})
    return window


@transaction.atomic
def remove_availability(window: Availability, *, actor: Any) -> None:
    profile = window.expert
    audit.record(
        actor,
        "expert.availability_removed",
        profile,
        data={"from": window.start_date, "until": window.end_date},
    )
    window.delete()


# --- CV --------------------------------------------------------------------------------------


def check_cv(name: str, fh: IO[bytes], size: int) -> str:
    """Return the CV's content type, or raise DomainError (field "cv"): PDF or Word (.docx) only,
    checked by content (not by name), at most 5 MB."""
    from capdev.core.uploads import check_upload, extension_of

    if size > CV_MAX_SIZE:
        raise DomainError(
            _("“%(name)s”: the file is %(size)s MB; a CV may be at most %(limit)s MB.")
            % {"name": name, "size": f"{size / 1024 / 1024:.1f}", "limit": CV_MAX_SIZE // 1024 // 1024},
            field="cv",
            code="file_size",
        )
    if extension_of(name) not in CV_TYPES:
        raise DomainError(
            _("“%(name)s”: a CV must be a PDF or a Word (.docx) file.") % {"name": name},
            field="cv",
            code="file_type",
        )
    try:
        kind = check_upload(name, fh, size, max_size=CV_MAX_SIZE, allowed=CV_TYPES)
    except DomainError as exc:
        raise DomainError(exc.message, field="cv", code=exc.code) from exc
    return kind.content_type


@transaction.atomic
def attach_cv(profile: ExpertProfile, *, actor: Any, upload: Any) -> ExpertProfile:
    """Store a new CV (replacing and deleting the old file)."""
    check_cv(upload.name, upload, upload.size)
    profile = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
    old = profile.cv.name if profile.cv else ""
    upload.seek(0)
    profile.cv.save(upload.name.replace("\\", "/").rsplit("/", 1)[-1], upload, save=True)
    if old:
        transaction.on_commit(lambda: profile.cv.storage.delete(old))
    audit.record(actor, "expert.cv_uploaded", profile, data={"file": profile.cv.name.rsplit("/", 1)[-1]})
    return profile


@transaction.atomic
def remove_cv(profile: ExpertProfile, *, actor: Any) -> ExpertProfile:
    profile = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.cv:
        name = profile.cv.name
        storage = profile.cv.storage
        profile.cv = ""
        profile.save(update_fields=["cv", "updated_at"])
        transaction.on_commit(lambda: storage.delete(name))
        audit.record(actor, "expert.cv_removed", profile)
    return profile


# --- Calendar feed token ----------------------------------------------------------------------


@transaction.atomic
def reset_feed_key(profile: ExpertProfile, *, actor: Any) -> ExpertProfile:
    """Give the expert a new calendar-feed secret: every link handed out before stops working."""
    profile = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
    had_key = bool(profile.feed_key)
    profile.feed_key = secrets.token_hex(16)
    profile.save(update_fields=["feed_key", "updated_at"])
    if had_key:
        audit.record(actor, "expert.calendar_link_revoked", profile)
    return profile


def feed_token(profile: ExpertProfile, *, actor: Any = None) -> str:
    """The signed token of the expert's calendar feed (creating the secret on first use)."""
    if not profile.feed_key:
        profile = reset_feed_key(profile, actor=actor)
    return signing.dumps({"e": profile.pk, "k": profile.feed_key}, salt=FEED_SALT, compress=True)


def profile_for_token(token: str, pk: int) -> ExpertProfile | None:
    """The profile whose feed `token` opens, or None (tampered, revoked, or another expert's)."""
    try:
        payload = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("e") != pk or not payload.get("k"):
        return None
    return (
        ExpertProfile.objects.select_related("person")
        .filter(pk=pk, feed_key=payload["k"], active=True, person__erased_at__isnull=True)
        .first()
    )


# --- Invitations and deployments ----------------------------------------------------------------


def conflicts(expert: ExpertProfile | int, activity: Any) -> list[Deployment]:
    """The expert's accepted deployments on other activities whose dates overlap `activity`."""
    expert_id = expert if isinstance(expert, int) else expert.pk
    return list(
        Deployment.objects.accepted()
        .overlapping(activity.start_date, activity.end_date)
        .filter(expert_id=expert_id)
        .exclude(activity_id=activity.pk)
        .select_related("activity", "activity__action")
        .order_by("activity__start_date")
    )


def _double_booked(expert: ExpertProfile, clash: Deployment) -> ConflictError:
    from capdev.experts.matching import date_range

    other = clash.activity
    return ConflictError(
        _(
            "%(expert)s is already deployed on %(dates)s to “%(activity)s” (%(action)s): "
            "an expert cannot be deployed to two activities on overlapping dates."
        )
        % {
            "expert": expert,
            "dates": date_range(other.start_date, other.end_date),
            "activity": other.title,
            "action": other.action.name,
        },
        code="double_booked",
    )


def _lock_expert(expert: ExpertProfile) -> ExpertProfile:
    return ExpertProfile.objects.select_for_update().select_related("person").get(pk=expert.pk)


@transaction.atomic
def invite_expert(
    activity: Any,
    expert: ExpertProfile,
    *,
    actor: Any,
    role: str = "",
    match_score: Decimal | int | float | None = None,
) -> Deployment:
    """Invite an expert to an activity. Refused when the activity is closed, the expert is not
    available for contact, is already invited, or is already deployed on overlapping dates.
    A declined or withdrawn invitation may be renewed."""
    if activity.status not in OPEN_ACTIVITY:
        raise DomainError(
            _("Experts can be invited only to planned or ongoing activities; this one is %(status)s.")
            % {"status": activity.get_status_display().lower()}
        )
    expert = _lock_expert(expert)
    if not expert.active or expert.person.is_erased:
        raise DomainError(_("%(expert)s is no longer active in the roster.") % {"expert": expert})
    if not expert.consent_to_contact:
        raise DomainError(
            _("%(expert)s has not consented to be contacted; they cannot be invited.") % {"expert": expert}
        )
    clash = conflicts(expert, activity)
    if clash:
        raise _double_booked(expert, clash[0])
    score = None if match_score is None else Decimal(str(match_score)).quantize(Decimal("0.01"))
    existing = Deployment.objects.select_for_update().filter(activity=activity, expert=expert).first()
    if existing is not None:
        if existing.status in (DeploymentStatus.INVITED, DeploymentStatus.ACCEPTED):
            raise ConflictError(
                _("%(expert)s is already %(status)s for this activity.")
                % {"expert": expert, "status": existing.get_status_display().lower()}
            )
        before = audit.snapshot(existing, ["status"])
        existing.status = DeploymentStatus.INVITED
        existing.responded_at = None
        existing.role = role or existing.role
        existing.match_score = score if score is not None else existing.match_score
        existing.invited_by = actor if getattr(actor, "is_authenticated", False) else None
        existing.save()
        audit.record(
            actor,
            "deployment.invited",
            existing,
            changes=audit.diff(before, audit.snapshot(existing, ["status"])),
        )
        return existing
    deployment = Deployment.objects.create(
        activity=activity,
        expert=expert,
        role=role,
        match_score=score,
        invited_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor,
        "deployment.invited",
        deployment,
        data={"activity": activity, "expert": expert, "match_score": score},
    )
    return deployment


def _answer(deployment: Deployment, *, actor: Any, to: str, note: str = "") -> Deployment:
    expert = _lock_expert(deployment.expert)
    deployment = (
        Deployment.objects.select_for_update()
        .select_related("activity", "activity__action")
        .get(pk=deployment.pk)
    )
    if deployment.status != DeploymentStatus.INVITED:
        raise ConflictError(
            _("This invitation was already answered (%(status)s).")
            % {"status": deployment.get_status_display().lower()}
        )
    if to == DeploymentStatus.ACCEPTED:
        if deployment.activity.status not in OPEN_ACTIVITY:
            raise DomainError(_("This activity is no longer open; the invitation cannot be accepted."))
        clash = conflicts(expert, deployment.activity)
        if clash:
            raise _double_booked(expert, clash[0])
    deployment.status = to
    deployment.responded_at = timezone.now()
    deployment.save(update_fields=["status", "responded_at", "updated_at"])
    verb = "deployment.accepted" if to == DeploymentStatus.ACCEPTED else "deployment.declined"
    audit.record(
        actor,
        verb,
        deployment,
        changes={"status": [DeploymentStatus.INVITED, to]},
        data={"note": note} if note else None,
    )
    return deployment


@transaction.atomic
def accept_invitation(deployment: Deployment, *, actor: Any) -> Deployment:
    """The expert accepts: refused (ConflictError) if they hold an accepted deployment on
    overlapping dates, checked under a lock on their profile row."""
    return _answer(deployment, actor=actor, to=DeploymentStatus.ACCEPTED)


@transaction.atomic
def decline_invitation(deployment: Deployment, *, actor: Any, note: str = "") -> Deployment:
    return _answer(deployment, actor=actor, to=DeploymentStatus.DECLINED, note=note)


@transaction.atomic
def withdraw_deployment(deployment: Deployment, *, actor: Any, reason: str) -> Deployment:
    """Staff withdraw an invitation or a deployment (the expert can no longer come, the activity
    changed). The reason is kept in the audit trail."""
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for withdrawing the expert."), field="reason")
    deployment = Deployment.objects.select_for_update().get(pk=deployment.pk)
    if deployment.status not in (DeploymentStatus.INVITED, DeploymentStatus.ACCEPTED):
        raise ConflictError(_("Only a pending invitation or an accepted deployment can be withdrawn."))
    before = deployment.status
    deployment.status = DeploymentStatus.WITHDRAWN
    deployment.save(update_fields=["status", "updated_at"])
    audit.record(
        actor,
        "deployment.withdrawn",
        deployment,
        changes={"status": [before, deployment.status]},
        data={"reason": reason.strip()},
    )
    return deployment


@transaction.atomic
def record_feedback(deployment: Deployment, *, actor: Any, score: int, feedback: str = "") -> Deployment:
    """Record feedback (1–5 and a comment) on an accepted deployment once the activity has ended,
    and refresh the expert's average (which matching reads)."""
    deployment = Deployment.objects.select_for_update().select_related("activity").get(pk=deployment.pk)
    if deployment.status != DeploymentStatus.ACCEPTED:
        raise DomainError(_("Feedback is recorded only for experts who were deployed."))
    if deployment.activity.status == "cancelled":
        raise DomainError(_("This activity was cancelled; there is nothing to give feedback on."))
    if deployment.activity.end_date > timezone.localdate() and deployment.activity.status != "done":
        raise DomainError(_("Feedback can be recorded once the activity has ended."))
    if score is None or not 1 <= int(score) <= 5:
        raise DomainError(_("Give a score from 1 (poor) to 5 (excellent)."), field="feedback_score")
    before = audit.snapshot(deployment, ["feedback_score", "feedback"])
    deployment.feedback_score = int(score)
    deployment.feedback = feedback.strip()
    deployment.save(update_fields=["feedback_score", "feedback", "updated_at"])
    refresh_feedback_average(deployment.expert_id)
    audit.record(
        actor,
        "deployment.feedback",
        deployment,
        changes=audit.diff(before, audit.snapshot(deployment, ["feedback_score", "feedback"])),
    )
    return deployment


def refresh_feedback_average(expert_id: int) -> None:
    agg = Deployment.objects.filter(expert_id=expert_id, feedback_score__isnull=False).aggregate(
        avg=Avg("feedback_score"), n=Count("id")
    )
    average = Decimal(str(agg["avg"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if agg["n"] else None
    ExpertProfile.objects.filter(pk=expert_id).update(feedback_average=average, feedback_count=agg["n"])


# --- Personal data ------------------------------------------------------------------------------


@personal_data.exporter("expert_profile")
def export_expert(person: Any) -> dict[str, Any] | None:
    profile = ExpertProfile.objects.filter(person=person).select_related("institution", "proposed_by").first()
    if profile is None:
        return None
    return {
        **dict(audit.snapshot(profile, FIELDS).items()),
        **_areas(profile),
        "cv": profile.cv.name.rsplit("/", 1)[-1] if profile.cv else None,
        "feedback_average": str(profile.feedback_average) if profile.feedback_average is not None else None,
        "availabilities": [
            {"from": a.start_date.isoformat(), "until": a.end_date.isoformat(), "note": a.note}
            for a in profile.availabilities.all()
        ],
        "deployments": [
            {
                "activity": d.activity.title,
                "action": d.activity.action.name,
                "from": d.activity.start_date.isoformat(),
                "until": d.activity.end_date.isoformat(),
                "status": d.status,
                "role": d.role,
                "feedback_score": d.feedback_score,
                "feedback": d.feedback,
            }
            for d in profile.deployments.select_related("activity", "activity__action").order_by(
                "activity__start_date"
            )
        ],
    }


@personal_data.eraser("expert_profile")
def erase_expert(person: Any, actor: Any) -> None:
    """Erasure deletes the CV file, the biography, availability, written feedback and the feed
    secret, and takes the profile off the roster. Deployments stay (without their comments) so
    that the number of experts deployed, by sex and nationality, remains true."""
    profile = ExpertProfile.objects.select_for_update().filter(person=person).first()
    if profile is None:
        return
    if profile.cv:
        name, storage = profile.cv.name, profile.cv.storage
        transaction.on_commit(lambda: storage.delete(name))
    profile.cv = ""
    profile.bio = ""
    profile.feed_key = ""
    profile.active = False
    profile.consent_to_contact = False
    profile.save()
    profile.availabilities.all().delete()
    profile.deployments.update(feedback="")
    audit.record(actor, "expert.erased", profile)
