"""The HTTP layer: bytes in, :class:`Request` to the app, :class:`Reply` out."""

from __future__ import annotations

import contextlib
import logging
import socket
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from salesrabbit_sandbox.messages import Reply, Request

if TYPE_CHECKING:
    from salesrabbit_sandbox.app import SandboxApp

logger = logging.getLogger("salesrabbit_sandbox")

CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)
BODYLESS = frozenset({HTTPStatus.NO_CONTENT, HTTPStatus.NOT_MODIFIED})


class SandboxHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server that carries the sandbox app.

    Args:
        address: ``(host, port)``; port 0 picks a free port.
        app: The application every request is handed to.
    """

    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: SandboxApp) -> None:
        super().__init__(address, SandboxRequestHandler)
        self.app = app

    def handle_error(self, request: object, client_address: object) -> None:
        """Log a failed connection in one line instead of a traceback."""
        logger.debug("connection from %s ended with an error", client_address)


class SandboxRequestHandler(BaseHTTPRequestHandler):
    """Speaks HTTP/1.1 with keep-alive; hands every request to the app."""

    server: SandboxHTTPServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body leave in separate writes
    server_version = "SalesRabbitSandbox/0.1"

    def do_GET(self) -> None:
        """Serve a GET request."""
        self._serve()

    def do_POST(self) -> None:
        """Serve a POST request."""
        self._serve()

    def do_DELETE(self) -> None:
        """Serve a DELETE request."""
        self._serve()

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default access log; the app writes its own line."""

    def _serve(self) -> None:
        started = time.monotonic()
        request = self._read_request()
        reply = self.server.app.handle(request)
        if reply.stream is None:
            # Logged before the answer leaves, so a client that reads the log
            # right after its own request finds it there.
            self.server.app.record(request, reply, time.monotonic() - started)
        try:
            self._send(reply)
        except CLIENT_GONE:
            self.close_connection = True
        if reply.stream is not None:
            self.server.app.record(request, reply, time.monotonic() - started)

    def _read_request(self) -> Request:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        return Request(
            method=self.command,
            path=url.path,
            query=dict(reversed(parse_qsl(url.query, keep_blank_values=True))),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=self.rfile.read(length) if length > 0 else b"",
        )

    def _send(self, reply: Reply) -> None:
        if reply.drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.stream is not None:
            self._send_stream(reply)
            return
        if reply.status not in BODYLESS:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if reply.status not in BODYLESS:
            self.wfile.write(reply.body)

    def _send_stream(self, reply: Reply) -> None:
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        for chunk in reply.stream or ():
            self.wfile.write(chunk)
            reply.rows += chunk.count(b"\n")
