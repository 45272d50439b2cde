"""Timestamps as the SalesRabbit API writes and reads them.

Inside the sandbox every instant is an integer count of seconds since the Unix
epoch, in UTC. This module turns those into the API's text form and parses the
``If-Modified-Since`` family of request headers.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

Clock = Callable[[], int]
"""A function that returns the current time in whole epoch seconds."""


def system_clock() -> int:
    """Return the real current time in whole seconds (UTC epoch)."""
    return int(time.time())


def iso(epoch: int) -> str:
    """Format epoch seconds the way the API does: ``2021-07-04T01:00:08+00:00``."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def iso_millis(epoch: float) -> str:
    """Format an instant with millisecond precision, for the request log."""
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds")


def epoch_of(text: str) -> int:
    """Parse an ISO 8601 timestamp to epoch seconds (no offset means UTC).

    Raises:
        ValueError: The text is not ISO 8601.
    """
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def parse_since(value: str) -> int:
    """Parse an ``If-Modified-Since`` style header to epoch seconds.

    Accepts ISO 8601 (``2021-07-04T00:00:00+00:00``, a ``Z`` suffix, other
    offsets; a value without an offset is read as UTC) and RFC 1123 HTTP dates
    (``Sun, 04 Jul 2021 00:00:00 GMT``). A fractional second rounds up, so that
    the inclusive comparison against whole-second timestamps stays exact.

    Args:
        value: The raw header value.

    Returns:
        The instant in epoch seconds.

    Raises:
        ValueError: The value is in neither format.
    """
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = parsedate_to_datetime(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return math.ceil(moment.timestamp())
