"""singer-sdk's standard tap tests, run against a local sandbox."""

from __future__ import annotations

import socket
import typing as t

import pytest
from singer_sdk.testing import get_tap_test_class

from salesrabbit_sandbox import Sandbox
from tap_salesrabbit.tap import TapSalesRabbit

from taprun import API_KEY


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


PORT = _free_port()

# extraFields and invalidValues are null unless the API surprises us, so the
# SDK has no values to type-check in them; that is the expected case.
pytestmark = pytest.mark.filterwarnings(
    "ignore:No records were available to test:UserWarning"
)

_StandardTests = get_tap_test_class(
    TapSalesRabbit,
    config={
        "api_key": API_KEY,
        "api_url": f"http://127.0.0.1:{PORT}",
        "page_size": 150,
        "start_date": "2025-06-01T00:00:00Z",
    },
)


class TestTapSalesRabbit(_StandardTests):  # type: ignore[misc,valid-type]
    """The SDK's checks of discovery, catalog, records and schemas."""

    @pytest.fixture(scope="class", autouse=True)
    @classmethod
    def sandbox(cls) -> t.Iterator[Sandbox]:
        with Sandbox(leads=400, seed=3, api_key=API_KEY, port=PORT) as server:
            yield server
