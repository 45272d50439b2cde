"""An interrupted or sliced sync continues where it stopped, losing nothing."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections import Counter

import pytest

from taprun import API_KEY, leads_requests, tap_command

BOOKMARK = "2025-01-01T00:00:00+00:00"


def kill_after_page(tmp_path, sandbox, page, state=None):
    """Run the tap until it checkpoints ``page``, then kill it like a crash.

    Returns:
        The records it emitted and the last STATE it emitted.
    """
    sandbox.add_fault({"path": "/leads", "page": page + 1, "hang_seconds": 30})
    config = {"api_key": API_KEY, "api_url": sandbox.url, "page_size": 100}
    records, last_state = [], None
    with subprocess.Popen(
        tap_command(tmp_path, config, state),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        for line in process.stdout:
            message = json.loads(line)
            if message["type"] == "RECORD":
                records.append(message["record"])
            elif message["type"] == "STATE":
                last_state = message["value"]
                resume = last_state["bookmarks"]["leads"].get("resume")
                if resume and resume["page"] == page:
                    break
        process.kill()
    sandbox.clear_faults()
    return records, last_state


def test_leads_resume_after_a_kill_at_page_3(tmp_path, sandbox, run_tap):
    sandbox.add(count=300)  # so that at least 5 pages match the bookmark
    old_state = {
        "bookmarks": {
            "leads": {
                "replication_key": "dateModified",
                "replication_key_value": BOOKMARK,
            }
        }
    }
    first, state = kill_after_page(tmp_path, sandbox, page=3, state=old_state)
    sandbox.clear_requests()

    second = run_tap(state=state)

    assert second.returncode == 0, second.stderr
    requests = leads_requests(sandbox)
    assert requests[0]["query"]["page"] == "3"  # the last finished page, again
    assert {r["if_modified_since"] for r in requests} == {BOOKMARK}
    emitted = [r["id"] for r in first] + second.ids()
    wanted = [
        lead["id"] for lead in sandbox.leads() if lead["dateModified"] >= BOOKMARK
    ]
    assert sorted(set(emitted)) == sorted(wanted)
    assert max(Counter(emitted).values()) == 1  # nothing read twice
    final = second.state["bookmarks"]["leads"]
    assert "resume" not in final
    assert final["replication_key_value"] > BOOKMARK


def test_a_resumed_sync_keeps_the_first_syncs_cap(tmp_path, sandbox, run_tap):
    _, state = kill_after_page(tmp_path, sandbox, page=1)
    cap = state["bookmarks"]["leads"]["resume"]["signpost"]

    second = run_tap(state=state)

    assert second.state["bookmarks"]["leads"]["replication_key_value"] <= cap


@pytest.mark.parametrize("max_records", [250, 90])
def test_a_backfill_in_slices_reads_every_lead_once(sandbox, run_tap, max_records):
    sandbox.add(count=520)  # 770 leads: several slices
    emitted, state, runs = [], None, 0
    while True:
        run = run_tap(state=state, max_records=max_records)
        assert run.returncode == 0, run.stderr
        runs += 1
        emitted += run.ids()
        state = run.state
        if "resume" not in state["bookmarks"]["leads"]:
            break
        assert len(run.ids()) < max_records + 100  # stops at the next page end
        assert runs < 20

    assert runs > 1
    assert sorted(emitted) == sorted(lead["id"] for lead in sandbox.leads())


def test_an_update_made_during_a_sync_is_read_by_the_next(sandbox, run_tap):
    first_page_lead = next(iter(sandbox.leads()))["id"]
    sandbox.add_fault(
        {
            "path": "/leads",
            "page": 3,
            "times": 1,
            "modify_ids": [first_page_lead],
            "changes": {"city": "Changed Mid-Sync"},
        }
    )

    first = run_tap()
    sandbox.clear_requests()
    second = run_tap(state=first.state)

    before = next(r for r in first.records["leads"] if r["id"] == first_page_lead)
    assert before["city"] != "Changed Mid-Sync"
    after = [r for r in second.records["leads"] if r["id"] == first_page_lead]
    assert after
    assert after[0]["city"] == "Changed Mid-Sync"


def test_the_bookmark_is_never_later_than_sync_start_less_lookback(sandbox, run_tap):
    sandbox.modify(count=5)  # modified now: newer than the sync's start
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)

    run = run_tap(lookback_window="10m")

    after = dt.datetime.now(dt.UTC)
    saved = dt.datetime.fromisoformat(
        run.state["bookmarks"]["leads"]["replication_key_value"]
    )
    lookback = dt.timedelta(minutes=10)
    assert before - lookback <= saved <= after - lookback
