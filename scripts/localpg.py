"""Start, stop and describe the project's private PostgreSQL server.

The demo and the tests need a PostgreSQL server. In order of preference:

1. one the user configured (``TARGET_POSTGRES_HOST`` is set): used as it is;
2. a private cluster in ``.local/`` started from the system's binaries
   (``initdb`` on the PATH or under ``/usr/lib/postgresql``);
3. the same, from the binaries bundled in the ``pgserver`` wheel.

The private cluster listens on 127.0.0.1 only, trusts local connections and
holds nothing but demo and test data. Usage::

    python scripts/localpg.py start [--port 55432] [--database salesrabbit]
    python scripts/localpg.py stop
    python scripts/localpg.py status
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PORT = 55432
RUN_AS = "postgres"


def main() -> int:
    """Run the command named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--database", default="salesrabbit")
    args = parser.parse_args()
    if args.command == "start":
        return start(args.port, args.database)
    if args.command == "stop":
        return stop()
    return status(args.port)


def start(port: int, database: str) -> int:
    """Make sure a server is up and the database exists."""
    if host := os.environ.get("TARGET_POSTGRES_HOST"):
        print(f"Using the PostgreSQL server you configured: {host}")
        return 0
    data = data_dir()
    if not (data / "PG_VERSION").exists():
        init_cluster(data)
    if not is_running(data):
        if port_in_use(port):
            print(
                f"Port {port} is taken by another program. Free it, or point the "
                "project at your own server with TARGET_POSTGRES_HOST, "
                "TARGET_POSTGRES_PORT and TARGET_POSTGRES_USER.",
                file=sys.stderr,
            )
            return 2
        pg_ctl(
            data,
            "start",
            "-w",
            "-l",
            str(data.parent / "postgres.log"),
            "-o",
            f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''",
        )
    create_database(port, database)
    print(f"PostgreSQL is up on 127.0.0.1:{port}, database {database!r}")
    print("Stop it with: make stop")
    return 0


def stop() -> int:
    """Stop the private cluster, if it runs."""
    data = data_dir()
    if (data / "PG_VERSION").exists() and is_running(data):
        pg_ctl(data, "stop", "-m", "fast", "-w")
        print("PostgreSQL stopped")
    else:
        print("PostgreSQL was not running")
    return 0


def status(port: int) -> int:
    """Say whether the private cluster runs; exit 1 when it does not."""
    data = data_dir()
    running = (data / "PG_VERSION").exists() and is_running(data)
    where = f"127.0.0.1:{port}, data in {data}"
    print(("running on " if running else "not running; would run on ") + where)
    return 0 if running else 1


def data_dir() -> Path:
    """Where the private cluster lives.

    PostgreSQL refuses to run as root, so as root the cluster is owned by the
    ``postgres`` user and kept in the temporary directory, which that user can
    reach whatever the permissions on the checkout.
    """
    if os.geteuid() != 0:
        return ROOT / ".local" / "postgres" / "data"
    digest = hashlib.blake2s(str(ROOT).encode(), digest_size=5).hexdigest()
    return Path(tempfile.gettempdir()) / f"tap-salesrabbit-pg-{digest}" / "data"


def bin_dir() -> Path:
    """Find PostgreSQL's server programs: the system's first, then pgserver's.

    Raises:
        SystemExit: when neither is there and pgserver cannot be installed.
    """
    if found := shutil.which("initdb"):
        return Path(found).parent
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    try:
        import pgserver  # noqa: PLC0415
    except ImportError:
        print("No PostgreSQL here; installing the pgserver wheel, which bundles one")
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "pgserver"], check=True
        )
        import pgserver  # noqa: PLC0415
    bundled = Path(pgserver.__file__).parent / "pginstall" / "bin"
    if not (bundled / "initdb").exists():
        raise SystemExit(f"pgserver has no initdb at {bundled}")
    return bundled


def as_server_user(command: list[str]) -> list[str]:
    """Run server programs as ``postgres`` when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", RUN_AS, "--", *command]
    return command


def init_cluster(data: Path) -> None:
    """Create a cluster that trusts local connections, for demo data only."""
    data.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(data.parent, RUN_AS, RUN_AS)
        shutil.chown(data, RUN_AS, RUN_AS)
    command = [
        str(bin_dir() / "initdb"),
        "-D",
        str(data),
        "-U",
        "postgres",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
    ]
    subprocess.run(as_server_user(command), check=True, stdout=subprocess.DEVNULL)


def pg_ctl(data: Path, *args: str) -> None:
    """Run ``pg_ctl`` on the private cluster."""
    command = [str(bin_dir() / "pg_ctl"), "-D", str(data), *args]
    subprocess.run(as_server_user(command), check=True, stdout=subprocess.DEVNULL)


def is_running(data: Path) -> bool:
    """True when the private cluster's postmaster is alive."""
    command = [str(bin_dir() / "pg_ctl"), "-D", str(data), "status"]
    result = subprocess.run(as_server_user(command), capture_output=True, check=False)
    return result.returncode == 0


def port_in_use(port: int) -> bool:
    """True when something already listens on 127.0.0.1:port."""
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def create_database(port: int, database: str) -> None:
    """Create the database unless it exists."""
    client = bin_dir() / "psql"
    if not client.exists():
        client = Path(shutil.which("psql") or "psql")
    psql = [
        str(client),
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
        "-U",
        "postgres",
        "-d",
        "postgres",
        "-tAc",
    ]
    deadline = time.monotonic() + 30
    while True:
        found = subprocess.run(
            [*psql, "select datname from pg_database"],
            capture_output=True,
            text=True,
            check=False,
        )
        if found.returncode == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    if database not in found.stdout.split():
        subprocess.run(
            [*psql, f'create database "{database}"'],
            check=True,
            stdout=subprocess.DEVNULL,
        )


if __name__ == "__main__":
    sys.exit(main())
