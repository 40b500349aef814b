"""Adaptations: a partner's localised version of a published standard product.

An adaptation is a Course of kind "adaptation" owned by the partner organisation, `adapted_from`
the standard course; each of its versions is `based_on` one published standard version. Its
modules and objectives start as copies that keep the standard's `lineage`, which is how every
comparison here works:

- kept: an objective with the lineage of a standard objective and the same text;
- changed: same lineage, different text (a rewording);
- added: a lineage the standard version does not have (a new or replacing module, a new objective);
- removed: a standard objective no longer present. Core objectives can never be removed: a partner
  may reword them, not drop them, and an adaptation is only published with every core objective.

The standardisation score is the share of the standard's core objectives retained (kept or
changed); the unchanged share is the share of all the standard's objectives kept word for word.

An adaptation is "behind" when its standard course has a newer published version than the one it
is based on; `rebase_adaptation` builds a new draft on the newer version (merge rule: see
`rebase_adaptation` and docs/adaptations.md).

This module also registers the permission rules for adaptations and the coverage matrix.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from django.db import models, transaction
from django.db.models import Exists, F, Max, OuterRef
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from capdev.catalogue import services as catalogue_services
from capdev.catalogue.models import (
    CompletionRule,
    Course,
    CourseKind,
    CourseVersion,
    DeliveryPart,
    LearningObjective,
    Material,
    Module,
    ObjectiveCompetency,
)
from capdev.catalogue.services import copy_version_content
from capdev.competencies.models import CompetencyItem, ProficiencyLevel, VersionStatus
from capdev.core.audit import diff, record, snapshot
from capdev.core.errors import ConflictError, DomainError, PermissionDeniedError
from capdev.core.permissions import can, rule
from capdev.core.roles import Role, RoleSet, roles_of
from capdev.organisations.models import Organisation, OrganisationType
from capdev.organisations.querysets import scoped_org_ids

KEPT = "kept"
CHANGED = "changed"
ADDED = "added"
REMOVED = "removed"

# --------------------------------------------------------------------------------------------
# Permissions


def _adapting_orgs(user: Any) -> set[int]:
    return scoped_org_ids(user, Role.FOCAL_POINT)


@rule("catalogue.adapt")
def _adapt(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Programme staff adapt for any partner; a focal point for their own organisation (and its
    sub-organisations). `obj` is the partner organisation, or None for "for some organisation"."""
    if roles.is_staff:
        return True
    orgs = _adapting_orgs(user)
    if obj is None:
        return bool(orgs)
    return obj.pk in orgs


@rule("catalogue.change_adaptation")
def _change_adaptation(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Edit, publish and rebase an adaptation (a Course or one of its versions): programme staff,
    and focal points of the organisation that owns it."""
    if obj is None:
        return False
    course = obj.course if isinstance(obj, CourseVersion) else obj
    if course.kind != CourseKind.ADAPTATION:
        return False
    return roles.is_staff or course.owner_id in _adapting_orgs(user)


@rule("catalogue.list_adaptations")
def _list_adaptations(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Every logged-in user sees published adaptations (drafts by `visible_to`)."""
    return True


@rule("catalogue.view_coverage")
def _view_coverage(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Anyone who can see the framework version (decided by its `visible_to`) sees its coverage."""
    return True


def partner_choices(user: Any) -> models.QuerySet[Organisation]:
    """The organisations `user` may create an adaptation for."""
    qs = Organisation.objects.exclude(type=OrganisationType.DONOR).order_by("name")
    if roles_of(user).is_staff:
        return qs
    return qs.filter(pk__in=_adapting_orgs(user))


# --------------------------------------------------------------------------------------------
# Small helpers


def short(text: str, length: int = 32) -> str:
    """An objective as quoted in messages: its first words, cut at a word, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def _lock_draft(version: CourseVersion) -> CourseVersion:
    locked = CourseVersion.objects.select_for_update().select_related("course", "based_on").get(pk=version.pk)
    if locked.course.kind != CourseKind.ADAPTATION:
        raise DomainError(_("This is not an adaptation."))
    if locked.status != VersionStatus.DRAFT:
        raise ConflictError(
            _("Version %(number)s is %(status)s and can no longer be changed: start a new draft.")
            % {"number": locked.number, "status": locked.get_status_display().lower()}
        )
    return locked


def _check(actor: Any, perm: str, obj: Any) -> None:
    """Services also refuse what the actor's role does not allow (None is the system)."""
    if actor is not None and not can(actor, perm, obj):
        raise PermissionDeniedError(_("You may not change this adaptation."))


def core_lineages(standard: CourseVersion | None) -> dict[UUID, LearningObjective]:
    """The core objectives of a standard version, by lineage (none without a version)."""
    if standard is None:
        return {}
    return {
        o.lineage: o
        for o in LearningObjective.objects.filter(module__version=standard, is_core=True).order_by(
            "module__position", "position", "pk"
        )
    }


def _is_core_of_standard(objective: LearningObjective, version: CourseVersion) -> LearningObjective | None:
    if version.based_on_id is None:
        return None
    return LearningObjective.objects.filter(
        module__version_id=version.based_on_id, lineage=objective.lineage, is_core=True
    ).first()


def _next_position(qs: models.QuerySet[Any]) -> int:
    return int(qs.aggregate(m=Max("position"))["m"] or 0) + 1


def _unique_code(base: str) -> str:
    base = slugify(base)[:52].strip("-") or "adaptation"
    code, n = base, 2
    while Course.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


# --------------------------------------------------------------------------------------------
# Creating and editing an adaptation


@transaction.atomic
def create_adaptation(
    standard_version: CourseVersion,
    *,
    actor: Any,
    organisation: Organisation,
    language: str,
    title: str,
) -> CourseVersion:
    """Create a partner's adaptation of a published standard version.

    Makes a Course (kind adaptation, owned by the partner, adapted from the standard course) with
    a draft version 1 based on `standard_version`: its description, hours, delivery parts,
    completion rules, modules, objectives and competency mappings are copied keeping their
    lineage, so everything starts as "kept". Returns the draft version.
    """
    _check(actor, "catalogue.adapt", organisation)
    standard = CourseVersion.objects.select_related("course").get(pk=standard_version.pk)
    if standard.course.kind != CourseKind.STANDARD:
        raise DomainError(_("Only a standard product can be adapted; adapt the standard it comes from."))
    if standard.status != VersionStatus.PUBLISHED:
        raise DomainError(
            _("Only a published version can be adapted; this one is %(status)s.")
            % {"status": standard.get_status_display().lower()}
        )
    title = title.strip()
    if not title:
        raise DomainError(_("Give the adaptation a title."), field="title")
    if not language:
        raise DomainError(_("Choose the language of the adaptation."), field="language")
    course = Course.objects.create(
        kind=CourseKind.ADAPTATION,
        code=_unique_code(f"{standard.course.code}-{organisation.acronym or organisation.name}-{language}"),
        owner=organisation,
        adapted_from=standard.course,
    )
    version = CourseVersion.objects.create(
        course=course,
        number=1,
        status=VersionStatus.DRAFT,
        title=title,
        summary=standard.summary,
        target_audience=standard.target_audience,
        languages=[language],
        mode=standard.mode,
        framework_version_id=standard.framework_version_id,
        contact_hours=standard.contact_hours,
        self_study_hours=standard.self_study_hours,
        assessment_hours=standard.assessment_hours,
        ects_credits=standard.ects_credits,
        qualification_framework=standard.qualification_framework,
        qualification_level=standard.qualification_level,
        based_on=standard,
        change_note=_("Adapted from %(standard)s.") % {"standard": standard},
    )
    version.thematic_areas.set(standard.thematic_areas.all())
    copy_version_content(standard, version, keep_lineage=True)
    record(
        actor,
        "adaptation.created",
        version,
        data={
            "standard_version": standard,
            "organisation": organisation,
            "language": language,
        },
    )
    return version


ADAPTATION_FIELDS = ("title", "summary", "target_audience", "languages")


@transaction.atomic
def update_adaptation(version: CourseVersion, *, actor: Any, **changes: Any) -> CourseVersion:
    """Change the description of a draft adaptation: title, summary, audience, language(s).

    `language` (one code) is accepted as a shortcut for `languages=[language]`.
    """
    version = _lock_draft(version)
    _check(actor, "catalogue.change_adaptation", version)
    if "language" in changes:
        language = changes.pop("language")
        changes["languages"] = [language] if language else []
    unknown = set(changes) - set(ADAPTATION_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    if "title" in changes and not str(changes["title"]).strip():
        raise DomainError(_("Give the adaptation a title."), field="title")
    if "languages" in changes and not changes["languages"]:
        raise DomainError(_("Choose the language of the adaptation."), field="language")
    before = snapshot(version, ADAPTATION_FIELDS)
    for name, value in changes.items():
        setattr(version, name, value.strip() if isinstance(value, str) else value)
    version.save()
    record(
        actor,
        "adaptation.changed",
        version,
        changes=diff(before, snapshot(version, ADAPTATION_FIELDS)),
    )
    return version


@transaction.atomic
def add_module(
    version: CourseVersion,
    *,
    actor: Any,
    title: str,
    summary: str = "",
    local_examples: str = "",
    objectives: Sequence[str] = (),
    position: int | None = None,
    part: DeliveryPart | None = None,
) -> Module:
    """Add a module of the partner's own to a draft adaptation (new lineage: "added"), optionally
    in one of the version's delivery parts."""
    version = _lock_draft(version)
    _check(actor, "catalogue.change_adaptation", version)
    if not title.strip():
        raise DomainError(_("Give the module a title."), field="title")
    if part is not None and part.version_id != version.pk:
        raise DomainError(_("Choose a delivery part of this version."), field="part")
    modules = Module.objects.filter(version=version)
    if position is None:
        position = _next_position(modules)
    else:
        _shift(modules.filter(position__gte=position))
    module = Module.objects.create(
        version=version,
        position=position,
        title=title.strip(),
        summary=summary.strip(),
        local_examples=local_examples.strip(),
        part=part,
    )
    texts = [t.strip() for t in objectives if t.strip()]
    LearningObjective.objects.bulk_create(
        [LearningObjective(module=module, position=i, text=t) for i, t in enumerate(texts, start=1)]
    )
    record(
        actor,
        "adaptation.module_added",
        version,
        data={"module": module.title, "objectives": texts},
    )
    return module


def _shift(qs: models.QuerySet[Any]) -> None:
    """Make room at a position: the rows from there on move one place down."""
    qs.update(position=F("position") + 1)


def _module_of_draft(module: Module) -> tuple[Module, CourseVersion]:
    version = _lock_draft(module.version)
    module = Module.objects.get(pk=module.pk)
    return module, version


@transaction.atomic
def replace_module(
    module: Module,
    *,
    actor: Any,
    title: str,
    summary: str = "",
    local_examples: str = "",
    objectives: Sequence[str] = (),
) -> Module:
    """Replace a module by one of the partner's own, in the same place.

    The new module and its objectives are "added"; the module it replaces shows as "removed".
    Core objectives of the standard cannot be dropped this way: they move into the new module
    (where they may be reworded), and the message of the page says so.
    """
    module, version = _module_of_draft(module)
    _check(actor, "catalogue.change_adaptation", version)
    if not title.strip():
        raise DomainError(_("Give the module a title."), field="title")
    cores = core_lineages(version.based_on)
    carried = [o for o in module.objectives.order_by("position", "pk") if o.lineage in cores]
    new = Module.objects.create(
        version=version,
        position=module.position,
        title=title.strip(),
        summary=summary.strip(),
        part_id=module.part_id,
        local_examples=local_examples.strip(),
    )
    position = 0
    for o in carried:
        position += 1
        LearningObjective.objects.filter(pk=o.pk).update(module=new, position=position)
    texts = [t.strip() for t in objectives if t.strip()]
    LearningObjective.objects.bulk_create(
        [LearningObjective(module=new, position=position + i, text=t) for i, t in enumerate(texts, start=1)]
    )
    Material.objects.filter(module=module).delete()
    old_title = module.title
    module.delete()
    record(
        actor,
        "adaptation.module_replaced",
        version,
        data={
            "replaced": old_title,
            "module": new.title,
            "objectives": texts,
            "core_kept": [o.text for o in carried],
        },
    )
    return new


@transaction.atomic
def remove_module(module: Module, *, actor: Any) -> None:
    """Remove a module from a draft adaptation; refused while it holds a core objective."""
    module, version = _module_of_draft(module)
    _check(actor, "catalogue.change_adaptation", version)
    cores = core_lineages(version.based_on)
    core_here = [o for o in module.objectives.order_by("position", "pk") if o.lineage in cores]
    if core_here:
        raise DomainError(
            _(
                "“%(module)s” holds the core objective “%(objective)s” of the standard, which must be "
                "kept: reword it, or replace the module (core objectives move into the new one)."
            )
            % {"module": short(module.title, 60), "objective": short(core_here[0].text)},
            code="core_objective",
        )
    title = module.title
    module.delete()
    record(actor, "adaptation.module_removed", version, data={"module": title})


MODULE_FIELDS = ("title", "summary", "local_examples")


@transaction.atomic
def update_module(module: Module, *, actor: Any, **changes: str) -> Module:
    """Change a module's title, summary or local examples (cases, laws and institutions of the
    partner's country). A module keeps its lineage: a new title or summary shows as "changed"."""
    module, version = _module_of_draft(module)
    _check(actor, "catalogue.change_adaptation", version)
    unknown = set(changes) - set(MODULE_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    if "title" in changes and not changes["title"].strip():
        raise DomainError(_("Give the module a title."), field="title")
    before = snapshot(module, MODULE_FIELDS)
    for name, value in changes.items():
        setattr(module, name, value.strip())
    module.save(update_fields=list(changes))
    record(
        actor,
        "adaptation.module_changed",
        version,
        changes=diff(before, snapshot(module, MODULE_FIELDS)),
        data={"module": module.title},
    )
    return module


def set_local_examples(module: Module, *, actor: Any, local_examples: str) -> Module:
    """Record the local examples of a module (see `update_module`)."""
    return update_module(module, actor=actor, local_examples=local_examples)


@transaction.atomic
def add_objective(module: Module, *, actor: Any, text: str) -> LearningObjective:
    """Add an objective of the partner's own to a module ("added")."""
    module, version = _module_of_draft(module)
    _check(actor, "catalogue.change_adaptation", version)
    if not text.strip():
        raise DomainError(_("Write the objective."), field="text")
    objective = LearningObjective.objects.create(
        module=module, position=_next_position(module.objectives.all()), text=text.strip()
    )
    record(
        actor,
        "adaptation.objective_added",
        version,
        data={"module": module.title, "text": objective.text},
    )
    return objective


@transaction.atomic
def reword_objective(objective: LearningObjective, *, actor: Any, text: str) -> LearningObjective:
    """Reword an objective. Its lineage is kept, so it shows as "changed" (core ones included)."""
    objective = LearningObjective.objects.select_related("module").get(pk=objective.pk)
    version = _lock_draft(objective.module.version)
    _check(actor, "catalogue.change_adaptation", version)
    text = text.strip()
    if not text:
        raise DomainError(_("Write the objective; to drop it, remove it instead."), field="text")
    before = objective.text
    objective.text = text
    objective.save(update_fields=["text"])
    record(actor, "adaptation.objective_reworded", version, changes={"text": [before, text]})
    return objective


@transaction.atomic
def remove_objective(objective: LearningObjective, *, actor: Any) -> None:
    """Remove an objective; a core objective of the standard is refused (it may be reworded)."""
    objective = LearningObjective.objects.select_related("module").get(pk=objective.pk)
    version = _lock_draft(objective.module.version)
    _check(actor, "catalogue.change_adaptation", version)
    core = _is_core_of_standard(objective, version)
    if core is not None:
        raise DomainError(
            _("“%(objective)s” is a core objective of the standard and must be kept; you may reword it.")
            % {"objective": short(core.text)},
            code="core_objective",
        )
    text = objective.text
    objective.delete()
    record(actor, "adaptation.objective_removed", version, data={"text": text})


def missing_core_objectives(version: CourseVersion) -> list[LearningObjective]:
    """The standard's core objectives that `version` does not contain (by lineage)."""
    if version.based_on_id is None:
        return []
    present = set(LearningObjective.objects.filter(module__version=version).values_list("lineage", flat=True))
    return [o for lineage, o in core_lineages(version.based_on).items() if lineage not in present]


@transaction.atomic
def publish_adaptation(version: CourseVersion, *, actor: Any) -> CourseVersion:
    """Publish a draft adaptation. Every core objective of its standard must be present; then the
    catalogue's publishing rules apply (`catalogue.services.publish_version`: description, ECTS
    rule, parts, modules, rules; the previously published version is retired), except that the
    adaptation's own objectives need not map to a competency of the standard's framework (a
    module on legal assistance to asylum seekers develops no trainer competency).
    """
    version = _lock_draft(version)
    _check(actor, "catalogue.change_adaptation", version)
    missing = missing_core_objectives(version)
    if missing:
        raise DomainError(
            _(
                "The adaptation lacks %(count)s core objective(s) of the standard: %(list)s. "
                "Add them back before publishing."
            )
            % {"count": len(missing), "list": "; ".join(f"“{short(o.text)}”" for o in missing)},
            code="core_objective",
        )
    # The catalogue's rules, except "every objective is mapped" (see the docstring).
    problems = [p for p in catalogue_services.publishing_problems(version) if p.field != "objectives"]
    if problems:
        raise catalogue_services.NotReadyToPublish(problems)
    now = timezone.now()
    for old in CourseVersion.objects.select_for_update().filter(
        course_id=version.course_id, status=VersionStatus.PUBLISHED
    ):
        old.status, old.retired_at = VersionStatus.RETIRED, now
        old.save(update_fields=["status", "retired_at", "updated_at"])
        record(actor, "course_version.retired", old, data={"replaced_by": version.number})
    version.status, version.published_at = VersionStatus.PUBLISHED, now
    version.save(update_fields=["status", "published_at", "updated_at"])
    record(actor, "adaptation.published", version, data={"based_on": version.based_on})
    return version


@transaction.atomic
def start_adaptation_draft(version: CourseVersion, *, actor: Any) -> CourseVersion:
    """A new draft of a published adaptation, on the same standard version (to keep editing)."""
    version = CourseVersion.objects.select_related("course").get(pk=version.pk)
    _check(actor, "catalogue.change_adaptation", version)
    if version.course.kind != CourseKind.ADAPTATION:
        raise DomainError(_("This is not an adaptation."))
    return catalogue_services.derive_version(version, actor=actor)


@transaction.atomic
def discard_adaptation_draft(version: CourseVersion, *, actor: Any) -> Course | None:
    """Delete a draft adaptation version (the adaptation itself when it was its only version)."""
    version = _lock_draft(version)
    _check(actor, "catalogue.change_adaptation", version)
    return catalogue_services.discard_draft(version, actor=actor)


# --------------------------------------------------------------------------------------------
# Comparison with the standard


@dataclass
class ObjectiveRow:
    """One objective, side by side: the standard's and the adaptation's (either may be None)."""

    status: str
    standard: LearningObjective | None
    adapted: LearningObjective | None
    is_core: bool = False
    moved_from: str = ""  # title of the standard module it came from, when it sits elsewhere now


@dataclass
class ModuleRow:
    """One module, side by side, with its objectives."""

    status: str
    standard: Module | None
    adapted: Module | None
    objectives: list[ObjectiveRow] = field(default_factory=list)


@dataclass
class Comparison:
    """How an adaptation version relates to the standard version it is based on."""

    version: CourseVersion
    standard: CourseVersion
    modules: list[ModuleRow]
    core_total: int
    core_retained: int
    standard_total: int
    unchanged: int
    counts: dict[str, int]
    missing_cores: list[LearningObjective]

    @property
    def score(self) -> float:
        """Share of the standard's core objectives retained (1.0 when the standard has none)."""
        return self.core_retained / self.core_total if self.core_total else 1.0

    @property
    def score_percent(self) -> int:
        return round(100 * self.score)

    @property
    def unchanged_share(self) -> float:
        return self.unchanged / self.standard_total if self.standard_total else 1.0

    @property
    def unchanged_percent(self) -> int:
        return round(100 * self.unchanged_share)


def _modules_with_objectives(version: CourseVersion) -> list[Module]:
    return list(
        Module.objects.filter(version=version)
        .order_by("position", "pk")
        .prefetch_related(
            models.Prefetch("objectives", queryset=LearningObjective.objects.order_by("position", "pk"))
        )
    )


def comparison(version: CourseVersion) -> Comparison:
    """Compare an adaptation version with the standard version it is based on (four queries).

    Objectives are matched by lineage wherever they sit; modules by lineage too. A standard
    module the adaptation no longer has is shown as removed where it stood in the standard.
    """
    if version.based_on_id is None:
        raise DomainError(_("This version is not based on a standard version."))
    standard = version.based_on
    assert standard is not None
    std_modules = _modules_with_objectives(standard)
    ada_modules = _modules_with_objectives(version)
    std_obj = {o.lineage: (o, m) for m in std_modules for o in m.objectives.all()}
    std_mod = {m.lineage: m for m in std_modules}
    present = {o.lineage for m in ada_modules for o in m.objectives.all()}
    ada_mod_lineages = {m.lineage for m in ada_modules}
    counts = {KEPT: 0, CHANGED: 0, ADDED: 0, REMOVED: 0}

    def removed_rows(std_module: Module) -> list[ObjectiveRow]:
        return [
            ObjectiveRow(REMOVED, o, None, o.is_core)
            for o in std_module.objectives.all()
            if o.lineage not in present
        ]

    rows: list[ModuleRow] = []
    for m in ada_modules:
        sm = std_mod.get(m.lineage)
        if sm is None:
            status = ADDED
        elif (m.title, m.summary) == (sm.title, sm.summary):
            status = KEPT
        else:
            status = CHANGED
        row = ModuleRow(status, sm, m)
        for o in m.objectives.all():
            match = std_obj.get(o.lineage)
            if match is None:
                row.objectives.append(ObjectiveRow(ADDED, None, o))
                continue
            so, home = match
            moved = home.title if home.lineage != m.lineage else ""
            row.objectives.append(
                ObjectiveRow(KEPT if so.text == o.text else CHANGED, so, o, so.is_core, moved)
            )
        if sm is not None:
            row.objectives += removed_rows(sm)
        rows.append(row)

    # Standard modules the adaptation dropped (or replaced): after the row of the module that
    # preceded them in the standard, so the two columns stay in the standard's order.
    for index, sm in enumerate(std_modules):
        if sm.lineage in ada_mod_lineages:
            continue
        # Objectives carried into another module (core ones kept by a replacing module) show there.
        anchor = -1
        for earlier in reversed(std_modules[:index]):
            found = [
                i
                for i, r in enumerate(rows)
                if r.standard is not None and r.standard.lineage == earlier.lineage
            ]
            if found:
                anchor = found[0]
                break
        rows.insert(anchor + 1, ModuleRow(REMOVED, sm, None, removed_rows(sm)))

    for r in rows:
        for orow in r.objectives:
            counts[orow.status] += 1
    cores = [so for so, _m in std_obj.values() if so.is_core]
    missing = [so for so in cores if so.lineage not in present]
    return Comparison(
        version=version,
        standard=standard,
        modules=rows,
        core_total=len(cores),
        core_retained=len(cores) - len(missing),
        standard_total=len(std_obj),
        unchanged=counts[KEPT],
        counts=counts,
        missing_cores=missing,
    )


def scores_for(versions: Iterable[CourseVersion]) -> dict[int, int]:
    """Standardisation score (percent) of many adaptation versions in two queries (for lists)."""
    versions = [v for v in versions if v.based_on_id]
    if not versions:
        return {}
    present: dict[int, set[UUID]] = {v.pk: set() for v in versions}
    for version_id, lineage in LearningObjective.objects.filter(
        module__version__in=[v.pk for v in versions]
    ).values_list("module__version_id", "lineage"):
        present[version_id].add(lineage)
    cores: dict[int, set[UUID]] = {}
    for version_id, lineage in LearningObjective.objects.filter(
        module__version__in={v.based_on_id for v in versions}, is_core=True
    ).values_list("module__version_id", "lineage"):
        cores.setdefault(version_id, set()).add(lineage)
    out = {}
    for v in versions:
        c = cores.get(v.based_on_id or 0, set())
        out[v.pk] = round(100 * len(c & present[v.pk]) / len(c)) if c else 100
    return out


# --------------------------------------------------------------------------------------------
# Behind the standard


def newest_published(course_id: int) -> CourseVersion | None:
    return (
        CourseVersion.objects.filter(course_id=course_id, status=VersionStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )


def behind_condition() -> Exists:
    """For annotating CourseVersions: the standard course has a newer published version than the
    one this version is based on."""
    return Exists(
        CourseVersion.objects.filter(
            course_id=OuterRef("based_on__course_id"),
            status=VersionStatus.PUBLISHED,
            number__gt=OuterRef("based_on__number"),
        )
    )


@dataclass
class VersionDiff:
    """What changed between two versions of a standard, by lineage."""

    old: CourseVersion
    new: CourseVersion
    added: list[tuple[LearningObjective, Module]] = field(default_factory=list)
    removed: list[tuple[LearningObjective, Module]] = field(default_factory=list)
    changed: list[tuple[LearningObjective, LearningObjective]] = field(default_factory=list)
    became_core: list[LearningObjective] = field(default_factory=list)
    no_longer_core: list[LearningObjective] = field(default_factory=list)
    modules_added: list[Module] = field(default_factory=list)
    modules_removed: list[Module] = field(default_factory=list)
    modules_renamed: list[tuple[Module, Module]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.added,
                self.removed,
                self.changed,
                self.became_core,
                self.no_longer_core,
                self.modules_added,
                self.modules_removed,
                self.modules_renamed,
            )
        )


def diff_versions(old: CourseVersion, new: CourseVersion) -> VersionDiff:
    """Objectives and modules added, removed and changed from `old` to `new` (four queries)."""
    old_modules, new_modules = _modules_with_objectives(old), _modules_with_objectives(new)
    result = VersionDiff(old, new)
    old_mod = {m.lineage: m for m in old_modules}
    new_mod = {m.lineage: m for m in new_modules}
    old_obj = {o.lineage: (o, m) for m in old_modules for o in m.objectives.all()}
    new_obj = {o.lineage: (o, m) for m in new_modules for o in m.objectives.all()}
    for m in new_modules:
        if m.lineage not in old_mod:
            result.modules_added.append(m)
        elif old_mod[m.lineage].title != m.title:
            result.modules_renamed.append((old_mod[m.lineage], m))
    result.modules_removed = [m for m in old_modules if m.lineage not in new_mod]
    for lineage, (o, m) in new_obj.items():
        if lineage not in old_obj:
            result.added.append((o, m))
            continue
        before = old_obj[lineage][0]
        if before.text != o.text:
            result.changed.append((before, o))
        if o.is_core and not before.is_core:
            result.became_core.append(o)
        if before.is_core and not o.is_core:
            result.no_longer_core.append(o)
    result.removed = [(o, m) for lineage, (o, m) in old_obj.items() if lineage not in new_obj]
    return result


@dataclass
class Behind:
    based_on: CourseVersion
    newest: CourseVersion
    diff: VersionDiff


def behind(version: CourseVersion) -> Behind | None:
    """Whether the standard has a newer published version than `version` is based on, and what
    changed in it; None when the adaptation is up to date."""
    base = version.based_on
    if base is None:
        return None
    newest = newest_published(base.course_id)
    if newest is None or newest.number <= base.number:
        return None
    return Behind(base, newest, diff_versions(base, newest))


# --------------------------------------------------------------------------------------------
# Rebase


@dataclass
class _PlanObjective:
    lineage: UUID
    text: str
    is_core: bool
    mappings: list[tuple[int, int]]  # (competency id, level id)


@dataclass
class _PlanModule:
    lineage: UUID
    title: str
    summary: str
    local_examples: str
    part_position: int | None
    part_kind: str | None
    objectives: list[_PlanObjective]
    materials_from: Module | None = None
    dropped_by_standard: bool = False


def _mappings_of(objective: LearningObjective) -> list[tuple[int, int]]:
    return [(m.competency_id, m.target_level_id) for m in objective.mappings.all()]


def _content(version: CourseVersion) -> list[Module]:
    return list(
        Module.objects.filter(version=version)
        .select_related("part")
        .order_by("position", "pk")
        .prefetch_related(
            models.Prefetch(
                "objectives",
                queryset=LearningObjective.objects.order_by("position", "pk").prefetch_related("mappings"),
            )
        )
    )


@transaction.atomic
def rebase_adaptation(
    version: CourseVersion, *, actor: Any, onto: CourseVersion | None = None
) -> CourseVersion:
    """Build a new draft of the adaptation based on a newer published standard version.

    Merge rule, by lineage, between the old standard (base), the adaptation (local) and the new
    standard (onto):

    1. The adaptation's structure and order are kept: its modules, its own modules and objectives,
       its removals of non-core objectives, its local examples, its delivery parts and rules.
    2. A text the adaptation changed (objective rewording, module title or summary) keeps the
       adaptation's wording; a text it did not change takes the new standard's wording.
    3. Objectives new in the standard are added to the module with the same lineage, after the
       objective that precedes them in the standard; modules new in the standard are added after
       the module that precedes them in the standard.
    4. Every core objective of the new standard is present afterwards: one the adaptation had
       removed while it was not core is brought back; if its module was removed or replaced, that
       module comes back with just those objectives.
    5. Standard content the new version dropped is dropped too, unless the adaptation had
       reworded it (it then stays as the adaptation's own content, shown as "added").
    6. Competency mappings of standard objectives come from the new standard; the adaptation's own
       objectives keep theirs (translated by lineage when the framework version changed).

    When `version` is a draft it is replaced by the rebased draft (same number); otherwise the
    rebased draft is the adaptation's next version.
    """
    version = (
        CourseVersion.objects.select_for_update().select_related("course", "based_on").get(pk=version.pk)
    )
    _check(actor, "catalogue.change_adaptation", version)
    if version.course.kind != CourseKind.ADAPTATION or version.based_on is None:
        raise DomainError(_("Only an adaptation can be rebased."))
    base = version.based_on
    if onto is None:
        onto = newest_published(base.course_id)
    if onto is None or onto.course_id != base.course_id:
        raise DomainError(_("Rebase onto a version of the same standard product."))
    if onto.status != VersionStatus.PUBLISHED:
        raise DomainError(_("An adaptation can only be based on a published version of the standard."))
    if onto.number <= base.number:
        raise ConflictError(
            _("This adaptation is already based on version %(number)s of the standard, the newest published.")
            % {"number": base.number}
        )
    newest = CourseVersion.objects.filter(course=version.course).order_by("-number").first()
    if newest is not None and newest.pk != version.pk:
        raise ConflictError(
            _("Rebase the newest version of the adaptation (version %(number)s).") % {"number": newest.number}
        )

    plan = _merge(_content(base), _content(version), _content(onto))
    materials = {
        m.pk: list(
            Material.objects.filter(module=m).values(
                "language", "title", "file", "url", "content_type", "size"
            )
        )
        for m in Module.objects.filter(version=version)
    }
    parts = list(DeliveryPart.objects.filter(version=version).order_by("position"))
    rules = list(CompletionRule.objects.filter(version=version).order_by("pk"))
    thematic_ids = list(version.thematic_areas.values_list("pk", flat=True))
    replaces_draft = version.status == VersionStatus.DRAFT
    if replaces_draft:
        # Everything the draft holds has been read above; the rebased draft takes its place.
        number, derived_from = version.number, version.derived_from
        try:
            version.delete()
        except models.ProtectedError as exc:
            raise ConflictError(_("This draft is in use and cannot be replaced by a rebased one.")) from exc
    else:
        number, derived_from = version.number + 1, version
    source = version  # its field values stay readable after a delete

    new = CourseVersion.objects.create(
        course=source.course,
        number=number,
        status=VersionStatus.DRAFT,
        title=source.title,
        summary=source.summary,
        target_audience=source.target_audience,
        languages=list(source.languages),
        mode=source.mode,
        framework_version_id=onto.framework_version_id,
        contact_hours=source.contact_hours,
        self_study_hours=source.self_study_hours,
        assessment_hours=source.assessment_hours,
        ects_credits=source.ects_credits,
        qualification_framework=source.qualification_framework,
        qualification_level=source.qualification_level,
        accredited_by=source.accredited_by,
        based_on=onto,
        derived_from=derived_from,
        change_note=_("Rebased on version %(number)s of the standard.") % {"number": onto.number},
    )
    new.thematic_areas.set(thematic_ids)
    new_parts = DeliveryPart.objects.bulk_create(
        [
            DeliveryPart(
                version=new,
                position=p.position,
                kind=p.kind,
                title=p.title,
                days=p.days,
                weeks=p.weeks,
                hours=p.hours,
                gates_next=p.gates_next,
            )
            for p in parts
        ]
    )
    part_by_position = {p.position: p for p in new_parts}
    part_by_kind: dict[str, DeliveryPart] = {}
    for p in new_parts:
        part_by_kind.setdefault(p.kind, p)
    CompletionRule.objects.bulk_create(
        [CompletionRule(version=new, kind=r.kind, threshold=r.threshold, level_id=r.level_id) for r in rules]
    )
    translate = _mapping_translator(base.framework_version_id, onto.framework_version_id)
    for position, pm in enumerate(plan, start=1):
        part = (
            part_by_position.get(pm.part_position)
            if pm.part_position is not None and pm.materials_from is not None
            else part_by_kind.get(pm.part_kind or "")
        )
        module = Module.objects.create(
            version=new,
            lineage=pm.lineage,
            position=position,
            title=pm.title,
            summary=pm.summary,
            local_examples=pm.local_examples,
            part=part,
        )
        objectives = LearningObjective.objects.bulk_create(
            [
                LearningObjective(
                    module=module, lineage=o.lineage, position=i, text=o.text, is_core=o.is_core
                )
                for i, o in enumerate(pm.objectives, start=1)
            ]
        )
        ObjectiveCompetency.objects.bulk_create(
            [
                ObjectiveCompetency(objective=obj, competency_id=c, target_level_id=lvl)
                for obj, po in zip(objectives, pm.objectives, strict=True)
                for c, lvl in dict(translate(po.mappings)).items()
            ]
        )
        if pm.materials_from is not None:
            Material.objects.bulk_create(
                [Material(module=module, **row) for row in materials.get(pm.materials_from.pk, [])]
            )
    record(
        actor,
        "adaptation.rebased",
        new,
        data={"from_standard": base, "onto_standard": onto, "replaced_draft": replaces_draft},
    )
    return new


def _mapping_translator(old_fv: int | None, new_fv: int | None) -> Any:
    """Mappings onto another framework version: competencies by lineage, levels by position."""
    if old_fv == new_fv or new_fv is None:
        return lambda mappings: mappings
    items = dict(CompetencyItem.objects.filter(version_id=new_fv).values_list("lineage", "pk"))
    levels = dict(ProficiencyLevel.objects.filter(version_id=new_fv).values_list("position", "pk"))
    item_lineage = dict(CompetencyItem.objects.filter(version_id=old_fv).values_list("pk", "lineage"))
    level_position = dict(ProficiencyLevel.objects.filter(version_id=old_fv).values_list("pk", "position"))
    new_item_ids = set(items.values())
    new_level_ids = set(levels.values())

    def translate(mappings: list[tuple[int, int]]) -> list[tuple[int, int]]:
        out = []
        for c, lvl in mappings:
            if c in new_item_ids and lvl in new_level_ids:
                out.append((c, lvl))
                continue
            c2 = items.get(item_lineage.get(c, uuid4()))
            l2 = levels.get(level_position.get(lvl, -1))
            if c2 and l2:
                out.append((c2, l2))
        return out

    return translate


def _merge(base: list[Module], local: list[Module], theirs: list[Module]) -> list[_PlanModule]:
    """The merge rule of `rebase_adaptation`, on rows already read (no queries)."""
    b_mod = {m.lineage: m for m in base}
    t_mod = {m.lineage: m for m in theirs}
    b_obj = {o.lineage: o for m in base for o in m.objectives.all()}
    t_obj = {o.lineage: o for m in theirs for o in m.objectives.all()}

    def pick(local_value: str, base_value: str | None, their_value: str | None) -> str:
        if base_value is None or their_value is None or local_value != base_value:
            return local_value
        return their_value

    plan: list[_PlanModule] = []
    for m in local:
        bm, tm = b_mod.get(m.lineage), t_mod.get(m.lineage)
        objectives: list[_PlanObjective] = []
        for o in m.objectives.all():
            bo, to = b_obj.get(o.lineage), t_obj.get(o.lineage)
            if bo is None:  # the adaptation's own objective
                objectives.append(_PlanObjective(o.lineage, o.text, False, _mappings_of(o)))
            elif to is None:  # dropped by the new standard: kept only if the adaptation reworded it
                if o.text != bo.text:
                    objectives.append(_PlanObjective(o.lineage, o.text, False, _mappings_of(o)))
            else:
                objectives.append(
                    _PlanObjective(o.lineage, pick(o.text, bo.text, to.text), to.is_core, _mappings_of(to))
                )
        plan.append(
            _PlanModule(
                lineage=m.lineage,
                title=pick(m.title, bm.title if bm else None, tm.title if tm else None),
                summary=pick(m.summary, bm.summary if bm else None, tm.summary if tm else None),
                local_examples=m.local_examples,
                part_position=m.part.position if m.part else None,
                part_kind=m.part.kind if m.part else None,
                objectives=objectives,
                materials_from=m,
                dropped_by_standard=bm is not None and tm is None,
            )
        )

    present = {o.lineage for pm in plan for o in pm.objectives}
    for index, tm in enumerate(theirs):
        wanted = [
            o
            for o in tm.objectives.all()
            if o.lineage not in present and (o.lineage not in b_obj or o.is_core)
        ]
        target = next((pm for pm in plan if pm.lineage == tm.lineage), None)
        if target is None and tm.lineage in b_mod and not wanted:
            continue  # removed or replaced by the adaptation, nothing it must bring back
        if target is None:
            # A module new in the standard comes whole; a removed one only with what must be present.
            objectives = [
                _PlanObjective(o.lineage, o.text, o.is_core, _mappings_of(o))
                for o in (tm.objectives.all() if tm.lineage not in b_mod else wanted)
            ]
            target = _PlanModule(
                lineage=tm.lineage,
                title=tm.title,
                summary=tm.summary,
                local_examples="",
                part_position=None,
                part_kind=tm.part.kind if tm.part else None,
                objectives=objectives,
            )
            previous = {t.lineage for t in theirs[:index]}
            anchor = max((i for i, pm in enumerate(plan) if pm.lineage in previous), default=-1)
            plan.insert(anchor + 1, target)
        else:
            their_order = [o.lineage for o in tm.objectives.all()]
            for o in wanted:
                before = set(their_order[: their_order.index(o.lineage)])
                anchor = max(
                    (i for i, po in enumerate(target.objectives) if po.lineage in before), default=-1
                )
                target.objectives.insert(
                    anchor + 1, _PlanObjective(o.lineage, o.text, o.is_core, _mappings_of(o))
                )
        present |= {o.lineage for o in target.objectives}

    return [pm for pm in plan if not (pm.dropped_by_standard and not pm.objectives and not pm.local_examples)]


def adaptation_versions(user: Any) -> models.QuerySet[CourseVersion]:
    """For the adaptations list: the newest version of each adaptation that `user` may see,
    annotated with `is_behind`."""
    visible = CourseVersion.objects.visible_to(user)
    newer = CourseVersion.objects.visible_to(user).filter(
        course=OuterRef("course"), number__gt=OuterRef("number")
    )
    return (
        visible.filter(course__kind=CourseKind.ADAPTATION)
        .filter(~Exists(newer))
        .annotate(is_behind=behind_condition())
        .select_related("course", "course__owner", "course__adapted_from", "based_on")
    )
