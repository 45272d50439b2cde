from __future__ import annotations

import json

import pytest
import requests
from sandbox_helpers import API_KEY, LEADS, Api

from salesrabbit_sandbox import Sandbox, SandboxClient

AFTER_GENERATED = {"If-Modified-Since": "2026-07-01T00:00:00+00:00"}


def test_modified_leads_appear_in_an_incremental_listing(
    api: Api, sandbox: Sandbox
) -> None:
    changed = sandbox.modify(count=3, changes={"notes": "called back"})
    body = api.get("/leads", AFTER_GENERATED).json()
    assert body["data"] == changed
    assert all(lead["notes"] == "called back" for lead in changed)


def test_modify_accepts_fields_the_api_never_had(api: Api, sandbox: Sandbox) -> None:
    (lead,) = sandbox.modify(ids=[10001], changes={"solarScore": 7})
    assert api.get("/leads/10001").json()["data"]["solarScore"] == 7
    assert lead["solarScore"] == 7


def test_modify_without_changes_moves_the_status_on(sandbox: Sandbox) -> None:
    before = sandbox.lead(10002)
    (after,) = sandbox.modify(ids=[10002])
    assert before is not None
    assert after["status"] != before["status"]
    assert after["statusModified"] == after["dateModified"]


def test_owner_change_updates_user_name_and_owner_modified(sandbox: Sandbox) -> None:
    user = sandbox.users()[-1]
    (lead,) = sandbox.modify(ids=[10003], changes={"userId": user["id"]})
    assert lead["userName"] == f"{user['firstName']} {user['lastName']}"
    assert lead["ownerModified"] == lead["dateModified"]


def test_unreadable_timestamps_are_served_and_filter_as_the_edit_time(
    api: Api, sandbox: Sandbox
) -> None:
    sandbox.modify(ids=[10004], changes={"dateModified": "yesterday-ish"})
    (lead,) = api.get("/leads", AFTER_GENERATED).json()["data"]
    assert (lead["id"], lead["dateModified"]) == (10004, "yesterday-ish")


def test_added_leads_get_new_ids_and_are_listed_last(
    api: Api, sandbox: Sandbox
) -> None:
    added = sandbox.add(count=2) + sandbox.add(leads=[{"firstName": "Zed"}])
    ids = [
        lead["id"]
        for body in api.pages("/leads", perPage=2000)
        for lead in body["data"]
    ]
    assert ids[-3:] == [lead["id"] for lead in added]
    assert len(ids) == LEADS + 3
    assert added[2]["firstName"] == "Zed"
    assert added[0]["dateCreated"] == added[0]["dateModified"] > "2026-07"


def test_deleted_leads_leave_every_listing(api: Api, sandbox: Sandbox) -> None:
    gone = [10000, 10005]
    sandbox.delete(gone)
    ids = [
        lead["id"]
        for body in api.pages("/leads", perPage=2000)
        for lead in body["data"]
    ]
    assert not set(gone) & set(ids)
    assert len(ids) == LEADS - 2
    assert api.get("/leads/10000").status_code == 404
    histories = api.get("/leadStatusHistories", perPage=2000).json()["data"]
    assert "10000" not in histories


def test_unknown_ids_are_refused_and_nothing_changes(sandbox: Sandbox) -> None:
    with pytest.raises(LookupError):
        sandbox.modify(ids=[10000, 99], changes={"notes": "x"})
    assert all(lead["notes"] != "x" for lead in sandbox.leads())
    with pytest.raises(LookupError):
        sandbox.delete([99])


def test_request_log_records_api_calls_without_the_key(
    api: Api, sandbox: Sandbox
) -> None:
    api.get(
        "/leads", {"If-Modified-Since": "2025-01-01T00:00:00+00:00"}, page=2, perPage=10
    )
    sandbox.modify(ids=[10000])
    (entry,) = sandbox.requests()
    assert entry["method"] == "GET"
    assert entry["path"] == "/leads"
    assert entry["query"] == {"page": "2", "perPage": "10"}
    assert entry["if_modified_since"] == "2025-01-01T00:00:00+00:00"
    assert entry["if_status_modified_since"] is None
    assert entry["user_agent"].startswith("python-requests")
    assert (entry["status"], entry["rows"]) == (200, 10)
    assert API_KEY not in json.dumps(sandbox.requests())
    sandbox.clear_requests()
    assert sandbox.requests() == []


def test_control_api_over_http_matches_the_python_api(sandbox: Sandbox) -> None:
    client = SandboxClient(sandbox.url)
    assert client.health()["leads"] == LEADS
    modified = client.modify(ids=[10001], changes={"notes": "over http"})
    assert sandbox.lead(10001) == modified[0]
    added = client.add(count=1)
    client.delete([10002])
    streamed = list(client.leads())
    assert streamed == list(sandbox.leads())
    assert streamed[-1] == added[0]
    assert 10002 not in {lead["id"] for lead in streamed}
    assert client.bad_values() == sandbox.bad_values()
    paths = [entry["path"] for entry in client.requests()]
    assert paths == [
        "/_sandbox/leads/modify",
        "/_sandbox/leads/add",
        "/_sandbox/leads/delete",
    ]


def test_control_faults_and_reset_over_http(sandbox: Sandbox) -> None:
    client = SandboxClient(sandbox.url)
    client.add_fault({"path": "/users", "status": 503})
    assert [rule["status"] for rule in client.faults()] == [503]
    client.modify(count=5)
    client.reset()
    assert client.faults() == []
    assert client.requests() == []
    assert list(client.leads()) == list(Sandbox(leads=LEADS, seed=7).leads())


def test_control_api_reports_bad_input_as_400_and_404(sandbox: Sandbox) -> None:
    client = SandboxClient(sandbox.url)
    with pytest.raises(ValueError, match="ids or count"):
        client.modify()
    with pytest.raises(ValueError, match="id"):
        client.add(leads=[{"id": 5}])
    with pytest.raises(LookupError):
        client.delete([1])
    response = requests.post(f"{sandbox.url}/_sandbox/leads/add", data=b"{", timeout=5)
    assert response.status_code == 400


def test_startup_faults_come_back_after_reset() -> None:
    rule = {"path": "/users", "status": 503}
    with Sandbox(leads=10, api_key=API_KEY, faults=[rule]) as sandbox:
        sandbox.clear_faults()
        sandbox.reset()
        api = Api(sandbox.url)
        assert api.get("/users").status_code == 503
        api.close()
