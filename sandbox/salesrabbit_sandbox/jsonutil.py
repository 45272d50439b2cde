"""JSON helpers shared by the server modules."""

from __future__ import annotations

import json
from typing import Any

JsonObject = dict[str, Any]
"""A decoded JSON object, as the API sends and receives them."""


def dumps(value: object) -> bytes:
    """Encode a value as compact UTF-8 JSON, keeping non-ASCII text readable."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def loads_object(body: bytes) -> JsonObject:
    """Decode a request body that must be a JSON object (empty means ``{}``).

    Raises:
        ValueError: The body is not JSON or not an object.
    """
    if not body.strip():
        return {}
    value = json.loads(body)
    if not isinstance(value, dict):
        raise ValueError("the request body must be a JSON object")
    return value
