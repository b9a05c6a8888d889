"""Starting and stopping the HTTP API server (``moderation api``) and the webhook deliverer (``moderation
webhooks deliver``) as real processes, for tests and ``make bench-api``; and a local webhook receiver that
verifies signatures and can go down and come back (:class:`WebhookReceiver`).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from moderation.publishing.webhooks import SIGNATURE_HEADER, verify_signature
from moderation.settings import PROJECT_ROOT


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ModerationProcess:
    """A ``python -m moderation ...`` child process (the API server, a deliverer).

    :param args: the verb and its arguments.
    :param env: environment added to ours (``REDIS_URL``, ``MODERATION_PREFIX``, ...).
    :param log_file: where its output goes (discarded by default).
    """

    def __init__(self, args: list[str], env: dict[str, str], log_file: Path | None = None) -> None:
        import os

        self.args = args
        self.env = {**os.environ, **env}
        self.log_file = log_file
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Self:
        """Start it (does not wait)."""
        out = open(self.log_file, "ab") if self.log_file else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen([sys.executable, "-m", "moderation", *self.args], env=self.env,
                                        cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM, then SIGKILL after ``timeout``."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


class ApiServer(ModerationProcess):
    """``moderation api`` on a free port of 127.0.0.1.

    :param env: environment added to ours.
    :param log_file: where its output goes.
    """

    def __init__(self, env: dict[str, str], log_file: Path | None = None, port: int | None = None) -> None:
        self.port = port or free_port()
        super().__init__(["api", "--host", "127.0.0.1", "--port", str(self.port)], env, log_file)

    @property
    def url(self) -> str:
        """Its base URL (``http://127.0.0.1:PORT``)."""
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 60.0) -> ApiServer:
        """Wait until ``GET /v1/health`` answers 200.

        :raises RuntimeError: if the process exits or does not answer within ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"the API server exited{f'; see {self.log_file}' if self.log_file else ''}")
            with contextlib.suppress(OSError):
                if request(self.url, "GET", "/v1/health")[0] == 200:
                    return self
            time.sleep(0.1)
        raise RuntimeError(f"the API server did not answer within {timeout} s")


def request(base: str, method: str, path: str, body: Any = None, key: str | None = None,
            headers: dict[str, str] | None = None, raw: bytes | None = None,
            timeout: float = 60.0) -> tuple[int, Any, dict[str, str]]:
    """One HTTP request to the API (a new connection).

    :returns: the status, the JSON answer (None when it is not JSON) and the headers (lowercase names).
    """
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    sent = {"Content-Type": "application/json", **({"Authorization": f"Bearer {key}"} if key else {}),
            **(headers or {})}
    try:
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        text = response.read()
        answer_headers = {k.lower(): v for k, v in response.getheaders()}
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = None
        return response.status, parsed, answer_headers
    finally:
        conn.close()


class _Server(ThreadingHTTPServer):
    allow_reuse_address = True
    #: A deep accept queue: with the default 5, a burst under load drops connection attempts, which the
    #: sender's kernel retries only after a second.
    request_queue_size = 1024


@dataclass
class Received:
    """One request a :class:`WebhookReceiver` received."""

    body: dict[str, Any]
    headers: dict[str, str]
    signed: bool
    at: float


@dataclass
class WebhookReceiver:
    """A local HTTP server receiving webhooks: verifies each signature with ``secret``, records what it got.

    :param port: its port (default: a free one); kept when it is stopped and started again.
    :param secret: the webhook's signing secret (set after ``webhooks add``).
    :param status: what it answers (200; set 500 to play a failing receiver).
    :param delay: seconds it takes before answering (a slow receiver).
    """

    port: int = field(default_factory=free_port)
    secret: str = ""
    status: int = 200
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        """The URL to register."""
        return f"http://127.0.0.1:{self.port}/hooks/moderation"

    def start(self) -> WebhookReceiver:
        """Listen (again)."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                time.sleep(receiver.delay)
                signed = verify_signature(receiver.secret, raw, self.headers.get(SIGNATURE_HEADER, ""))
                status = receiver.status if signed else 400
                if status == 200:
                    with receiver._lock:
                        receiver.received.append(Received(json.loads(raw), dict(self.headers.items()), signed,
                                                          time.time()))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = _Server(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop listening (connections are refused until :meth:`start`)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def deliveries(self) -> list[Received]:
        """What was received so far."""
        with self._lock:
            return list(self.received)
