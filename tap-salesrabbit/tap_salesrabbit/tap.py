"""Settings: what the tap is configured with, and its list of streams."""

from __future__ import annotations

import copy
import logging
import sys
import typing as t
from functools import cached_property

import requests
from singer_sdk import Tap
from singer_sdk import typing as th
from singer_sdk.exceptions import (
    ConfigValidationError,
    FatalAPIError,
    RetriableAPIError,
)

from tap_salesrabbit.streams import (
    LeadsStream,
    LeadStatusHistoriesStream,
    UsersStream,
)
from tap_salesrabbit.timeutil import parse_duration

if t.TYPE_CHECKING:
    from singer_sdk.streams import Stream

SETTINGS = th.PropertiesList(
    th.Property(
        "api_key",
        th.StringType,
        required=True,
        secret=True,
        title="API key",
        description=(
            "SalesRabbit API token, created in the web app under "
            "Integrations > API. Never logged."
        ),
    ),
    th.Property(
        "api_url",
        th.StringType,
        default="https://api.salesrabbit.com",
        title="API URL",
        description="Root of the SalesRabbit API; point it at the sandbox to test.",
    ),
    th.Property(
        "start_date",
        th.DateTimeType,
        title="Start date",
        description=(
            "Read only records modified at or after this moment on the first "
            "sync. Empty reads everything."
        ),
    ),
    th.Property(
        "page_size",
        th.IntegerType,
        default=2000,
        title="Page size",
        description="Records per request (perPage); 2000 is the API's maximum.",
    ),
    th.Property(
        "app_url",
        th.StringType,
        default="https://app.salesrabbit.com",
        title="Web app URL",
        description=(
            "Root of the SalesRabbit web app, for lead links in logs; dbt's "
            "salesrabbit_url columns follow TAP_SALESRABBIT_APP_URL too."
        ),
    ),
    th.Property(
        "lookback_window",
        th.StringType,
        default="1h",
        title="Lookback window",
        description=(
            "How far before a sync's start its bookmark is set, so clock skew "
            "and changes made during a sync are read again next time "
            "(90s, 15m, 2h, 1d or PT1H)."
        ),
    ),
    th.Property(
        "max_records",
        th.IntegerType,
        title="Max records",
        description=(
            "Stop at the end of the page that reaches this many records, "
            "leaving a checkpoint; run again to continue. Empty means no limit."
        ),
    ),
    th.Property(
        "max_retries",
        th.IntegerType,
        default=8,
        title="Max retries",
        description=(
            "Retries of one request after 429, 5xx, a timeout, a dropped "
            "connection or a body that is not JSON, with exponential backoff."
        ),
    ),
    th.Property(
        "request_timeout",
        th.IntegerType,
        default=60,
        title="Request timeout",
        description="Seconds to wait for one response before retrying.",
    ),
).to_dict()


class TapSalesRabbit(Tap):
    """Singer tap for the SalesRabbit CRM."""

    name = "tap-salesrabbit"
    # A copy: the SDK adds its built-in settings to this dict in place.
    config_jsonschema = copy.deepcopy(SETTINGS)

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        try:
            parse_duration(self.config.get("lookback_window", "1h"))
        except ValueError as error:
            msg = f"lookback_window: {error}"
            raise ConfigValidationError(msg, errors=[msg]) from None

    @cached_property
    def http_session(self) -> requests.Session:
        """The HTTP session every stream uses, so connections are reused."""
        return requests.Session()

    def discover_streams(self) -> list[Stream]:
        """Return the streams this tap can sync."""
        return [
            LeadsStream(self),
            UsersStream(self),
            LeadStatusHistoriesStream(self),
        ]

    @classmethod
    def invoke(cls, *args: t.Any, **kwargs: t.Any) -> None:
        """Run the tap; a failure the user must fix ends in one clear line."""
        try:
            super().invoke(*args, **kwargs)
        except (FatalAPIError, RetriableAPIError) as error:
            _exit_with(f"SalesRabbit request failed, giving up: {error}")
        except requests.exceptions.RequestException as error:
            _exit_with(
                "SalesRabbit could not be reached after every retry "
                f"({type(error).__name__}); check api_url and the network"
            )


def _exit_with(message: str) -> t.NoReturn:
    logging.getLogger("tap-salesrabbit").error("%s", message)
    sys.exit(1)
