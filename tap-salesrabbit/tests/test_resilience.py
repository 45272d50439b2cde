"""What the tap does when the API is slow, throttled, broken or refuses us."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import time

import pytest

from taprun import (
    API_KEY,
    TAP,
    error_lines,
    leads_bookmark,
    leads_requests,
    tap_command,
)


def moments(requests):
    return [dt.datetime.fromisoformat(r["at"]) for r in requests]


def test_retry_after_seconds_is_honoured(sandbox, run_tap):
    sandbox.add_fault(
        {"path": "/leads", "page": 2, "times": 1, "status": 429, "retry_after": "3"}
    )

    run = run_tap()

    assert run.returncode == 0, run.stderr
    page_2 = [r for r in leads_requests(sandbox) if r["query"]["page"] == "2"]
    assert [r["status"] for r in page_2] == [429, 200]
    waited = (moments(page_2)[1] - moments(page_2)[0]).total_seconds()
    assert waited >= 3.0
    assert waited < 3.0 * 1.25 + 1.5  # Retry-After plus at most the jitter
    assert len(run.ids()) == len(list(sandbox.leads()))
    assert "leads page 2: 429" in run.stderr


def test_retry_after_http_date_is_honoured(sandbox, run_tap):
    when = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=8)
    http_date = when.strftime("%a, %d %b %Y %H:%M:%S GMT")
    sandbox.add_fault(
        {
            "path": "/leads",
            "page": 1,
            "times": 1,
            "status": 429,
            "retry_after": http_date,
        }
    )

    run = run_tap()

    assert run.returncode == 0, run.stderr
    page_1 = [r for r in leads_requests(sandbox) if r["query"]["page"] == "1"]
    assert [r["status"] for r in page_1] == [429, 200]
    assert moments(page_1)[1] >= when - dt.timedelta(seconds=1)


def test_server_errors_and_dropped_connections_are_retried(sandbox, run_tap):
    sandbox.add_fault({"path": "/leads", "page": 1, "times": 1, "status": 503})
    sandbox.add_fault(
        {"path": "/leads", "page": 2, "times": 1, "drop_connection": True}
    )
    sandbox.add_fault({"path": "/leads", "page": 3, "times": 1, "invalid_json": True})

    run = run_tap()

    assert run.returncode == 0, run.stderr
    assert sorted(run.ids()) == sorted(lead["id"] for lead in sandbox.leads())
    assert run.stderr.count("retry 1 of 3") == 3
    assert "not valid JSON" in run.stderr


def test_timeouts_are_retried(sandbox, run_tap):
    sandbox.add_fault({"path": "/leads", "page": 1, "times": 1, "hang_seconds": 5})

    run = run_tap(request_timeout=1)

    assert run.returncode == 0, run.stderr
    assert "no answer within request_timeout" in run.stderr
    assert len(run.ids()) == len(list(sandbox.leads()))


def test_an_api_that_stays_down_fails_the_sync(sandbox, run_tap):
    sandbox.add_fault({"path": "/leads", "page": 2, "status": 500})

    run = run_tap(max_retries=1)

    assert run.returncode != 0
    assert "gave up" in run.stderr or "giving up" in run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert "500" in last
    assert "/leads" in last


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_api_key_fails_fast_with_one_clear_line(sandbox, run_tap, status):
    state = leads_bookmark("2025-01-01T00:00:00+00:00")
    settings = {"api_key": "wrong-key"} if status == 401 else {}
    if status == 403:
        sandbox.add_fault({"path": "/leads", "status": 403})
    started = time.monotonic()

    run = run_tap(state=state, **settings)

    assert time.monotonic() - started < 15
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    errors = error_lines(run.stderr)
    assert len(errors) == 1, run.stderr
    assert f"{status} on /leads" in errors[0]
    assert "api_key" in errors[0]
    assert [r["status"] for r in leads_requests(sandbox)] == [status]
    assert run.records == {}
    assert run.states
    assert all(s == state for s in run.states)


def test_an_invalid_lookback_window_fails_with_one_line(tmp_path, sandbox):
    config = {"api_key": API_KEY, "api_url": sandbox.url}
    sync = tap_command(tmp_path, config)
    bad = tmp_path / "bad-config.json"
    bad.write_text(json.dumps({**config, "lookback_window": "an hour"}))
    sync[sync.index("--config") + 1] = str(bad)
    discover = [*TAP, "--config", str(bad), "--discover"]

    for command in (sync, discover):
        result = subprocess.run(command, capture_output=True, text=True, check=False)

        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        named = [
            line for line in result.stderr.splitlines() if "lookback_window" in line
        ]
        assert len(named) == 1
        assert "'an hour' is not a duration" in named[0]


def test_other_client_errors_name_status_path_and_body(sandbox, run_tap):
    sandbox.add_fault(
        {
            "path": "/leads",
            "page": 1,
            "status": 404,
            "body": '{"error": "no such account"}',
        }
    )

    run = run_tap()

    assert run.returncode == 1
    last = run.stderr.strip().splitlines()[-1]
    assert "404" in last
    assert "/leads" in last
    assert "no such account" in last


def test_the_api_key_never_reaches_the_logs(sandbox, run_tap):
    sandbox.add_fault(
        {"path": "/leads", "page": 1, "times": 1, "status": 429, "retry_after": "0"}
    )
    good = run_tap()
    bad = run_tap(api_key=API_KEY + "-revoked")

    for run in (good, bad):
        assert API_KEY not in run.stderr
        assert API_KEY not in run.stdout


@pytest.mark.parametrize(
    "status", [400, 502, 200], ids=["client-error", "server-error", "not-json"]
)
def test_an_error_body_that_echoes_the_key_is_logged_without_it(
    scripted_api, run_tap, status
):
    echo = f"<html>bad request: Authorization: Bearer {API_KEY}</html>"
    scripted_api.fail("/leads", 1, status, echo)

    run = run_tap(api_url=scripted_api.url, max_retries=1)

    assert run.returncode != 0
    assert "Authorization: Bearer [api_key]" in run.stderr
    assert API_KEY not in run.stderr + run.stdout


def test_user_agent_names_the_tap(sandbox, run_tap):
    run_tap()

    agents = {r["user_agent"] for r in leads_requests(sandbox)}
    assert len(agents) == 1
    assert agents.pop().startswith("tap-salesrabbit/")
