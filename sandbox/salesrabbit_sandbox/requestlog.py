"""The request log tests read to see what a client asked for."""

from __future__ import annotations

import copy
import threading
from collections import deque

from salesrabbit_sandbox.jsonutil import JsonObject

LOG_LIMIT = 100_000
"""The oldest entries are dropped beyond this many."""


class RequestLog:
    """A bounded, thread-safe list of request summaries, oldest first."""

    def __init__(self, limit: int = LOG_LIMIT) -> None:
        """Create an empty log keeping at most ``limit`` entries."""
        self._entries: deque[JsonObject] = deque(maxlen=limit)
        self._lock = threading.Lock()

    def record(self, entry: JsonObject) -> None:
        """Append one entry."""
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[JsonObject]:
        """Return a copy of every entry, oldest first."""
        with self._lock:
            return copy.deepcopy(list(self._entries))

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
