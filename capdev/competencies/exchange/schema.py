"""The official CASE 1.1 CFPackage JSON Schema, compiled into plain Python checks.

A generic JSON Schema validator spends about 4 s on a 5,000-item package; the CASE schema uses a
dozen keywords only (type, properties, required, additionalProperties, items, enum, oneOf, pattern,
format, $ref), so it is compiled once into closures that check the same package in a fraction of
that. Compilation refuses any other keyword, so a schema this module does not fully understand can
never be half-checked. The tests check the result against the `jsonschema` package, the reference.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "case-v1p1-cfpackage.json"

ANNOTATIONS = frozenset({"description", "$comment", "title", "$schema", "$id", "$defs"})
KEYWORDS = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "enum",
        "oneOf",
        "pattern",
        "format",
        "$ref",
    }
)

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class SchemaError:
    """One violation: where (a JSON path), which keyword, and what the keyword expected."""

    path: Path_
    keyword: str
    expected: Any
    value: Any


Check = Callable[[Any, Path_, list[SchemaError]], bool]  # appends errors, answers "valid?"

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def is_datetime(value: str) -> bool:
    """An ISO 8601 / RFC 3339 date and time, with a "T" and an offset or "Z"."""
    if "T" not in value.upper() or not re.search(r"([zZ]|[+-]\d{2}:\d{2})$", value):
        return False
    try:
        datetime.datetime.fromisoformat(re.sub(r"[zZ]$", "+00:00", value))
    except ValueError:
        return False
    return True


def is_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


FORMATS: dict[str, Callable[[str], bool]] = {
    "uuid": lambda v: bool(_UUID.match(v)),
    "date": is_date,
    "date-time": is_datetime,
}


def _is_type(value: Any, name: str) -> bool:
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        )
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if name == "null":
        return value is None
    raise ValueError(f"unknown JSON type {name!r}")


class CompiledSchema:
    """A JSON Schema (the subset the CASE schema uses) as a tree of Python closures."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.defs: dict[str, Any] = schema.get("$defs", {})
        self.refs: dict[str, Check] = {}
        self.root = self._compile(schema)

    def errors(self, instance: Any) -> list[SchemaError]:
        out: list[SchemaError] = []
        self.root(instance, (), out)
        return out

    def _ref(self, ref: str) -> Check:
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"unsupported $ref {ref!r}")
        name = ref.removeprefix("#/$defs/")
        if name not in self.refs:
            placeholder: list[Check] = []
            self.refs[name] = lambda v, p, o: placeholder[0](v, p, o)  # recursion-safe
            placeholder.append(self._compile(self.defs[name]))
            self.refs[name] = placeholder[0]
        return self.refs[name]

    def _compile(self, node: dict[str, Any]) -> Check:
        unknown = set(node) - KEYWORDS - ANNOTATIONS
        if unknown:
            raise ValueError(f"schema keyword(s) not supported: {sorted(unknown)}")
        checks: list[Check] = []
        if "$ref" in node:
            checks.append(self._ref(node["$ref"]))
        type_name = node.get("type")
        if "enum" in node:
            allowed = node["enum"]

            def enum(v: Any, p: Path_, o: list[SchemaError]) -> bool:
                if v in allowed:
                    return True
                o.append(SchemaError(p, "enum", allowed, v))
                return False

            checks.append(enum)
        if "pattern" in node:
            pattern = re.compile(node["pattern"])

            def match(v: Any, p: Path_, o: list[SchemaError]) -> bool:
                if not isinstance(v, str) or pattern.search(v):
                    return True
                o.append(SchemaError(p, "pattern", pattern.pattern, v))
                return False

            checks.append(match)
        if "format" in node:
            name = node["format"]
            test = FORMATS[name]

            def fmt(v: Any, p: Path_, o: list[SchemaError]) -> bool:
                if not isinstance(v, str) or test(v):
                    return True
                o.append(SchemaError(p, "format", name, v))
                return False

            checks.append(fmt)
        if "properties" in node or "required" in node or "additionalProperties" in node:
            checks.append(self._object(node))
        if "items" in node:
            checks.append(self._items(self._compile(node["items"])))
        if "oneOf" in node:
            checks.append(self._one_of([self._compile(s) for s in node["oneOf"]]))
        return self._typed(type_name, checks)

    @staticmethod
    def _typed(type_name: str | None, checks: list[Check]) -> Check:
        def check(v: Any, p: Path_, o: list[SchemaError]) -> bool:
            if type_name is not None and not _is_type(v, type_name):
                o.append(SchemaError(p, "type", type_name, v))
                return False
            ok = True
            for c in checks:
                ok = c(v, p, o) and ok
            return ok

        return check

    def _object(self, node: dict[str, Any]) -> Check:
        properties = {k: self._compile(s) for k, s in node.get("properties", {}).items()}
        required = list(node.get("required", []))
        closed = node.get("additionalProperties", True) is False
        if not isinstance(node.get("additionalProperties", True), bool):
            raise ValueError("additionalProperties must be true or false")

        def check(v: Any, p: Path_, o: list[SchemaError]) -> bool:
            if not isinstance(v, dict):
                return True
            ok = True
            for key in required:
                if key not in v:
                    o.append(SchemaError(p, "required", key, v))
                    ok = False
            for key, value in v.items():
                sub = properties.get(key)
                if sub is not None:
                    ok = sub(value, (*p, key), o) and ok
                elif closed:
                    o.append(SchemaError(p, "additionalProperties", key, v))
                    ok = False
            return ok

        return check

    @staticmethod
    def _items(sub: Check) -> Check:
        def check(v: Any, p: Path_, o: list[SchemaError]) -> bool:
            if not isinstance(v, list):
                return True
            ok = True
            for n, value in enumerate(v):
                ok = sub(value, (*p, n), o) and ok
            return ok

        return check

    @staticmethod
    def _one_of(subs: list[Check]) -> Check:
        def check(v: Any, p: Path_, o: list[SchemaError]) -> bool:
            matches = sum(1 for s in subs if s(v, p, []))
            if matches == 1:
                return True
            o.append(SchemaError(p, "oneOf", matches, v))
            return False

        return check


@lru_cache(maxsize=1)
def package_schema() -> CompiledSchema:
    """The CASE 1.1 CFPackage schema kept in the repository, compiled once."""
    return CompiledSchema(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
