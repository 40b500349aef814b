"""The server worker's start-up: the objects alive after loading the application are frozen out
of the garbage collector's full collections (capdev.core.runtime.settle_worker)."""

from __future__ import annotations

import gc
import importlib
import sys

import pytest


@pytest.fixture
def unfreeze():
    yield
    gc.unfreeze()


def test_settle_worker_freezes_the_loaded_application(unfreeze):
    from capdev.core.runtime import settle_worker

    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    settle_worker()
    # Django, the apps and the URLconf: tens of thousands of objects no collection walks again.
    assert gc.get_freeze_count() > 10_000
    assert "capdev.urls" in sys.modules


def test_the_wsgi_entry_point_settles_each_worker(unfreeze):
    gc.unfreeze()
    module = importlib.reload(importlib.import_module("capdev.wsgi"))  # run it as a worker would
    assert callable(module.application)
    assert gc.get_freeze_count() > 10_000
