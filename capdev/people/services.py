"""Writes on people: create, update, languages, export and erasure of personal data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import capdev
from capdev.core import audit, personal_data
from capdev.core.errors import ConflictError, DomainError
from capdev.core.models import AuditEvent
from capdev.people.models import Person, PersonLanguage

FIELDS = ["first_name", "last_name", "sex", "nationality", "organisation", "position", "email", "phone"]
PERSONAL_FIELDS = ["first_name", "last_name", "email", "phone", "position"]


def _check_email(email: str, exclude_pk: int | None = None) -> None:
    if not email:
        return
    qs = Person.objects.filter(email__iexact=email)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ConflictError(
            _("Another person already has the e-mail address %(email)s.") % {"email": email}, field="email"
        )


@transaction.atomic
def create_person(*, actor: Any, languages: Iterable[tuple[str, str]] = (), **values: Any) -> Person:
    """Create a person profile (no login)."""
    unknown = {k for k in values if k not in FIELDS and k.removesuffix("_id") not in FIELDS}
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    values["email"] = (values.get("email") or "").strip().lower()
    _check_email(values["email"])
    person = Person(**values)
    person.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        raise ConflictError(_("Another person already has this e-mail address."), field="email") from exc
    _replace_languages(person, languages)
    audit.record(
        actor,
        "person.created",
        person,
        changes=audit.diff({}, {**audit.snapshot(person, FIELDS), "languages": _language_list(person)}),
    )
    return person


def _language_list(person: Person) -> list[str]:
    return [f"{pl.language}:{pl.level}" for pl in person.languages.order_by("language")]


def _replace_languages(person: Person, languages: Iterable[tuple[str, str]]) -> None:
    seen: set[str] = set()
    rows = []
    for code, level in languages:
        if code in seen:
            raise DomainError(_("Each language may be listed only once."), field="languages")
        seen.add(code)
        rows.append(PersonLanguage(person=person, language=code, level=level))
    for row in rows:
        row.full_clean(exclude=["person"])
    person.languages.all().delete()
    PersonLanguage.objects.bulk_create(rows)


@transaction.atomic
def update_person(
    person: Person, *, actor: Any, languages: Iterable[tuple[str, str]] | None = None, **values: Any
) -> Person:
    """Change a person's profile; records what changed. Erased profiles cannot be edited."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.is_erased:
        raise DomainError(_("This person's data was erased; the profile can no longer be edited."))
    before = {**audit.snapshot(person, FIELDS), "languages": _language_list(person)}
    for name, value in values.items():
        if name not in FIELDS and name.removesuffix("_id") not in FIELDS:
            raise DomainError(_("Unknown field %(f)s") % {"f": name})
        setattr(person, name, value)
    person.email = (person.email or "").strip().lower()
    _check_email(person.email, exclude_pk=person.pk)
    person.full_clean(validate_constraints=False)
    person.save()
    if languages is not None:
        _replace_languages(person, languages)
    changes = audit.diff(before, {**audit.snapshot(person, FIELDS), "languages": _language_list(person)})
    if changes:
        audit.record(actor, "person.updated", person, changes=changes)
    return person


def export_person_data(person: Person, *, actor: Any) -> dict[str, Any]:
    """Everything capdev holds about `person`, as JSON-safe data (right of access)."""
    data: dict[str, Any] = {
        "format": "capdev-personal-data/1",
        "generated_at": timezone.now().isoformat(),
        "capdev_version": capdev.__version__,
        "person": {
            "id": person.pk,
            **audit.snapshot(person, FIELDS),
            "nationality": person.nationality_id,
            "organisation": (
                {"id": person.organisation_id, "name": str(person.organisation)}
                if person.organisation
                else None
            ),
            "languages": [{"language": pl.language, "level": pl.level} for pl in person.languages.all()],
            "created_at": person.created_at.isoformat(),
            "updated_at": person.updated_at.isoformat(),
            "erased_at": person.erased_at.isoformat() if person.erased_at else None,
        },
        "login": None,
        "contact_roles": [
            {"organisation": str(c.organisation), "capacity": c.capacity, "primary": c.is_primary}
            for c in person.contact_roles.select_related("organisation")
        ],
        "audit_trail": [],
    }
    if person.user_id:
        user = person.user
        assert user is not None
        data["login"] = {
            "email": user.email,
            "display_name": user.display_name,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "memberships": [
                {"organisation": str(m.organisation), "role": m.role, "active": m.active}
                for m in user.memberships.select_related("organisation")
            ],
        }
    events = AuditEvent.objects.for_object(person)
    if person.user_id:
        events = events | AuditEvent.objects.filter(actor_id=person.user_id)
    data["audit_trail"] = [
        {"at": e.at.isoformat(), "verb": e.verb, "object": e.object_repr, "changes": e.changes}
        for e in events.order_by("at", "id")[:5000]
    ]
    data.update(personal_data.export_sections(person))
    audit.record(actor, "person.exported", person)
    return data


@transaction.atomic
def erase_person(person: Person, *, actor: Any, reason: str) -> Person:
    """Anonymise a person (right to erasure). Keeps sex, nationality and organisation so that
    aggregate statistics stay intact; removes names, contact details, languages and login, and
    redacts their personal data from the audit trail. Irreversible."""
    if not (reason or "").strip():
        raise DomainError(
            _("Give the reason for the erasure (e.g. the request's reference)."), field="reason"
        )
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.is_erased:
        raise ConflictError(_("This person's data has already been erased."))
    user = person.user
    person.first_name = _("Erased")
    person.last_name = _("person %(id)s") % {"id": person.pk}
    person.email = ""
    person.phone = ""
    person.position = ""
    person.erased_at = timezone.now()
    person.user = None
    person.save()
    person.languages.all().delete()
    person.contact_roles.all().delete()
    if user is not None:
        user.email = f"erased-{user.pk}@invalid"
        user.display_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        user.memberships.update(active=False)
    ct = ContentType.objects.get_for_model(Person)
    redacted = {"redacted": True}
    AuditEvent.objects.filter(content_type=ct, object_id=str(person.pk))._redact(
        object_repr=str(person), changes=redacted, data=redacted
    )
    if user is not None:
        AuditEvent.objects.filter(actor_id=user.pk)._redact(actor_repr=f"erased user {user.pk}")
    personal_data.run_erasers(person, actor)
    audit.record(actor, "person.erased", person, data={"reason": reason.strip()})
    return person
