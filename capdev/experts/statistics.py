"""Roster statistics: experts by nationality, institution type and sex, deployments per expert
and deployments by the expert's sex.

The roster is the active experts whose personal data was not erased. "Deployments" are accepted
deployments; those by sex count every expert's, on the roster or not (erasure keeps the
deployments so that these figures stay true).

Two reads, whatever the size of the roster: one row per expert (the attributes counted), and one
GROUP BY over the deployments (accepted ones per expert); the counting is done in Python. The
figures are the same for everyone allowed to see them, so they are cached for a minute; labels
are translated per request, outside the cache.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.cache import cache
from django.db.models import Count

from capdev.experts.models import Deployment, ExpertProfile

CACHE_KEY = "experts:statistics:v1"
CACHE_TTL = 60

# Deployments per expert, in buckets: (label, lowest, highest or None).
BUCKETS: list[tuple[str, int, int | None]] = [
    ("0", 0, 0),
    ("1", 1, 1),
    ("2", 2, 2),
    ("3–5", 3, 5),
    ("6–10", 6, 10),
    ("11+", 11, None),
]


def _bucket(n: int) -> str:
    for label, low, high in BUCKETS:
        if n >= low and (high is None or n <= high):
            return label
    return BUCKETS[-1][0]  # pragma: no cover - the last bucket is open-ended


def _sorted(counts: Counter[Any]) -> list[tuple[Any, int]]:
    """Most frequent first; ties by value, "not stated" (None) last."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))


def roster_figures() -> dict[str, Any]:
    """The counts behind the statistics page (codes and numbers, no labels), cached a minute."""
    figures: dict[str, Any] | None = cache.get(CACHE_KEY)
    if figures is not None:
        return figures
    accepted = dict(
        Deployment.objects.accepted()
        .order_by()
        .values("expert_id")
        .annotate(n=Count("id"))
        .values_list("expert_id", "n")
    )
    nationality: Counter[str | None] = Counter()
    institution: Counter[str] = Counter()
    sex: Counter[str] = Counter()
    per_expert: Counter[str] = Counter()
    deployed_by_sex: Counter[str] = Counter()
    for pk, active, erased_at, country, kind, person_sex in ExpertProfile.objects.order_by().values_list(
        "pk", "active", "person__erased_at", "person__nationality__name", "institution_type", "person__sex"
    ):
        deployed = accepted.get(pk, 0)
        if deployed:
            deployed_by_sex[person_sex] += deployed
        if not active or erased_at is not None:
            continue
        nationality[country] += 1
        institution[kind] += 1
        sex[person_sex] += 1
        per_expert[_bucket(deployed)] += 1
    figures = {
        "total": sum(sex.values()),
        "nationality": _sorted(nationality),
        "institution": _sorted(institution),
        "sex": sorted(sex.items()),
        "deployments": [(label, per_expert[label]) for label, _low, _high in BUCKETS],
        "deployed_by_sex": sorted(deployed_by_sex.items()),
    }
    cache.set(CACHE_KEY, figures, CACHE_TTL)
    return figures
