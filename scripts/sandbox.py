"""Run the demo's SalesRabbit sandbox in the background.

Usage::

    python scripts/sandbox.py start [--leads 3000]   # idempotent
    python scripts/sandbox.py stop
    python scripts/sandbox.py day [--modified 40 --added 15]

``day`` makes the sandbox look like a day has passed in SalesRabbit: some
leads changed, some new ones, so the next sync has something to fetch.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from salesrabbit_sandbox import SandboxClient

ROOT = Path(__file__).resolve().parent.parent
STATE_DIR = ROOT / ".local"
PID_FILE = STATE_DIR / "sandbox.pid"
LOG_FILE = STATE_DIR / "sandbox.log"
URL = "http://127.0.0.1:8765"
API_KEY = "sandbox-key"  # the demo sandbox's own key, as in meltano.yml


def main() -> int:
    """Run the command named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("command", choices=["start", "stop", "day"])
    parser.add_argument("--leads", type=int, default=3000)
    parser.add_argument("--modified", type=int, default=40)
    parser.add_argument("--added", type=int, default=15)
    args = parser.parse_args()
    if args.command == "start":
        return start(args.leads)
    if args.command == "stop":
        return stop()
    day(args.modified, args.added)
    return 0


CLIENT = SandboxClient(URL, timeout=30)


def is_up() -> bool:
    """True when the sandbox answers on its control API."""
    try:
        CLIENT.health()
    except OSError:
        return False
    return True


def start(leads: int) -> int:
    """Start the sandbox unless it already runs."""
    if is_up():
        print(f"The SalesRabbit sandbox is already running at {URL}")
        return 0
    STATE_DIR.mkdir(exist_ok=True)
    command = [
        str(Path(sys.executable).parent / "salesrabbit-sandbox"),
        "serve",
        "--port",
        "8765",
        "--leads",
        str(leads),
        "--api-key",
        API_KEY,
    ]
    with LOG_FILE.open("ab") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=log, start_new_session=True
        )
    PID_FILE.write_text(str(process.pid))
    deadline = time.monotonic() + 30
    while not is_up():
        if process.poll() is not None or time.monotonic() > deadline:
            print(f"The sandbox did not start; see {LOG_FILE}", file=sys.stderr)
            return 1
        time.sleep(0.2)
    print(f"SalesRabbit sandbox with {leads} leads at {URL} (log: {LOG_FILE})")
    return 0


def stop() -> int:
    """Stop the sandbox this script started."""
    if not PID_FILE.exists():
        print("The sandbox was not running")
        return 0
    pid = int(PID_FILE.read_text())
    try:
        os.killpg(pid, signal.SIGTERM)
        print("Sandbox stopped")
    except ProcessLookupError:
        print("The sandbox was not running")
    PID_FILE.unlink()
    return 0


def day(modified: int, added: int) -> None:
    """Change and add leads, as a day of door knocking would."""
    CLIENT.modify(count=modified)
    CLIENT.add(count=added)
    print(f"Sandbox: {modified} leads changed and {added} added since the last run")


if __name__ == "__main__":
    sys.exit(main())
