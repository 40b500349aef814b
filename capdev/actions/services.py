"""Writes on requests and Actions: filing, the request workflow, approval into an Action, the
Action's co-design fields, objectives, partners and phases.

Every function runs in a transaction, refuses what the rules forbid with a DomainError whose
message a user can act on, records an audit event and, for requests, a RequestTransition and
e-mail notifications sent once the transaction commits. Budgets live in `budget.py`,
deliverables and the memorandum of understanding in `deliverables.py`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from capdev.actions import notifications
from capdev.actions.models import (
    Action,
    ActionPartner,
    ActionType,
    Activity,
    EligibleCountry,
    Level,
    Objective,
    Phase,
    PhaseTransition,
    Request,
    RequestAttachment,
    RequestOrganisation,
    RequestSequence,
    RequestStatus,
    RequestTransition,
)
from capdev.actions.uploads import check_upload
from capdev.core import audit
from capdev.core.errors import ConflictError, DomainError, PermissionDeniedError
from capdev.core.permissions import can
from capdev.core.roles import Role
from capdev.organisations.models import Organisation, OrganisationType
from capdev.organisations.querysets import scoped_org_ids
from capdev.reference.models import Country, Region, SpecificArea, ThematicArea

PUBLIC_BODIES = (OrganisationType.PARTNER_AUTHORITY, OrganisationType.TRAINING_INSTITUTION)
REQUESTING_TYPES = (*PUBLIC_BODIES, OrganisationType.CIVIL_SOCIETY)

REQUEST_FIELDS = [
    "title",
    "region",
    "thematic_area",
    "statement_of_need",
    "expected_results",
    "target_groups",
    "channel",
    "received_on",
]
MAX_ATTACHMENTS = 10

# What leads where, and which verb records it.
REQUEST_STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    "analyse": ((RequestStatus.RECEIVED,), RequestStatus.UNDER_ANALYSIS),
    "submit": ((RequestStatus.UNDER_ANALYSIS,), RequestStatus.SUBMITTED),
    "approve": ((RequestStatus.SUBMITTED,), RequestStatus.APPROVED),
    "reject": ((RequestStatus.SUBMITTED,), RequestStatus.REJECTED),
    "withdraw": (
        (RequestStatus.RECEIVED, RequestStatus.UNDER_ANALYSIS, RequestStatus.SUBMITTED),
        RequestStatus.WITHDRAWN,
    ),
}

PHASES: list[str] = list(Phase.values)
CO_DESIGN_FIELDS = ["summary"]
ACTION_FIELDS = ["name", "type", "region", "thematic_area", "summary", "start_date", "end_date"]


# --- helpers -------------------------------------------------------------------------------


def today() -> datetime.date:
    return timezone.localdate()


def to_roman(number: int) -> str:
    """1 → "I", 4 → "IV", 14 → "XIV"."""
    if number < 1:
        raise ValueError("Roman numerals start at 1.")
    numerals = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ]
    out = []
    for value, letters in numerals:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _names(items: Iterable[Any]) -> str:
    """ "A, B and C" in the active language."""
    labels = [str(i) for i in items]
    if len(labels) <= 1:
        return "".join(labels)
    return _("%(first)s and %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def _reject_unknown(values: Mapping[str, Any], allowed: Sequence[str]) -> None:
    unknown = sorted(k for k in values if k not in allowed)
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(unknown)})


def _check_date(value: datetime.date | None, field: str, *, label: str) -> datetime.date:
    value = value or today()
    if value > today():
        raise DomainError(_("The %(what)s cannot be in the future.") % {"what": label}, field=field)
    return value


# --- eligibility ---------------------------------------------------------------------------


def eligibility_problems(
    organisations: Sequence[Organisation], countries: Sequence[Country], region: str = ""
) -> list[DomainError]:
    """Everything that makes a request ineligible, each with a message the requester can act on."""
    problems: list[DomainError] = []
    if not organisations:
        problems.append(DomainError(_("Choose at least one requesting organisation."), field="organisations"))
    if not countries and not region:
        problems.append(
            DomainError(_("Choose the country, or the region for a regional request."), field="countries")
        )
    if countries:
        eligible = set(
            EligibleCountry.objects.filter(country__in=countries).values_list("country_id", flat=True)
        )
        missing = [c for c in countries if c.pk not in eligible]
        if missing:
            problems.append(
                DomainError(
                    _(
                        "%(countries)s %(verb)s not on the programme's list of eligible countries, so "
                        "the request cannot be filed for %(pronoun)s. Programme staff keep the list; "
                        "contact them if you think this is a mistake."
                    )
                    % {
                        "countries": _names(c.label for c in missing),
                        "verb": _("is") if len(missing) == 1 else _("are"),
                        "pronoun": _("it") if len(missing) == 1 else _("them"),
                    },
                    field="countries",
                    code="ineligible_country",
                )
            )
    others = [o for o in organisations if o.type not in REQUESTING_TYPES]
    if others:
        problems.append(
            DomainError(
                _(
                    "%(orgs)s cannot request support: requests come from partner authorities and "
                    "training institutions, or from civil society together with one of them."
                )
                % {"orgs": _names(others)},
                field="organisations",
                code="ineligible_organisation",
            )
        )
    civil = [o for o in organisations if o.type == OrganisationType.CIVIL_SOCIETY]
    if civil and not any(o.type in PUBLIC_BODIES for o in organisations):
        problems.append(
            DomainError(
                _(
                    "A civil-society organisation (%(orgs)s) can request support only together with "
                    "a public body: add a partner authority or a training institution to the request."
                )
                % {"orgs": _names(civil)},
                field="organisations",
                code="civil_society_alone",
            )
        )
    return problems


def check_eligibility(
    organisations: Sequence[Organisation], countries: Sequence[Country], region: str = ""
) -> None:
    problems = eligibility_problems(organisations, countries, region)
    if problems:
        raise problems[0]


@transaction.atomic
def make_eligible(
    country: Country, *, actor: Any, since: datetime.date | None = None, note: str = ""
) -> EligibleCountry:
    """Put a country on the eligible list (or update its note)."""
    row, created = EligibleCountry.objects.get_or_create(
        country=country, defaults={"since": since, "note": note.strip()}
    )
    if not created:
        before = audit.snapshot(row, ["since", "note"])
        row.since, row.note = since or row.since, note.strip()
        row.save()
        changes = audit.diff(before, audit.snapshot(row, ["since", "note"]))
        if changes:
            audit.record(actor, "eligible_country.updated", row, changes=changes)
    else:
        audit.record(actor, "eligible_country.added", row, data={"country": country.pk, "note": note})
    return row


@transaction.atomic
def remove_eligibility(country: Country, *, actor: Any) -> None:
    """Take a country off the eligible list; existing requests and Actions stay as they are."""
    row = EligibleCountry.objects.filter(country=country).first()
    if row is None:
        raise DomainError(_("%(country)s is not on the eligible list.") % {"country": country.label})
    audit.record(actor, "eligible_country.removed", row, data={"country": country.pk})
    row.delete()


# --- filing --------------------------------------------------------------------------------


def next_reference(year: int) -> str:
    """The next reference of `year` ("REQ-2026-014"); call inside the filing transaction.

    The UPDATE locks the year's counter row until the transaction ends, so concurrent filings
    queue instead of sharing a number. A missing row starts after the highest reference stored.
    """
    updated = RequestSequence.objects.filter(year=year).update(last=F("last") + 1)
    if not updated:
        prefix = f"REQ-{year}-"
        highest = 0
        for ref in Request.objects.filter(reference__startswith=prefix).values_list("reference", flat=True):
            tail = ref.removeprefix(prefix)
            if tail.isdigit():
                highest = max(highest, int(tail))
        try:
            with transaction.atomic():
                RequestSequence.objects.create(year=year, last=highest + 1)
        except IntegrityError:  # another filing created the row first
            RequestSequence.objects.filter(year=year).update(last=F("last") + 1)
    number = RequestSequence.objects.get(year=year).last
    return f"REQ-{year}-{number:03d}"


def _check_areas(thematic_area: ThematicArea | None, specific_areas: Sequence[SpecificArea]) -> None:
    if thematic_area is None:
        raise DomainError(_("Choose the thematic area."), field="thematic_area")
    stray = [a for a in specific_areas if a.thematic_area_id != thematic_area.pk]
    if stray:
        raise DomainError(
            _("%(areas)s %(verb)s not part of %(theme)s; choose specific areas of the chosen thematic area.")
            % {
                "areas": _names(stray),
                "verb": _("is") if len(stray) == 1 else _("are"),
                "theme": thematic_area,
            },
            field="specific_areas",
        )


def _check_own_organisation(actor: Any, organisations: Sequence[Organisation]) -> None:
    """A focal point files for their own organisation (with others, for a joint request); staff
    file on any partner's behalf."""
    if can(actor, "requests.analyse"):
        return
    own = scoped_org_ids(actor, Role.FOCAL_POINT)
    if not any(o.pk in own for o in organisations):
        raise DomainError(
            _("Include your own organisation among the requesting organisations."),
            field="organisations",
            code="not_own_organisation",
        )


def _lead_of(organisations: Sequence[Organisation], lead: Organisation | None) -> Organisation:
    if lead is None:
        return organisations[0]
    if lead.pk not in {o.pk for o in organisations}:
        raise DomainError(
            _("The lead organisation must be one of the requesting organisations."), field="lead"
        )
    return lead


def _store_attachment(request: Request, upload: UploadedFile, title: str = "") -> RequestAttachment:
    name = upload.name or "file"
    kind = check_upload(name, upload, upload.size or 0)
    attachment = RequestAttachment(
        request=request,
        title=(title or "").strip()[:255] or name.rsplit(".", 1)[0][:255],
        content_type=kind.content_type,
        size=upload.size or 0,
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
    except Exception:
        default_storage.delete(attachment.file.name)
        raise
    return attachment


def _validate_request_values(values: Mapping[str, Any]) -> None:
    if not (values.get("title") or "").strip():
        raise DomainError(_("Give the request a title."), field="title")
    if not (values.get("statement_of_need") or "").strip():
        raise DomainError(
            _("Describe the need: what should change, for whom, and why."), field="statement_of_need"
        )
    region = values.get("region") or ""
    if region and region not in Region.values:
        raise DomainError(_("Unknown region."), field="region")


@transaction.atomic
def file_request(
    *,
    actor: Any,
    organisations: Sequence[Organisation],
    countries: Sequence[Country] = (),
    specific_areas: Sequence[SpecificArea] = (),
    lead: Organisation | None = None,
    attachments: Sequence[UploadedFile] = (),
    **values: Any,
) -> Request:
    """File (receive) a request for one or more organisations. Checks eligibility: every country
    on the eligible list, civil society only with a public body. Gets the year's next reference."""
    _reject_unknown(values, REQUEST_FIELDS)
    organisations = list(dict.fromkeys(organisations))
    countries = list(dict.fromkeys(countries))
    _validate_request_values(values)
    check_eligibility(organisations, countries, values.get("region") or "")
    _check_own_organisation(actor, organisations)
    _check_areas(values.get("thematic_area"), specific_areas)
    lead = _lead_of(organisations, lead)
    if len(attachments) > MAX_ATTACHMENTS:
        raise DomainError(_("Attach at most %(n)s files.") % {"n": MAX_ATTACHMENTS}, field="attachments")
    received_on = values.pop("received_on", None) or today()
    if received_on > today():
        raise DomainError(_("The date received cannot be in the future."), field="received_on")
    request = Request(
        reference=next_reference(received_on.year),
        received_on=received_on,
        filed_by=actor if getattr(actor, "is_authenticated", False) else None,
        **values,
    )
    request.full_clean(exclude=["organisations", "countries", "specific_areas"])
    request.save()
    RequestOrganisation.objects.bulk_create(
        RequestOrganisation(request=request, organisation=o, is_lead=o.pk == lead.pk) for o in organisations
    )
    request.countries.set(countries)
    request.specific_areas.set(specific_areas)
    for upload in attachments:
        _store_attachment(request, upload)
    RequestTransition.objects.create(
        request=request, from_status="", to_status=RequestStatus.RECEIVED, by=_user(actor)
    )
    audit.record(
        actor,
        "request.filed",
        request,
        changes=audit.diff({}, audit.snapshot(request, ["reference", *REQUEST_FIELDS])),
        data={
            "organisations": [str(o) for o in organisations],
            "lead": str(lead),
            "countries": [c.pk for c in countries],
            "specific_areas": [a.code for a in specific_areas],
            "attachments": len(attachments),
        },
    )
    notifications.request_changed(request, "filed", actor=actor)
    return request


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _lock(request: Request) -> Request:
    return Request.objects.select_for_update().get(pk=request.pk)


@transaction.atomic
def update_request(
    request: Request,
    *,
    actor: Any,
    organisations: Sequence[Organisation] | None = None,
    countries: Sequence[Country] | None = None,
    specific_areas: Sequence[SpecificArea] | None = None,
    lead: Organisation | None = None,
    attachments: Sequence[UploadedFile] = (),
    **values: Any,
) -> Request:
    """Change an open request (received or under analysis); eligibility is checked again."""
    _reject_unknown(values, [f for f in REQUEST_FIELDS if f != "received_on"])
    request = _lock(request)
    if request.status not in (RequestStatus.RECEIVED, RequestStatus.UNDER_ANALYSIS):
        raise ConflictError(
            _("This request is %(status)s; it can no longer be changed.")
            % {"status": request.get_status_display().lower()}
        )
    before = audit.snapshot(request, REQUEST_FIELDS)
    before_rel = _request_relations(request)
    for name, value in values.items():
        setattr(request, name, value)
    orgs = (
        list(dict.fromkeys(organisations)) if organisations is not None else list(request.organisations.all())
    )
    ctry = list(dict.fromkeys(countries)) if countries is not None else list(request.countries.all())
    areas = list(specific_areas) if specific_areas is not None else list(request.specific_areas.all())
    _validate_request_values(audit.snapshot(request, ["title", "statement_of_need", "region"]))
    check_eligibility(orgs, ctry, request.region)
    _check_own_organisation(actor, orgs)
    _check_areas(request.thematic_area, areas)
    request.full_clean(exclude=["organisations", "countries", "specific_areas"])
    request.save()
    if organisations is not None or lead is not None:
        current_lead = request.requesters.filter(is_lead=True).select_related("organisation").first()
        lead_org = _lead_of(orgs, lead or (current_lead.organisation if current_lead else None))
        if lead_org.pk not in {o.pk for o in orgs}:
            lead_org = orgs[0]
        request.requesters.all().delete()
        RequestOrganisation.objects.bulk_create(
            RequestOrganisation(request=request, organisation=o, is_lead=o.pk == lead_org.pk) for o in orgs
        )
    request.countries.set(ctry)
    request.specific_areas.set(areas)
    if len(attachments) + request.attachments.count() > MAX_ATTACHMENTS:
        raise DomainError(_("Attach at most %(n)s files.") % {"n": MAX_ATTACHMENTS}, field="attachments")
    for upload in attachments:
        _store_attachment(request, upload)
    changes = audit.diff(before, audit.snapshot(request, REQUEST_FIELDS))
    changes.update(audit.diff(before_rel, _request_relations(request)))
    if changes or attachments:
        audit.record(
            actor, "request.updated", request, changes=changes, data={"attachments": len(attachments)}
        )
    return request


def _request_relations(request: Request) -> dict[str, Any]:
    return {
        "organisations": sorted(
            f"{r.organisation}{' (lead)' if r.is_lead else ''}"
            for r in request.requesters.select_related("organisation")
        ),
        "countries": sorted(request.countries.values_list("code", flat=True)),
        "specific_areas": sorted(request.specific_areas.values_list("code", flat=True)),
    }


@transaction.atomic
def add_attachment(
    request: Request, upload: UploadedFile, *, actor: Any, title: str = ""
) -> RequestAttachment:
    """Attach a file to a request (type checked by content, size limited)."""
    request = _lock(request)
    if request.attachments.count() >= MAX_ATTACHMENTS:
        raise DomainError(_("Attach at most %(n)s files.") % {"n": MAX_ATTACHMENTS}, field="file")
    attachment = _store_attachment(request, upload, title)
    audit.record(actor, "request.attachment_added", request, data={"title": attachment.title})
    return attachment


def _step(request: Request, step: str, *, actor: Any, note: str = "") -> tuple[Request, str]:
    """Move a locked request one step of the workflow; records the transition and the audit event."""
    sources, target = REQUEST_STEPS[step]
    request = _lock(request)
    if request.status not in sources:
        raise ConflictError(
            _("This request is %(status)s; it cannot be %(step)s now.")
            % {"status": request.get_status_display().lower(), "step": STEP_PAST[step]()}
        )
    previous = request.status
    request.status = target
    return request, previous


STEP_PAST = {
    "analyse": lambda: _("taken into analysis"),
    "submit": lambda: _("submitted to the steering committee"),
    "approve": lambda: _("approved"),
    "reject": lambda: _("rejected"),
    "withdraw": lambda: _("withdrawn"),
}


def _record_step(request: Request, previous: str, step: str, *, actor: Any, note: str, **data: Any) -> None:
    RequestTransition.objects.create(
        request=request, from_status=previous, to_status=request.status, by=_user(actor), note=note
    )
    audit.record(
        actor,
        f"request.{STEP_VERBS[step]}",
        request,
        changes={"status": [previous, request.status]},
        data={"note": note, **data} if note or data else None,
    )
    notifications.request_changed(request, step, actor=actor, note=note)


STEP_VERBS = {
    "analyse": "analysis_started",
    "submit": "submitted",
    "approve": "approved",
    "reject": "rejected",
    "withdraw": "withdrawn",
}


@transaction.atomic
def start_analysis(request: Request, *, actor: Any, note: str = "") -> Request:
    """Staff take a received request into analysis."""
    request, previous = _step(request, "analyse", actor=actor)
    request.save(update_fields=["status", "updated_at"])
    _record_step(request, previous, "analyse", actor=actor, note=note.strip())
    return request


@transaction.atomic
def submit_to_committee(request: Request, *, actor: Any, note: str = "") -> Request:
    """Staff put an analysed request before the steering committee."""
    request, previous = _step(request, "submit", actor=actor)
    request.save(update_fields=["status", "updated_at"])
    _record_step(request, previous, "submit", actor=actor, note=note.strip())
    return request


def _decision_date(request: Request, decided_on: datetime.date | None) -> datetime.date:
    decided_on = _check_date(decided_on, "decided_on", label=_("decision date"))
    if decided_on < request.received_on:
        raise DomainError(
            _("The decision date cannot be before the request was received (%(date)s).")
            % {"date": request.received_on.isoformat()},
            field="decided_on",
        )
    return decided_on


@transaction.atomic
def approve_request(
    request: Request,
    *,
    actor: Any,
    decided_on: datetime.date | None = None,
    reason: str = "",
    action_name: str = "",
    action_type: str | None = None,
) -> Action:
    """The steering committee approves a submitted request; the Action is created in the same
    transaction (named "<Country> <next Roman numeral>", or by region / the name given for
    regional requests), with the requesters as partners, in the assessment phase."""
    request, previous = _step(request, "approve", actor=actor)
    request.decided_on = _decision_date(request, decided_on)
    request.decision_reason = reason.strip()
    request.decided_by = _user(actor)
    request.save(update_fields=["status", "decided_on", "decision_reason", "decided_by", "updated_at"])
    new_action = create_action_from_request(
        request, actor=actor, name=action_name, action_type=action_type, on=request.decided_on
    )
    _record_step(
        request,
        previous,
        "approve",
        actor=actor,
        note=request.decision_reason,
        decided_on=request.decided_on,
        action=new_action,
    )
    return new_action


@transaction.atomic
def reject_request(
    request: Request, *, actor: Any, reason: str, decided_on: datetime.date | None = None
) -> Request:
    """The steering committee rejects a submitted request; the reason is required (it is sent to
    the requesting organisations)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Give the reason for the rejection; it is sent to the requesting organisations."),
            field="reason",
            code="reason_required",
        )
    request, previous = _step(request, "reject", actor=actor)
    request.decided_on = _decision_date(request, decided_on)
    request.decision_reason = reason
    request.decided_by = _user(actor)
    request.save(update_fields=["status", "decided_on", "decision_reason", "decided_by", "updated_at"])
    _record_step(request, previous, "reject", actor=actor, note=reason, decided_on=request.decided_on)
    return request


@transaction.atomic
def withdraw_request(request: Request, *, actor: Any, reason: str = "") -> Request:
    """The requester (or staff on their behalf) withdraws a request that is not yet decided."""
    request, previous = _step(request, "withdraw", actor=actor)
    request.save(update_fields=["status", "updated_at"])
    _record_step(request, previous, "withdraw", actor=actor, note=(reason or "").strip())
    return request


# --- Actions -------------------------------------------------------------------------------


def is_regional(request: Request) -> bool:
    """Regional: a region is named, or several countries are."""
    return bool(request.region) or request.countries.count() > 1


def national_name(country: Country) -> tuple[str, int]:
    """("Brazil III", 3) when the country's last Action is "Brazil II". Call inside a transaction
    that holds the country's row lock."""
    last = Action.objects.filter(country=country).aggregate(n=Max("sequence"))["n"] or 0
    sequence = last + 1
    while Action.objects.filter(name=f"{country.name} {to_roman(sequence)}").exists():
        sequence += 1
    return f"{country.name} {to_roman(sequence)}", sequence


def regional_name(base: str) -> str:
    """`base` ("Gran Chaco"), or "Gran Chaco II", "Gran Chaco III"... when taken."""
    base = " ".join(base.split())
    if not Action.objects.filter(name=base).exists():
        return base
    n = 2
    while Action.objects.filter(name=f"{base} {to_roman(n)}").exists():
        n += 1
    return f"{base} {to_roman(n)}"


@transaction.atomic
def create_action_from_request(
    request: Request,
    *,
    actor: Any,
    name: str = "",
    action_type: str | None = None,
    on: datetime.date | None = None,
) -> Action:
    """Turn an approved request into an Action (see approve_request)."""
    if Action.objects.filter(request=request).exists():
        raise ConflictError(_("This request has already become an Action."))
    countries = list(request.countries.all())
    regional = bool(request.region) or len(countries) > 1
    on = on or today()
    if action_type and action_type not in ActionType.values:
        raise DomainError(_("Unknown Action type."), field="action_type")
    if regional:
        base = name.strip()
        if not base:
            with translation.override("en"):
                base = (
                    str(Region(request.region).label) if request.region else _names(c.name for c in countries)
                )
        action_name, sequence, country = regional_name(base), None, None
        region = request.region or (countries[0].region if countries else "")
        kind = action_type or ActionType.REGIONAL
    else:
        country = Country.objects.select_for_update().get(pk=countries[0].pk)
        if name.strip():
            action_name, sequence = name.strip(), None
            if Action.objects.filter(name=action_name).exists():
                raise ConflictError(
                    _("An Action named “%(name)s” already exists.") % {"name": action_name},
                    field="action_name",
                )
        else:
            action_name, sequence = national_name(country)
        region = country.region
        kind = action_type or ActionType.CLASSIC
    new = Action.objects.create(
        name=action_name,
        country=country,
        sequence=sequence,
        region=region,
        type=kind,
        request=request,
        thematic_area=request.thematic_area,
        summary=request.expected_results,
        phase=Phase.ASSESSMENT,
        start_date=on,
    )
    new.countries.set(countries)
    new.specific_areas.set(request.specific_areas.all())
    ActionPartner.objects.bulk_create(
        ActionPartner(action=new, organisation_id=r.organisation_id, is_lead=r.is_lead)
        for r in request.requesters.all()
    )
    PhaseTransition.objects.create(
        action=new,
        from_phase="",
        to_phase=Phase.ASSESSMENT,
        on=on,
        by=_user(actor),
        note=_("Created from request %(ref)s.") % {"ref": request.reference},
    )
    audit.record(
        actor,
        "action.created",
        new,
        data={"request": request.reference, "name": new.name, "type": new.type},
    )
    return new


def _relations(action: Action) -> dict[str, Any]:
    return {
        "countries": sorted(action.countries.values_list("code", flat=True)),
        "specific_areas": sorted(action.specific_areas.values_list("code", flat=True)),
    }


@transaction.atomic
def update_action(
    action: Action,
    *,
    actor: Any,
    countries: Sequence[Country] | None = None,
    specific_areas: Sequence[SpecificArea] | None = None,
    **values: Any,
) -> Action:
    """Change an Action. Focal points of a partner change only the co-design fields (summary);
    everything else is for programme staff."""
    _reject_unknown(values, ACTION_FIELDS)
    staff_only = [k for k in values if k not in CO_DESIGN_FIELDS]
    if countries is not None:
        staff_only.append("countries")
    if specific_areas is not None:
        staff_only.append("specific_areas")
    if staff_only and not can(actor, "actions.manage", action):
        raise PermissionDeniedError(
            _(
                "Only programme staff can change %(fields)s; partners co-design the summary and the objectives."
            )
            % {"fields": ", ".join(staff_only)},
            field=staff_only[0],
        )
    action = Action.objects.select_for_update().get(pk=action.pk)
    before = audit.snapshot(action, ACTION_FIELDS)
    before_rel = _relations(action)
    for key, value in values.items():
        setattr(action, key, value)
    if "name" in values:
        action.name = " ".join((action.name or "").split())
        if not action.name:
            raise DomainError(_("Give the Action a name."), field="name")
        if Action.objects.filter(name=action.name).exclude(pk=action.pk).exists():
            raise ConflictError(
                _("An Action named “%(name)s” already exists.") % {"name": action.name}, field="name"
            )
    if action.start_date and action.end_date and action.end_date < action.start_date:
        raise DomainError(_("The end date cannot be before the start date."), field="end_date")
    if specific_areas is not None or "thematic_area" in values:
        areas = list(specific_areas) if specific_areas is not None else list(action.specific_areas.all())
        _check_areas(action.thematic_area, areas)
    action.full_clean(exclude=["countries", "specific_areas", "partners", "request"])
    action.save()
    if countries is not None:
        action.countries.set(countries)
    if specific_areas is not None:
        action.specific_areas.set(specific_areas)
    changes = audit.diff(before, audit.snapshot(action, ACTION_FIELDS))
    changes.update(audit.diff(before_rel, _relations(action)))
    if changes:
        audit.record(actor, "action.updated", action, changes=changes)
    return action


def _objectives_snapshot(action: Action) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {level: [] for level in Level.values}
    for level, text in action.objectives.order_by("level", "position", "id").values_list("level", "text"):
        out[level].append(text)
    return out


@transaction.atomic
def set_objectives(action: Action, *, actor: Any, objectives: Mapping[str, Sequence[str]]) -> Action:
    """Replace the objectives of the levels given (individual, organisational, enabling
    environment); staff and the partners' focal points co-design them."""
    if not can(actor, "actions.change", action):
        raise PermissionDeniedError(_("Only programme staff and the partners' focal points set objectives."))
    unknown = [k for k in objectives if k not in Level.values]
    if unknown:
        raise DomainError(_("Unknown level: %(l)s") % {"l": ", ".join(unknown)}, field="objectives")
    action = Action.objects.select_for_update().get(pk=action.pk)
    before = _objectives_snapshot(action)
    for level, texts in objectives.items():
        cleaned = [" ".join(t.split()) for t in texts if t and t.strip()]
        action.objectives.filter(level=level).delete()
        Objective.objects.bulk_create(
            Objective(action=action, level=level, text=text, position=i) for i, text in enumerate(cleaned, 1)
        )
    changes = audit.diff(before, _objectives_snapshot(action))
    if changes:
        audit.record(actor, "action.objectives_changed", action, changes=changes)
    return action


@transaction.atomic
def set_partners(
    action: Action, *, actor: Any, organisations: Sequence[Organisation], lead: Organisation | None = None
) -> Action:
    """Replace an Action's partners (staff); one of them leads."""
    organisations = list(dict.fromkeys(organisations))
    if not organisations:
        raise DomainError(_("An Action needs at least one partner."), field="organisations")
    lead = _lead_of(organisations, lead)
    action = Action.objects.select_for_update().get(pk=action.pk)
    before = {"partners": _partner_labels(action)}
    action.partnerships.all().delete()
    ActionPartner.objects.bulk_create(
        ActionPartner(action=action, organisation=o, is_lead=o.pk == lead.pk) for o in organisations
    )
    changes = audit.diff(before, {"partners": _partner_labels(action)})
    if changes:
        audit.record(actor, "action.partners_changed", action, changes=changes)
    return action


def _partner_labels(action: Action) -> list[str]:
    return [
        f"{p.organisation}{' (lead)' if p.is_lead else ''}"
        for p in action.partnerships.select_related("organisation").order_by("-is_lead", "organisation__name")
    ]


def open_activities(action: Action) -> list[Activity]:
    return list(Activity.objects.filter(action=action).open().order_by("start_date", "id"))


@transaction.atomic
def change_phase(
    action: Action, *, actor: Any, to_phase: str, on: datetime.date | None = None, note: str = ""
) -> PhaseTransition:
    """Move an Action one phase forward, or back to an earlier phase with a note. The Action
    cannot complete while activities are planned or ongoing."""
    if to_phase not in PHASES:
        raise DomainError(_("Unknown phase."), field="to_phase")
    action = Action.objects.select_for_update().get(pk=action.pk)
    note = (note or "").strip()
    current, target = PHASES.index(action.phase), PHASES.index(to_phase)
    if target == current:
        raise ConflictError(
            _("The Action is already in the %(phase)s phase.") % {"phase": Phase(to_phase).label.lower()},
            field="to_phase",
        )
    if target > current + 1:
        raise DomainError(
            _("Phases follow one another: from %(current)s the next phase is %(next)s.")
            % {
                "current": Phase(action.phase).label.lower(),
                "next": Phase(PHASES[current + 1]).label.lower(),
            },
            field="to_phase",
        )
    if target < current and not note:
        raise DomainError(
            _("Say why the Action goes back to an earlier phase (the note is kept in its timeline)."),
            field="note",
            code="note_required",
        )
    if to_phase == Phase.COMPLETED:
        still_open = open_activities(action)
        if still_open:
            shown = [f"{a.title} ({a.get_status_display().lower()})" for a in still_open[:5]]
            if len(still_open) > 5:
                shown.append(_("%(n)s more") % {"n": len(still_open) - 5})
            raise ConflictError(
                _(
                    "%(n)s activities are still open: %(list)s. Mark them done or cancelled before "
                    "completing the Action."
                )
                % {"n": len(still_open), "list": "; ".join(shown)}
                if len(still_open) > 1
                else _(
                    "1 activity is still open: %(list)s. Mark it done or cancelled before completing "
                    "the Action."
                )
                % {"list": shown[0]},
                field="to_phase",
                code="open_activities",
            )
    on = _check_date(on, "on", label=_("date of the phase change"))
    last = action.transitions.order_by("-on", "-id").first()
    if last is not None and on < last.on:
        raise DomainError(
            _("The date cannot be before the previous phase change (%(date)s).")
            % {"date": last.on.isoformat()},
            field="on",
        )
    previous = action.phase
    action.phase = to_phase
    fields = ["phase", "updated_at"]
    if to_phase == Phase.COMPLETED and action.end_date is None:
        action.end_date = on
        fields.append("end_date")
    action.save(update_fields=fields)
    transition = PhaseTransition.objects.create(
        action=action, from_phase=previous, to_phase=to_phase, on=on, by=_user(actor), note=note
    )
    audit.record(
        actor,
        "action.phase_changed",
        action,
        changes={"phase": [previous, to_phase]},
        data={"on": on, "note": note, "direction": "back" if target < current else "forward"},
    )
    return transition
