"""Bulk import of participants into a run from a CSV or XLSX file.

Two steps: `check_import` reads and checks the whole file and keeps a `ParticipantImport` record
(what each row will do, or every error by row and column); `apply_import` then imports it all at
once, checking everything again under a lock on the run. Nothing is written when any row is
wrong (all-or-nothing).

Columns (header names in English, French, Spanish or Portuguese; case, accents, spaces, hyphens
and underscores are ignored; `TEMPLATE_HEADERS` gives the template's headers per language):

============== ============================================================ ====================
column         value                                                        required
============== ============================================================ ====================
first_name     first name(s)                                                yes
last_name      last name(s)                                                 yes
email          e-mail address                                               no (recommended)
sex            F / M / X (also female, male, other, femme, homme, mujer...) for new people
nationality    ISO code (BR, BRA) or country name                           no
organisation   acronym or name, among the organisations the user may see   yes
position       position / job title                                         no
languages      "pt:C2; en:B2" (ISO 639-1 code, CEFR level or "native")      no
============== ============================================================ ====================

Matching (never a duplicate person): a row is the person with the same e-mail address (case
ignored); without an e-mail match, the person with the same first and last name in the same
organisation; two such people make the row ambiguous (an error naming the row). Otherwise a new
person is created. Two rows for the same person are an error. People already known are not
changed; people already enrolled are left as they are and counted.

Limits: 5 MB, 5,000 rows. The file passes `core.uploads.check_upload` first (an XLSX is a zip
archive: size, zip bombs and names are checked; XML entity declarations are refused and openpyxl
parses with defusedxml).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from capdev.cohorts.models import CourseRun, Enrolment, EnrolmentStatus, ImportStatus, ParticipantImport
from capdev.cohorts.services import seats
from capdev.cohorts.services.enrolling import check_run_takes_participants, enrol_locked, enrolments_changed
from capdev.cohorts.services.import_files import (
    COLUMNS,
    HEADER_ALIASES,
    REQUIRED_COLUMNS,
    SEX_ALIASES,
    RowError,
    check_import_file,
    fold,
    read_rows,
)
from capdev.core import audit
from capdev.core.errors import DomainError

# --- Checking the rows ------------------------------------------------------------------------------


class Lookups:
    """Countries and organisations, read once per file."""

    def __init__(self, user: Any) -> None:
        from capdev.organisations.models import Organisation
        from capdev.reference.models import Country, translated_country_name

        self.countries: dict[str, str] = {}
        for country in Country.objects.all():
            names = [country.code, country.alpha3, country.name, country.iso_name]
            for language in ("en", "fr", "es", "pt"):
                names.append(translated_country_name(country.name, language))
            for key in names:
                if key:
                    self.countries.setdefault(fold(key), country.code)
        self.organisations: dict[str, set[int]] = defaultdict(set)
        self.organisation_names: dict[int, str] = {}
        for pk, name, acronym in Organisation.objects.visible_to(user).values_list("pk", "name", "acronym"):
            self.organisations[fold(name)].add(pk)
            if acronym:
                self.organisations[fold(acronym)].add(pk)
            self.organisation_names[pk] = f"{name} ({acronym})" if acronym else name


def _parse_languages(value: str) -> tuple[list[tuple[str, str]], str | None]:
    from capdev.cohorts.profile import parse_languages

    try:
        items = parse_languages(value)
    except ValueError as exc:
        return [], _(
            "“%(part)s” is not a language with a level; write e.g. “pt:C2; en:B2” (ISO code, then A1–C2 or native)."
        ) % {"part": exc.args[0]}
    codes = [i["language"] for i in items]
    if len(set(codes)) != len(codes):
        return [], _("A language is listed twice.")
    return [(i["language"], i["level"]) for i in items], None


def _map_header(header: list[str], errors: list[RowError]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        if not title:
            continue
        column = HEADER_ALIASES.get(fold(title))
        if column is None:
            errors.append(
                RowError(
                    1,
                    title,
                    title,
                    _("Unknown column. The columns are: %(columns)s.") % {"columns": ", ".join(COLUMNS)},
                )
            )
        elif column in positions:
            errors.append(RowError(1, column, title, _("This column appears twice.")))
        else:
            positions[column] = index
    for column in REQUIRED_COLUMNS:
        if column not in positions:
            errors.append(
                RowError(1, column, "", _("The column “%(column)s” is missing.") % {"column": column})
            )
    return positions


def plan_rows(
    run: CourseRun, table: list[list[str]], user: Any
) -> tuple[list[dict[str, Any]], list[RowError]]:
    """What each row will do (match or create a person, enrol or leave as enrolled), and the
    errors. Reads a constant number of queries whatever the number of rows."""
    from capdev.people.models import Person

    errors: list[RowError] = []
    positions = _map_header(table[0], errors)
    if errors:
        return [], errors
    lookups = Lookups(user)
    parsed: list[dict[str, Any]] = []
    for offset, values in enumerate(table[1:]):
        number = offset + 2  # the spreadsheet's row number (the header is row 1)
        if not any(values):
            continue
        cell = {c: (values[i] if i < len(values) else "").strip() for c, i in positions.items()}
        row: dict[str, Any] = {"row": number, "raw": cell}

        def error(column: str, message: str) -> None:
            errors.append(RowError(number, column, cell.get(column, ""), message))  # noqa: B023

        for column, message in (
            ("first_name", _("Give the first name.")),
            ("last_name", _("Give the last name.")),
            ("organisation", _("Give the organisation (its acronym or name).")),
        ):
            if not cell.get(column):
                error(column, message)
        for column in ("first_name", "last_name"):
            if len(cell.get(column, "")) > 120:
                error(column, _("At most 120 characters."))
        email = cell.get("email", "").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                error("email", _("This is not a valid e-mail address."))
                email = ""
        row["email"] = email
        sex = cell.get("sex", "")
        row["sex"] = SEX_ALIASES.get(fold(sex), "") if sex else ""
        if sex and not row["sex"]:
            error("sex", _("Write F, M or X (other / not stated)."))
        nationality = cell.get("nationality", "")
        row["nationality"] = lookups.countries.get(fold(nationality)) if nationality else None
        if nationality and row["nationality"] is None:
            error("nationality", _("Unknown country; write its ISO code (e.g. BR) or its name."))
        org_text = cell.get("organisation", "")
        org_ids = lookups.organisations.get(fold(org_text), set()) if org_text else set()
        row["organisation"] = next(iter(org_ids)) if len(org_ids) == 1 else None
        if org_text and not org_ids:
            error(
                "organisation",
                _("Unknown organisation, or one you may not see; write its acronym or its full name."),
            )
        elif len(org_ids) > 1:
            error(
                "organisation",
                _("Several organisations go by this name: %(names)s. Write the full name.")
                % {"names": "; ".join(sorted(lookups.organisation_names[i] for i in org_ids))},
            )
        if len(cell.get("position", "")) > 200:
            error("position", _("At most 200 characters."))
        row["position"] = cell.get("position", "")[:200]
        row["languages"], problem = _parse_languages(cell.get("languages", ""))
        if problem:
            error("languages", problem)
        row["first_name"] = cell.get("first_name", "")
        row["last_name"] = cell.get("last_name", "")
        parsed.append(row)
    if not parsed and not errors:
        errors.append(RowError(None, "", "", _("The file has a header but no participants.")))
    valid = [r for r in parsed if not any(e.row == r["row"] for e in errors)]

    # Matching: one query by e-mail, one by names in the organisations named.
    emails = {r["email"] for r in valid if r["email"]}
    by_email: dict[str, Any] = {}
    if emails:
        for person in Person.objects.annotate(e=Lower("email")).filter(e__in=emails, erased_at__isnull=True):
            by_email[person.email.lower()] = person
    org_ids = {r["organisation"] for r in valid if r["organisation"]}
    last_names = {r["last_name"].lower() for r in valid}
    by_name: dict[tuple[str, str, int], list[Any]] = defaultdict(list)
    if org_ids and last_names:
        for person in (
            Person.objects.filter(organisation_id__in=org_ids, erased_at__isnull=True)
            .annotate(ln=Lower("last_name"))
            .filter(ln__in=last_names)
        ):
            by_name[(fold(person.first_name), fold(person.last_name), person.organisation_id)].append(person)
    matched_ids = {p.pk for p in by_email.values()} | {p.pk for group in by_name.values() for p in group}
    enrolled = set(
        Enrolment.objects.filter(run=run, person_id__in=matched_ids)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .values_list("person_id", flat=True)
    )

    plan: list[dict[str, Any]] = []
    seen_people: dict[int, int] = {}
    seen_emails: dict[str, int] = {}
    seen_new: dict[tuple[str, str, int], tuple[int, str]] = {}
    for r in valid:
        number = r["row"]
        if r["email"]:
            if r["email"] in seen_emails:
                errors.append(
                    RowError(
                        number,
                        "email",
                        r["email"],
                        _("The same e-mail address is on row %(row)s.") % {"row": seen_emails[r["email"]]},
                    )
                )
                continue
            seen_emails[r["email"]] = number
        person = by_email.get(r["email"]) if r["email"] else None
        key = (fold(r["first_name"]), fold(r["last_name"]), r["organisation"])
        if person is None:
            candidates = by_name.get(key, [])
            if r["email"]:
                # a person known by name with another e-mail address is someone else
                candidates = [p for p in candidates if not p.email or p.email.lower() == r["email"]]
            if len(candidates) > 1:
                errors.append(
                    RowError(
                        number,
                        "last_name",
                        r["last_name"],
                        _(
                            "%(n)s people named %(name)s are known in this organisation; add the e-mail address "
                            "to say which one."
                        )
                        % {"n": len(candidates), "name": f"{r['first_name']} {r['last_name']}"},
                    )
                )
                continue
            person = candidates[0] if candidates else None
        if person is not None:
            if person.pk in seen_people:
                errors.append(
                    RowError(
                        number,
                        "email" if r["email"] else "last_name",
                        r["email"] or r["last_name"],
                        _("This is the same person as on row %(row)s.") % {"row": seen_people[person.pk]},
                    )
                )
                continue
            seen_people[person.pk] = number
            outcome = "enrolled" if person.pk in enrolled else "match"
            plan.append({"row": number, "outcome": outcome, "person": person.pk, "name": person.full_name})
            continue
        previous = seen_new.get(key)
        if previous is not None and (not r["email"] or not previous[1] or previous[1] == r["email"]):
            errors.append(
                RowError(
                    number,
                    "last_name",
                    r["last_name"],
                    _("The same person (name and organisation) is on row %(row)s.") % {"row": previous[0]},
                )
            )
            continue
        seen_new[key] = (number, r["email"])
        if not r["sex"]:
            errors.append(
                RowError(number, "sex", "", _("Give the sex of a person who is not known yet: F, M or X."))
            )
            continue
        plan.append(
            {
                "row": number,
                "outcome": "new",
                "name": f"{r['first_name']} {r['last_name']}",
                "values": {
                    "first_name": r["first_name"],
                    "last_name": r["last_name"],
                    "email": r["email"],
                    "sex": r["sex"],
                    "nationality_id": r["nationality"],
                    "organisation_id": r["organisation"],
                    "position": r["position"],
                },
                "languages": r["languages"],
            }
        )
    errors.sort(key=lambda e: (e.row or 0, COLUMNS.index(e.column) if e.column in COLUMNS else 99))
    if not errors:
        _check_capacity(run, plan, errors)
    return plan, errors


def _check_capacity(run: CourseRun, plan: list[dict[str, Any]], errors: list[RowError]) -> None:
    if run.status not in ("planned", "open", "in_progress"):
        errors.append(
            RowError(
                None,
                "",
                "",
                _("The run is %(status)s; it takes no more participants.")
                % {"status": run.get_status_display().lower()},
            )
        )
        return
    joining = sum(1 for p in plan if p["outcome"] in ("new", "match"))
    free = max(0, run.capacity - seats.seats_taken([run.pk])[run.pk])
    if joining > free:
        errors.append(
            RowError(
                None,
                "",
                "",
                _(
                    "The file enrols %(n)s people but only %(free)s of the run's %(capacity)s seats are free. "
                    "Raise the capacity or remove rows."
                )
                % {"n": joining, "free": free, "capacity": run.capacity},
            )
        )


def _counts(plan: list[dict[str, Any]]) -> Counter[str]:
    return Counter(p["outcome"] for p in plan)


# --- The two steps ------------------------------------------------------------------------------------


@transaction.atomic
def check_import(run: CourseRun, upload: Any, *, actor: Any) -> ParticipantImport:
    """Read and check a file; keep the record (ready to import, or refused with its errors; the
    file itself is stored only when it is ready to import). A file refused as a whole (type,
    size, damage, XML bomb) raises DomainError and leaves no record."""
    name = upload.name.replace("\\", "/").rsplit("/", 1)[-1]
    kind = check_import_file(name, upload, upload.size or 0)
    table = read_rows(name, upload, kind)
    plan, errors = plan_rows(run, table, actor)
    counts = _counts(plan)
    record = ParticipantImport(
        run=run,
        original_name=name[:255],
        status=ImportStatus.FAILED if errors else ImportStatus.VALIDATED,
        row_count=len([r for r in table[1:] if any(r)]),
        new_people=counts["new"],
        matched_people=counts["match"] + counts["enrolled"],
        rows=[] if errors else plan,
        errors=[asdict(e) for e in errors],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if not errors:  # a refused file is not kept: its errors (row, column, value) are enough
        upload.seek(0)
        record.file.save(name, upload, save=False)
    record.save()
    audit.record(
        actor,
        "run.import_checked",
        run,
        data={"file": name, "rows": record.row_count, "errors": len(errors), "import": record.pk},
    )
    return record


def already_enrolled(record: ParticipantImport) -> int:
    return sum(1 for p in record.rows if p.get("outcome") == "enrolled")


@transaction.atomic
def apply_import(record: ParticipantImport, *, actor: Any) -> ParticipantImport:
    """Import a checked file: create the new people, enrol everyone not enrolled yet. Everything is
    checked again under the run's lock (people or seats may have changed since the check); any
    problem refuses the whole import."""
    from capdev.people.models import Person, PersonLanguage

    record = ParticipantImport.objects.select_for_update(of=("self",)).get(pk=record.pk)
    if record.status != ImportStatus.VALIDATED:
        raise DomainError(
            _("This file was %(status)s; check a file again to import it.")
            % {"status": record.get_status_display().lower()},
            code="status",
        )
    run = seats.lock_runs([record.run_id])[record.run_id]
    check_run_takes_participants(run)
    plan = record.rows
    people_ids = [p["person"] for p in plan if p["outcome"] != "new"]
    known = Person.objects.in_bulk(people_ids)
    new_rows = [p for p in plan if p["outcome"] == "new"]
    emails = [p["values"]["email"] for p in new_rows if p["values"]["email"]]
    clash = (
        set(Person.objects.annotate(e=Lower("email")).filter(e__in=emails).values_list("e", flat=True))
        if emails
        else set()
    )
    if len(known) != len(people_ids) or any(known[i].is_erased for i in known) or clash:
        raise DomainError(
            _("People's records changed since the file was checked; check the file again."), code="stale"
        )
    joining = sum(1 for p in plan if p["outcome"] in ("new", "match"))
    free = max(0, run.capacity - seats.seats_taken([run.pk])[run.pk])
    if joining > free:
        raise DomainError(
            _("Only %(free)s seats are free now and the file enrols %(n)s people; raise the capacity first.")
            % {"free": free, "n": joining},
            code="full",
        )
    created = Person.objects.bulk_create([Person(**p["values"]) for p in new_rows])
    languages = [
        PersonLanguage(person=person, language=code, level=level)
        for person, row in zip(created, new_rows, strict=True)
        for code, level in row["languages"]
    ]
    PersonLanguage.objects.bulk_create(languages)
    for person in created:
        audit.record(actor, "person.created", person, data={"import": record.pk, "run": run})
    new_iter = iter(created)
    enrolled = 0
    outcome_rows = []
    for row in plan:
        person = next(new_iter) if row["outcome"] == "new" else known[row["person"]]
        if row["outcome"] != "enrolled":
            enrol_locked(run, person, actor=actor, source="import")
            enrolled += 1
        outcome_rows.append(
            {"row": row["row"], "outcome": row["outcome"], "person": person.pk, "name": person.full_name}
        )
    enrolments_changed([run], actor=actor)
    record.status = ImportStatus.APPLIED
    record.applied_at = timezone.now()
    record.rows = outcome_rows
    record.save(update_fields=["status", "applied_at", "rows", "updated_at"])
    audit.record(
        actor,
        "run.participants_imported",
        run,
        data={
            "file": record.original_name,
            "new_people": len(created),
            "enrolled": enrolled,
            "import": record.pk,
        },
    )
    return record


@transaction.atomic
def discard_import(record: ParticipantImport, *, actor: Any) -> ParticipantImport:
    """Drop a checked file without importing it (its stored copy is deleted)."""
    record = ParticipantImport.objects.select_for_update(of=("self",)).get(pk=record.pk)
    if record.status not in (ImportStatus.VALIDATED, ImportStatus.FAILED):
        raise DomainError(_("This file was already imported."), code="status")
    if record.file:
        name, storage = record.file.name, record.file.storage
        transaction.on_commit(lambda: storage.delete(name))
    record.status = ImportStatus.DISCARDED
    record.rows = []
    record.file.name = ""
    record.save(update_fields=["status", "rows", "file", "updated_at"])
    audit.record(actor, "run.import_discarded", record.run, data={"file": record.original_name})
    return record
