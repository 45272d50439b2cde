"""An interrupted or sliced sync continues where it stopped, losing nothing."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections import Counter

import pytest

from taprun import API_KEY, lead, leads_bookmark, leads_requests, tap_command

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
    old_state = leads_bookmark(BOOKMARK)
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
    assert final.get("resume") is None
    assert final["replication_key_value"] > BOOKMARK


def test_a_resumed_sync_keeps_the_first_syncs_cap(tmp_path, sandbox, run_tap):
    _, state = kill_after_page(tmp_path, sandbox, page=1)
    # An earlier cap than any the resumed sync would set, and than the newest
    # dateModified it reads: only the carried-over cap can end up saved.
    cap = "2025-06-01T00:00:00+00:00"
    state["bookmarks"]["leads"]["resume"]["signpost"] = cap
    assert max(lead["dateModified"] for lead in sandbox.leads()) > cap

    second = run_tap(state=state)

    assert second.returncode == 0, second.stderr
    saved = second.state["bookmarks"]["leads"]["replication_key_value"]
    assert dt.datetime.fromisoformat(saved) == dt.datetime.fromisoformat(cap)


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
        if state["bookmarks"]["leads"].get("resume") is None:
            break
        assert len(run.ids()) < max_records + 100  # stops at the next page end
        assert runs < 20

    assert runs > 1
    assert sorted(emitted) == sorted(lead["id"] for lead in sandbox.leads())


def test_an_update_made_during_a_sync_is_read_by_the_next(sandbox, run_tap):
    leads = list(sandbox.leads())
    early, late = leads[0]["id"], leads[-1]["id"]  # on pages 1 and 3
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
    # While page 2 is read: a rep edits a lead on page 1, already read, and
    # another on page 3 is edited a little later.
    sandbox.add_fault(
        {
            "path": "/leads",
            "page": 2,
            "times": 1,
            "modify_ids": [early],
            "changes": {"city": "Changed Mid-Sync"},
        }
    )
    sandbox.add_fault(
        {
            "path": "/leads",
            "page": 2,
            "times": 1,
            "modify_ids": [late],
            "changes": {"dateModified": later.strftime("%Y-%m-%dT%H:%M:%S+00:00")},
        }
    )

    first = run_tap()
    sandbox.clear_requests()
    second = run_tap(state=first.state)

    before = next(r for r in first.records["leads"] if r["id"] == early)
    assert before["city"] != "Changed Mid-Sync"
    edited = sandbox.lead(early)["dateModified"]
    newest_read = max(r["dateModified"] for r in first.records["leads"])
    assert edited < newest_read  # the edit is older than a lead read after it
    asked = {r["if_modified_since"] for r in leads_requests(sandbox)}
    assert len(asked) == 1
    assert asked.pop() <= edited
    after = [r for r in second.records["leads"] if r["id"] == early]
    assert [r["city"] for r in after] == ["Changed Mid-Sync"]


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


OLD_BOOKMARK = "2025-01-01T00:00:00+00:00"


def resumed_state(page, position):
    """STATE of a sync interrupted after ``page``, whose last lead was ``position``."""
    checkpoint = {
        "since": OLD_BOOKMARK,
        "signpost": "2025-12-01T00:00:00+00:00",
        "page": page,
        "position": [position],
        "max_seen": "2025-03-01T00:00:00+00:00",
    }
    state = leads_bookmark(OLD_BOOKMARK)
    state["bookmarks"]["leads"]["resume"] = checkpoint
    return state


def leads_state(state):
    return state.get("bookmarks", {}).get("leads", {})


@pytest.mark.parametrize(
    ("page_2", "page_3", "emitted"),
    [([40, 50, 60], [15, 70], [60, 15, 70]), ([40, 50, 45, 60], [70], [45, 60, 70])],
    ids=["on-a-later-page", "on-the-re-read-page"],
)
def test_a_resumed_sync_emits_leads_listed_out_of_order(
    scripted_api, run_tap, page_2, page_3, emitted
):
    scripted_api.script_list(
        "/leads", [lead(i) for i in page_2], [lead(i) for i in page_3], start=2
    )

    run = run_tap(state=resumed_state(page=2, position=50), api_url=scripted_api.url)

    assert run.returncode == 0, run.stderr
    assert run.ids() == emitted
    assert "does not list by id as assumed" in run.stderr
    final = leads_state(run.state)
    assert final.get("resume") is None
    # What it skipped as already emitted may not have been: the bookmark stays.
    assert final["replication_key_value"] == OLD_BOOKMARK


def test_an_order_break_drops_the_checkpoint_at_once(scripted_api, run_tap):
    scripted_api.script_list(
        "/leads", [lead(10), lead(20)], [lead(30), lead(5), lead(40)], [lead(50)]
    )

    run = run_tap(api_url=scripted_api.url)

    assert run.returncode == 0, run.stderr
    assert run.ids() == [10, 20, 30, 5, 40, 50]
    at = next(
        n
        for n, m in enumerate(run.messages)
        if m["type"] == "RECORD" and m["record"]["id"] == 5
    )
    states = [m["value"] for m in run.messages if m["type"] == "STATE"]
    before = [m["value"] for m in run.messages[:at] if m["type"] == "STATE"]
    assert leads_state(before[0])["resume"]["page"] == 1
    assert all(leads_state(s).get("resume") is None for s in states[len(before) - 1 :])
    final = leads_state(run.state)
    assert final["replication_key_value"] == lead(5)["dateModified"]


def test_max_records_is_ignored_once_the_order_breaks(scripted_api, run_tap):
    scripted_api.script_list(
        "/leads", [lead(10), lead(5), lead(20)], [lead(30), lead(40)], [lead(50)]
    )

    run = run_tap(api_url=scripted_api.url, max_records=2)

    assert run.returncode == 0, run.stderr
    assert run.ids() == [10, 5, 20, 30, 40, 50]
    assert "max_records is ignored for the rest of this sync" in run.stderr
    assert leads_state(run.state).get("resume") is None
    assert leads_state(run.state)["replication_key_value"] == lead(5)["dateModified"]


def test_a_stop_at_max_records_says_where_the_next_run_continues(sandbox, run_tap):
    sandbox.add(count=300)
    state = leads_bookmark(BOOKMARK)

    run = run_tap(state=state, max_records=90)

    assert run.returncode == 0, run.stderr
    resume = leads_state(run.state)["resume"]
    assert resume["page"] == 1
    assert "re-reads page 1, skips the records already emitted" in run.stderr
    summary = [
        line
        for line in run.stderr.splitlines()
        if "leads stopped for max_records" in line
    ]
    assert len(summary) == 1
    assert "100 records, 1 pages" in summary[0]
    assert f"bookmark {BOOKMARK}" in summary[0]
    assert f"checkpoint page 1 after {resume['position']}" in summary[0]


def one_slice(run_tap, state=None, **settings):
    """Run one slice of a backfill; return its leads and the STATE it leaves."""
    run = run_tap(state=state, max_records=150, **settings)
    assert run.returncode == 0, run.stderr
    return run, run.state


@pytest.mark.parametrize("second_page_size", [500, 40])
def test_a_backfill_survives_a_page_size_change_between_slices(
    sandbox, run_tap, second_page_size
):
    first, state = one_slice(run_tap, page_size=100)
    assert leads_state(state)["resume"]["page"] == 2

    second = run_tap(state=state, page_size=second_page_size)

    assert second.returncode == 0, second.stderr
    emitted = first.ids() + second.ids()
    assert sorted(set(emitted)) == sorted(lead["id"] for lead in sandbox.leads())
    assert "does not list by id" not in second.stderr
    assert len(emitted) - len(set(emitted)) < 100  # at most a page again


def test_leads_edited_between_slices_do_not_end_the_slicing(sandbox, run_tap):
    sandbox.add(count=300)  # edited today: several slices match any filter
    start = sorted(lead["dateModified"] for lead in sandbox.leads())[100]
    first, state = one_slice(run_tap, start_date=start)
    read = set(first.ids())
    # Two leads listed before the checkpoint, outside the filter until now,
    # are edited: the listing the next slice asks for grows before it.
    outside = [
        lead["id"]
        for lead in sandbox.leads()
        if lead["dateModified"] < start and lead["id"] < max(read)
    ]
    sandbox.modify(ids=outside[:2], changes={"city": "Edited Between Slices"})

    second, state = one_slice(run_tap, state=state)

    assert "does not list by id" not in second.stderr
    assert leads_state(state)["resume"] is not None  # still slicing
    assert len(second.ids()) < 150 + 100
    assert not read & set(second.ids())


def test_a_resume_after_more_than_a_page_of_deletions_keeps_the_bookmark(
    sandbox, run_tap
):
    sandbox.add(count=300)
    start = sorted(lead["dateModified"] for lead in sandbox.leads())[100]
    first, state = one_slice(run_tap, start_date=start)
    assert leads_state(state)["resume"] is not None
    sandbox.delete(first.ids())  # every lead the first slice read

    second = run_tap(state=state, max_records=50)  # a slice of one page
    state = second.state
    third = run_tap(state=state)  # the rest, in one go

    assert "more than a page of them was deleted" in second.stderr
    assert leads_state(state)["resume"]["hold_bookmark"] is True
    assert third.returncode == 0, third.stderr
    final = leads_state(third.state)
    assert final.get("resume") is None
    assert final.get("replication_key_value") in (None, start)
    after = run_tap(state=third.state, start_date=start)
    wanted = {lead["id"] for lead in sandbox.leads() if lead["dateModified"] >= start}
    assert set(second.ids()) | set(third.ids()) | set(after.ids()) == wanted
