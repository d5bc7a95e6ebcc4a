"""A dedup index shared across processes and runs: the dedup stage's storage protocol on Redis.

:class:`RedisStorage` implements :class:`cleanse.stages.dedup.storage.IndexStorage`, so a
:class:`~cleanse.stages.dedup.index.NearDupIndex` runs unchanged on it: signatures (512 bytes each for
128 permutations) in one hash, names, clusters, times and sizes in others, live entries in a set, and one
Redis set per band key. Entry ids come from an atomic counter, so any number of processes can add.

Two processes checking at the same moment could each miss the other's document (both query, then both
add). :func:`shared_run` closes that gap: it holds a Redis lock while a batch of documents is checked and
indexed, so the processes' batches interleave as if one process had run them in that order.

Connection failures are retried with backoff and then raised as
:class:`~cleanse.engines._optional.EngineError` naming the server; nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from cleanse.document import Document
from cleanse.engines._optional import EngineError, require_redis
from cleanse.stages.dedup.index import NearDupIndex
from cleanse.stages.dedup.stage import SENTENCE_THRESHOLD, NearDupDetector
from cleanse.stages.dedup.storage import IndexStorage

DEFAULT_NAMESPACE = "cleanse:dedup"
LOCK_TIMEOUT = 120.0


def connect_redis(url: str, attempts: int = 3, timeout: float = 5.0) -> Any:
    """A redis-py client for ``url`` that retries lost connections; :class:`EngineError` if unreachable."""
    redis = require_redis()
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    try:
        client = redis.Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(ExponentialBackoff(cap=2.0, base=0.1), attempts),
            retry_on_error=[redis.exceptions.ConnectionError, redis.exceptions.TimeoutError],
        )
        client.ping()
    except ValueError as exc:
        raise EngineError(f"bad Redis URL {url!r}: {exc}") from None
    except redis.exceptions.RedisError as exc:
        raise EngineError(f"cannot reach Redis at {url} after {attempts} attempts: {exc}") from exc
    return client


class RedisStorage(IndexStorage):
    """The index storage protocol on Redis, under ``namespace`` (one namespace per index)."""

    def __init__(self, client: Any, namespace: str = DEFAULT_NAMESPACE, num_perm: int = 128) -> None:
        if not namespace:
            raise ValueError("namespace must not be empty")
        self.client = client
        self.namespace = namespace
        self.num_perm = num_perm
        stored = self._call(client.get, self._key("num_perm"))
        if stored is None:
            self._call(client.setnx, self._key("num_perm"), num_perm)
        elif int(stored) != num_perm:
            raise ValueError(f"Redis index {namespace!r} holds {int(stored)} permutations, not {num_perm}")

    @classmethod
    def from_url(cls, url: str, namespace: str = DEFAULT_NAMESPACE, num_perm: int = 128) -> RedisStorage:
        return cls(connect_redis(url), namespace, num_perm)

    def _key(self, *parts: object) -> str:
        return ":".join((self.namespace, *map(str, parts)))

    def _call(self, method: Any, *args: Any) -> Any:
        redis = require_redis()
        try:
            return method(*args)
        except redis.exceptions.ConnectionError as exc:
            raise EngineError(f"lost the Redis index {self.namespace!r}: {exc}") from exc

    def add_entry(self, name: str, signature: np.ndarray, added: float, cluster: int, size: int = 0) -> int:
        if self.entry_id(name) is not None:
            raise ValueError(f"the index already holds an entry named {name!r}; remove it first")
        entry = int(self._call(self.client.incr, self._key("next"))) - 1
        values = np.ascontiguousarray(signature, dtype=np.uint32)
        if values.shape != (self.num_perm,):
            raise ValueError(f"signature has shape {values.shape}, the index needs ({self.num_perm},)")
        pipe = self.client.pipeline(transaction=True)
        pipe.hset(self._key("signs"), entry, values.tobytes())
        pipe.hset(self._key("names"), entry, name)
        pipe.hset(self._key("ids"), name, entry)
        pipe.hset(self._key("clusters"), entry, entry if cluster < 0 else cluster)
        pipe.hset(self._key("added"), entry, repr(float(added)))
        pipe.hset(self._key("sizes"), entry, int(size))
        pipe.sadd(self._key("alive"), entry)
        self._call(pipe.execute)
        return entry

    def _hash_values(self, field: str, entries: np.ndarray) -> list[Any]:
        ids = np.asarray(entries, dtype=np.int64).tolist()
        if not ids:
            return []
        values = self._call(self.client.hmget, self._key(field), ids)
        missing = [entry for entry, value in zip(ids, values, strict=True) if value is None]
        if missing:
            raise KeyError(f"Redis index {self.namespace!r} has no entries {missing[:5]}")
        return values

    def signatures(self, entries: np.ndarray) -> np.ndarray:
        values = self._hash_values("signs", entries)
        if not values:
            return np.zeros((0, self.num_perm), dtype=np.uint32)
        return np.frombuffer(b"".join(values), dtype=np.uint32).reshape(len(values), self.num_perm)

    def sizes(self, entries: np.ndarray) -> np.ndarray:
        return np.array([int(v) for v in self._hash_values("sizes", entries)], dtype=np.int64)

    def entry_name(self, entry: int) -> str:
        return str(self._hash_values("names", np.array([entry]))[0].decode("utf-8"))

    def entry_cluster(self, entry: int) -> int:
        return int(self._hash_values("clusters", np.array([entry]))[0])

    def entry_id(self, name: str) -> int | None:
        value = self._call(self.client.hget, self._key("ids"), name)
        return None if value is None else int(value)

    def alive(self, entries: np.ndarray) -> np.ndarray:
        ids = np.asarray(entries, dtype=np.int64).tolist()
        if not ids:
            return np.zeros(0, dtype=bool)
        return np.array(self._call(self.client.smismember, self._key("alive"), ids), dtype=bool)

    def remove_entry(self, entry: int) -> None:
        name = self.entry_name(entry)
        pipe = self.client.pipeline(transaction=True)
        pipe.srem(self._key("alive"), entry)
        pipe.hdel(self._key("ids"), name)
        self._call(pipe.execute)

    def added(self) -> np.ndarray:
        count = int(self._call(self.client.get, self._key("next")) or 0)
        times = self._call(self.client.hmget, self._key("added"), list(range(count))) if count else []
        return np.array([float(t) if t is not None else np.inf for t in times], dtype=np.float64)

    def entry_count(self) -> int:
        return int(self._call(self.client.scard, self._key("alive")))

    def add_to_buckets(self, keys: np.ndarray, entry: int) -> None:
        pipe = self.client.pipeline(transaction=False)
        for key in np.asarray(keys, dtype=np.uint64).tolist():
            pipe.sadd(self._key("bucket", key), entry)
        self._call(pipe.execute)

    def bucket(self, key: int) -> list[int]:
        return sorted(int(v) for v in self._call(self.client.smembers, self._key("bucket", int(key))))

    def clear(self) -> int:
        """Delete every key of this namespace; returns how many were deleted."""
        keys = self._call(lambda: list(self.client.scan_iter(match=f"{self.namespace}:*", count=1000)))
        return int(self._call(self.client.delete, *keys)) if keys else 0


def use_redis_index(stage: NearDupDetector, url_or_client: Any, namespace: str = DEFAULT_NAMESPACE) -> None:
    """Point ``stage``'s document, paragraph and sentence indexes at Redis, under ``namespace``."""
    if stage.options.index_path is not None:
        raise ValueError("a dedup stage uses either index_path (a local file) or a Redis index, not both")
    client = connect_redis(url_or_client) if isinstance(url_or_client, str) else url_or_client
    options = stage.options
    for level, threshold in (
        ("documents", options.threshold),
        ("paragraphs", options.threshold),
        ("sentences", SENTENCE_THRESHOLD),
    ):
        storage = RedisStorage(client, f"{namespace}:{level}", options.num_perm)
        setattr(stage, level, NearDupIndex(threshold, options.num_perm, options.recall_weight, storage=storage))


def shared_run(
    stage: NearDupDetector, docs: Iterable[Document], batch_size: int = 32, lock_timeout: float = LOCK_TIMEOUT
) -> Iterator[Document]:
    """Run ``stage`` (on a Redis index) over ``docs``, holding the index's lock for each batch.

    Other processes doing the same see each batch whole or not at all, so the documents of all of them are
    checked as if one process had run every batch in turn.
    """
    if stage.options.keep != "first":
        raise ValueError("shared_run streams documents; it needs dedup keep='first'")
    storage = stage.documents.storage
    if not isinstance(storage, RedisStorage):
        raise ValueError("shared_run needs a stage whose index is on Redis; call use_redis_index first")
    lock = storage.client.lock(storage._key("lock"), timeout=lock_timeout, blocking_timeout=lock_timeout)
    batch: list[Document] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= batch_size:
            yield from _locked(stage, lock, batch)
            batch = []
    if batch:
        yield from _locked(stage, lock, batch)


def _locked(stage: NearDupDetector, lock: Any, batch: list[Document]) -> list[Document]:
    redis = require_redis()
    try:
        if not lock.acquire():
            raise EngineError(f"timed out waiting for the Redis index lock {lock.name!r}")
        try:
            return list(stage.run(batch))
        finally:
            lock.release()
    except redis.exceptions.LockError as exc:
        raise EngineError(f"lost the Redis index lock {lock.name!r}: {exc}") from exc
