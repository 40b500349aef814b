"""Fixtures for the cohorts tests: the shared delivery scene (capdev.cohorts.testing)."""

from __future__ import annotations

from typing import Any

import pytest

from capdev.cohorts.testing import DeliveryWorld, delivery_world


@pytest.fixture
def world(cast: Any) -> DeliveryWorld:
    return delivery_world(cast)
