"""End-to-end fixtures: a real PostgreSQL, the sandbox, and real Meltano runs.

Each test gets its own database on the project's PostgreSQL server (started by
``make test``, or the server ``TARGET_POSTGRES_*`` points at) and its own
Meltano system database, so state from the demo or another test never leaks in.
"""

from __future__ import annotations

import os
import typing as t
import uuid
from pathlib import Path

import psycopg
import pytest

from salesrabbit_sandbox import Sandbox

from e2e import SANDBOX_KEY, Pipeline, Server, Warehouse


@pytest.fixture(scope="session")
def pg_server() -> Server:
    """The PostgreSQL server the tests load into."""
    server = Server(
        host=os.environ.get("TARGET_POSTGRES_HOST", "127.0.0.1"),
        port=int(os.environ.get("TARGET_POSTGRES_PORT", "55432")),
        user=os.environ.get("TARGET_POSTGRES_USER", "postgres"),
        password=os.environ.get("TARGET_POSTGRES_PASSWORD", ""),
    )
    try:
        server.connect().close()
    except psycopg.OperationalError as error:
        pytest.fail(
            f"No PostgreSQL at {server.host}:{server.port} ({error}); "
            "start one with `make postgres`"
        )
    return server


@pytest.fixture
def warehouse(pg_server: Server) -> t.Iterator[Warehouse]:
    """An empty database, dropped after the test."""
    name = f"e2e_{uuid.uuid4().hex[:12]}"
    with pg_server.connect() as db:
        db.execute(f'create database "{name}"')
    yield Warehouse(pg_server, name)
    with pg_server.connect() as db:
        db.execute(f'drop database if exists "{name}" with (force)')


@pytest.fixture
def sandbox() -> t.Iterator[Sandbox]:
    """A sandbox with 600 leads: three pages at the tests' page size."""
    with Sandbox(leads=600, seed=5, api_key=SANDBOX_KEY) as server:
        yield server


@pytest.fixture
def pipeline(
    tmp_path: Path, sandbox: Sandbox, warehouse: Warehouse, pg_server: Server
) -> Pipeline:
    """Meltano pointed at this test's sandbox and database by variables alone."""
    env = {
        **os.environ,
        "MELTANO_CLI_DISABLE_VERSION_CHECK": "true",
        "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
        "MELTANO_DATABASE_URI": f"sqlite:///{tmp_path / 'meltano.db'}",
        "MELTANO_ENVIRONMENT": "demo",
        "TAP_SALESRABBIT_API_URL": sandbox.url,
        "TAP_SALESRABBIT_API_KEY": SANDBOX_KEY,
        "TAP_SALESRABBIT_PAGE_SIZE": "250",
        "TARGET_POSTGRES_HOST": pg_server.host,
        "TARGET_POSTGRES_PORT": str(pg_server.port),
        "TARGET_POSTGRES_USER": pg_server.user,
        "TARGET_POSTGRES_PASSWORD": pg_server.password,
        "TARGET_POSTGRES_DATABASE": warehouse.name,
        # Keep the demo's dbt artifacts and report out of the tests' way.
        "DBT_TARGET_PATH": str(tmp_path / "dbt-target"),
        "DBT_LOG_PATH": str(tmp_path / "dbt-logs"),
        "QUALITY_REPORT_OUTPUT_PATH": str(tmp_path / "data_quality.html"),
    }
    return Pipeline(env=env)
