"""Read what dbt built: the open problems, the build history, the leads.

Three relations of the dbt project's marts schema are read:
``lead_issues`` (required), ``data_quality_runs`` and ``leads`` (each
optional: without them the page has no trend, or no names and owners).
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby
from operator import itemgetter

import psycopg
from psycopg import sql


class MissingRelationError(Exception):
    """``lead_issues`` is not in the warehouse: dbt has not built it yet."""


@dataclass(frozen=True)
class Issue:
    """One broken rule on one field of one lead (a row of ``lead_issues``)."""

    field: str
    rule: str
    value: str | None
    detail: str | None


@dataclass(frozen=True)
class Lead:
    """A lead with at least one problem, and where to fix it."""

    lead_id: int
    salesrabbit_url: str
    name: str | None
    owner: str | None
    modified_at: datetime | None
    issues: tuple[Issue, ...]


@dataclass(frozen=True)
class RuleCount:
    """How many leads break one rule on one field."""

    field: str
    rule: str
    issue_count: int


@dataclass(frozen=True)
class Run:
    """The counts one dbt build left in ``lead_issues``."""

    run_id: str
    started_at: datetime
    issue_count: int
    leads_checked: int
    leads_with_issues: int
    by_rule: dict[str, int]


@dataclass(frozen=True)
class Snapshot:
    """Everything the page shows, read in one transaction."""

    schema: str
    read_at: datetime
    issue_count: int
    leads_affected: int
    leads_checked: int | None
    counts: list[RuleCount]
    runs: list[Run]
    """Oldest first, at most the number asked for."""
    leads: list[Lead]
    """Lead id order, at most the number asked for."""


def read_snapshot(
    conn: psycopg.Connection[t.Any], schema: str, runs: int, max_leads: int
) -> Snapshot:
    """Read the report's data from ``schema``.

    Raises:
        MissingRelationError: when ``schema.lead_issues`` does not exist.
    """
    with conn.transaction():
        if not _exists(conn, schema, "lead_issues"):
            raise MissingRelationError(
                f"{schema}.lead_issues does not exist: run `dbt build` first"
            )
        has_leads = _exists(conn, schema, "leads")
        issue_count, leads_affected = _totals(conn, schema)
        return Snapshot(
            schema=schema,
            read_at=datetime.now(UTC),
            issue_count=issue_count,
            leads_affected=leads_affected,
            leads_checked=_leads_checked(conn, schema) if has_leads else None,
            counts=_counts(conn, schema),
            runs=_runs(conn, schema, runs)
            if _exists(conn, schema, "data_quality_runs")
            else [],
            leads=_leads(conn, schema, max_leads, has_leads),
        )


def _exists(conn: psycopg.Connection[t.Any], schema: str, name: str) -> bool:
    row = conn.execute(
        "select to_regclass(format('%%I.%%I', %s::text, %s::text))",
        (schema, name),
    ).fetchone()
    return row is not None and row[0] is not None


def _table(schema: str, name: str) -> sql.Composed:
    return sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(name))


def _totals(conn: psycopg.Connection[t.Any], schema: str) -> tuple[int, int]:
    query = sql.SQL("select count(*), count(distinct lead_id) from {}").format(
        _table(schema, "lead_issues")
    )
    row = conn.execute(query).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def _leads_checked(conn: psycopg.Connection[t.Any], schema: str) -> int:
    query = sql.SQL("select count(*) from {} where not is_deleted").format(
        _table(schema, "leads")
    )
    row = conn.execute(query).fetchone()
    return int(row[0]) if row else 0


def _counts(conn: psycopg.Connection[t.Any], schema: str) -> list[RuleCount]:
    query = sql.SQL(
        "select field, rule, count(*) from {} group by field, rule"
        " order by count(*) desc, rule, field"
    ).format(_table(schema, "lead_issues"))
    return [
        RuleCount(field=f, rule=r, issue_count=int(n))
        for f, r, n in conn.execute(query)
    ]


def _runs(conn: psycopg.Connection[t.Any], schema: str, limit: int) -> list[Run]:
    query = sql.SQL(
        """
        with recent as (
            select run_id, min(run_started_at) as started_at
            from {runs}
            group by run_id
            order by started_at desc
            limit %s
        )
        select
            recent.run_id,
            recent.started_at,
            runs.rule,
            sum(runs.issue_count),
            max(runs.leads_checked),
            max(runs.leads_with_issues)
        from recent
        inner join {runs} as runs on runs.run_id = recent.run_id
        group by recent.run_id, recent.started_at, runs.rule
        order by recent.started_at, recent.run_id, runs.rule
        """
    ).format(runs=_table(schema, "data_quality_runs"))
    rows = conn.execute(query, (limit,)).fetchall()
    return [_run(list(group)) for _, group in groupby(rows, key=itemgetter(0))]


def _run(rows: list[tuple[t.Any, ...]]) -> Run:
    """One build from its rows, one per rule."""
    run_id, started_at, _, _, checked, affected = rows[0]
    by_rule = {row[2]: int(row[3]) for row in rows}
    return Run(
        run_id=run_id,
        started_at=started_at,
        issue_count=sum(by_rule.values()),
        leads_checked=int(checked or 0),
        leads_with_issues=int(affected or 0),
        by_rule=by_rule,
    )


def _leads(
    conn: psycopg.Connection[t.Any], schema: str, limit: int, has_leads: bool
) -> list[Lead]:
    query = sql.SQL(
        """
        with shown as (
            select distinct lead_id from {issues} order by lead_id limit %s
        )
        select
            issues.lead_id,
            issues.salesrabbit_url,
            issues.lead_modified_at,
            issues.field,
            issues.rule,
            issues.value,
            issues.detail
        from {issues} as issues
        inner join shown on shown.lead_id = issues.lead_id
        order by issues.lead_id, issues.field, issues.rule
        """
    ).format(issues=_table(schema, "lead_issues"))
    rows = conn.execute(query, (limit,)).fetchall()
    people = _people(conn, schema, {row[0] for row in rows}) if has_leads else {}
    return [
        _lead(list(group), *people.get(lead_id, (None, None)))
        for lead_id, group in groupby(rows, key=itemgetter(0))
    ]


def _people(
    conn: psycopg.Connection[t.Any], schema: str, lead_ids: set[int]
) -> dict[int, tuple[str | None, str | None]]:
    """Name (or business) and owner of each lead, from the clean model."""
    query = sql.SQL(
        """
        select
            lead_id,
            coalesce(
                nullif(concat_ws(' ', first_name, last_name), ''),
                business_name
            ),
            user_name
        from {leads}
        where lead_id = any(%s)
        """
    ).format(leads=_table(schema, "leads"))
    rows = conn.execute(query, (sorted(lead_ids),))
    return {int(lead_id): (name, owner) for lead_id, name, owner in rows}


def _lead(rows: list[tuple[t.Any, ...]], name: str | None, owner: str | None) -> Lead:
    """One lead from its rows, one per problem."""
    lead_id, url, modified_at = rows[0][:3]
    return Lead(
        lead_id=int(lead_id),
        salesrabbit_url=url,
        name=name,
        owner=owner,
        modified_at=modified_at,
        issues=tuple(Issue(*row[3:]) for row in rows),
    )
