"""``salesrabbit-quality-report``: read the warehouse, write the page.

Every option has a ``QUALITY_REPORT_*`` variable, which is how Meltano passes
the utility's settings; an option on the command line wins. Connection values
left unset fall back to libpq's own (``PGHOST``, ``PGPORT``, ...).
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import psycopg
from psycopg.conninfo import make_conninfo

from salesrabbit_quality_report.page import render
from salesrabbit_quality_report.warehouse import MissingRelationError, read_snapshot

LOG = logging.getLogger("salesrabbit_quality_report")
ENV_PREFIX = "QUALITY_REPORT_"
DEFAULT_OUTPUT = Path("transform") / "reports" / "data_quality.html"
CONNECTION = ("host", "port", "user", "password", "database")


def main(argv: Sequence[str] | None = None) -> int:
    """Write the report; 0 when written, 1 when the warehouse cannot be read."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    args = _parser().parse_args(argv)
    try:
        with psycopg.connect(_connection(args)) as conn:
            snapshot = read_snapshot(conn, args.schema, args.runs, args.max_leads)
    except (psycopg.Error, MissingRelationError) as error:
        LOG.error("Cannot read the warehouse (%s): %s", _where(args), error)
        return 1
    output = Path(args.output_path).resolve()
    _write(output, render(snapshot))
    LOG.info(
        "Data-quality report: %s (%d problems in %d leads)",
        output,
        snapshot.issue_count,
        snapshot.leads_affected,
    )
    return 0


def _env(name: str, default: str | None = None) -> str | None:
    """A ``QUALITY_REPORT_<NAME>`` variable; empty counts as unset."""
    return os.environ.get(ENV_PREFIX + name.upper()) or default


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="salesrabbit-quality-report",
        description="Write the SalesRabbit data-quality report as one HTML file.",
    )
    for name in CONNECTION:
        parser.add_argument(
            f"--{name}",
            default=_env(name),
            help=f"PostgreSQL {name} (env {ENV_PREFIX}{name.upper()})",
        )
    parser.add_argument(
        "--schema",
        default=_env("schema", "analytics"),
        help="schema of the dbt marts (default analytics)",
    )
    parser.add_argument(
        "--output-path",
        "--output",
        default=_env("output_path", str(DEFAULT_OUTPUT)),
        help=f"HTML file to write (default {DEFAULT_OUTPUT})",
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=int(_env("runs", "30") or 30),
        help="dbt builds shown in the trend (default 30)",
    )
    parser.add_argument(
        "--max-leads",
        type=int,
        default=int(_env("max_leads", "2000") or 2000),
        help="affected leads listed; the counts cover all (default 2000)",
    )
    return parser


def _connection(args: argparse.Namespace) -> str:
    """A conninfo string of the values given; libpq fills in the rest."""
    names = {"database": "dbname"}
    given = {name: getattr(args, name) for name in CONNECTION}
    return make_conninfo(
        # Times come back in UTC, which is what the page says they are.
        options="-c TimeZone=UTC",
        **{names.get(name, name): value for name, value in given.items() if value},
    )


def _where(args: argparse.Namespace) -> str:
    """Where we tried to connect, for an error message; never the password."""
    host = args.host or os.environ.get("PGHOST", "default host")
    port = args.port or os.environ.get("PGPORT", "5432")
    database = args.database or os.environ.get("PGDATABASE", "default database")
    return f"{host}:{port}/{database}, schema {args.schema}"


def _write(path: Path, text: str) -> None:
    """Replace ``path`` at once, so a reader never sees half a page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False
    ) as handle:
        handle.write(text)
    Path(handle.name).replace(path)
    path.chmod(0o644)
