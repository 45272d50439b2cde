"""Shared fixtures: a small running sandbox and an API client for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sandbox_helpers import API_KEY, LEADS, SEED, Api

from salesrabbit_sandbox import Sandbox


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(leads=LEADS, seed=SEED, api_key=API_KEY) as running:
        yield running


@pytest.fixture
def api(sandbox: Sandbox) -> Iterator[Api]:
    client = Api(sandbox.url)
    yield client
    client.close()
