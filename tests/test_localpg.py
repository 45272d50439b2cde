"""The embedded PostgreSQL: started for users who have none."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCALPG = [sys.executable, str(ROOT / "scripts" / "localpg.py")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def data_dir():
    # Not pytest's tmp_path: as root the server runs as `postgres`, which
    # must be able to reach the directory.
    top = Path(tempfile.mkdtemp(prefix="localpg-test-"))
    top.chmod(0o755)
    yield top / "data"
    shutil.rmtree(top, ignore_errors=True)


def test_a_machine_without_postgres_gets_one_from_the_pgserver_wheel(data_dir):
    port = free_port()
    args = ["--port", str(port), "--data-dir", str(data_dir), "--binaries", "pgserver"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TARGET_")}

    started = subprocess.run(
        [*LOCALPG, "start", "--database", "demo", *args],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    try:
        assert started.returncode == 0, started.stderr
        assert f"127.0.0.1:{port}" in started.stdout
        with psycopg.connect(
            host="127.0.0.1", port=port, user="postgres", dbname="demo"
        ) as db:
            version = db.execute("show server_version").fetchone()[0]
        assert version.startswith("16")  # pgserver's, not the system's 15
        again = subprocess.run(
            [*LOCALPG, "start", "--database", "demo", *args],
            capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip
        assert again.returncode == 0  # starting twice is harmless
    finally:
        subprocess.run([*LOCALPG, "stop", *args], env=env, check=False)

    status = subprocess.run(
        [*LOCALPG, "status", *args], capture_output=True, env=env, check=False
    )
    assert status.returncode == 1
