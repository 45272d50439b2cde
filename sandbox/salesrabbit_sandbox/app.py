"""The sandbox application: state, routing, faults and the request log.

:class:`SandboxApp` knows nothing of sockets. The HTTP handler turns bytes
into a :class:`~salesrabbit_sandbox.messages.Request` and back, and both the
control API and the in-process :class:`~salesrabbit_sandbox.server.Sandbox`
call the same methods here.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from salesrabbit_sandbox import api, control
from salesrabbit_sandbox.badvalues import BadValue
from salesrabbit_sandbox.data import LeadFactory
from salesrabbit_sandbox.faults import FaultBook, FaultOutcome
from salesrabbit_sandbox.jsonutil import JsonObject
from salesrabbit_sandbox.messages import Reply, Request, RequestError
from salesrabbit_sandbox.requestlog import RequestLog
from salesrabbit_sandbox.store import LeadStore
from salesrabbit_sandbox.timefmt import Clock, iso_millis, system_clock

logger = logging.getLogger("salesrabbit_sandbox")

CONTROL_PREFIX = "/_sandbox/"
UNLOGGED = frozenset({("DELETE", "/_sandbox/requests"), ("POST", "/_sandbox/reset")})


@dataclass(frozen=True)
class SandboxConfig:
    """How a sandbox starts.

    Attributes:
        leads: Number of generated leads.
        seed: Seed of the generated data.
        api_key: The only bearer token the API accepts.
        faults: Fault rules active from the start and again after a reset.
        clock: Source of "now" for modifications.
    """

    leads: int = 3000
    seed: int = 42
    api_key: str = "sandbox-key"
    faults: tuple[Mapping[str, Any], ...] = ()
    clock: Clock = field(default=system_clock)


class SandboxApp:
    """Everything a sandbox serves, behind one ``handle`` method.

    Args:
        config: The starting configuration.
    """

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.factory = LeadFactory(config.seed, config.leads)
        self.store = LeadStore(self.factory, config.clock)
        self.faults = FaultBook()
        self.faults.add(config.faults)
        self.log = RequestLog()
        self.stopping = threading.Event()
        self._bad_values: list[BadValue] | None = None

    def handle(self, request: Request) -> Reply:
        """Answer one request; never raises."""
        try:
            if request.path.startswith(CONTROL_PREFIX):
                return control.handle_control(self, request)
            return self._handle_api(request)
        except RequestError as error:
            return Reply.error(error.status, str(error))
        except Exception:
            logger.exception("sandbox failed on %s %s", request.method, request.path)
            return Reply.error(
                HTTPStatus.INTERNAL_SERVER_ERROR, "sandbox internal error"
            )

    def record(self, request: Request, reply: Reply, seconds: float) -> None:
        """Add a request to the log and write its line to the ``logging`` log."""
        is_read = request.method == "GET" and request.path.startswith(CONTROL_PREFIX)
        if is_read or (request.method, request.path) in UNLOGGED:
            return
        self.log.record(_log_entry(request, reply, seconds))
        logger.info(
            "%s %s page=%s status=%s rows=%d ms=%.0f",
            request.method,
            request.path,
            request.query.get("page", "-"),
            reply.status if not reply.drop else "dropped",
            reply.rows,
            seconds * 1000,
        )

    def modify(
        self,
        ids: Sequence[int] | None = None,
        count: int | None = None,
        changes: Mapping[str, Any] | None = None,
    ) -> list[JsonObject]:
        """Modify the given leads, or ``count`` leads spread over the ids.

        Raises:
            ValueError: Neither or both of ``ids`` and ``count`` were given.
            LookupError: An id is not a current lead.
        """
        if (ids is None) == (count is None):
            raise ValueError("give either ids or count")
        chosen = list(ids) if ids is not None else self.store.pick(count or 0)
        return self.store.modify(chosen, changes)

    def modify_leads(
        self, ids: Sequence[int], changes: Mapping[str, Any] | None
    ) -> object:
        """Apply a fault rule's mid-request modification; unknown ids are skipped."""
        known = [lead_id for lead_id in ids if self.store.lead(lead_id) is not None]
        return self.store.modify(known, changes)

    def add(
        self,
        count: int | None = None,
        leads: Sequence[Mapping[str, Any]] | None = None,
    ) -> list[JsonObject]:
        """Add ``count`` generated leads, or one lead per partial in ``leads``.

        Raises:
            ValueError: Neither or both arguments were given.
        """
        if (count is None) == (leads is None):
            raise ValueError("give either count or leads")
        return self.store.add(leads if leads is not None else [{}] * (count or 0))

    def leads(self) -> Iterator[JsonObject]:
        """Yield every current lead, by id ascending."""
        return self.store.iter_leads()

    def bad_values(self) -> list[BadValue]:
        """Return the awkward values of the generated leads (computed once)."""
        if self._bad_values is None:
            self._bad_values = list(self.factory.bad_values())
        return self._bad_values

    def reset(self) -> None:
        """Return to the starting state: data, log and fault rules."""
        self.store.reset()
        self.log.clear()
        self.faults.clear()
        self.faults.add(self.config.faults)

    def wait(self, seconds: float) -> None:
        """Sleep for a fault, waking early when the server stops."""
        self.stopping.wait(seconds)

    def _handle_api(self, request: Request) -> Reply:
        outcome: FaultOutcome = self.faults.apply(request, self)
        reply = outcome.reply or api.handle_api(
            self.store, self.config.api_key, request
        )
        reply.faults = outcome.ran
        return reply


def _log_entry(request: Request, reply: Reply, seconds: float) -> JsonObject:
    return {
        "method": request.method,
        "path": request.path,
        "query": dict(request.query),
        "if_modified_since": request.header("If-Modified-Since"),
        "if_status_modified_since": request.header("If-Status-Modified-Since"),
        "user_agent": request.header("User-Agent"),
        "status": None if reply.drop else reply.status,
        "rows": reply.rows,
        "faults": list(reply.faults),
        "ms": round(seconds * 1000, 1),
        "at": iso_millis(time.time()),
    }
