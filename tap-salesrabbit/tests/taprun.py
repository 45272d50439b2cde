"""Run the tap as a user would, and read what it printed."""

from __future__ import annotations

import json
import subprocess
import sys
import typing as t
from dataclasses import dataclass, field
from pathlib import Path

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
