"""Fixtures for the competency tests: a framework owned by organisation A (so its focal point may
edit drafts), built through the services as a user would."""

from __future__ import annotations

from typing import Any

import pytest

from capdev.competencies import services
from capdev.competencies.models import CompetencyItem, Framework, FrameworkVersion, ItemKind, Nature

NATURES = [Nature.KNOWLEDGE, Nature.SKILL, Nature.ATTITUDE]


def build_tree(
    version: FrameworkVersion, actor: Any, *, domains: int = 2, competencies: int = 2, indicators: int = 2
) -> list[CompetencyItem]:
    """Domains D1…, competencies D1.1…, indicators D1.1.1…, every competency and indicator typed."""
    items: list[CompetencyItem] = []
    for d in range(domains):
        domain = services.add_item(version, actor=actor, statement=f"Domain {d + 1}")
        items.append(domain)
        for c in range(competencies):
            competency = services.add_item(
                version,
                actor=actor,
                parent=domain,
                statement=f"Competency {d + 1}.{c + 1}",
                nature=NATURES[(d + c) % 3],
            )
            items.append(competency)
            for i in range(indicators):
                items.append(
                    services.add_item(
                        version,
                        actor=actor,
                        parent=competency,
                        kind=ItemKind.INDICATOR,
                        statement=f"Indicator {d + 1}.{c + 1}.{i + 1}",
                        nature=NATURES[i % 3],
                    )
                )
    return items


@pytest.fixture
def framework(cast: Any) -> Framework:
    return services.create_framework(
        actor=cast.staff, title="Trainer competency framework", owner=cast.org_a, languages=["en", "pt"]
    )


@pytest.fixture
def draft(framework: Framework) -> FrameworkVersion:
    return framework.versions.get()


@pytest.fixture
def tree(cast: Any, draft: FrameworkVersion) -> list[CompetencyItem]:
    return build_tree(draft, cast.staff)


@pytest.fixture
def published(cast: Any, draft: FrameworkVersion, tree: list[CompetencyItem]) -> FrameworkVersion:
    return services.publish_version(draft, actor=cast.staff)


@pytest.fixture
def derived(cast: Any, published: FrameworkVersion) -> FrameworkVersion:
    return services.derive_version(published, actor=cast.staff)


def item(version: FrameworkVersion, code: str) -> CompetencyItem:
    return CompetencyItem.objects.get(version=version, code=code)


def tree_shape(version: FrameworkVersion) -> list[tuple[str, str | None, int]]:
    """(code, parent code, position) of every item, for asserting the tree after a change."""
    return sorted(
        (i.code, i.parent.code if i.parent else None, i.position)
        for i in CompetencyItem.objects.filter(version=version).select_related("parent")
    )
