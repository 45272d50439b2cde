"""Fault rules: make chosen API requests fail, stall, or change data first.

A rule is a JSON object with *matchers* (``path``, ``page``, ``method``),
*pacing* (``times``, ``every``) and one or more *effects*. Effects that only
delay or change data let the request continue; the others replace the reply.
To add a kind of fault, write an :class:`Effect` and register its trigger key
in :data:`EFFECTS`.
"""

from __future__ import annotations

import fnmatch
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Protocol

from salesrabbit_sandbox.jsonutil import JsonObject
from salesrabbit_sandbox.messages import JSON_TYPE, Reply, Request

TRUNCATED_BODY = b'{"data": [{"id": 10000, "userId": 911705149, "firstName": "Ma'
MATCH_KEYS = frozenset({"path", "page", "method", "times", "every"})


class FaultEnv(Protocol):
    """What effects may act on: the sandbox's leads and its clock."""

    def modify_leads(
        self, ids: Sequence[int], changes: Mapping[str, Any] | None
    ) -> object:
        """Modify leads as the control API does (None: next status)."""

    def wait(self, seconds: float) -> None:
        """Sleep, waking early if the server stops."""


class Effect(Protocol):
    """One thing a firing rule does."""

    @property
    def name(self) -> str:
        """The trigger key, reported in the request log."""

    def apply(self, env: FaultEnv) -> Reply | None:
        """Act, and return a reply to send instead of the real one, or None."""


@dataclass(frozen=True)
class StatusEffect:
    """Answer with an error status, optional body and ``Retry-After``."""

    status: int
    body: str | None = None
    retry_after: str | None = None
    name: str = "status"

    def apply(self, env: FaultEnv) -> Reply:
        """Build the error reply."""
        if self.body is None:
            reply = Reply.error(self.status, HTTPStatus(self.status).phrase)
        else:
            reply = Reply(
                self.status, self.body.encode(), {"Content-Type": _type(self.body)}
            )
        if self.retry_after is not None:
            reply.headers["Retry-After"] = self.retry_after
        return reply


@dataclass(frozen=True)
class DelayEffect:
    """Wait, then let the request be answered normally."""

    seconds: float
    name: str

    def apply(self, env: FaultEnv) -> None:
        """Sleep for the configured time."""
        env.wait(self.seconds)


@dataclass(frozen=True)
class InvalidJsonEffect:
    """Answer 200 with a JSON body cut off mid-record."""

    name: str = "invalid_json"

    def apply(self, env: FaultEnv) -> Reply:
        """Build the truncated reply."""
        return Reply(HTTPStatus.OK, TRUNCATED_BODY, {"Content-Type": JSON_TYPE})


@dataclass(frozen=True)
class DropEffect:
    """Close the connection without sending anything."""

    name: str = "drop_connection"

    def apply(self, env: FaultEnv) -> Reply:
        """Ask the HTTP layer to hang up."""
        return Reply(0, drop=True)


@dataclass(frozen=True)
class ModifyEffect:
    """Modify leads just before the request is answered (a mid-sync edit)."""

    ids: tuple[int, ...]
    changes: JsonObject | None
    name: str = "modify_ids"

    def apply(self, env: FaultEnv) -> None:
        """Apply the changes."""
        env.modify_leads(self.ids, self.changes)


def _status_effect(spec: Mapping[str, Any]) -> Effect:
    status = _integer(spec, "status", 300, 599)
    body = spec.get("body")
    if body is not None and not isinstance(body, str):
        raise ValueError("body must be a string")
    retry_after = spec.get("retry_after")
    if retry_after is not None:
        retry_after = str(retry_after)
    return StatusEffect(status, body, retry_after)


def _modify_effect(spec: Mapping[str, Any]) -> Effect:
    ids = spec["modify_ids"]
    if not isinstance(ids, list) or not all(_is_int(i) for i in ids):
        raise ValueError("modify_ids must be a list of lead ids")
    changes = spec.get("changes")
    if changes is not None and not isinstance(changes, dict):
        raise ValueError("changes must be an object")
    return ModifyEffect(tuple(ids), changes)


def _latency(spec: Mapping[str, Any]) -> Effect:
    return DelayEffect(_number(spec, "latency_ms") / 1000, "latency_ms")


def _hang(spec: Mapping[str, Any]) -> Effect:
    return DelayEffect(_number(spec, "hang_seconds"), "hang_seconds")


def _flag(effect: Effect) -> Callable[[Mapping[str, Any]], Effect]:
    def parse(spec: Mapping[str, Any]) -> Effect:
        if spec[effect.name] is not True:
            raise ValueError(f"{effect.name} must be true")
        return effect

    return parse


EFFECTS: dict[str, Callable[[Mapping[str, Any]], Effect]] = {
    "modify_ids": _modify_effect,
    "latency_ms": _latency,
    "hang_seconds": _hang,
    "drop_connection": _flag(DropEffect()),
    "invalid_json": _flag(InvalidJsonEffect()),
    "status": _status_effect,
}
"""Trigger key → parser, in the order effects run when a rule has several."""
OPTION_KEYS = frozenset({"body", "retry_after", "changes"})


@dataclass(frozen=True)
class FaultOutcome:
    """What the fault rules did to one request.

    Attributes:
        reply: The reply to send instead of the real one, or None to answer
            normally.
        ran: Names of the effects that ran, for the request log.
    """

    reply: Reply | None
    ran: list[str]


@dataclass
class FaultRule:
    """A parsed rule with its counters.

    Attributes:
        spec: The rule as given, echoed by ``GET /_sandbox/faults``.
        effects: What the rule does when it fires, in order.
        matched: Requests that matched so far.
        fired: Times it fired so far.
    """

    spec: JsonObject
    effects: tuple[Effect, ...]
    matched: int = 0
    fired: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def parse(cls, spec: Mapping[str, Any]) -> FaultRule:
        """Validate a rule's JSON and build it.

        Raises:
            ValueError: An unknown key, a bad value, or no effect at all.
        """
        unknown = spec.keys() - MATCH_KEYS - OPTION_KEYS - EFFECTS.keys()
        if unknown:
            raise ValueError(f"unknown fault rule keys: {sorted(unknown)}")
        for key, low in (("page", 1), ("times", 0), ("every", 1)):
            if key in spec:
                _integer(spec, key, low)
        effects = tuple(parse(spec) for key, parse in EFFECTS.items() if key in spec)
        if not effects:
            raise ValueError(f"a fault rule needs one of: {', '.join(EFFECTS)}")
        return cls(dict(spec), effects)

    def matches(self, request: Request) -> bool:
        """Say whether the request is one this rule is about."""
        spec = self.spec
        if "path" in spec and not fnmatch.fnmatchcase(request.path, spec["path"]):
            return False
        if "method" in spec and request.method != str(spec["method"]).upper():
            return False
        return "page" not in spec or _page_of(request) == spec["page"]

    def take_turn(self) -> bool:
        """Count one matching request and say whether the rule fires on it."""
        with self.lock:
            self.matched += 1
            if self.matched % self.spec.get("every", 1):
                return False
            times = self.spec.get("times")
            if times is not None and self.fired >= times:
                return False
            self.fired += 1
            return True

    def describe(self) -> JsonObject:
        """Return the rule and its counters as JSON."""
        return {**self.spec, "matched": self.matched, "fired": self.fired}


class FaultBook:
    """The active fault rules, checked in the order they were added."""

    def __init__(self) -> None:
        """Start with no rules."""
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()

    def add(self, specs: Iterable[Mapping[str, Any]]) -> list[FaultRule]:
        """Parse and append rules; if any is invalid, none is added."""
        rules = [FaultRule.parse(spec) for spec in specs]
        with self._lock:
            self._rules.extend(rules)
        return rules

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self._rules.clear()

    def describe(self) -> list[JsonObject]:
        """Return every rule with its counters."""
        with self._lock:
            return [rule.describe() for rule in self._rules]

    def apply(self, request: Request, env: FaultEnv) -> FaultOutcome:
        """Run the effects of every rule that fires on this request.

        Rules run in the order they were added; the first effect that
        replaces the reply ends the run.
        """
        with self._lock:
            rules = [rule for rule in self._rules if rule.matches(request)]
        ran: list[str] = []
        for rule in rules:
            if not rule.take_turn():
                continue
            for effect in rule.effects:
                ran.append(effect.name)
                reply = effect.apply(env)
                if reply is not None:
                    return FaultOutcome(reply, ran)
        return FaultOutcome(None, ran)


def _page_of(request: Request) -> int | None:
    text = request.query.get("page", "1")
    return int(text) if text.isdigit() else None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _integer(
    spec: Mapping[str, Any], key: str, low: int, high: int | None = None
) -> int:
    value = spec[key]
    if not _is_int(value) or value < low or (high is not None and value > high):
        limit = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ValueError(f"{key} must be an integer {limit}")
    return int(value)


def _number(spec: Mapping[str, Any], key: str) -> float:
    value = spec[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"{key} must be a number of at least 0")
    return float(value)


def _type(body: str) -> str:
    return (
        JSON_TYPE
        if body.lstrip().startswith(("{", "["))
        else "text/plain; charset=utf-8"
    )
