"""The dbt project end to end: sandbox → Meltano job → dbt → lead_issues.

Most tests read one warehouse that the whole job (tap, target, dbt build,
report) filled once from a 600-lead sandbox; the incremental test runs its own
two syncs. dbt writes its artifacts and logs under each test's temporary
directory, so the demo's ``transform/target`` is left alone.
"""

from __future__ import annotations

import json
import os
import re
import typing as t
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from salesrabbit_sandbox import Sandbox

from e2e import SANDBOX_KEY, Pipeline, Server, Warehouse

JOB = "salesrabbit-to-postgres"
URL = "https://app.salesrabbit.com/leads/{}"
RULE_BY_KIND = {
    "too_long": "max_length",
    "without_digits": "phone_digits",
    "email": "email_format",
    "nul": "control_characters",
    "out_of_range": "coordinate_range",
}
UNIT_TESTS = {
    "lengths_count_characters_and_stop_at_the_limit",
    "emails_need_a_name_a_domain_and_a_tld",
    "phones_coordinates_control_characters_and_types",
    "staged_text_is_trimmed_and_blanks_are_null",
    "clean_leads_are_conformed_to_the_rules_they_break",
    "issue_values_are_shortened_and_linked",
}
COLUMN_OF_FIELD = {
    "userName": "user_name",
    "firstName": "first_name",
    "lastName": "last_name",
    "businessName": "business_name",
    "street1": "street1",
    "street2": "street2",
    "city": "city",
    "country": "country",
    "status": "status",
    "state": "state",
    "zip": "zip",
    "phonePrimary": "phone_primary",
    "phoneAlternate": "phone_alternate",
}


def expected_rule(kind: str) -> str:
    """The rule that must flag a sandbox bad-value kind."""
    return next(rule for part, rule in RULE_BY_KIND.items() if part in kind)


def isolate(env: dict[str, str], directory: Path) -> dict[str, str]:
    """Send dbt's artifacts and the report to ``directory``."""
    return {
        **env,
        "DBT_TARGET_PATH": str(directory / "dbt-target"),
        "DBT_LOG_PATH": str(directory / "dbt-logs"),
        "QUALITY_REPORT_OUTPUT_PATH": str(directory / "data_quality.html"),
    }


@dataclass
class Synced:
    """A warehouse after one run of the whole job."""

    sandbox: Sandbox
    warehouse: Warehouse
    pipeline: Pipeline
    log: str
    directory: Path


@pytest.fixture(scope="module")
def synced(
    pg_server: Server, tmp_path_factory: pytest.TempPathFactory
) -> t.Iterator[Synced]:
    """One 600-lead sandbox, synced once by the job into its own database."""
    name = f"e2e_{uuid.uuid4().hex[:12]}"
    directory = tmp_path_factory.mktemp("transform")
    with pg_server.connect() as db:
        db.execute(f'create database "{name}"')
    try:
        with Sandbox(leads=600, seed=5, api_key=SANDBOX_KEY) as sandbox:
            pipeline = Pipeline(env=job_env(sandbox, pg_server, name, directory))
            result = pipeline.run("run", JOB)
            yield Synced(
                sandbox=sandbox,
                warehouse=Warehouse(pg_server, name),
                pipeline=pipeline,
                log=result.stdout + result.stderr,
                directory=directory,
            )
    finally:
        with pg_server.connect() as db:
            db.execute(f'drop database if exists "{name}" with (force)')


def job_env(
    sandbox: Sandbox, server: Server, database: str, directory: Path
) -> dict[str, str]:
    """The variables conftest's ``pipeline`` sets, for a module-wide run."""
    env = {
        "MELTANO_CLI_DISABLE_VERSION_CHECK": "true",
        "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
        "MELTANO_DATABASE_URI": f"sqlite:///{directory / 'meltano.db'}",
        "MELTANO_ENVIRONMENT": "demo",
        "TAP_SALESRABBIT_API_URL": sandbox.url,
        "TAP_SALESRABBIT_API_KEY": SANDBOX_KEY,
        "TAP_SALESRABBIT_PAGE_SIZE": "250",
        "TARGET_POSTGRES_HOST": server.host,
        "TARGET_POSTGRES_PORT": str(server.port),
        "TARGET_POSTGRES_USER": server.user,
        "TARGET_POSTGRES_PASSWORD": server.password,
        "TARGET_POSTGRES_DATABASE": database,
    }
    return isolate({**os.environ, **env}, directory)


def issues_by_lead_and_field(warehouse: Warehouse) -> dict[tuple[int, str], set[str]]:
    found: dict[tuple[int, str], set[str]] = {}
    for lead_id, field, rule in warehouse.rows(
        "select lead_id, field, rule from analytics.lead_issues"
    ):
        found.setdefault((lead_id, field), set()).add(rule)
    return found


def fields_of(issues: dict[tuple[int, str], set[str]], lead_id: int) -> set[str]:
    return {field for lead, field in issues if lead == lead_id}


def test_every_seeded_bad_value_is_in_lead_issues_with_its_link(synced):
    bad = [value for value in synced.sandbox.bad_values() if not value.valid]
    rows = {
        (lead_id, field): (rule, url)
        for lead_id, field, rule, url in synced.warehouse.rows(
            "select lead_id, field, rule, salesrabbit_url from analytics.lead_issues"
        )
    }
    flagged = issues_by_lead_and_field(synced.warehouse)
    assert len({value.kind for value in bad}) >= 10
    for value in bad:
        assert expected_rule(value.kind) in flagged.get(
            (value.lead_id, value.field), set()
        ), value
        assert rows[value.lead_id, value.field][1] == URL.format(value.lead_id)
    seeded = {(value.lead_id, value.field) for value in bad}
    assert set(flagged) == seeded  # and nothing else in this sandbox


def test_valid_but_tricky_values_are_not_flagged(synced):
    tricky = [value for value in synced.sandbox.bad_values() if value.valid]
    kinds = {value.kind for value in tricky}
    assert {"multibyte_name_at_limit", "plus_uppercase_email"} <= kinds
    assert {"emoji_in_name", "padded_whitespace"} <= kinds
    flagged = issues_by_lead_and_field(synced.warehouse)
    wrongly = [value for value in tricky if (value.lead_id, value.field) in flagged]
    assert wrongly == []
    at_limit = [v for v in tricky if v.kind == "multibyte_name_at_limit"]
    assert all(len(v.value) == 255 < len(v.value.encode()) for v in at_limit)


def test_clean_leads_fit_every_limit(synced):
    warehouse = synced.warehouse
    limits = warehouse.rows(
        "select field, limit_value from analytics.lead_field_rules"
        " where rule = 'max_length'"
    )
    assert len(limits) == len(COLUMN_OF_FIELD)
    for field, limit in limits:
        column = COLUMN_OF_FIELD[field]
        longest = warehouse.value(
            f"select coalesce(max(char_length({column})), 0) from analytics.leads"
        )
        assert longest <= limit, field
    cut = warehouse.value(
        "select count(*) from analytics.leads where char_length(state) = 10"
        " and lead_id in (select lead_id from analytics.lead_issues"
        " where field = 'state')"
    )
    assert cut > 0  # too long was cut to the limit, not dropped
    emails = [v for v in synced.sandbox.bad_values() if v.field == "email"]
    clean = dict(
        warehouse.rows(
            "select lead_id, email from analytics.leads where lead_id = any(%s)",
            [value.lead_id for value in emails],
        )
    )
    for value in emails:
        expected = value.value.strip() if value.valid else None
        assert clean[value.lead_id] == (expected or None), value
    assert (
        warehouse.value(
            "select count(*) from analytics.leads"
            " where notes ~ '\ufffd' or last_name ~ '\ufffd'"
        )
        == 0
    )
    counts = warehouse.rows(
        "select leads.lead_id, leads.issue_count, count(issues.rule)"
        " from analytics.leads as leads"
        " left join analytics.lead_issues as issues using (lead_id)"
        " group by 1, 2 having leads.issue_count <> count(issues.rule)"
    )
    assert counts == []


def test_dbt_unit_tests_run_in_every_build(synced):
    passed = set(re.findall(r"PASS \w+::(\w+)", synced.log))
    assert passed >= UNIT_TESTS


def test_the_job_writes_a_report_linking_every_affected_lead(synced):
    html = (synced.directory / "data_quality.html").read_text("utf-8")
    lead_ids = [
        lead_id
        for (lead_id,) in synced.warehouse.rows(
            "select distinct lead_id from analytics.lead_issues"
        )
    ]
    assert lead_ids
    for lead_id in lead_ids:
        assert f'href="{URL.format(lead_id)}"' in html


def test_strict_validation_fails_the_build_on_any_problem(synced):
    strict = synced.pipeline.run("invoke", "dbt-postgres:build-strict", check=False)
    log = strict.stdout + strict.stderr
    assert strict.returncode != 0
    assert re.search(r"FAIL \d+ valid_email_stg_salesrabbit__leads_email", log)
    assert re.search(r"FAIL \d+ max_length_stg_salesrabbit__leads_state", log)
    # The same data with the default: warnings, and the build succeeds (which
    # also rebuilds what the strict build skipped, for the other tests).
    default = synced.pipeline.run("invoke", "dbt-postgres:build")
    log = default.stdout + default.stderr
    assert re.search(r"WARN \d+ valid_email_stg_salesrabbit__leads_email", log)


def test_docs_describe_every_model_and_column(synced):
    synced.pipeline.run("invoke", "dbt-postgres:docs-generate")
    target = synced.directory / "dbt-target"
    manifest = json.loads((target / "manifest.json").read_text())
    catalog = json.loads((target / "catalog.json").read_text())
    documented = {
        **manifest["nodes"],
        **manifest["sources"],
    }
    built = {  # stored test failures are in the catalog too: not ours to describe
        unique_id: relation
        for unique_id, relation in {**catalog["nodes"], **catalog["sources"]}.items()
        if unique_id.split(".")[0] in ("model", "seed", "source")
    }
    checked = 0
    for unique_id, relation in built.items():
        node = documented[unique_id]
        assert node["description"].strip(), unique_id
        described = {
            name.lower(): column["description"]
            for name, column in node["columns"].items()
        }
        for name in relation["columns"]:
            assert described.get(name.lower(), "").strip(), f"{unique_id}.{name}"
        checked += 1
    models = {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
    }
    assert models <= {node.split(".")[-1] for node in built}
    assert checked >= len(models) + 3


def test_a_fixed_lead_drops_out_and_only_changed_leads_are_checked_again(
    sandbox, pipeline, warehouse
):
    seeded = {value.lead_id for value in sandbox.bad_values()}
    clean = [lead["id"] for lead in sandbox.leads() if lead["id"] not in seeded]
    broken, partly = clean[:2]
    sandbox.modify(
        ids=[partly],
        changes={"zip": "80222 / 80223 / 80224", "state": "NORTHEAST OHIO"},
    )
    pipeline.run("run", JOB)
    bad = {value.kind: value for value in sandbox.bad_values() if not value.valid}
    fixes = {
        bad["state_too_long"].lead_id: {"state": "OH"},
        bad["email_without_tld"].lead_id: {"email": "fixed@example.com"},
        bad["nul_in_notes"].lead_id: {"notes": "Gate code 4411 dog in yard"},
    }
    fixed = set(fixes)
    assert fixed <= {lead_id for lead_id, _ in issues_by_lead_and_field(warehouse)}
    assert fields_of(issues_by_lead_and_field(warehouse), partly) == {
        "zip",
        "state",
    }
    before = snapshot(warehouse)
    for lead_id, changes in fixes.items():
        sandbox.modify(ids=[lead_id], changes=changes)
    sandbox.modify(ids=[broken], changes={"zip": "80222-1234 / 80223-5678"})
    sandbox.modify(ids=[partly], changes={"state": "OH"})

    pipeline.run("run", JOB)

    after = snapshot(warehouse)
    issues = issues_by_lead_and_field(warehouse)
    assert not fixed & {lead_id for lead_id, _ in issues}
    assert issues[broken, "zip"] == {"max_length"}
    assert fields_of(issues, partly) == {"zip"}  # state was fixed
    synced_again = {
        lead_id
        for lead_id, loaded_at in after.loaded_at.items()
        if loaded_at != before.loaded_at.get(lead_id)
    }
    assert fixed | {broken, partly} <= synced_again
    assert len(synced_again) < len(after.loaded_at) // 10
    checked_again = {
        lead_id
        for lead_id, checked_at in after.checked_at.items()
        if checked_at != before.checked_at[lead_id]
    }
    assert checked_again == synced_again
    untouched = {
        key: checked_at
        for key, checked_at in before.issue_checked_at.items()
        if key[0] not in synced_again
    }
    assert untouched.items() <= after.issue_checked_at.items()
    totals = warehouse.rows(
        "select sum(issue_count) from analytics.data_quality_runs"
        " group by run_id order by min(run_started_at)"
    )
    assert [total for (total,) in totals] == [
        len(before.issue_checked_at),
        len(before.issue_checked_at) - len(fixed) + 1 - 1,
    ]


def test_a_new_app_url_relinks_every_issue(synced):
    env = {**synced.pipeline.env, "TAP_SALESRABBIT_APP_URL": "https://eu.sr.test/"}
    relinked = Pipeline(env=env)
    try:
        relinked.run("invoke", "dbt-postgres:build")
        roots = synced.warehouse.rows(
            "select distinct split_part(salesrabbit_url, '/leads/', 1)"
            " from analytics.lead_issues"
        )
        assert roots == [("https://eu.sr.test",)]
    finally:  # the other tests read the default links
        synced.pipeline.run("invoke", "dbt-postgres:build")


@dataclass
class Snapshot:
    """When each lead was loaded and checked, and each problem written."""

    loaded_at: dict[int, t.Any]
    checked_at: dict[int, t.Any]
    issue_checked_at: dict[tuple[int, str, str], t.Any]


def snapshot(warehouse: Warehouse) -> Snapshot:
    return Snapshot(
        loaded_at=dict(
            warehouse.rows("select id, _sdc_batched_at from salesrabbit_raw.leads")
        ),
        checked_at=dict(
            warehouse.rows("select lead_id, checked_at from analytics.leads")
        ),
        issue_checked_at={
            (lead_id, field, rule): checked_at
            for lead_id, field, rule, checked_at in warehouse.rows(
                "select lead_id, field, rule, checked_at from analytics.lead_issues"
            )
        },
    )


def move_loads(warehouse: Warehouse, hours: dict[str, int]) -> None:
    """Move each raw table's load times by so many hours (negative: back)."""
    for table, shift in hours.items():
        warehouse.rows(
            f"update salesrabbit_raw.{table} set _sdc_batched_at ="
            f" _sdc_batched_at + interval '{shift} hours' returning 1"
        )


def test_sources_warn_after_a_day_without_a_load_and_fail_after_three(synced):
    fresh = synced.pipeline.run("invoke", "dbt-postgres:freshness")
    assert (fresh.stdout + fresh.stderr).count("PASS freshness of salesrabbit.") == 3
    age = {"leads": 25, "users": 73}
    move_loads(synced.warehouse, {table: -h for table, h in age.items()})
    try:
        stale = synced.pipeline.run("invoke", "dbt-postgres:freshness", check=False)
    finally:
        move_loads(synced.warehouse, age)
    log = stale.stdout + stale.stderr
    assert stale.returncode != 0
    assert re.search(r"WARN freshness of salesrabbit\.leads", log)
    assert re.search(r"ERROR STALE freshness of salesrabbit\.users", log)
    assert "PASS freshness of salesrabbit.lead_status_histories" in log


def test_the_weekly_schedule_reads_every_lead_again(synced):
    synced.sandbox.clear_requests()

    synced.pipeline.run("schedule", "run", "salesrabbit-weekly-full-refresh")

    leads = [r for r in synced.sandbox.requests() if r["path"] == "/leads"]
    assert {r["if_modified_since"] for r in leads} == {None}
    assert len(leads) == -(-len(list(synced.sandbox.leads())) // 250)
    state = synced.pipeline.run(
        "state", "get", "demo:tap-salesrabbit-to-target-postgres"
    ).stdout
    assert '"replication_key_value"' in state
