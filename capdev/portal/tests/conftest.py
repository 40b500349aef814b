"""Fixtures for the personal spaces: the shared delivery scene, moved to the present."""

from __future__ import annotations

from typing import Any

import pytest

from capdev.cohorts.models import CourseRun
from capdev.cohorts.testing import DeliveryWorld, delivery_world
from capdev.delivery.tests.conftest import days, move_run


def with_online_lesson(world: DeliveryWorld) -> DeliveryWorld:
    """The scene's course with a lesson in its online part (without content there is nothing to
    take online and no gate)."""
    from capdev.catalogue.models import Module
    from capdev.learning.models import OnlineLesson

    module = Module.objects.filter(version=world.version).order_by("position").first()
    OnlineLesson.objects.create(
        module=module, position=1, title="The training cycle", body="<p>Four steps.</p>"
    )
    return world


@pytest.fixture
def world(cast: Any) -> DeliveryWorld:
    return with_online_lesson(delivery_world(cast))


@pytest.fixture
def run(world: DeliveryWorld) -> CourseRun:
    """Run A, under way: from three days ago to three days ahead."""
    return move_run(world.run_a, days(-3), days(3))
