from __future__ import annotations

import time
from typing import Any

import pytest
import requests
from sandbox_helpers import Api

from salesrabbit_sandbox import Sandbox


def test_429_with_retry_after_in_seconds_then_normal(
    api: Api, sandbox: Sandbox
) -> None:
    sandbox.add_fault({"path": "/leads", "times": 1, "status": 429, "retry_after": "2"})
    limited = api.get("/leads")
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "2"
    assert api.get("/leads").status_code == 200


def test_429_retry_after_may_be_an_http_date_or_absent(
    api: Api, sandbox: Sandbox
) -> None:
    date = "Wed, 21 Oct 2026 07:28:00 GMT"
    sandbox.add_fault({"times": 1, "status": 429, "retry_after": date})
    sandbox.add_fault({"times": 1, "status": 429})
    assert api.get("/leads").headers["Retry-After"] == date
    assert "Retry-After" not in api.get("/leads").headers


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors(api: Api, sandbox: Sandbox, status: int) -> None:
    sandbox.add_fault({"path": "/leads", "status": status})
    response = api.get("/leads")
    assert response.status_code == status
    assert response.json()["error"]


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_client_errors_with_custom_body(
    api: Api, sandbox: Sandbox, status: int
) -> None:
    sandbox.add_fault({"status": status, "body": "token expired"})
    response = api.get("/users")
    assert (response.status_code, response.text) == (status, "token expired")


def test_rule_matches_only_its_page(api: Api, sandbox: Sandbox) -> None:
    sandbox.add_fault({"path": "/leads", "page": 2, "status": 503})
    assert api.get("/leads", page=1).status_code == 200
    assert api.get("/leads", page=2).status_code == 503
    assert api.get("/users", page=2).status_code == 200


def test_every_nth_matching_request_fires(api: Api, sandbox: Sandbox) -> None:
    sandbox.add_fault({"path": "/leads", "every": 3, "status": 429, "retry_after": "1"})
    codes = [api.get("/leads").status_code for _ in range(6)]
    assert codes == [200, 200, 429, 200, 200, 429]


def test_latency_delays_a_normal_answer(api: Api, sandbox: Sandbox) -> None:
    sandbox.add_fault({"latency_ms": 300, "times": 1})
    started = time.monotonic()
    response = api.get("/leads")
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.3
    assert sandbox.requests()[-1]["faults"] == ["latency_ms"]


def test_invalid_json_answers_200_with_a_truncated_body(
    api: Api, sandbox: Sandbox
) -> None:
    sandbox.add_fault({"invalid_json": True, "times": 1})
    response = api.get("/leads")
    assert response.status_code == 200
    with pytest.raises(requests.JSONDecodeError):
        response.json()


def test_drop_connection_raises_a_connection_error(api: Api, sandbox: Sandbox) -> None:
    sandbox.add_fault({"drop_connection": True, "times": 1})
    with pytest.raises(requests.ConnectionError):
        api.get("/leads")
    assert api.get("/leads").status_code == 200
    assert sandbox.requests()[0]["status"] is None


def test_hang_lets_a_client_time_out(sandbox: Sandbox) -> None:
    sandbox.add_fault({"hang_seconds": 30, "times": 1})
    started = time.monotonic()
    with pytest.raises(requests.Timeout):
        requests.get(f"{sandbox.url}/leads", timeout=0.3)
    assert time.monotonic() - started < 5


def test_modify_hook_edits_a_lead_during_the_sync(api: Api, sandbox: Sandbox) -> None:
    target = list(sandbox.leads())[10]["id"]
    sandbox.add_fault(
        {
            "path": "/leads",
            "page": 2,
            "times": 1,
            "modify_ids": [target],
            "changes": {"notes": "edited mid-sync"},
        }
    )
    before = api.get(f"/leads/{target}").json()["data"]
    assert before["notes"] != "edited mid-sync"
    api.get("/leads", page=2, perPage=50)
    lead = api.get(f"/leads/{target}").json()["data"]
    assert lead["notes"] == "edited mid-sync"
    assert lead["dateModified"] > "2026-06-30T23:59:59+00:00"


def test_faults_never_touch_the_control_api(sandbox: Sandbox) -> None:
    sandbox.add_fault({"status": 500})
    assert requests.get(f"{sandbox.url}/_sandbox/health", timeout=5).status_code == 200


def test_clear_faults_restores_normal_answers(api: Api, sandbox: Sandbox) -> None:
    sandbox.add_fault({"status": 500})
    sandbox.clear_faults()
    assert api.get("/leads").status_code == 200


@pytest.mark.parametrize(
    "rule",
    [
        {},
        {"path": "/leads"},
        {"status": 200},
        {"stauts": 500},
        {"every": 0, "status": 500},
    ],
)
def test_invalid_fault_rules_are_refused_with_400(
    sandbox: Sandbox, rule: dict[str, Any]
) -> None:
    response = requests.post(
        f"{sandbox.url}/_sandbox/faults", json={"rules": [rule]}, timeout=5
    )
    assert response.status_code == 400
    assert sandbox.faults() == []
