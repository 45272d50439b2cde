"""Drive a sandbox in another process through its control API.

:class:`SandboxClient` offers the same methods as
:class:`~salesrabbit_sandbox.server.Sandbox`, over HTTP, using only the
standard library.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from salesrabbit_sandbox.badvalues import BadValue
from salesrabbit_sandbox.jsonutil import JsonObject, dumps

TIMEOUT_SECONDS = 60.0


class SandboxClient:
    """Control a running sandbox at ``url`` (e.g. ``http://127.0.0.1:8765``).

    Args:
        url: Base URL of the sandbox.
        timeout: Seconds to wait for each control request.
    """

    def __init__(self, url: str, timeout: float = TIMEOUT_SECONDS) -> None:
        self.url = url.rstrip("/")
        self._timeout = timeout

    def health(self) -> JsonObject:
        """Return the sandbox's status and starting parameters."""
        data: JsonObject = self._call("GET", "health")
        return data

    def modify(
        self,
        ids: Sequence[int] | None = None,
        *,
        count: int | None = None,
        changes: Mapping[str, Any] | None = None,
    ) -> list[JsonObject]:
        """Modify leads now; see :meth:`SandboxApp.modify`."""
        body = _present(ids=ids, count=count, changes=changes)
        leads: list[JsonObject] = self._call("POST", "leads/modify", body)
        return leads

    def add(
        self,
        count: int | None = None,
        *,
        leads: Sequence[Mapping[str, Any]] | None = None,
    ) -> list[JsonObject]:
        """Add leads created now; see :meth:`SandboxApp.add`."""
        added: list[JsonObject] = self._call(
            "POST", "leads/add", _present(count=count, leads=leads)
        )
        return added

    def delete(self, ids: Sequence[int]) -> list[int]:
        """Delete leads; they disappear from every listing."""
        deleted: list[int] = self._call("POST", "leads/delete", {"ids": list(ids)})[
            "deleted"
        ]
        return deleted

    def leads(self) -> Iterator[JsonObject]:
        """Yield every current lead, by id ascending, as the server streams them."""
        request = urllib.request.Request(f"{self.url}/_sandbox/leads")
        with urllib.request.urlopen(request, timeout=self._timeout) as response:
            for line in response:
                yield json.loads(line)

    def requests(self) -> list[JsonObject]:
        """Return the request log, oldest first."""
        entries: list[JsonObject] = self._call("GET", "requests")
        return entries

    def clear_requests(self) -> None:
        """Empty the request log."""
        self._call("DELETE", "requests")

    def add_fault(self, rule: Mapping[str, Any]) -> None:
        """Append one fault rule."""
        self._call("POST", "faults", {"rules": [dict(rule)]})

    def faults(self) -> list[JsonObject]:
        """Return the active fault rules with their counters."""
        rules: list[JsonObject] = self._call("GET", "faults")
        return rules

    def clear_faults(self) -> None:
        """Remove every fault rule."""
        self._call("DELETE", "faults")

    def reset(self) -> None:
        """Return to the starting data, log and fault rules."""
        self._call("POST", "reset")

    def bad_values(self) -> list[BadValue]:
        """Return the awkward values the generated leads carry."""
        return [BadValue(**entry) for entry in self._call("GET", "bad-values")]

    def _call(self, method: str, action: str, body: JsonObject | None = None) -> Any:
        request = urllib.request.Request(
            f"{self.url}/_sandbox/{action}",
            data=dumps(body) if body is not None else None,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                return json.loads(response.read())["data"]
        except urllib.error.HTTPError as error:
            raise _translate(error) from error


def _translate(error: urllib.error.HTTPError) -> Exception:
    """Raise what the in-process :class:`Sandbox` would have raised."""
    try:
        message = str(json.loads(error.read())["error"])
    except (ValueError, KeyError, TypeError):
        message = f"sandbox answered {error.code}"
    if error.code == HTTPStatus.NOT_FOUND:
        return LookupError(message)
    if error.code == HTTPStatus.BAD_REQUEST:
        return ValueError(message)
    return RuntimeError(message)


def _present(**values: Any) -> JsonObject:
    """Keep the arguments that were given, as a JSON body."""
    return {name: value for name, value in values.items() if value is not None}
