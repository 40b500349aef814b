"""Sample frameworks for the exchange tests and the benchmark, written straight to the tables (bulk,
one query per tree level) so that building 5,000 items takes a moment."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone

from capdev.competencies.models import (
    CompetencyItem,
    Framework,
    FrameworkVersion,
    ItemKind,
    Nature,
    ProficiencyLevel,
    VersionStatus,
)

NATURES = [Nature.KNOWLEDGE, Nature.SKILL, Nature.ATTITUDE]
SCALE = [
    ("Not yet", "Cannot yet do this without substantial help.", False),
    ("Developing", "Does this with guidance; the results are still uneven.", False),
    ("Proficient", "Does this independently, to the expected standard.", True),
    ("Expert", "Does this in complex situations and helps others learn it.", False),
]


def build_sample_version(
    owner: Any,
    *,
    domains: int = 2,
    competencies: int = 2,
    indicators: int = 2,
    status: str = VersionStatus.PUBLISHED,
    title: str = "Trainer competency framework",
) -> FrameworkVersion:
    """A version with domains D1…, competencies D1.1… (typed, one ESCO alignment each) and
    indicators D1.1.1… (typed), and a four-level scale whose threshold is “Proficient”."""
    framework = Framework.objects.create(title=title, owner=owner)
    now = timezone.now()
    version = FrameworkVersion.objects.create(
        framework=framework,
        number=1,
        status=status,
        title=title,
        description="The skills and knowledge a trainer needs to design, deliver and evaluate a training.",
        languages=["en", "pt"],
        subject="Training of trainers",
        licence="https://creativecommons.org/licenses/by/4.0/",
        published_at=now if status != VersionStatus.DRAFT else None,
        retired_at=now if status == VersionStatus.RETIRED else None,
    )
    ProficiencyLevel.objects.bulk_create(
        ProficiencyLevel(version=version, position=n, name=name, description=text, is_threshold=threshold)
        for n, (name, text, threshold) in enumerate(SCALE)
    )
    tops = CompetencyItem.objects.bulk_create(
        CompetencyItem(
            version=version,
            position=d,
            code=f"D{d + 1}",
            kind=ItemKind.DOMAIN,
            statement=f"Domain {d + 1}: the training cycle, part {d + 1}",
            notes=f"Covers part {d + 1} of the cycle.\nSecond line of the notes.",
        )
        for d in range(domains)
    )
    middles = CompetencyItem.objects.bulk_create(
        CompetencyItem(
            version=version,
            parent=domain,
            position=c,
            code=f"{domain.code}.{c + 1}",
            kind=ItemKind.COMPETENCY,
            nature=NATURES[(d + c) % 3],
            statement=f"Competency {domain.code}.{c + 1}: designs learning objectives for adults",
            alignments=[f"http://data.europa.eu/esco/skill/{uuid.uuid5(uuid.NAMESPACE_URL, f'{d}.{c}')}"],
        )
        for d, domain in enumerate(tops)
        for c in range(competencies)
    )
    CompetencyItem.objects.bulk_create(
        [
            CompetencyItem(
                version=version,
                parent=competency,
                position=i,
                code=f"{competency.code}.{i + 1}",
                kind=ItemKind.INDICATOR,
                nature=NATURES[i % 3],
                statement=f"Indicator {competency.code}.{i + 1}: states an objective the learner can observe",
            )
            for competency in middles
            for i in range(indicators)
        ],
        batch_size=500,
    )
    return version


def build_rich_version(owner: Any, *, status: str = VersionStatus.PUBLISHED) -> FrameworkVersion:
    """The demo-like sample plus what exchange formats find hard: a statement longer than Moodle's
    100-character short name, notes with blank lines and trailing spaces, right-to-left text, an
    indicator straight under a domain (a level that differs from its depth), an item without a type,
    two alignments on one item, and a level name with a comma."""
    version = build_sample_version(owner, domains=2, competencies=2, indicators=2, status=status)
    version.change_note = "First release.\nReviewed by the board."
    version.save(update_fields=["change_note"])
    d1 = CompetencyItem.objects.get(version=version, code="D1")
    long_statement = (
        "Plans a training session end to end: analyses the needs of the participants, writes "
        "objectives, chooses methods suited to adults and prepares how the session will be evaluated"
    )
    CompetencyItem.objects.create(
        version=version,
        parent=d1,
        position=2,
        code="D1.X",
        kind=ItemKind.INDICATOR,
        nature=Nature.SKILL,
        statement=long_statement,
        notes="  Indented first line\n\nA paragraph after a blank line, then trailing spaces   \n",
        alignments=[
            "http://data.europa.eu/esco/skill/a1",
            "https://example.org/skills/planning?x=1&y=2",
        ],
    )
    CompetencyItem.objects.create(
        version=version,
        parent=d1,
        position=3,
        code="D1.AR",
        kind=ItemKind.COMPETENCY,
        nature="",
        statement="يخطط جلسة تدريبية",
        notes='Quotes "double", commas; the last line looks like a marker\ncapdev:{"not":"a marker"}',
    )
    level = ProficiencyLevel.objects.get(version=version, position=3)
    level.name = "Expert, mentor"
    level.save(update_fields=["name"])
    return version


def normalised(version: FrameworkVersion) -> dict[str, Any]:
    """What a lossless round trip must keep: the version's texts, its scale, and the tree (codes,
    statements, notes, levels, types, alignments, and the order of siblings)."""
    from capdev.competencies.exchange.common import load_tree

    tree = load_tree(version)
    children = tree.children_of()

    def node(item: Any) -> dict[str, Any]:
        return {
            "code": item.code,
            "statement": item.statement,
            "notes": item.notes,
            "kind": item.kind,
            "nature": item.nature,
            "alignments": list(item.alignments),
            "children": [
                node(c) for c in sorted(children.get(item.pk, []), key=lambda c: (c.position, c.pk))
            ],
        }

    v = tree.version
    return {
        "title": v.title,
        "description": v.description,
        "languages": list(v.languages),
        "subject": v.subject,
        "licence": v.licence,
        "change_note": v.change_note,
        "levels": [(lv.name, lv.description, lv.is_threshold) for lv in tree.levels],
        "tree": [node(i) for i in sorted(children.get(None, []), key=lambda c: (c.position, c.pk))],
    }


def row_counts() -> dict[str, int]:
    """Rows in every table an import writes to, to show that a rejected import wrote nothing."""
    from capdev.core.models import AuditEvent

    return {
        model.__name__: model.objects.count()
        for model in (Framework, FrameworkVersion, ProficiencyLevel, CompetencyItem, AuditEvent)
    }
