"""Fixtures for the personal spaces: the shared delivery scene, moved to the present."""

from __future__ import annotations

from typing import Any

import pytest

from capdev.cohorts.models import CourseRun
from capdev.cohorts.testing import DeliveryWorld, delivery_world
from capdev.delivery.tests.conftest import days, move_run
from capdev.learning.testing import with_online_lesson


@pytest.fixture
def world(cast: Any) -> DeliveryWorld:
    return with_online_lesson(delivery_world(cast))


@pytest.fixture
def run(world: DeliveryWorld) -> CourseRun:
    """Run A, under way: from three days ago to three days ahead."""
    return move_run(world.run_a, days(-3), days(3))
