"""Timestamps and durations the way SalesRabbit and our settings write them."""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$", re.IGNORECASE)
_ISO_DURATION = re.compile(
    r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$",
    re.IGNORECASE,
)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str | int | float) -> dt.timedelta:
    """Read a duration setting: seconds, ``90s``, ``15m``, ``2h``, ``1d`` or ``PT1H``.

    Raises:
        ValueError: when the text is none of those forms.
    """
    if isinstance(text, int | float):
        return dt.timedelta(seconds=text)
    if match := _DURATION.match(text):
        return dt.timedelta(seconds=float(match[1]) * _UNIT_SECONDS[match[2].lower()])
    match = _ISO_DURATION.match(text.strip())
    if match and text.strip().upper() not in {"P", "PT"}:
        parts = {k: int(v or 0) for k, v in match.groupdict().items()}
        return dt.timedelta(
            days=parts["d"], hours=parts["h"], minutes=parts["m"], seconds=parts["s"]
        )
    if text.strip().isdigit():
        return dt.timedelta(seconds=int(text))
    msg = f"{text!r} is not a duration; write it like 90s, 15m, 2h, 1d or PT1H"
    raise ValueError(msg)


def parse_timestamp(value: str) -> dt.datetime | None:
    """Parse an ISO 8601 timestamp into an aware UTC datetime, or None.

    A timestamp without an offset is taken to be UTC, which is how SalesRabbit
    writes every timestamp we have seen.
    """
    text = value.strip()
    if not text:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def to_api_timestamp(moment: dt.datetime) -> str:
    """Format a moment for SalesRabbit's headers: ``2021-07-04T00:00:00+00:00``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def retry_after_seconds(header: str | None, now: dt.datetime) -> float | None:
    """Read a ``Retry-After`` header: seconds, or an HTTP date.

    Returns:
        The seconds to wait (never negative), or None when absent or unreadable.
    """
    if not header:
        return None
    text = header.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())
