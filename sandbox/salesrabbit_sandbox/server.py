"""Run a sandbox in a background thread, for tests and notebooks."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Self

from salesrabbit_sandbox.app import SandboxApp, SandboxConfig
from salesrabbit_sandbox.badvalues import BadValue
from salesrabbit_sandbox.handler import SandboxHTTPServer
from salesrabbit_sandbox.jsonutil import JsonObject
from salesrabbit_sandbox.timefmt import Clock, system_clock


class Sandbox:
    """A SalesRabbit-compatible server on a free local port.

    Use it as a context manager::

        with Sandbox(leads=200, seed=7, api_key="k") as sandbox:
            requests.get(f"{sandbox.url}/leads", headers=...)

    The methods act on the server's state directly; the same operations are
    available over HTTP under ``/_sandbox/`` for a sandbox in another process.

    Args:
        leads: Number of generated leads.
        seed: Seed of the generated data.
        api_key: The bearer token the API accepts.
        host: Interface to listen on.
        port: Port to listen on; 0 picks a free one.
        faults: Fault rules active from the start and after :meth:`reset`.
        clock: Source of "now" for modifications, in epoch seconds.
    """

    def __init__(
        self,
        leads: int = 3000,
        seed: int = 42,
        api_key: str = "sandbox-key",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: Sequence[Mapping[str, Any]] = (),
        clock: Clock = system_clock,
    ) -> None:
        config = SandboxConfig(leads, seed, api_key, tuple(faults), clock)
        self.app = SandboxApp(config)
        self._address = (host, port)
        self._server: SandboxHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Return the base URL, e.g. ``http://127.0.0.1:54321``."""
        if self._server is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        """Bind the port and serve in a daemon thread.

        Raises:
            OSError: The address is in use or cannot be bound.
        """
        self._server = SandboxHTTPServer(self._address, self.app)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="salesrabbit-sandbox",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake sleeping faults and release the port."""
        self.app.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        """Start the server."""
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Stop the server."""
        self.stop()

    def modify(
        self,
        ids: Sequence[int] | None = None,
        *,
        count: int | None = None,
        changes: Mapping[str, Any] | None = None,
    ) -> list[JsonObject]:
        """Modify leads now; see :meth:`SandboxApp.modify`."""
        return self.app.modify(ids, count, changes)

    def add(
        self,
        count: int | None = None,
        *,
        leads: Sequence[Mapping[str, Any]] | None = None,
    ) -> list[JsonObject]:
        """Add leads created now; see :meth:`SandboxApp.add`."""
        return self.app.add(count, leads)

    def delete(self, ids: Sequence[int]) -> list[int]:
        """Delete leads; they disappear from every listing."""
        return self.app.store.delete(ids)

    def leads(self) -> Iterator[JsonObject]:
        """Yield every current lead, by id ascending."""
        return self.app.leads()

    def lead(self, lead_id: int) -> JsonObject | None:
        """Return one current lead, or None."""
        return self.app.store.lead(lead_id)

    def status_events(self, lead_id: int) -> list[JsonObject]:
        """Return a lead's status history, oldest first."""
        return self.app.store.events(lead_id)

    def users(self) -> list[JsonObject]:
        """Return the users ``/users`` serves."""
        return self.app.store.users()

    def requests(self) -> list[JsonObject]:
        """Return the request log, oldest first."""
        return self.app.log.entries()

    def clear_requests(self) -> None:
        """Empty the request log."""
        self.app.log.clear()

    def add_fault(self, rule: Mapping[str, Any]) -> None:
        """Append one fault rule (see :mod:`salesrabbit_sandbox.faults`)."""
        self.app.faults.add([rule])

    def faults(self) -> list[JsonObject]:
        """Return the active fault rules with their counters."""
        return self.app.faults.describe()

    def clear_faults(self) -> None:
        """Remove every fault rule."""
        self.app.faults.clear()

    def reset(self) -> None:
        """Return to the starting data, log and fault rules."""
        self.app.reset()

    def bad_values(self) -> list[BadValue]:
        """Return the awkward values the generated leads carry."""
        return self.app.bad_values()
