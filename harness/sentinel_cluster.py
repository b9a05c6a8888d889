"""A real Sentinel deployment on one machine: a primary, replicas and three Sentinels, for chaos and tests.

Every process is the same ``redis-server`` binary the embedded Redis uses (:func:`server_binary`), the
Sentinels started with ``--sentinel``. Each data node runs with the durability settings of
``config/redis/node.conf`` (append-only, ``min-replicas-to-write 1``): a primary that has no replica in sync
refuses writes, so a killed primary restarted by a supervisor can never accept a comment that the failover
then throws away. A node restarted by :meth:`SentinelCluster.restart_node` first asks the Sentinels who the
primary is and starts as its replica, as ``config/redis/start-node.sh`` does in a deployment.

Example::

    with SentinelCluster(tmp_path) as cluster:
        url = cluster.url                    # redis+sentinel://127.0.0.1:p1,...,127.0.0.1:p3/moderation
        cluster.kill_node(cluster.primary_index())
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from redis import Redis
from redis.exceptions import RedisError

from moderation.ops.embedded_redis import free_port, reachable, server_binary
from moderation.settings import PROJECT_ROOT

#: The name the Sentinels know the primary by.
MASTER_NAME = "moderation"
#: The data nodes' durability settings (shipped as an example deployment file).
NODE_CONF = PROJECT_ROOT / "config" / "redis" / "node.conf"


@dataclass
class Node:
    """One ``redis-server`` process of the cluster (data node or Sentinel).

    :param port: its port on 127.0.0.1.
    :param conf: its configuration file (Sentinels rewrite theirs).
    :param process: the running process, None while stopped.
    """

    port: int
    conf: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def alive(self) -> bool:
        """Whether its process runs."""
        return self.process is not None and self.process.poll() is None


class SentinelCluster:
    """A primary, ``replicas`` replicas and ``sentinels`` Sentinels (quorum 2) on 127.0.0.1.

    :param root: where the nodes keep their configuration, data and logs.
    :param replicas: how many replicas.
    :param sentinels: how many Sentinels.
    :param down_after_ms: ``down-after-milliseconds``: how long a silent primary takes to be declared down.
    :param failover_timeout_ms: the Sentinels' ``failover-timeout``.
    """

    def __init__(self, root: Path, *, replicas: int = 2, sentinels: int = 3, down_after_ms: int = 2000,
                 failover_timeout_ms: int = 10_000) -> None:
        self.root = Path(root)
        self.down_after_ms = down_after_ms
        self.failover_timeout_ms = failover_timeout_ms
        self.nodes = [Node(free_port(), self.root / f"node-{i}.conf") for i in range(replicas + 1)]
        self.sentinels = [Node(free_port(), self.root / f"sentinel-{i}.conf") for i in range(sentinels)]

    @property
    def url(self) -> str:
        """The ``redis+sentinel://`` URL naming the Sentinels and the master (db 0)."""
        hosts = ",".join(f"127.0.0.1:{s.port}" for s in self.sentinels)
        return f"redis+sentinel://{hosts}/{MASTER_NAME}/0"

    def start(self, timeout: float = 30.0) -> SentinelCluster:
        """Start the primary, its replicas (waiting until they are in sync) and the Sentinels."""
        self.root.mkdir(parents=True, exist_ok=True)
        primary = self.nodes[0]
        for node in self.nodes:
            self._start_node(node, None if node is primary else primary.port)
        self._wait(lambda: self._replicas_online(primary.port) >= len(self.nodes) - 1, timeout, "replicas in sync")
        quorum = max(1, len(self.sentinels) // 2 + 1)
        for sentinel in self.sentinels:
            sentinel.conf.write_text(
                f"port {sentinel.port}\nbind 127.0.0.1\ndir {self.root}\n"
                f"logfile {self.root / f'sentinel-{sentinel.port}.log'}\n"
                f"sentinel monitor {MASTER_NAME} 127.0.0.1 {primary.port} {quorum}\n"
                f"sentinel down-after-milliseconds {MASTER_NAME} {self.down_after_ms}\n"
                f"sentinel failover-timeout {MASTER_NAME} {self.failover_timeout_ms}\n"
                f"sentinel parallel-syncs {MASTER_NAME} 1\n")
            self._start_sentinel(sentinel)
        self._wait(lambda: all(self._sentinel_knows(s) for s in self.sentinels), timeout, "Sentinels ready")
        return self

    def stop(self) -> None:
        """Stop every process (SIGTERM, then SIGKILL)."""
        for node in [*self.sentinels, *self.nodes]:
            _terminate(node)

    def primary_address(self) -> tuple[str, int] | None:
        """The primary the first Sentinel that answers names, or None."""
        for sentinel in self.sentinels:
            if not sentinel.alive:
                continue
            try:
                answer = Redis(port=sentinel.port, socket_timeout=1, decode_responses=True).execute_command(
                    "SENTINEL", "get-master-addr-by-name", MASTER_NAME)
            except RedisError:
                continue
            if answer:
                return str(answer[0]), int(answer[1])
        return None

    def primary_index(self) -> int:
        """The index in :attr:`nodes` of the node the Sentinels call primary."""
        address = self.primary_address()
        if address is None:
            raise RuntimeError("no Sentinel names a primary")
        return next(i for i, n in enumerate(self.nodes) if n.port == address[1])

    def kill_node(self, index: int) -> None:
        """SIGKILL data node ``index`` (a crash: nothing flushed beyond its append-only file)."""
        _kill(self.nodes[index])

    def restart_node(self, index: int) -> None:
        """Start data node ``index`` again on its port and files, as the replica of the primary the Sentinels
        name (when they name another node), as ``config/redis/start-node.sh`` does."""
        node = self.nodes[index]
        address = self.primary_address()
        primary = address[1] if address and address[1] != node.port else None
        self._start_node(node, primary)

    def kill_sentinel(self, index: int) -> None:
        """SIGKILL Sentinel ``index``."""
        _kill(self.sentinels[index])

    def wait_for_new_primary(self, old_port: int, timeout: float = 30.0) -> float:
        """Seconds until the Sentinels name a primary other than ``old_port`` that accepts writes."""
        started = time.monotonic()

        def switched() -> bool:
            address = self.primary_address()
            return bool(address and address[1] != old_port and self._role(address[1]) == "master")

        self._wait(switched, timeout, "a new primary")
        return time.monotonic() - started

    def _start_node(self, node: Node, replica_of: int | None) -> None:
        node.conf.write_text(
            f"include {NODE_CONF}\nport {node.port}\nbind 127.0.0.1\ndir {self.root}\n"
            f"logfile {self.root / f'redis-{node.port}.log'}\ndbfilename dump-{node.port}.rdb\n"
            f"appendfilename appendonly-{node.port}.aof\n"
            + (f"replicaof 127.0.0.1 {replica_of}\n" if replica_of else ""))
        node.process = subprocess.Popen([server_binary(), str(node.conf)], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        self._wait(lambda: reachable(f"redis://127.0.0.1:{node.port}/0", timeout=0.2), 15, f"node {node.port}")

    def _start_sentinel(self, sentinel: Node) -> None:
        sentinel.process = subprocess.Popen([server_binary(), str(sentinel.conf), "--sentinel"],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                            start_new_session=True)

    def _sentinel_knows(self, sentinel: Node) -> bool:
        client = Redis(port=sentinel.port, socket_timeout=1, decode_responses=True)
        replicas = client.execute_command("SENTINEL", "replicas", MASTER_NAME)
        others = client.execute_command("SENTINEL", "sentinels", MASTER_NAME)
        return len(replicas) >= len(self.nodes) - 1 and len(others) >= len(self.sentinels) - 1

    def _replicas_online(self, port: int) -> int:
        info = Redis(port=port, socket_timeout=1).info("replication")
        return sum(1 for k, v in info.items() if k.startswith("slave") and isinstance(v, dict)
                   and v.get("state") == "online")

    def role(self, index: int) -> str:
        """Data node ``index``'s replication role (``master``, ``slave``), "" if it does not answer."""
        return self._role(self.nodes[index].port)

    def _role(self, port: int) -> str:
        try:
            return str(Redis(port=port, socket_timeout=1, decode_responses=True).info("replication")["role"])
        except RedisError:
            return ""

    @staticmethod
    def _wait(condition: object, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(RedisError, OSError):
                if condition():  # type: ignore[operator]
                    return
            time.sleep(0.05)
        raise RuntimeError(f"Sentinel cluster: no {what} within {timeout} s")

    def __enter__(self) -> SentinelCluster:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def _kill(node: Node) -> None:
    if node.alive and node.process is not None:
        node.process.send_signal(signal.SIGKILL)
        node.process.wait()
    node.process = None


def _terminate(node: Node) -> None:
    if node.alive and node.process is not None:
        node.process.terminate()
        try:
            node.process.wait(10)
        except subprocess.TimeoutExpired:
            node.process.kill()
            node.process.wait()
    node.process = None
