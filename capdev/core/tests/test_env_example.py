"""`.env.example` lists every environment variable the settings read."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_env_example_lists_every_variable_read_by_settings():
    source = (ROOT / "capdev" / "settings.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list|path)\(\s*"([A-Z_]+)"', source))
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    missing = read - documented - {"CAPDEV_TESTING"}
    assert not missing, f"Add to .env.example: {sorted(missing)}"
