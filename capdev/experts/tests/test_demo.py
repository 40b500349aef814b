"""The roster and activity demo loaders: the trainer's profile and deployments, the named
activities, determinism and idempotency."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from capdev.actions.models import Activity
from capdev.experts.models import Deployment, DeploymentStatus, ExpertProfile


@pytest.mark.django_db
def test_demo_roster_and_activities_load_once(settings: Any, tmp_path: Any) -> None:
    from capdev.demo.actions import load_actions
    from capdev.demo.activities import load_activities
    from capdev.demo.experts import load_experts
    from capdev.demo.loader import load_demo

    settings.MEDIA_ROOT = str(tmp_path)
    load_demo(scale=0)
    load_actions(scale=1)
    first = (load_experts(scale=1), load_activities(scale=1))
    assert first == (load_experts(scale=1), load_activities(scale=1))  # idempotent
    katrin = ExpertProfile.objects.get(person__user__email="trainer@capdev.example")
    statuses = set(katrin.deployments.values_list("activity__demo_key", "status"))
    assert ("act-br3-tot", DeploymentStatus.ACCEPTED) in statuses
    assert ("act-ng-mission", DeploymentStatus.INVITED) in statuses
    assert katrin.feedback_count >= 3
    tot = Activity.objects.get(demo_key="act-br3-tot")
    assert tot.participants_total == 14 and tot.start_date.isoformat() == "2022-07-04"
    cities = set(Activity.objects.filter(type="roundtable").values_list("city", flat=True))
    assert cities == {"Bangkok", "Ciudad de México", "Nairobi", "Cotonou"}
    assert ExpertProfile.objects.filter(demo_key__startswith="syn-expert-").count() == 50
    # No expert holds two accepted deployments on overlapping dates.
    for expert_id in Deployment.objects.accepted().values_list("expert_id", flat=True).distinct():
        spans = sorted(
            Deployment.objects.accepted()
            .filter(expert_id=expert_id)
            .exclude(activity__status="cancelled")
            .values_list("activity__start_date", "activity__end_date")
        )
        assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))
