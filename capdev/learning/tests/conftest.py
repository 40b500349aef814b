"""Fixtures for the learning tests: the shared delivery scene (capdev.cohorts.testing), the
online course on top of it (capdev.learning.testing), and uploads kept in a temporary folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from capdev.cohorts.testing import DeliveryWorld, delivery_world
from capdev.learning.testing import LearningWorld, learning_world


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def world(cast: Any) -> DeliveryWorld:
    return delivery_world(cast)


@pytest.fixture
def lw(cast: Any) -> LearningWorld:
    return learning_world(cast)
