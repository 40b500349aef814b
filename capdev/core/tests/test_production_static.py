"""The production static pipeline (`capdev serve` runs collectstatic with whitenoise's compressed
manifest storage) must succeed: every file a stylesheet or script references must exist."""

from __future__ import annotations

import os
import subprocess
import sys

from capdev.core.tests.test_settings import PRODUCTION_ENV


def test_collectstatic_with_the_manifest_storage_succeeds(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"CAPDEV_TESTING", "DEBUG", "CAPDEV_DEMO"}}
    env.update(
        PRODUCTION_ENV,
        CAPDEV_DATA_DIR=str(tmp_path),
        STATIC_ROOT=str(tmp_path / "static"),
        PYTHONWARNINGS="ignore",
    )
    result = subprocess.run(
        [sys.executable, "-m", "capdev.cli", "manage", "collectstatic", "--noinput", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/bootstrap/bootstrap.rtl.min.css" in manifest
    assert (tmp_path / "static" / "vendor" / "htmx").is_dir()
