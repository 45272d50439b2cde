from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sandbox_helpers import Api

from salesrabbit_sandbox import SandboxClient
from salesrabbit_sandbox.cli import main

COMMAND = [
    sys.executable,
    "-m",
    "salesrabbit_sandbox.cli",
    "serve",
    "--host",
    "127.0.0.1",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(path: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 15
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the sandbox did not start"
        time.sleep(0.05)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str], Path]]:
    port, pid_file = free_port(), tmp_path / "sandbox.pid"
    process = subprocess.Popen(
        [
            *COMMAND,
            "--port",
            str(port),
            "--leads",
            "120",
            "--seed",
            "3",
            "--api-key",
            "secret-key",
            "--pid-file",
            str(pid_file),
            "--rate-limit-every",
            "3",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for(pid_file, process)
    yield f"http://127.0.0.1:{port}", process, pid_file
    if process.poll() is None:
        process.kill()
        process.communicate()


def test_serve_logs_one_line_per_request_without_the_key(
    served: tuple[str, subprocess.Popen[str], Path],
) -> None:
    url, process, pid_file = served
    assert pid_file.read_text().strip() == str(process.pid)
    api = Api(url, "secret-key")
    codes = [api.get("/leads", page=2, perPage=10).status_code for _ in range(3)]
    api.close()
    assert codes == [200, 200, 429]
    assert SandboxClient(url).health()["leads"] == 120
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0
    assert not pid_file.exists()
    assert "GET /leads page=2 status=200 rows=10 ms=" in stderr
    assert "GET /leads page=2 status=429 rows=0" in stderr
    assert "secret-key" not in stderr


def test_port_in_use_prints_one_line_and_exits_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        code = main(["serve", "--port", str(port), "--leads", "10"])
    assert code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [f"salesrabbit-sandbox: 127.0.0.1:{port} is already in use"]
