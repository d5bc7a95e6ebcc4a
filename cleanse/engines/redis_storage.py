"""A dedup index shared across processes and runs: the dedup stage's storage protocol on Redis.

:class:`RedisStorage` implements :class:`cleanse.stages.dedup.storage.IndexStorage`, so a
:class:`~cleanse.stages.dedup.index.NearDupIndex` runs unchanged on it: signatures (512 bytes each for
128 permutations) in one hash, names, clusters, times and sizes in others, live entries in a set, and one
Redis set per band key. Entry ids come from an atomic counter, so any number of processes can add.

Round trips are what a shared index costs, so each operation of the index is one: a query's bucket look-ups,
the liveness check and the candidates' signatures, sizes, names and clusters come back from one Lua script
(:data:`QUERY_SCRIPT`), and the index's follow-up reads are answered from what it returned; adding an entry
is one script (the name check, the id and every field) plus one pipeline for its band keys. Entry fields
never change once written (only liveness does), so what was read once may be reused safely.

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
CACHED_ENTRIES = 200_000  # entry fields kept in the client (about 600 bytes each), then dropped all at once
DUPLICATE_NAME = "duplicate name"

QUERY_SCRIPT = """
local ns = ARGV[1]
local function hmget(field, ids)
  local out = {}
  for lo = 1, #ids, 4000 do
    local values = redis.call('HMGET', ns .. ':' .. field, unpack(ids, lo, math.min(lo + 3999, #ids)))
    for _, value in ipairs(values) do out[#out + 1] = value end
  end
  return out
end
local seen, live = {}, {}
for i = 2, #ARGV do
  for _, entry in ipairs(redis.call('SMEMBERS', ns .. ':bucket:' .. ARGV[i])) do
    if not seen[entry] then
      seen[entry] = true
      if redis.call('SISMEMBER', ns .. ':alive', entry) == 1 then live[#live + 1] = entry end
    end
  end
end
local clusters = hmget('clusters', live)
return {live, hmget('signs', live), hmget('sizes', live), clusters, hmget('names', live), hmget('names', clusters)}
"""

ADD_SCRIPT = """
local ns, name = ARGV[1], ARGV[2]
if redis.call('HEXISTS', ns .. ':ids', name) == 1 then return redis.error_reply('duplicate name') end
local entry = redis.call('INCR', ns .. ':next') - 1
local cluster = ARGV[4]
if cluster == '-1' then cluster = tostring(entry) end
redis.call('HSET', ns .. ':signs', entry, ARGV[3])
redis.call('HSET', ns .. ':names', entry, name)
redis.call('HSET', ns .. ':ids', name, entry)
redis.call('HSET', ns .. ':clusters', entry, cluster)
redis.call('HSET', ns .. ':added', entry, ARGV[5])
redis.call('HSET', ns .. ':sizes', entry, ARGV[6])
redis.call('SADD', ns .. ':alive', entry)
return {entry, cluster}
"""


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
        self._query = client.register_script(QUERY_SCRIPT)
        self._add = client.register_script(ADD_SCRIPT)
        self._fields: dict[int, tuple[bytes, int, int, str]] = {}  # entry -> signature, size, cluster, name
        self._live: set[int] = set()  # entries the last query found alive (liveness can change later)
        self._named: dict[str, int] = {}  # names the last query saw -> entry ids
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

    def _call(self, method: Any, *args: Any, **kwargs: Any) -> Any:
        redis = require_redis()
        try:
            return method(*args, **kwargs)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            raise EngineError(f"lost the Redis index {self.namespace!r}: {exc}") from exc

    def _remember(self, entry: int, fields: tuple[bytes, int, int, str]) -> None:
        if len(self._fields) >= CACHED_ENTRIES:
            self._fields.clear()
        self._fields[entry] = fields

    # -- queries: one round trip, follow-up reads answered from it --------------------------------

    def buckets(self, keys: np.ndarray) -> np.ndarray:
        """Live entries filed under any of ``keys``, with their fields fetched in the same round trip."""
        args = [self.namespace, *np.asarray(keys, dtype=np.uint64).tolist()]
        live, signs, sizes, clusters, names, cluster_names = self._call(self._query, args=args)
        self._live = {int(e) for e in live}
        self._named = {}
        for entry, sign, size, cluster, name, cluster_name in zip(
            live, signs, sizes, clusters, names, cluster_names, strict=True
        ):
            entry_name, first_name = name.decode("utf-8"), cluster_name.decode("utf-8")
            self._remember(int(entry), (sign, int(size), int(cluster), entry_name))
            self._named[entry_name] = int(entry)
            self._named[first_name] = int(cluster)
        return np.array(sorted(self._live), dtype=np.int64)

    def alive(self, entries: np.ndarray) -> np.ndarray:
        ids = np.asarray(entries, dtype=np.int64).tolist()
        if not ids:
            return np.zeros(0, dtype=bool)
        if all(entry in self._live for entry in ids):
            return np.ones(len(ids), dtype=bool)
        return np.array(self._call(self.client.smismember, self._key("alive"), ids), dtype=bool)

    def _entry_fields(self, entries: np.ndarray) -> list[tuple[bytes, int, int, str]]:
        ids = np.asarray(entries, dtype=np.int64).tolist()
        missing = [entry for entry in ids if entry not in self._fields]
        if missing:
            pipe = self.client.pipeline(transaction=False)
            for field in ("signs", "sizes", "clusters", "names"):
                pipe.hmget(self._key(field), missing)
            signs, sizes, clusters, names = self._call(pipe.execute)
            absent = [entry for entry, name in zip(missing, names, strict=True) if name is None]
            if absent:
                raise KeyError(f"Redis index {self.namespace!r} has no entries {absent[:5]}")
            for entry, sign, size, cluster, name in zip(missing, signs, sizes, clusters, names, strict=True):
                self._remember(entry, (sign, int(size), int(cluster), name.decode("utf-8")))
        return [self._fields[entry] for entry in ids]

    def signatures(self, entries: np.ndarray) -> np.ndarray:
        fields = self._entry_fields(entries)
        if not fields:
            return np.zeros((0, self.num_perm), dtype=np.uint32)
        return np.frombuffer(b"".join(f[0] for f in fields), dtype=np.uint32).reshape(len(fields), self.num_perm)

    def sizes(self, entries: np.ndarray) -> np.ndarray:
        return np.array([f[1] for f in self._entry_fields(entries)], dtype=np.int64)

    def entry_name(self, entry: int) -> str:
        return self._entry_fields(np.array([entry]))[0][3]

    def entry_cluster(self, entry: int) -> int:
        return self._entry_fields(np.array([entry]))[0][2]

    def entry_id(self, name: str) -> int | None:
        if name in self._named:
            return self._named[name]
        value = self._call(self.client.hget, self._key("ids"), name)
        return None if value is None else int(value)

    # -- writes --------------------------------------------------------------------------------

    def add_entry(self, name: str, signature: np.ndarray, added: float, cluster: int, size: int = 0) -> int:
        values = np.ascontiguousarray(signature, dtype=np.uint32)
        if values.shape != (self.num_perm,):
            raise ValueError(f"signature has shape {values.shape}, the index needs ({self.num_perm},)")
        redis = require_redis()
        args = [self.namespace, name, values.tobytes(), int(cluster), repr(float(added)), int(size)]
        try:
            entry, first = self._call(self._add, args=args)
        except redis.exceptions.ResponseError as exc:
            if DUPLICATE_NAME in str(exc):
                raise ValueError(f"the index already holds an entry named {name!r}; remove it first") from None
            raise
        self._remember(int(entry), (values.tobytes(), int(size), int(first), name))
        self._named = {}
        return int(entry)

    def add_to_buckets(self, keys: np.ndarray, entry: int) -> None:
        pipe = self.client.pipeline(transaction=False)
        for key in np.asarray(keys, dtype=np.uint64).tolist():
            pipe.sadd(self._key("bucket", key), entry)
        self._call(pipe.execute)

    def remove_entry(self, entry: int) -> None:
        name = self.entry_name(entry)
        pipe = self.client.pipeline(transaction=True)
        pipe.srem(self._key("alive"), entry)
        pipe.hdel(self._key("ids"), name)
        self._call(pipe.execute)
        self._live.discard(entry)
        self._named = {}

    # -- whole-index reads ---------------------------------------------------------------------

    def bucket(self, key: int) -> list[int]:
        return sorted(int(v) for v in self._call(self.client.smembers, self._key("bucket", int(key))))

    def added(self) -> np.ndarray:
        count = int(self._call(self.client.get, self._key("next")) or 0)
        times = self._call(self.client.hmget, self._key("added"), list(range(count))) if count else []
        return np.array([float(t) if t is not None else np.inf for t in times], dtype=np.float64)

    def entry_count(self) -> int:
        return int(self._call(self.client.scard, self._key("alive")))

    def clear(self) -> int:
        """Delete every key of this namespace; returns how many were deleted."""
        keys = self._call(lambda: list(self.client.scan_iter(match=f"{self.namespace}:*", count=1000)))
        self._fields, self._live, self._named = {}, set(), {}
        return int(self._call(self.client.delete, *keys)) if keys else 0


class RoundTrips:
    """Counts the round trips a redis-py client makes (commands, pipelines and scripts), to measure batching.

    ``with RoundTrips(client) as trips: ...`` then ``trips.count``.
    """

    def __init__(self, client: Any) -> None:
        self.client = client
        self.count = 0

    def __enter__(self) -> RoundTrips:
        command, pipeline = self.client.execute_command, self.client.pipeline

        def counted_command(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return command(*args, **kwargs)

        def counted_pipeline(*args: Any, **kwargs: Any) -> Any:
            pipe = pipeline(*args, **kwargs)
            run = pipe.execute

            def execute(*a: Any, **k: Any) -> Any:
                self.count += 1
                return run(*a, **k)

            pipe.execute = execute
            return pipe

        self.client.execute_command, self.client.pipeline = counted_command, counted_pipeline
        return self

    def __exit__(self, *exc: object) -> None:
        del self.client.execute_command, self.client.pipeline


def use_redis_index(stage: NearDupDetector, url_or_client: Any, namespace: str = DEFAULT_NAMESPACE) -> None:
    """Point ``stage``'s document, paragraph and sentence indexes at Redis, under ``namespace``."""
    if stage.options.index_path is not None:
        raise ValueError("a dedup stage uses either index_path (a local file) or a Redis index, not both")
    client = connect_redis(url_or_client) if isinstance(url_or_client, str) else url_or_client
    options = stage.options
    for level in ("documents", "paragraphs"):
        storage = RedisStorage(client, f"{namespace}:{level}", options.num_perm)
        setattr(stage, level, NearDupIndex.for_options(options, storage=storage))
    storage = RedisStorage(client, f"{namespace}:sentences", options.num_perm)
    stage.sentences = NearDupIndex(SENTENCE_THRESHOLD, options.num_perm, options.recall_weight, storage=storage)


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
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
        raise EngineError(f"lost the Redis index {lock.name!r}: {exc}") from exc
