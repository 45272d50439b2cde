"""Start, stop and describe the project's private PostgreSQL server.

The demo and the tests need a PostgreSQL server. In order of preference:

1. one the user configured (``TARGET_POSTGRES_HOST`` is set): used as it is;
2. a private cluster started from the system's binaries (``initdb`` on the
   PATH or under ``/usr/lib/postgresql``);
3. the same, from the binaries bundled in the ``pgserver`` wheel, which is
   installed on demand.

The private cluster listens on 127.0.0.1 only, trusts local connections and
holds nothing but demo and test data. Usage::

    python scripts/localpg.py start [--port 55432] [--database salesrabbit]
    python scripts/localpg.py stop
    python scripts/localpg.py status

``--binaries pgserver`` skips the system's binaries; ``--data-dir`` puts the
cluster elsewhere.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import typing as t
import warnings
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PORT = 55432
RUN_AS = "postgres"
# Programs run as postgres start here: it may not enter the checkout.
NEUTRAL = tempfile.gettempdir()


def main() -> int:
    """Run the command named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--database", default="salesrabbit")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--binaries", choices=["auto", "pgserver"], default="auto")
    args = parser.parse_args()
    cluster = Cluster(
        data=args.data_dir or default_data_dir(),
        port=args.port,
        binaries=find_binaries(system=args.binaries == "auto"),
    )
    if args.command == "start":
        return 0 if uses_configured_server() else cluster.start(args.database)
    if args.command == "stop":
        return cluster.stop()
    return cluster.status()


@dataclass(frozen=True)
class Cluster:
    """A private PostgreSQL cluster: its data directory, port and programs."""

    data: Path
    port: int
    binaries: Path

    def start(self, database: str) -> int:
        """Make sure the cluster is up and the database exists."""
        if not (self.data / "PG_VERSION").exists():
            self.initialize()
        if not self.is_running():
            if port_in_use(self.port):
                print(
                    f"Port {self.port} is taken by another program. Free it, or "
                    "point the project at your own server with "
                    "TARGET_POSTGRES_HOST, TARGET_POSTGRES_PORT and "
                    "TARGET_POSTGRES_USER.",
                    file=sys.stderr,
                )
                return 2
            options = (
                f"-p {self.port} -c listen_addresses=127.0.0.1 "
                "-c unix_socket_directories=''"
            )
            log = str(self.data.parent / "postgres.log")
            self.pg_ctl("start", "-w", "-l", log, "-o", options)
        self.create_database(database)
        print(f"PostgreSQL is up on 127.0.0.1:{self.port}, database {database!r}")
        print("Stop it with: make stop")
        return 0

    def stop(self) -> int:
        """Stop the cluster, if it runs."""
        if (self.data / "PG_VERSION").exists() and self.is_running():
            self.pg_ctl("stop", "-m", "fast", "-w")
            print("PostgreSQL stopped")
        else:
            print("PostgreSQL was not running")
        return 0

    def status(self) -> int:
        """Say whether the cluster runs; exit 1 when it does not."""
        running = (self.data / "PG_VERSION").exists() and self.is_running()
        where = f"127.0.0.1:{self.port}, data in {self.data}"
        print(("running on " if running else "not running; would run on ") + where)
        return 0 if running else 1

    def initialize(self) -> None:
        """Create a cluster that trusts local connections, for demo data only."""
        self.data.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.data.parent, RUN_AS, RUN_AS)
            shutil.chown(self.data, RUN_AS, RUN_AS)
        self.run(
            "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip

    def pg_ctl(self, *args: str) -> None:
        """Run ``pg_ctl`` on this cluster."""
        self.run("pg_ctl", "-D", str(self.data), *args)

    def is_running(self) -> bool:
        """True when the cluster's postmaster is alive."""
        command = [str(self.binaries / "pg_ctl"), "-D", str(self.data), "status"]
        result = subprocess.run(
            as_server_user(command), capture_output=True, check=False, cwd=NEUTRAL
        )
        return result.returncode == 0

    def run(self, program: str, *args: str) -> None:
        """Run one of the server programs, as the server's user."""
        command = [str(self.binaries / program), *args]
        subprocess.run(
            as_server_user(command), check=True, stdout=subprocess.DEVNULL, cwd=NEUTRAL
        )

    def create_database(self, database: str) -> None:
        """Create the database unless it exists."""
        client = self.binaries / "psql"
        if not client.exists():
            client = Path(shutil.which("psql") or "psql")
        psql = [
            str(client), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
            "-d", "postgres", "-tAc",
        ]  # fmt: skip
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


def default_data_dir() -> Path:
    """Where the private cluster lives.

    PostgreSQL refuses to run as root, so as root the cluster is owned by the
    ``postgres`` user and kept in the temporary directory, which that user can
    reach whatever the permissions on the checkout.
    """
    if os.geteuid() != 0:
        return ROOT / ".local" / "postgres" / "data"
    digest = hashlib.blake2s(str(ROOT).encode(), digest_size=5).hexdigest()
    return Path(tempfile.gettempdir()) / f"tap-salesrabbit-pg-{digest}" / "data"


def find_binaries(*, system: bool = True) -> Path:
    """Find PostgreSQL's server programs: the system's first, then pgserver's.

    Raises:
        SystemExit: when pgserver has no ``initdb`` either.
    """
    if system and (found := shutil.which("initdb")):
        return Path(found).parent
    if system:
        for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"))[::-1]:
            if (candidate / "initdb").exists():
                return candidate
    try:
        pgserver = import_pgserver()
    except ImportError:
        print("No PostgreSQL here; installing the pgserver wheel, which bundles one")
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "pgserver"], check=True
        )
        pgserver = import_pgserver()
    package = Path(pgserver.__file__).parent
    if not (package / "pginstall" / "bin" / "initdb").exists():
        raise SystemExit(f"pgserver has no initdb under {package}")
    return reachable_by_server_user(package) / "pginstall" / "bin"


def import_pgserver() -> t.Any:
    """Import pgserver, without its warning about an unset XDG_RUNTIME_DIR."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return importlib.import_module("pgserver")


def reachable_by_server_user(package: Path) -> Path:
    """A copy of pgserver's PostgreSQL that the ``postgres`` user can run.

    As root the server runs as ``postgres``, which may not be allowed into
    the checkout (a private temporary directory, a home directory), so the
    wheel's programs, and the libraries they find by relative path, are
    copied once to the temporary directory.
    """
    if os.geteuid() != 0:
        return package
    digest = hashlib.blake2s(str(package).encode(), digest_size=5).hexdigest()
    top = Path(tempfile.gettempdir()) / f"tap-salesrabbit-pgserver-{digest}"
    if not (top / "pgserver" / "pginstall" / "bin" / "initdb").exists():
        staging = top.with_name(top.name + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(package / "pginstall", staging / "pgserver" / "pginstall")
        libraries = package.with_name("pgserver.libs")
        if libraries.exists():
            shutil.copytree(libraries, staging / "pgserver.libs")
        staging.chmod(0o755)
        (staging / "pgserver").chmod(0o755)
        staging.rename(top)
    return top / "pgserver"


def as_server_user(command: list[str]) -> list[str]:
    """Run server programs as ``postgres`` when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", RUN_AS, "--", *command]
    return command


def port_in_use(port: int) -> bool:
    """True when something already listens on 127.0.0.1:port."""
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def uses_configured_server() -> bool:
    """True, and say so, when the user pointed the project at their server."""
    if host := os.environ.get("TARGET_POSTGRES_HOST"):
        print(f"Using the PostgreSQL server you configured: {host}")
        return True
    return False


def start(port: int = DEFAULT_PORT, database: str = "salesrabbit") -> int:
    """Start the default cluster, unless the user configured a server."""
    if uses_configured_server():
        return 0
    return Cluster(default_data_dir(), port, find_binaries()).start(database)


if __name__ == "__main__":
    sys.exit(main())
