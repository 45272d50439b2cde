"""Records are never dropped for their content."""

from __future__ import annotations

import pytest

from tap_salesrabbit.conform import conform_record
from tap_salesrabbit.streams import LEAD_SCHEMA

from taprun import lead, leads_bookmark


def test_type_drift_keeps_the_record_and_names_the_lead(sandbox, run_tap):
    lead_id = next(iter(sandbox.leads()))["id"]
    sandbox.modify(ids=[lead_id], changes={"latitude": "north", "longitude": "-104.9"})

    run = run_tap()

    assert run.returncode == 0, run.stderr
    record = next(r for r in run.records["leads"] if r["id"] == lead_id)
    assert record["latitude"] is None
    assert record["invalidValues"] == {"latitude": "north"}
    assert record["longitude"] == -104.9
    warnings = [line for line in run.stderr.splitlines() if str(lead_id) in line]
    assert len(warnings) == 1
    assert "WARNING" in warnings[0] or "warning" in warnings[0]
    assert f"https://app.salesrabbit.com/leads/{lead_id}" in warnings[0]
    assert "latitude" in warnings[0]


def test_unreadable_modification_date_is_emitted_without_moving_bookmark(
    sandbox, run_tap
):
    ids = [lead["id"] for lead in sandbox.leads()]
    sandbox.modify(ids=[ids[0]], changes={"dateModified": "yesterday-ish"})
    state = leads_bookmark("2020-01-01T00:00:00+00:00")

    run = run_tap(state=state)

    assert run.returncode == 0, run.stderr
    record = next(r for r in run.records["leads"] if r["id"] == ids[0])
    assert record["dateModified"] is None
    assert record["invalidValues"] == {"dateModified": "yesterday-ish"}
    saved = run.state["bookmarks"]["leads"]["replication_key_value"]
    others = [lead for lead in sandbox.leads() if lead["id"] != ids[0]]
    assert saved == max(lead["dateModified"] for lead in others)
    said = [line for line in run.stderr.splitlines() if str(ids[0]) in line]
    assert len(said) == 1
    assert f"https://app.salesrabbit.com/leads/{ids[0]}" in said[0]
    assert "does not move the bookmark" in said[0]
    assert "New replication value is null" not in run.stderr


def test_values_convert_only_when_the_meaning_is_certain():
    lead = {
        "id": "42",
        "latitude": "39.5",
        "longitude": 12,
        "zip": 80222,
        "customFields": [],
        "campaignId": 3.0,
        "userId": 1.5,
        "dateCreated": "2021-07-04T01:00:08Z",
        "dateModified": "2021-07-03T19:00:08-06:00",
    }

    result = conform_record(lead, LEAD_SCHEMA).record

    assert result["id"] == 42
    assert result["latitude"] == 39.5
    assert result["longitude"] == 12
    assert result["zip"] == "80222"
    assert result["customFields"] == {}
    assert result["campaignId"] == 3
    assert result["userId"] is None
    assert result["invalidValues"] == {"userId": 1.5}
    assert result["dateCreated"] == "2021-07-04T01:00:08+00:00"
    assert result["dateModified"] == "2021-07-04T01:00:08+00:00"


def test_blank_strings_stay_blank_and_unknown_fields_are_kept():
    result = conform_record({"id": 1, "email": "", "newThing": [1]}, LEAD_SCHEMA)

    assert result.record["email"] == ""
    assert result.record["extraFields"] == {"newThing": [1]}
    assert result.record["invalidValues"] is None


def test_blank_dates_and_numbers_become_null_without_a_warning():
    lead = {"id": 7, "statusModified": "", "appointment": "", "latitude": " "}

    result = conform_record(lead, LEAD_SCHEMA)

    assert result.record["statusModified"] is None
    assert result.record["appointment"] is None
    assert result.record["latitude"] is None
    assert result.record["invalidValues"] is None
    assert result.describe() == ""


HISTORIES = "/leadStatusHistories"


@pytest.mark.parametrize(
    ("path", "data", "named"),
    [
        (HISTORIES, {"10": {"id": 1}}, "data['10'] is dict"),
        (HISTORIES, {"10": ["moved"]}, "data['10'][0] is str"),
        ("/leads", [lead(10), "lead 11"], "data[1] is str"),
    ],
    ids=["events-not-a-list", "event-not-an-object", "lead-not-an-object"],
)
def test_a_reply_that_holds_no_records_fails_clearly(
    scripted_api, run_tap, path, data, named
):
    scripted_api.script(path, {"data": data, "meta": {"morePages": False}})
    stream = "leads" if path == "/leads" else "lead_status_histories"

    run = run_tap(api_url=scripted_api.url, streams=(stream,))

    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert f"{path} page 1: {named}" in last
    assert run.records == {}
