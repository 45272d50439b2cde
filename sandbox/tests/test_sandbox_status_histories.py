from __future__ import annotations

import itertools
from typing import Any

from sandbox_helpers import Api

from salesrabbit_sandbox import Sandbox


def events_by_page(api: Api, per_page: int, **headers: str) -> list[dict[str, Any]]:
    return [
        body["data"]
        for body in api.pages("/leadStatusHistories", headers, perPage=per_page)
    ]


def flatten(pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [event for page in pages for events in page.values() for event in events]


def test_histories_are_keyed_by_lead_id_with_per_page_counting_events(
    api: Api, sandbox: Sandbox
) -> None:
    pages = events_by_page(api, per_page=7)
    assert all(sum(map(len, page.values())) == 7 for page in pages[:-1])
    for page in pages:
        for lead_id, events in page.items():
            assert all(event["leadId"] == int(lead_id) for event in events)
    events = flatten(pages)
    expected = [
        e for lead in sandbox.leads() for e in sandbox.status_events(lead["id"])
    ]
    assert events == expected
    assert [(e["leadId"], e["id"]) for e in events] == sorted(
        (e["leadId"], e["id"]) for e in events
    )


def test_a_lead_history_can_continue_on_the_next_page(api: Api) -> None:
    pages = events_by_page(api, per_page=7)
    split = [
        key
        for first, second in itertools.pairwise(pages)
        for key in first.keys() & second.keys()
    ]
    assert split, "with 7 events a page, some lead's history spans two pages"


def test_each_history_chains_previous_status_and_ends_at_lead_status(
    sandbox: Sandbox,
) -> None:
    for lead in sandbox.leads():
        events = sandbox.status_events(lead["id"])
        assert events[0]["previousStatus"] is None
        for before, after in itertools.pairwise(events):
            assert after["previousStatus"] == before["status"]
            assert after["statusModified"] >= before["statusModified"]
        assert events[-1]["status"] == lead["status"]
        assert events[-1]["statusModified"] == lead["statusModified"]


def test_if_status_modified_since_filters_events_inclusively(
    api: Api, sandbox: Sandbox
) -> None:
    every = flatten(events_by_page(api, per_page=2000))
    pivot = sorted(e["statusModified"] for e in every)[len(every) // 2]
    served = flatten(events_by_page(api, 50, **{"If-Status-Modified-Since": pivot}))
    assert served == [e for e in every if e["statusModified"] >= pivot]
    late = api.get("/leadStatusHistories", {"If-Status-Modified-Since": "2031-01-01"})
    assert late.status_code == 304


def test_status_change_adds_an_event_served_by_histories(
    api: Api, sandbox: Sandbox
) -> None:
    lead = next(sandbox.leads())
    changed = sandbox.modify(ids=[lead["id"]], changes={"status": "Sold"})[0]
    header = {"If-Status-Modified-Since": changed["statusModified"]}
    body = api.get("/leadStatusHistories", header).json()
    (event,) = body["data"][str(lead["id"])]
    assert event["status"] == "Sold"
    assert event["previousStatus"] == lead["status"]
    assert (
        event["statusModified"] == changed["statusModified"] == changed["dateModified"]
    )
