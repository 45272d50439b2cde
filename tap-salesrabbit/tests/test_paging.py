"""Paging and incremental reads, against the sandbox."""

from __future__ import annotations

import re

import pytest

from taprun import lead, leads_bookmark, leads_requests

BOOKMARK = "2025-03-04T05:06:07+00:00"


@pytest.mark.parametrize(
    ("page_size", "expected_pages"),
    [(100, [1, 2, 3]), (125, [1, 2]), (250, [1])],
    ids=["short-last-page", "full-last-page", "one-full-page"],
)
def test_paging_stops_when_more_pages_is_false(
    sandbox, run_tap, page_size, expected_pages
):
    run = run_tap(page_size=page_size)

    assert run.returncode == 0, run.stderr
    assert sorted(run.ids()) == sorted(lead["id"] for lead in sandbox.leads())
    pages = [int(r["query"]["page"]) for r in leads_requests(sandbox)]
    assert pages == expected_pages  # 250 leads: a full last page is the end too


def test_if_modified_since_is_sent_from_the_bookmark(sandbox, run_tap):
    state = leads_bookmark(BOOKMARK)
    run = run_tap(state=state)

    assert run.returncode == 0, run.stderr
    headers = {r["if_modified_since"] for r in leads_requests(sandbox)}
    assert headers == {BOOKMARK}
    assert all(r["dateModified"] >= BOOKMARK for r in run.records["leads"])


def test_if_modified_since_is_sent_from_start_date(sandbox, run_tap):
    run = run_tap(start_date="2025-01-01T00:00:00Z")

    assert run.returncode == 0, run.stderr
    header = leads_requests(sandbox)[0]["if_modified_since"]
    assert header == "2025-01-01T00:00:00+00:00"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", header)


def test_no_header_on_a_first_sync_without_start_date(sandbox, run_tap):
    run_tap()

    assert leads_requests(sandbox)[0]["if_modified_since"] is None


def test_not_modified_yields_no_rows_and_keeps_the_bookmark(sandbox, run_tap):
    future = "2030-01-01T00:00:00+00:00"
    state = leads_bookmark(future)
    run = run_tap(state=state)

    assert run.returncode == 0, run.stderr
    assert [r["status"] for r in leads_requests(sandbox)] == [304]
    assert run.records.get("leads", []) == []
    assert run.state["bookmarks"]["leads"]["replication_key_value"] == future


def test_every_lead_field_is_kept_including_new_ones(sandbox, run_tap):
    lead_id = next(iter(sandbox.leads()))["id"]
    sandbox.modify(ids=[lead_id], changes={"solarScore": 7})

    run = run_tap()

    record = next(r for r in run.records["leads"] if r["id"] == lead_id)
    assert record["extraFields"] == {"solarScore": 7}
    served = next(lead for lead in sandbox.leads() if lead["id"] == lead_id)
    assert set(served) - {"solarScore"} <= set(record)
    assert "solarScore" in run.stderr  # said once, so someone adds it to the schema


def test_users_end_when_a_page_repeats(sandbox, run_tap):
    run = run_tap(streams=("users",))

    assert run.returncode == 0, run.stderr
    ids = run.ids("users")
    assert ids
    assert len(ids) == len(set(ids))
    assert "repeats page 1" in run.stderr


def test_status_histories_become_one_row_per_event(sandbox, run_tap):
    run = run_tap(streams=("lead_status_histories",))

    assert run.returncode == 0, run.stderr
    events = run.records["lead_status_histories"]
    assert events
    assert all(isinstance(e["leadId"], int) and e["id"] for e in events)
    assert len({e["id"] for e in events}) == len(events)
    lead_ids = {lead["id"] for lead in sandbox.leads()}
    assert {e["leadId"] for e in events} <= lead_ids


def test_status_histories_are_read_incrementally(sandbox, run_tap):
    since = "2026-01-01T00:00:00+00:00"
    state = {
        "bookmarks": {
            "lead_status_histories": {
                "replication_key": "statusModified",
                "replication_key_value": since,
            }
        }
    }
    run = run_tap(state=state, streams=("lead_status_histories",))

    asked = [r for r in sandbox.requests() if r["path"] == "/leadStatusHistories"]
    assert {r["if_status_modified_since"] for r in asked} == {since}
    events = run.records["lead_status_histories"]
    assert events
    assert all(e["statusModified"] >= since for e in events)


@pytest.mark.parametrize(
    "meta",
    [None, {}, {"morePages": None}, {"morePages": "false"}, {"morePages": 0}],
    ids=["no-meta", "empty-meta", "null", "string", "number"],
)
def test_a_page_without_more_pages_fails_rather_than_ending_the_sync(
    scripted_api, run_tap, meta
):
    body: dict = {"data": [lead(10), lead(20)]}
    if meta is not None:
        body["meta"] = meta
    scripted_api.script("/leads", body)
    state = leads_bookmark(BOOKMARK)

    run = run_tap(state=state, api_url=scripted_api.url)

    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert "/leads page 1" in last
    assert "meta.morePages" in last
    assert run.records == {}
    assert all(s == state for s in run.states)
