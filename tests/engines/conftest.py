"""Fixtures for the engine tests: one local Ray for the session, and a redis-server on loopback.

Ray and redis-py are optional extras: without them these tests skip with the extra to install. The
Redis server comes from ``CLEANSE_TEST_REDIS_URL`` (``.ci/services.sh`` prints it) or, when that is not
set, is started here from the ``redis-server`` binary on a free port and stopped afterwards.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for benchmarks.reprints


@pytest.fixture(scope="session")
def ray_session() -> Iterator[Any]:
    ray = pytest.importorskip("ray", reason='Ray engine tests need the extra: pip install "cleanse[ray]"')
    pytest.importorskip("ray.data", reason='Ray engine tests need the extra: pip install "cleanse[ray]"')
    from cleanse.engines import RayOptions, connect

    started = not ray.is_initialized()
    connect(RayOptions(num_cpus=2))
    yield ray
    if started:
        ray.shutdown()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    pytest.importorskip("redis", reason='Redis index tests need the extra: pip install "cleanse[redis]"')
    url = os.environ.get("CLEANSE_TEST_REDIS_URL")
    if url:
        yield url
        return
    if shutil.which("redis-server") is None:
        pytest.skip("no redis-server: run .ci/services.sh or set CLEANSE_TEST_REDIS_URL")
    server, url = start_redis_server()
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def start_redis_server() -> tuple[subprocess.Popen[bytes], str]:
    """A throw-away redis-server on a free loopback port (no persistence) and its URL."""
    binary = shutil.which("redis-server") or "redis-server"
    port = _free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for(port)
    return server, f"redis://127.0.0.1:{port}/0"


def _wait_for(port: int, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"redis-server did not listen on port {port} within {seconds} s")


@pytest.fixture()
def redis_namespace(redis_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A namespace of its own for each test, deleted afterwards."""
    from cleanse.engines.redis_storage import RedisStorage

    namespace = f"cleanse-test:{request.node.name}:{os.getpid()}"
    yield namespace
    client = RedisStorage.from_url(redis_url, namespace).client
    for key in client.scan_iter(match=f"{namespace}:*"):
        client.delete(key)


@pytest.fixture()
def throwaway_redis(redis_url: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """A redis-server of the test's own, which the test may kill."""
    server, url = start_redis_server()
    yield server, url
    if server.poll() is None:
        server.kill()
    server.wait(timeout=10)
