"""Shared fixtures: a local SalesRabbit sandbox and a way to run the tap on it."""

from __future__ import annotations

import os
import subprocess
import typing as t
from pathlib import Path

import pytest

from salesrabbit_sandbox import Sandbox

from taprun import API_KEY, ScriptedAPI, TapRun, parse_messages, tap_command


@pytest.fixture
def sandbox() -> t.Iterator[Sandbox]:
    """A fresh sandbox with 250 leads."""
    with Sandbox(leads=250, seed=11, api_key=API_KEY) as server:
        yield server


@pytest.fixture
def scripted_api() -> t.Iterator[ScriptedAPI]:
    """A local API that answers with scripted pages (see :class:`ScriptedAPI`)."""
    with ScriptedAPI() as server:
        yield server


@pytest.fixture
def run_tap(tmp_path: Path, sandbox: Sandbox) -> t.Callable[..., TapRun]:
    """Run the tap as a user would, against the sandbox, and collect its output."""

    def run(
        state: dict[str, t.Any] | None = None,
        streams: t.Sequence[str] = ("leads",),
        timeout: float = 120,
        **settings: t.Any,
    ) -> TapRun:
        config = {
            "api_key": API_KEY,
            "api_url": sandbox.url,
            "page_size": 100,
            "max_retries": 3,
            **settings,
        }
        result = subprocess.run(
            tap_command(tmp_path, config, state, streams),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        tap_run = TapRun(result.returncode, result.stdout, result.stderr)
        parse_messages(result.stdout, tap_run)
        return tap_run

    return run
