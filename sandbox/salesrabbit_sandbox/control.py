"""The control API under ``/_sandbox/``: change data, read the log, set faults.

No token is needed. Bodies are JSON objects; answers are JSON objects with a
``data`` member, except ``GET /_sandbox/leads`` which streams JSON Lines.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterator
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from salesrabbit_sandbox.jsonutil import JsonObject, dumps, loads_object
from salesrabbit_sandbox.messages import Reply, Request, RequestError

if TYPE_CHECKING:
    from salesrabbit_sandbox.app import SandboxApp

STREAM_BATCH = 200
"""Leads per write when streaming JSON Lines."""

Action = Callable[["SandboxApp", JsonObject], Reply]


def handle_control(app: SandboxApp, request: Request) -> Reply:
    """Route a control request and map its errors to 400 or 404."""
    action = ROUTES.get((request.method, request.path))
    if action is None:
        return Reply.error(HTTPStatus.NOT_FOUND, f"No control endpoint {request.path}")
    try:
        return action(app, loads_object(request.body))
    except LookupError as error:
        raise RequestError(str(error), HTTPStatus.NOT_FOUND) from error
    except ValueError as error:
        raise RequestError(str(error)) from error


def modify(app: SandboxApp, body: JsonObject) -> Reply:
    """``POST /_sandbox/leads/modify`` ``{"ids"|"count", "changes"?}``."""
    changes = body.get("changes")
    if changes is not None and not isinstance(changes, dict):
        raise ValueError("changes must be an object")
    leads = app.modify(_ids(body, required=False), _count(body), changes)
    return Reply.json({"data": leads}, rows=len(leads))


def add(app: SandboxApp, body: JsonObject) -> Reply:
    """``POST /_sandbox/leads/add`` ``{"count"}`` or ``{"leads": [partial, ...]}``."""
    partials = body.get("leads")
    if partials is not None and not (
        isinstance(partials, list) and all(isinstance(p, dict) for p in partials)
    ):
        raise ValueError("leads must be a list of objects")
    leads = app.add(_count(body), partials)
    return Reply.json({"data": leads}, rows=len(leads))


def delete(app: SandboxApp, body: JsonObject) -> Reply:
    """``POST /_sandbox/leads/delete`` ``{"ids": [...]}``."""
    deleted = app.store.delete(_ids(body, required=True) or [])
    return Reply.json({"data": {"deleted": deleted}}, rows=len(deleted))


def stream_leads(app: SandboxApp, body: JsonObject) -> Reply:
    """``GET /_sandbox/leads``: every current lead as JSON Lines, streamed."""
    chunks = _json_lines(app.leads())
    return Reply(
        HTTPStatus.OK, headers={"Content-Type": "application/x-ndjson"}, stream=chunks
    )


def list_requests(app: SandboxApp, body: JsonObject) -> Reply:
    """``GET /_sandbox/requests``: the request log, oldest first."""
    return Reply.json({"data": app.log.entries()})


def clear_requests(app: SandboxApp, body: JsonObject) -> Reply:
    """``DELETE /_sandbox/requests``: empty the request log."""
    app.log.clear()
    return Reply.json({"data": {"cleared": True}})


def list_faults(app: SandboxApp, body: JsonObject) -> Reply:
    """``GET /_sandbox/faults``: active rules with their counters."""
    return Reply.json({"data": app.faults.describe()})


def add_faults(app: SandboxApp, body: JsonObject) -> Reply:
    """``POST /_sandbox/faults`` ``{"rules": [...]}``: append rules."""
    rules = body.get("rules")
    if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
        raise ValueError("rules must be a list of objects")
    added = app.faults.add(rules)
    return Reply.json({"data": [rule.describe() for rule in added]})


def clear_faults(app: SandboxApp, body: JsonObject) -> Reply:
    """``DELETE /_sandbox/faults``: remove every rule."""
    app.faults.clear()
    return Reply.json({"data": {"cleared": True}})


def reset(app: SandboxApp, body: JsonObject) -> Reply:
    """``POST /_sandbox/reset``: back to the starting state."""
    app.reset()
    return Reply.json({"data": {"reset": True}})


def bad_values(app: SandboxApp, body: JsonObject) -> Reply:
    """``GET /_sandbox/bad-values``: the catalogue of awkward values."""
    values = [dataclasses.asdict(value) for value in app.bad_values()]
    return Reply.json({"data": values}, rows=len(values))


def health(app: SandboxApp, body: JsonObject) -> Reply:
    """``GET /_sandbox/health``: liveness and the starting parameters."""
    config = app.config
    return Reply.json(
        {"data": {"status": "ok", "leads": config.leads, "seed": config.seed}}
    )


ROUTES: dict[tuple[str, str], Action] = {
    ("POST", "/_sandbox/leads/modify"): modify,
    ("POST", "/_sandbox/leads/add"): add,
    ("POST", "/_sandbox/leads/delete"): delete,
    ("GET", "/_sandbox/leads"): stream_leads,
    ("GET", "/_sandbox/requests"): list_requests,
    ("DELETE", "/_sandbox/requests"): clear_requests,
    ("GET", "/_sandbox/faults"): list_faults,
    ("POST", "/_sandbox/faults"): add_faults,
    ("DELETE", "/_sandbox/faults"): clear_faults,
    ("POST", "/_sandbox/reset"): reset,
    ("GET", "/_sandbox/bad-values"): bad_values,
    ("GET", "/_sandbox/health"): health,
}


def _json_lines(leads: Iterator[JsonObject]) -> Iterator[bytes]:
    """Encode leads one per line, sent in batches to spare system calls."""
    while batch := list(itertools.islice(leads, STREAM_BATCH)):
        yield b"".join(dumps(lead) + b"\n" for lead in batch)


def _ids(body: JsonObject, *, required: bool) -> list[int] | None:
    ids: Any = body.get("ids")
    if ids is None and not required:
        return None
    if not isinstance(ids, list) or not all(_is_int(item) for item in ids):
        raise ValueError("ids must be a list of integer lead ids")
    return ids


def _count(body: JsonObject) -> int | None:
    count = body.get("count")
    if count is not None and (not _is_int(count) or count < 0):
        raise ValueError("count must be a non-negative integer")
    return count


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
