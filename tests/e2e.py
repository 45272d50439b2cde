"""What the end-to-end tests share: the database server, a test database and
Meltano pointed at both. The fixtures that build them are in conftest.py.
"""

from __future__ import annotations

import subprocess
import sys
import typing as t
from dataclasses import dataclass
from pathlib import Path

import psycopg

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
