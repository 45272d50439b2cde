"""Run the tap as a user would, and read what it printed."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import typing as t
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

TAP = (sys.executable, "-m", "tap_salesrabbit")
API_KEY = "test-key-7c1f"  # a sandbox key: tests assert it never reaches a log


@dataclass
class TapRun:
    """What one run of the tap printed."""

    returncode: int
    stdout: str
    stderr: str
    records: dict[str, list[dict[str, t.Any]]] = field(default_factory=dict)
    states: list[dict[str, t.Any]] = field(default_factory=list)
    messages: list[dict[str, t.Any]] = field(default_factory=list)

    @property
    def state(self) -> dict[str, t.Any] | None:
        """The last STATE the tap emitted."""
        return self.states[-1] if self.states else None

    def ids(self, stream: str = "leads") -> list[t.Any]:
        """Ids of the records of one stream, in emitted order."""
        return [record["id"] for record in self.records.get(stream, [])]


def parse_messages(stdout: str, run: TapRun) -> None:
    """Sort the tap's Singer messages into records and states."""
    for line in stdout.splitlines():
        if not line.strip():
            continue
        message = json.loads(line)
        run.messages.append(message)
        if message["type"] == "RECORD":
            run.records.setdefault(message["stream"], []).append(message["record"])
        elif message["type"] == "STATE":
            run.states.append(message["value"])


def tap_command(
    tmp_path: Path,
    config: dict[str, t.Any],
    state: dict[str, t.Any] | None = None,
    streams: t.Sequence[str] = ("leads",),
) -> list[str]:
    """Write config, state and catalog files and return the tap's command line."""
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps(config))
    command = [
        *TAP,
        "--config",
        str(config_file),
        "--catalog",
        str(write_catalog(tmp_path, config_file, streams)),
    ]
    if state is not None:
        state_file = tmp_path / "state.json"
        state_file.write_text(json.dumps(state))
        command += ["--state", str(state_file)]
    return command


def write_catalog(tmp_path: Path, config_file: Path, streams: t.Sequence[str]) -> Path:
    """Discover the catalog and select only ``streams``."""
    found = subprocess.run(
        [
            sys.executable,
            "-m",
            "tap_salesrabbit",
            "--config",
            str(config_file),
            "--discover",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    catalog = json.loads(found.stdout)
    for entry in catalog["streams"]:
        chosen = entry["tap_stream_id"] in streams
        for metadata in entry["metadata"]:
            if not metadata["breadcrumb"]:
                metadata["metadata"]["selected"] = chosen
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog))
    return path


def leads_requests(sandbox: t.Any) -> list[dict[str, t.Any]]:
    """The sandbox's log of requests to ``/leads``, oldest first."""
    return [r for r in sandbox.requests() if r["path"] == "/leads"]


def leads_bookmark(value: str) -> dict[str, t.Any]:
    """A STATE whose leads bookmark is ``value``, as a finished sync leaves it."""
    leads = {"replication_key": "dateModified", "replication_key_value": value}
    return {"bookmarks": {"leads": leads}}


def error_lines(stderr: str) -> list[str]:
    """The lines of a run's log that report an error."""
    return [line for line in stderr.splitlines() if "error" in line.lower()]


class ScriptedAPI:
    """A local HTTP server answering each (path, page) with a scripted body.

    For replies the sandbox cannot produce: leads out of id order, a missing
    ``meta``, status events that are not lists. Unscripted pages answer 404.
    """

    def __init__(self) -> None:
        self.bodies: dict[tuple[str, int], t.Any] = {}
        self.statuses: dict[tuple[str, int], int] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever)

    @property
    def url(self) -> str:
        """The base URL to give the tap as ``api_url``."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def script(self, path: str, *pages: t.Any) -> None:
        """Serve ``pages`` as pages 1, 2, ... of ``path``, bodies as given."""
        for number, body in enumerate(pages, start=1):
            self.bodies[(path, number)] = body

    def fail(self, path: str, page: int, status: int, text: str) -> None:
        """Answer one page with ``status`` and a plain-text body."""
        self.bodies[(path, page)] = text
        self.statuses[(path, page)] = status

    def script_list(self, path: str, *pages: list[t.Any], start: int = 1) -> None:
        """Serve each list as one page of the usual envelope, from page ``start``."""
        for offset, data in enumerate(pages):
            more = offset < len(pages) - 1
            body = {"data": data, "meta": {"morePages": more}}
            self.bodies[(path, start + offset)] = body

    def __enter__(self) -> ScriptedAPI:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlparse(self.path)
                page = int(parse_qs(url.query).get("page", ["1"])[0])
                body = api.bodies.get((url.path, page))
                status = api.statuses.get((url.path, page))
                text = body if status else json.dumps(body)
                payload = str(text).encode()
                self.send_response(status or (404 if body is None else 200))
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: t.Any) -> None:
                return

        return Handler


def lead(lead_id: int, modified: str = "2025-02-01T00:00:00+00:00") -> dict[str, t.Any]:
    """A minimal lead for a scripted page."""
    return {"id": lead_id, "dateModified": modified}
