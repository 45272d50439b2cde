"""``make demo``: run the whole pipeline on local defaults and say what happened.

Starts (or reuses) a private PostgreSQL and the SalesRabbit sandbox, runs the
Meltano job (tap, target, dbt build, report, source freshness) and prints
what landed and what dbt flagged. Run it again and the second sync is
incremental: the sandbox first simulates a day of changes, and only those
are fetched.
"""

from __future__ import annotations

import os
import subprocess
import sys
import typing as t
from pathlib import Path

import psycopg

import localpg
import sandbox

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
JOB = "salesrabbit-to-postgres"
# Where the job's quality-report step writes, unless its setting moves it.
REPORT = Path(
    os.environ.get(
        "QUALITY_REPORT_OUTPUT_PATH",
        ROOT / "transform" / "reports" / "data_quality.html",
    )
)


def main() -> int:
    """Run the demo end to end."""
    if localpg.start(localpg.DEFAULT_PORT, "salesrabbit") or sandbox.start(3000):
        return 1
    with connect() as db:
        first_run = raw_lead_count(db) == 0
    if not first_run:
        sandbox.day(modified=40, added=15)
    sandbox.CLIENT.clear_requests()
    print(f"\n== meltano run {JOB}\n", flush=True)
    result = subprocess.run([str(BIN / "meltano"), "run", JOB], cwd=ROOT, check=False)
    if result.returncode:
        print(f"\nThe job failed (exit {result.returncode}); see the log above.")
        print("The sandbox and PostgreSQL are still up; stop them with: make stop")
        return result.returncode
    with connect() as db:
        summarize(db, first_run)
    print("\nStop the sandbox and PostgreSQL with: make stop")
    return 0


def connect() -> psycopg.Connection[tuple[t.Any, ...]]:
    """Connect to the database the demo loads."""
    return psycopg.connect(
        host=os.environ.get("TARGET_POSTGRES_HOST", "127.0.0.1"),
        port=int(os.environ.get("TARGET_POSTGRES_PORT", localpg.DEFAULT_PORT)),
        user=os.environ.get("TARGET_POSTGRES_USER", "postgres"),
        password=os.environ.get("TARGET_POSTGRES_PASSWORD", ""),
        dbname=os.environ.get("TARGET_POSTGRES_DATABASE", "salesrabbit"),
    )


def raw_lead_count(db: psycopg.Connection[tuple[t.Any, ...]]) -> int:
    """Leads already in the raw table; 0 before the first load."""
    exists = db.execute("select to_regclass('salesrabbit_raw.leads')").fetchone()
    if not exists or exists[0] is None:
        return 0
    row = db.execute("select count(*) from salesrabbit_raw.leads").fetchone()
    return int(row[0]) if row else 0


def summarize(db: psycopg.Connection[tuple[t.Any, ...]], first_run: bool) -> None:
    """Print what this run fetched, what landed and what was flagged."""
    fetched = [r for r in sandbox.CLIENT.requests() if r["path"] == "/leads"]
    since = {r["if_modified_since"] for r in fetched} - {None}
    rows = sum(int(r["rows"] or 0) for r in fetched)
    print("\n== What happened")
    kind = "full" if first_run else "incremental"
    print(
        f"This {kind} sync asked SalesRabbit for {len(fetched)} page(s) of leads",
        end="",
    )
    print(f" changed since {since.pop()}" if since else "", end="")
    print(f" and got {rows} lead(s).")
    total = raw_lead_count(db)
    print(f"salesrabbit_raw.leads now holds {total} leads.")
    issues = db.execute(
        "select rule, field, count(*) from analytics.lead_issues "
        "group by 1, 2 order by 3 desc, 1, 2"
    ).fetchall()
    print(
        f"\n== Flagged by dbt: {sum(int(n) for *_, n in issues)} problems "
        "(analytics.lead_issues)"
    )
    for rule, field, count in issues:
        print(f"  {count:>5}  {field:<16} {rule}")
    examples = db.execute(
        "select lead_id, field, rule, value, salesrabbit_url "
        "from analytics.lead_issues order by lead_id, field limit 10"
    ).fetchall()
    print("\nFirst ten, with the page to fix each in SalesRabbit:")
    for lead_id, field, rule, value, url in examples:
        shown = str(value)[:30].replace("\x00", "\\0")
        print(f"  lead {lead_id:<7} {field:<14} {rule:<18} {shown!r:<34} {url}")
    if REPORT.exists():
        print(f"\nData-quality report: {REPORT}")


if __name__ == "__main__":
    sys.exit(main())
