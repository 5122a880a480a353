"""The local gateway on a port: an HTTP/1.1 server in a background thread.

It reads each request the way API Gateway does (a body over 10 MB is refused with 413,
chunked bodies are accepted), hands it to the ``GatewayApp`` and writes its response.
Only one access line per request is logged: method, path without the query string,
status and duration. Headers, query strings and bodies carry personal data and
tracking codes, so they are never logged.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Unpack

from infra.template import HttpRoute, http_routes
from tools.local.gateway import GatewayApp, GatewayOptions
from tools.local.proxy import GatewayRequest, GatewayResponse, json_message

log = logging.getLogger(__name__)

# API Gateway HTTP APIs refuse request bodies over 10 MB with 413.
MAX_BODY_BYTES = 10 * 1024 * 1024
# A refused body is still read (up to this much) so the client sees the 413 instead of
# a connection reset while it is still sending.
_MAX_DRAIN_BYTES = 64 * 1024 * 1024
_CHUNK = 64 * 1024


class _BodyTooLarge(Exception):
    pass


class _BadRequest(Exception):
    pass


def _announced_length(raw: str | None) -> int:
    """Content-Length as a number; 0 when absent or unreadable (read_body rejects those)."""
    try:
        return int(raw) if raw is not None else 0
    except ValueError:
        return 0


class _GatewayServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: GatewayApp) -> None:
        self.app = app
        super().__init__(address, _RequestHandler)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "pendopo-local-gateway"
    sys_version = ""
    server: _GatewayServer

    def _serve(self) -> None:
        started = time.perf_counter()
        raw_path, _, query = self.path.partition("?")
        try:
            body = self._read_body()
        except _BodyTooLarge:
            response = json_message(413, "Request Entity Too Large")
            self.close_connection = True
        except _BadRequest:
            response = json_message(400, "Bad Request")
            self.close_connection = True
        else:
            request = GatewayRequest(
                method=self.command,
                raw_path=raw_path,
                query=query,
                headers=list(self.headers.items()),
                body=body,
                source_ip=self.client_address[0],
            )
            response = self.server.app.handle(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        # Logged before the response is written, so a client that has its answer can
        # rely on the line being there (the tests do).
        log.info("%s %s %d %.1fms", self.command, raw_path, response.status, elapsed_ms)
        self._send(response)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _serve

    def handle_expect_100(self) -> bool:
        """Refuse an announced oversized body before the client sends it (curl does this)."""
        if _announced_length(self.headers.get("content-length")) <= MAX_BODY_BYTES:
            return super().handle_expect_100()
        self.close_connection = True
        log.info("%s %s %d %.1fms", self.command, self.path.partition("?")[0], 413, 0.0)
        self._send(json_message(413, "Request Entity Too Large"))
        return False

    def _read_body(self) -> bytes | None:
        if "chunked" in self.headers.get("transfer-encoding", "").lower():
            body = self._read_chunked()
        else:
            body = self._read_sized()
        return body or None

    def _read_sized(self) -> bytes:
        raw_length = self.headers.get("content-length")
        if raw_length is None:
            return b""
        try:
            length = int(raw_length)
        except ValueError as error:
            raise _BadRequest from error
        if length < 0:
            raise _BadRequest
        if length > MAX_BODY_BYTES:
            self._drain(length)
            raise _BodyTooLarge
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            size_line = self.rfile.readline(1024)
            try:
                size = int(size_line.split(b";", 1)[0].strip(), 16)
            except ValueError as error:
                raise _BadRequest from error
            if size == 0:
                while self.rfile.readline(1024).strip():
                    pass  # trailers: none of our business
                return b"".join(chunks)
            total += size
            if total > MAX_BODY_BYTES:
                raise _BodyTooLarge
            chunks.append(self.rfile.read(size))
            self.rfile.readline(3)

    def _drain(self, length: int) -> None:
        remaining = min(length, _MAX_DRAIN_BYTES)
        while remaining > 0:
            chunk = self.rfile.read(min(_CHUNK, remaining))
            if not chunk:
                return
            remaining -= len(chunk)

    def _send(self, response: GatewayResponse) -> None:
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("content-length", str(len(response.body)))
        if self.close_connection:
            self.send_header("connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Silenced: the default line holds the query string; _serve logs its own."""

    def log_error(self, format: str, *args: Any) -> None:
        # The default message can echo the request line (and so a query string).
        code = args[0] if args and isinstance(args[0], int) else "-"
        log.warning("refused a malformed HTTP request (%s)", code)


class LocalGateway:
    """The HTTP gateway on a local port, served from a background thread.

    ``routes`` defaults to every HttpApi route of template.yaml; tests pass their own.
    ``port=0`` picks a free port; ``url`` tells which one after ``start()``.
    The other options go to the ``GatewayApp``: ``static_dir`` (default ``web/``),
    ``stage``, ``verifier`` checks the tokens of authorized routes (none: they answer
    401), ``local_pages``, and ``throttle`` applies per-route rate limits
    (``RouteThrottle.from_template()``: the template's; none: nothing is throttled).
    """

    def __init__(
        self,
        routes: Sequence[HttpRoute] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        **options: Unpack[GatewayOptions],
    ) -> None:
        self.app = GatewayApp(http_routes() if routes is None else routes, **options)
        self._address = (host, port)
        self._server: _GatewayServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Bind and serve; returns once the socket is listening."""
        # The constructor binds and listens, so requests queue from here on.
        self._server = _GatewayServer(self._address, self.app)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="pendopo-gateway", daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the gateway is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = None
        self._thread = None

    def __enter__(self) -> LocalGateway:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
