"""The dedup index on a real redis-server on loopback: the storage protocol, runs that share it, failures."""

from __future__ import annotations

import multiprocessing
from typing import Any

import numpy as np
import pytest

from cleanse.document import Document
from cleanse.engines import EngineError

redis = pytest.importorskip("redis", reason='Redis index tests need the extra: pip install "cleanse[redis]"')

from cleanse.engines.redis_storage import RedisStorage, connect_redis, shared_run, use_redis_index  # noqa: E402
from cleanse.stages.dedup import NearDupDetector  # noqa: E402
from cleanse.stages.dedup.batch import sign_units  # noqa: E402
from cleanse.stages.dedup.index import NearDupIndex  # noqa: E402
from cleanse.stages.dedup.options import DedupOptions  # noqa: E402

DOCUMENTS = {"level": "documents"}


def _texts() -> list[str]:
    from benchmarks.reprints import generate_reprints

    return generate_reprints(seed=11, clusters=8, copies=4, singletons=6, unit="document").texts


def _signs(texts: list[str]) -> np.ndarray:
    return sign_units(texts, DedupOptions())[0]


def test_the_index_runs_unchanged_on_redis(redis_url, redis_namespace):
    texts = _texts()[:6]
    signs = _signs(texts)
    memory = NearDupIndex(0.5)
    shared = NearDupIndex(0.5, storage=RedisStorage.from_url(redis_url, redis_namespace))
    for index in (memory, shared):
        for number, signature in enumerate(signs[:4]):
            index.add(f"t{number}", signature, added=100.0 + number)
    for signature in signs:
        assert shared.query(signature) == memory.query(signature)
    shared.remove("t0")
    memory.remove("t0")
    assert shared.query(signs[0]) == memory.query(signs[0]) and "t0" not in shared and len(shared) == 3
    assert shared.expire(102.0) == memory.expire(102.0) == 1
    assert len(shared) == len(memory) == 2
    with pytest.raises(ValueError, match="already holds an entry named 't3'"):
        shared.add("t3", signs[3])


def test_tomorrows_run_sees_todays_entries(redis_url, redis_namespace):
    texts = _texts()
    yesterday = NearDupDetector(**DOCUMENTS)
    use_redis_index(yesterday, redis_url, redis_namespace)
    list(shared_run(yesterday, [Document.from_text(t, id=f"a{i}") for i, t in enumerate(texts)]))
    today = NearDupDetector(**DOCUMENTS)
    use_redis_index(today, redis_url, redis_namespace)
    again = list(shared_run(today, [Document.from_text(texts[0], id="b0")]))
    assert again[0].status == "duplicate" and again[0].duplicate_of is not None
    assert again[0].duplicate_of.startswith("a")


def _check_half(url: str, namespace: str, items: list[tuple[str, str]], results: Any) -> None:
    stage = NearDupDetector(**DOCUMENTS)
    use_redis_index(stage, url, namespace)
    client = connect_redis(url)
    batches: list[tuple[int, list[str]]] = []
    run = stage.run

    def numbered(batch: list[Document]) -> Any:  # called under the index lock: numbers the batches in turn
        batches.append((int(client.incr(f"{namespace}:turn")), [doc.id for doc in batch]))
        return run(batch)

    stage.run = numbered  # type: ignore[method-assign]
    docs = [Document.from_text(text, id=name) for name, text in items]
    results.put(([(d.id, d.duplicate_of) for d in shared_run(stage, docs, batch_size=3)], batches))


def _clusters(found: list[tuple[str, str | None]]) -> set[frozenset[str]]:
    """Documents grouped with the one they were marked a duplicate of (the cluster's first seen)."""
    groups: dict[str, set[str]] = {}
    for name, first in found:
        groups.setdefault(first or name, set()).add(name)
    return {frozenset(group) for group in groups.values() if len(group) > 1}


def test_two_processes_sharing_the_index_find_what_one_process_finds(redis_url, redis_namespace):
    """A duplicate is judged against the units kept before it, so the result depends on the order: one
    process checking the batches in the order the two took the lock must find exactly the same."""
    texts = _texts()
    items = [(f"d{i}", t) for i, t in enumerate(texts)]
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [
        context.Process(target=_check_half, args=(redis_url, redis_namespace, items[start::2], results))
        for start in (0, 1)
    ]
    for worker in workers:
        worker.start()
    (found_a, turns_a), (found_b, turns_b) = results.get(timeout=120), results.get(timeout=120)
    found = found_a + found_b
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert sorted(name for name, _ in found) == sorted(name for name, _ in items)
    order = [name for _, names in sorted(turns_a + turns_b) for name in names]
    text_of = dict(items)
    alone = NearDupDetector(**DOCUMENTS)
    one_process = [(d.id, d.duplicate_of) for d in alone.run(Document.from_text(text_of[n], id=n) for n in order)]
    expected = _clusters(one_process)
    assert len(expected) >= 5  # the corpus really has reprints: the comparison is not vacuous
    assert _clusters(found) == expected
    assert sum(first is not None for _, first in found) == sum(first is not None for _, first in one_process)


def test_an_unreachable_server_is_named():
    with pytest.raises(EngineError, match=r"cannot reach Redis at redis://127.0.0.1:1/0 after 2 attempts"):
        connect_redis("redis://127.0.0.1:1/0", attempts=2, timeout=0.5)


def test_a_server_lost_mid_run_raises_rather_than_drops(throwaway_redis):
    server, url = throwaway_redis
    storage = RedisStorage(connect_redis(url, attempts=2, timeout=0.5), "lost")
    storage.add_entry("a", np.zeros(128, dtype=np.uint32), added=0.0, cluster=-1)
    server.kill()
    server.wait(timeout=10)
    with pytest.raises(EngineError, match="lost the Redis index 'lost'"):
        storage.entry_count()


def test_storages_of_different_sizes_do_not_mix(redis_url, redis_namespace):
    RedisStorage.from_url(redis_url, redis_namespace, num_perm=128)
    with pytest.raises(ValueError, match="holds 128 permutations, not 64"):
        RedisStorage.from_url(redis_url, redis_namespace, num_perm=64)


def test_shared_run_needs_a_redis_index():
    with pytest.raises(ValueError, match="use_redis_index first"):
        list(shared_run(NearDupDetector(), [Document.from_text("x")]))


def _check_documents(url: str, namespace: str, texts: list[str]) -> tuple[list[Document], int]:
    from cleanse.engines.redis_storage import RoundTrips

    stage = NearDupDetector(**DOCUMENTS)
    use_redis_index(stage, url, namespace)
    with RoundTrips(stage.documents.storage.client) as trips:
        docs = list(stage.run(Document.from_text(t, id=f"r{i}") for i, t in enumerate(texts)))
    return docs, trips.count


def test_a_document_check_costs_a_few_round_trips(redis_url, redis_namespace):
    texts = _texts()
    docs, trips = _check_documents(redis_url, redis_namespace, texts)
    assert sum(d.status == "duplicate" for d in docs) >= 5  # matches were looked up, not only misses
    assert trips <= 4 * len(texts)  # membership, query, add, band keys: not one per band and per field


def test_another_process_removing_an_entry_is_seen_by_the_next_query(redis_url, redis_namespace):
    signs = _signs(_texts()[:2])
    writer = NearDupIndex(0.5, storage=RedisStorage.from_url(redis_url, redis_namespace))
    reader = NearDupIndex(0.5, storage=RedisStorage.from_url(redis_url, redis_namespace))
    writer.add("a", signs[0])
    assert [m.name for m in reader.query(signs[0])] == ["a"]
    writer.remove("a")
    assert reader.query(signs[0]) == [] and "a" not in reader


def test_a_bucket_larger_than_one_lua_unpack_is_read_whole(redis_url, redis_namespace):
    storage = RedisStorage.from_url(redis_url, f"{redis_namespace}:small", num_perm=4)
    pipe = storage.client.pipeline(transaction=False)
    for entry in range(4500):
        pipe.hset(storage._key("signs"), entry, np.full(4, entry, dtype=np.uint32).tobytes())
        for field, value in (("sizes", 1), ("clusters", 0), ("names", f"n{entry}")):
            pipe.hset(storage._key(field), entry, value)
        pipe.sadd(storage._key("alive"), entry)
        pipe.sadd(storage._key("bucket", 7), entry)
    pipe.execute()
    found = storage.buckets(np.array([7], dtype=np.uint64))
    assert len(found) == 4500 and storage.signatures(found)[4499].tolist() == [4499] * 4
    assert storage.entry_name(4499) == "n4499" and storage.entry_cluster(4499) == 0


def test_a_server_lost_during_a_shared_run_stops_it_with_an_engine_error(throwaway_redis):
    server, url = throwaway_redis
    stage = NearDupDetector(**DOCUMENTS)
    use_redis_index(stage, connect_redis(url, attempts=2, timeout=0.5), "lost-run")
    docs = [Document.from_text(t, id=f"s{i}") for i, t in enumerate(_texts())]
    stream = shared_run(stage, iter(docs), batch_size=4)
    first = [next(stream) for _ in range(4)]
    assert all(d.status in ("kept", "duplicate") for d in first)
    server.kill()
    server.wait(timeout=10)
    with pytest.raises(EngineError, match="lost the Redis index"):
        list(stream)
