"""The pipeline end to end: sandbox, Meltano, tap, target-postgres, Postgres."""

from __future__ import annotations

import datetime as dt
import typing as t
from decimal import Decimal

TEXT_FIELDS = (
    "userName", "firstName", "lastName", "businessName", "email",
    "phonePrimary", "phoneAlternate", "street1", "street2", "city", "state",
    "zip", "country", "status", "notes",
)  # fmt: skip
TIME_FIELDS = ("statusModified", "ownerModified", "dateCreated", "dateModified")
OTHER_FIELDS = ("userId", "campaignId", "customFields", "integrationData")
COLUMNS = ("id", *TEXT_FIELDS, *TIME_FIELDS, *OTHER_FIELDS, "latitude", "longitude")


def expected_row(lead: dict[str, t.Any]) -> tuple[t.Any, ...]:
    """A sandbox lead as PostgreSQL should hold it.

    Text keeps every character except NUL, which PostgreSQL cannot store and
    target-postgres replaces with U+FFFD; timestamps are UTC; blank dates
    are null.
    """
    row: list[t.Any] = [lead["id"]]
    row += [_text(lead.get(name)) for name in TEXT_FIELDS]
    row += [_utc(lead.get(name)) for name in TIME_FIELDS]
    row += [lead.get(name) for name in OTHER_FIELDS]
    row += [_number(lead.get("latitude")), _number(lead.get("longitude"))]
    return tuple(row)


def _number(value: float | str | None) -> float | None:
    """A coordinate as loaded: the tap converts one sent as text."""
    return None if value is None else float(value)


def _text(value: str | None) -> str | None:
    return None if value is None else value.replace("\x00", "\ufffd")


def _utc(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    moment = dt.datetime.fromisoformat(value).astimezone(dt.UTC)
    return moment.replace(tzinfo=None)


def loaded_rows(warehouse) -> dict[int, tuple[t.Any, ...]]:
    columns = ", ".join(f'"{name}"' for name in COLUMNS)
    rows = warehouse.rows(f"select {columns} from salesrabbit_raw.leads")
    return {row[0]: tuple(_plain(v) for v in row) for row in rows}


def _plain(value: t.Any) -> t.Any:
    return float(value) if isinstance(value, Decimal) else value


def assert_table_matches(warehouse, sandbox) -> None:
    loaded = loaded_rows(warehouse)
    leads = list(sandbox.leads())
    assert sorted(loaded) == sorted(lead["id"] for lead in leads)
    mismatched = [
        lead["id"] for lead in leads if loaded[lead["id"]] != expected_row(lead)
    ]
    assert mismatched == []
    duplicates = warehouse.value(
        "select count(*) - count(distinct id) from salesrabbit_raw.leads"
    )
    assert duplicates == 0


def leads_requests(sandbox) -> list[dict[str, t.Any]]:
    return [r for r in sandbox.requests() if r["path"] == "/leads"]


def test_two_syncs_load_every_lead_then_only_what_changed(sandbox, pipeline, warehouse):
    pipeline.run("run", "tap-salesrabbit", "target-postgres")

    assert_table_matches(warehouse, sandbox)
    first = leads_requests(sandbox)
    assert [r["query"]["page"] for r in first] == ["1", "2", "3"]
    assert first[0]["if_modified_since"] is None

    ids = [lead["id"] for lead in sandbox.leads()]
    changed = sandbox.modify(ids=ids[::50], changes={"status": "Sold"})
    added = sandbox.add(count=7)
    sandbox.clear_requests()
    pipeline.run("run", "tap-salesrabbit", "target-postgres")

    second = leads_requests(sandbox)
    since = {r["if_modified_since"] for r in second}
    assert len(since) == 1
    since_at = _utc(since.pop())
    # The filter is inclusive: the newest lead of the first sync comes again.
    at_bookmark = {
        lead["id"] for lead in sandbox.leads() if _utc(lead["dateModified"]) == since_at
    }
    wanted = {lead["id"] for lead in changed + added} | at_bookmark
    assert sum(r["rows"] for r in second) == len(wanted)
    assert len(at_bookmark) <= 2
    assert_table_matches(warehouse, sandbox)
    sold = warehouse.value(
        "select count(*) from salesrabbit_raw.leads where status = 'Sold' "
        "and id = any(%s)",
        [lead["id"] for lead in changed],
    )
    assert sold == len(changed)


def test_bad_values_are_loaded_whole(sandbox, pipeline, warehouse):
    catalog = sandbox.bad_values()
    seeded = {bad.lead_id for bad in catalog}
    drifted = next(lead["id"] for lead in sandbox.leads() if lead["id"] not in seeded)
    sandbox.modify(
        ids=[drifted],
        changes={"latitude": "north", "solarScore": {"roof": "south", "kw": 7.5}},
    )

    pipeline.run("run", "tap-salesrabbit", "target-postgres")

    loaded = loaded_rows(warehouse)
    assert len({bad.kind for bad in catalog if not bad.valid}) >= 8
    assert "blank_owner_date" in {bad.kind for bad in catalog}
    for bad in catalog:
        lead = sandbox.lead(bad.lead_id)
        assert loaded[bad.lead_id] == expected_row(lead), bad
    kept = warehouse.rows(
        'select latitude, "invalidValues", "extraFields"'
        " from salesrabbit_raw.leads where id = %s",
        drifted,
    )
    assert kept == [
        (None, {"latitude": "north"}, {"solarScore": {"roof": "south", "kw": 7.5}})
    ]


def test_a_sync_cut_off_by_an_api_outage_resumes_where_it_stopped(
    sandbox, pipeline, warehouse
):
    pipeline.env["TAP_SALESRABBIT_PAGE_SIZE"] = "100"
    pipeline.env["TAP_SALESRABBIT_MAX_RETRIES"] = "0"
    sandbox.add_fault({"path": "/leads", "page": 4, "status": 503})

    failed = pipeline.run("run", "tap-salesrabbit", "target-postgres", check=False)

    assert failed.returncode != 0
    assert "503" in failed.stderr
    assert warehouse.value("select count(*) from salesrabbit_raw.leads") == 300
    sandbox.clear_faults()
    sandbox.clear_requests()
    pipeline.run("run", "tap-salesrabbit", "target-postgres")

    pages = [r["query"]["page"] for r in leads_requests(sandbox)]
    assert pages == ["3", "4", "5", "6"]
    assert_table_matches(warehouse, sandbox)
