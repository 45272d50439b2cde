"""The ``salesrabbit-sandbox`` command: run a sandbox as its own process."""

from __future__ import annotations

import argparse
import errno
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from salesrabbit_sandbox.app import SandboxApp, SandboxConfig
from salesrabbit_sandbox.handler import SandboxHTTPServer

logger = logging.getLogger("salesrabbit_sandbox")

EXIT_ADDRESS_IN_USE = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen command.

    Returns:
        The process exit code.
    """
    args = _parser().parse_args(argv)
    return int(args.run(args))


def serve(args: argparse.Namespace) -> int:
    """Serve until interrupted (Ctrl-C or SIGTERM)."""
    app = SandboxApp(_config(args))
    try:
        server = SandboxHTTPServer((args.host, args.port), app)
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        sys.stderr.write(
            f"salesrabbit-sandbox: {args.host}:{args.port} is already in use\n"
        )
        return EXIT_ADDRESS_IN_USE
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr
    )
    signal.signal(signal.SIGTERM, _stop)
    pid_file = Path(args.pid_file) if args.pid_file else None
    if pid_file is not None:
        pid_file.write_text(f"{os.getpid()}\n")
    host, port = server.server_address[:2]
    logger.info(
        "serving %d leads (seed %d) on http://%s:%s", args.leads, args.seed, host, port
    )
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        logger.info("stopping")
    finally:
        app.stopping.set()
        server.server_close()
        if pid_file is not None:
            pid_file.unlink(missing_ok=True)
    return 0


def _config(args: argparse.Namespace) -> SandboxConfig:
    faults: list[dict[str, Any]] = []
    if args.latency_ms:
        faults.append({"latency_ms": args.latency_ms})
    if args.rate_limit_every:
        faults.append(
            {"every": args.rate_limit_every, "status": 429, "retry_after": "1"}
        )
    return SandboxConfig(args.leads, args.seed, args.api_key, tuple(faults))


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="salesrabbit-sandbox",
        description="A local SalesRabbit-compatible API with generated leads.",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    run = commands.add_parser("serve", help="serve the API until interrupted")
    run.set_defaults(run=serve)
    run.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    run.add_argument("--port", type=int, default=8765, help="port (0: any free one)")
    run.add_argument("--leads", type=_count, default=3000, help="leads to generate")
    run.add_argument("--seed", type=int, default=42, help="seed of the generated data")
    run.add_argument(
        "--api-key", default="sandbox-key", help="the bearer token the API accepts"
    )
    run.add_argument("--pid-file", help="write the process id here once listening")
    run.add_argument(
        "--latency-ms", type=_count, default=0, help="delay every API request"
    )
    run.add_argument(
        "--rate-limit-every",
        type=_count,
        default=0,
        metavar="N",
        help="answer every Nth API request 429 with Retry-After: 1",
    )
    return parser


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


if __name__ == "__main__":
    sys.exit(main())
