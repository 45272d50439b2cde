"""Fit a record to its stream schema without ever dropping it.

SalesRabbit does not publish its schema, so a value can arrive with a type we
did not expect. Each value is kept in one of three ways:

- it already fits, or converts without doubt (``"39.65"`` for a number,
  ``12`` for a string): the column gets the converted value;
- it cannot convert (``"north"`` for a latitude, ``"soon"`` for a date): the
  column gets null and the value as sent goes to ``invalidValues``;
- its field is not in the schema at all: it goes to ``extraFields``.

SalesRabbit sends an empty value as ``""``. In a text field that stays
``""``; in any other field (a date, a number, an object) it means no value,
and becomes null without a warning, since nothing is lost.

Timestamps are rewritten in UTC so that they keep their meaning in a
``timestamp without time zone`` column.
"""

from __future__ import annotations

import json
import math
import typing as t
from dataclasses import dataclass, field

from tap_salesrabbit.timeutil import parse_timestamp

EXTRA_FIELDS = "extraFields"
INVALID_VALUES = "invalidValues"
_TAP_FIELDS = {EXTRA_FIELDS, INVALID_VALUES}
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


class _Unconvertible(Exception):
    """A value that has no certain meaning as the declared type."""


@dataclass
class Conformed:
    """A record fitted to its schema, with what had to change."""

    record: dict[str, t.Any]
    coerced: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """Say in one phrase what changed, for a log line."""
        parts = []
        if self.invalid:
            parts.append(
                "kept in invalidValues, column left null: " + ", ".join(self.invalid)
            )
        if self.coerced:
            parts.append("converted to the schema type: " + ", ".join(self.coerced))
        return "; ".join(parts)


def conform_record(record: dict[str, t.Any], schema: dict[str, t.Any]) -> Conformed:
    """Fit ``record`` to ``schema`` (a JSON schema object), keeping every value."""
    properties: dict[str, t.Any] = schema.get("properties", {})
    result = Conformed(record={})
    extra: dict[str, t.Any] = {}
    invalid: dict[str, t.Any] = {}
    for name, value in record.items():
        if name not in properties or name in _TAP_FIELDS:
            extra[name] = value
            result.extra.append(name)
            continue
        declared = _types_of(properties[name])
        if _is_blank_non_text(value, declared):
            result.record[name] = None
            continue
        try:
            converted = _convert(value, declared)
        except _Unconvertible:
            invalid[name] = value
            result.record[name] = None
            result.invalid.append(f"{name}={_excerpt(value)}")
            continue
        if converted is not value and not _same_text(converted, value):
            result.coerced.append(f"{name}={_excerpt(value)}")
        result.record[name] = converted
    if EXTRA_FIELDS in properties:
        result.record[EXTRA_FIELDS] = extra or None
    if INVALID_VALUES in properties:
        result.record[INVALID_VALUES] = invalid or None
    return result


def _same_text(converted: t.Any, value: t.Any) -> bool:
    """True when only the spelling of a timestamp changed, not its meaning."""
    return isinstance(converted, str) and isinstance(value, str)


def _is_blank_non_text(value: t.Any, declared: tuple[set[str], str | None]) -> bool:
    """True for ``""`` (or spaces) where the schema wants something other than text."""
    types, fmt = declared
    if not isinstance(value, str) or value.strip():
        return False
    return fmt == "date-time" or "string" not in types


def _types_of(prop: dict[str, t.Any]) -> tuple[set[str], str | None]:
    declared = prop.get("type", [])
    types = {declared} if isinstance(declared, str) else set(declared)
    for option in prop.get("anyOf", []):
        types |= _types_of(option)[0]
    return types - {"null"}, prop.get("format")


def _convert(value: t.Any, declared: tuple[set[str], str | None]) -> t.Any:
    types, fmt = declared
    if value is None or not types:
        return value
    if fmt == "date-time" and "string" in types:
        return _to_timestamp(value)
    for kind in ("integer", "number", "boolean", "string", "object", "array"):
        if kind in types and _is_kind(value, kind):
            return value
    for kind in ("integer", "number", "boolean", "object", "array", "string"):
        if kind in types:
            try:
                return _CONVERTERS[kind](value)
            except _Unconvertible:
                continue
    raise _Unconvertible


def _is_kind(value: t.Any, kind: str) -> bool:
    if isinstance(value, bool):
        return kind == "boolean"
    checks: dict[str, t.Callable[[t.Any], bool]] = {
        "integer": lambda v: isinstance(v, int),
        "number": lambda v: isinstance(v, int | float) and math.isfinite(v),
        "boolean": lambda _v: False,
        "string": lambda v: isinstance(v, str),
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
    }
    return checks[kind](value)


def _to_timestamp(value: t.Any) -> str:
    if not isinstance(value, str):
        raise _Unconvertible
    parsed = parse_timestamp(value)
    if parsed is None:
        raise _Unconvertible
    return parsed.isoformat()


def _to_integer(value: t.Any) -> int:
    number = _to_number(value)
    if not float(number).is_integer():
        raise _Unconvertible
    return int(number)


def _to_number(value: t.Any) -> int | float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if math.isfinite(value):
            return value
        raise _Unconvertible
    if not isinstance(value, str):
        raise _Unconvertible
    text = value.strip()
    try:
        number = int(text)
    except ValueError:
        try:
            number_f = float(text)
        except ValueError:
            raise _Unconvertible from None
        if not math.isfinite(number_f):
            raise _Unconvertible from None
        return number_f
    return number


def _to_boolean(value: t.Any) -> bool:
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Unconvertible


def _to_string(value: t.Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    raise _Unconvertible


def _to_object(value: t.Any) -> dict[str, t.Any]:
    if isinstance(value, list) and not value:
        return {}
    raise _Unconvertible


def _to_array(value: t.Any) -> list[t.Any]:
    raise _Unconvertible


_CONVERTERS: dict[str, t.Callable[[t.Any], t.Any]] = {
    "integer": _to_integer,
    "number": _to_number,
    "boolean": _to_boolean,
    "string": _to_string,
    "object": _to_object,
    "array": _to_array,
}


def _excerpt(value: t.Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
