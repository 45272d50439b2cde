"""The request and reply types passed between the HTTP layer and the app."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus

from salesrabbit_sandbox.jsonutil import dumps

JSON_TYPE = "application/json; charset=utf-8"


class RequestError(Exception):
    """A request the sandbox refuses; becomes an error reply.

    Args:
        message: What was wrong, for the ``error`` field of the body.
        status: The HTTP status to answer with.
    """

    def __init__(self, message: str, status: int = HTTPStatus.BAD_REQUEST) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Request:
    """An HTTP request, as the app sees it.

    Attributes:
        method: Upper-case HTTP method.
        path: The path without the query string.
        query: Query parameters, first value of each.
        headers: Header values keyed by lower-case name.
        body: The raw request body.
    """

    method: str
    path: str
    query: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """Return a header's value by case-insensitive name, or None."""
        return self.headers.get(name.lower())


@dataclass
class Reply:
    """What to send back.

    Attributes:
        status: HTTP status code.
        body: The whole body, unless ``stream`` is set.
        headers: Extra headers; ``Content-Type`` defaults to JSON.
        rows: Data rows in the body, for the request log.
        stream: Body chunks to send as they come, closing the connection at
            the end instead of announcing a length.
        drop: Close the connection without answering at all.
        faults: Names of the fault effects that shaped this reply.
    """

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    rows: int = 0
    stream: Iterable[bytes] | None = None
    drop: bool = False
    faults: list[str] = field(default_factory=list)

    @classmethod
    def json(cls, value: object, status: int = HTTPStatus.OK, rows: int = 0) -> Reply:
        """Build a JSON reply."""
        return cls(status, dumps(value), {"Content-Type": JSON_TYPE}, rows)

    @classmethod
    def error(cls, status: int, message: str) -> Reply:
        """Build a JSON error reply: ``{"error": message}``."""
        return cls.json({"error": message}, status)
