"""Writes on calls for participants: create, change, open, close, quotas per organisation.

Rules:

- a call is for one run or one programme, which must still take participants (not completed or
  cancelled);
- the deadline is after the opening time; a call opens only while its deadline is ahead;
- a call may accept applications, nominations by focal points, or both (at least one);
- the candidate profile (organisation types, countries, position keywords, languages with a
  minimum CEFR level, target share of women) is advisory; changing it re-checks every
  application's fit;
- nominations per organisation: the organisation's own quota, else the call's default quota,
  else no limit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from capdev.cohorts.models import ACTIVE_RUN_STATUSES, Application, Call, CallStatus, NominationQuota
from capdev.cohorts.profile import CallProfile, misses
from capdev.core import audit
from capdev.core.errors import ConflictError, DomainError
from capdev.organisations.models import OrganisationType

FIELDS = [
    "title",
    "description",
    "opens_at",
    "deadline",
    "accepts_applications",
    "accepts_nominations",
    "organisation_types",
    "positions",
    "languages",
    "women_target_percent",
    "default_quota",
    "offer_days",
]
PROFILE = ["organisation_types", "countries", "positions", "languages"]


def _check(call: Call) -> None:
    if not (call.title or "").strip():
        raise DomainError(_("Give the call a title."), field="title")
    if call.deadline is None:
        raise DomainError(_("Give the deadline for applications."), field="deadline")
    if call.opens_at is not None and call.opens_at >= call.deadline:
        raise DomainError(_("The deadline must come after the opening time."), field="deadline")
    if not (call.accepts_applications or call.accepts_nominations):
        raise DomainError(
            _("A call accepts applications, nominations by focal points, or both; tick at least one."),
            field="accepts_applications",
        )
    bad = [t for t in call.organisation_types or [] if t not in OrganisationType.values]
    if bad:
        raise DomainError(
            _("Unknown organisation type: %(t)s.") % {"t": ", ".join(bad)}, field="organisation_types"
        )
    call.positions = [p.strip() for p in call.positions or [] if str(p).strip()]
    if call.offer_days is None or int(call.offer_days) < 1:
        raise DomainError(_("Give at least one day to answer an offered place."), field="offer_days")
    target = call.women_target_percent
    if target is not None and not 0 <= target <= 100:
        raise DomainError(
            _("The target share of women is a percentage from 0 to 100."), field="women_target_percent"
        )


def _target_open(call: Call) -> None:
    """A call for a run needs a run that still takes participants. (A programme may get its runs
    after its call is published: acceptance checks them.)"""
    if call.run_id and call.run is not None and call.run.status not in ACTIVE_RUN_STATUSES:
        raise ConflictError(
            _("“%(run)s” is %(status)s; a call cannot invite participants into it.")
            % {"run": call.run, "status": call.run.get_status_display().lower()},
            field="run",
        )


def _snapshot(call: Call) -> dict[str, Any]:
    return {
        **audit.snapshot(call, FIELDS),
        "countries": sorted(call.countries.values_list("code", flat=True)),
    }


@transaction.atomic
def create_call(
    *,
    actor: Any,
    run: Any = None,
    programme: Any = None,
    countries: Iterable[Any] = (),
    **values: Any,
) -> Call:
    """Draft a call for a run or a programme."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if (run is None) == (programme is None):
        raise DomainError(_("A call is for one run or for one programme."), field="run")
    call = Call(run=run, programme=programme, status=CallStatus.DRAFT, **values)
    call.created_by = actor if getattr(actor, "is_authenticated", False) else None
    _check(call)
    _target_open(call)
    call.full_clean(exclude=["run", "programme", "countries", "created_by"], validate_constraints=False)
    call.save()
    call.countries.set(list(countries))
    audit.record(actor, "call.created", call, changes=audit.diff({}, _snapshot(call)))
    return call


@transaction.atomic
def update_call(call: Call, *, actor: Any, countries: Iterable[Any] | None = None, **values: Any) -> Call:
    """Change a call (any status). A changed candidate profile re-checks every application."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    call = Call.objects.select_for_update(of=("self",)).select_related("run", "programme").get(pk=call.pk)
    before = _snapshot(call)
    for name, value in values.items():
        setattr(call, name, value)
    _check(call)
    if call.status == CallStatus.OPEN and call.deadline <= timezone.now():
        raise DomainError(
            _("An open call's deadline must be ahead; close the call or choose a later deadline."),
            field="deadline",
        )
    call.full_clean(exclude=["run", "programme", "countries", "created_by"], validate_constraints=False)
    call.save()
    if countries is not None:
        call.countries.set(list(countries))
    after = _snapshot(call)
    changes = audit.diff(before, after)
    if changes:
        audit.record(actor, "call.updated", call, changes=changes)
    if any(k in changes for k in PROFILE):
        refresh_profile_fit(call)
    return call


@transaction.atomic
def open_call(call: Call, *, actor: Any) -> Call:
    """Publish a call: open calls are listed for every user until their deadline."""
    call = Call.objects.select_for_update(of=("self",)).select_related("run", "programme").get(pk=call.pk)
    if call.status == CallStatus.OPEN:
        raise ConflictError(_("This call is already open."), code="status")
    if call.deadline <= timezone.now():
        raise DomainError(
            _("The deadline (%(deadline)s) has passed; choose a later deadline before opening the call.")
            % {"deadline": timezone.localtime(call.deadline).strftime("%Y-%m-%d %H:%M")},
            field="deadline",
        )
    _target_open(call)
    before = call.status
    call.status = CallStatus.OPEN
    call.save(update_fields=["status", "updated_at"])
    audit.record(actor, "call.opened", call, changes={"status": [before, call.status]})
    return call


@transaction.atomic
def close_call(call: Call, *, actor: Any) -> Call:
    """Close a call: no more applications or nominations (selection and the waitlist go on)."""
    call = Call.objects.select_for_update(of=("self",)).get(pk=call.pk)
    if call.status != CallStatus.OPEN:
        raise ConflictError(_("Only an open call can be closed."), code="status")
    call.status = CallStatus.CLOSED
    call.save(update_fields=["status", "updated_at"])
    audit.record(actor, "call.closed", call, changes={"status": [CallStatus.OPEN, CallStatus.CLOSED]})
    return call


@transaction.atomic
def set_quota(call: Call, organisation: Any, *, actor: Any, places: int) -> NominationQuota:
    """Set how many people `organisation` may nominate to the call (replaces its quota)."""
    try:
        places = int(places)
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Give the number of places as a whole number."), field="places") from exc
    if places < 0 or places > 10_000:
        raise DomainError(_("The number of places must be between 0 and 10,000."), field="places")
    call = Call.objects.select_for_update(of=("self",)).get(pk=call.pk)
    quota, created = NominationQuota.objects.update_or_create(
        call=call, organisation=organisation, defaults={"places": places}
    )
    audit.record(
        actor, "call.quota_set", call, data={"organisation": organisation, "places": places, "new": created}
    )
    return quota


@transaction.atomic
def remove_quota(quota: NominationQuota, *, actor: Any) -> None:
    call = Call.objects.select_for_update(of=("self",)).get(pk=quota.call_id)
    audit.record(actor, "call.quota_removed", call, data={"organisation": quota.organisation})
    quota.delete()


def quota_for(call: Call, organisation_id: int | None) -> int | None:
    """The places `organisation` may nominate to: its own quota, else the call's default, else
    None (no limit)."""
    if organisation_id is None:
        return call.default_quota
    own = NominationQuota.objects.filter(call=call, organisation_id=organisation_id).values_list(
        "places", flat=True
    )
    for places in own:
        return int(places)
    return call.default_quota


def refresh_profile_fit(call: Call) -> int:
    """Re-check every application of the call against its profile (three queries)."""
    from capdev.people.models import PersonLanguage

    profile = CallProfile(call)
    applications = list(
        Application.objects.filter(call=call).select_related("person", "person__organisation")
    )
    spoken: dict[int, list[tuple[str, str]]] = {}
    for person_id, code, level in PersonLanguage.objects.filter(
        person_id__in=[a.person_id for a in applications]
    ).values_list("person_id", "language", "level"):
        spoken.setdefault(person_id, []).append((code, level))
    for application in applications:
        application.profile_fit = profile.fit(application.person, spoken.get(application.person_id, []))
        application.fit_misses = misses(application.profile_fit)
    Application.objects.bulk_update(applications, ["profile_fit", "fit_misses"], batch_size=500)
    return len(applications)
