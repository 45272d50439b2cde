"""End-to-end fixtures: a real PostgreSQL, the sandbox, and real Meltano runs.

Each test gets its own database on the project's PostgreSQL server (started by
``make test``, or the server ``TARGET_POSTGRES_*`` points at) and its own
Meltano system database, so state from the demo or another test never leaks in.
"""

from __future__ import annotations

import os
import subprocess
import sys
import typing as t
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from salesrabbit_sandbox import Sandbox

ROOT = Path(__file__).resolve().parent.parent
MELTANO = str(Path(sys.executable).parent / "meltano")
SANDBOX_KEY = "e2e-sandbox-key"


@dataclass(frozen=True)
class Server:
    """Where the test PostgreSQL server is."""

    host: str
    port: int
    user: str
    password: str

    def connect(self, dbname: str = "postgres") -> psycopg.Connection[t.Any]:
        """Open an autocommit connection to one database."""
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname=dbname,
            autocommit=True,
        )


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


class Warehouse:
    """A fresh database for one test, with a way to query it."""

    def __init__(self, server: Server, name: str) -> None:
        self.server = server
        self.name = name

    def rows(self, sql: str, *params: t.Any) -> list[tuple[t.Any, ...]]:
        """Run a query and return every row."""
        with self.server.connect(self.name) as db:
            return db.execute(sql, params or None).fetchall()

    def value(self, sql: str, *params: t.Any) -> t.Any:
        """Run a query that returns one value."""
        return self.rows(sql, *params)[0][0]


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


@dataclass
class Pipeline:
    """Runs Meltano in the project against one sandbox and one database."""

    env: dict[str, str]

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run ``meltano <args>`` and return what it printed.

        Raises:
            AssertionError: when ``check`` and Meltano fails; with its output.
        """
        result = subprocess.run(
            [MELTANO, *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"meltano {' '.join(args)} failed:\n{result.stderr[-6000:]}"
            )
        return result


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
    }
    return Pipeline(env=env)
