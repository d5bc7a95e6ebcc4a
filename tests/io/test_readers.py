from __future__ import annotations

import json

import pytest

from cleanse import InputError
from cleanse.io import read_inputs, read_jsonl, read_text_files


def test_directory_is_read_as_bytes(seed_paths):
    docs = list(read_text_files(seed_paths[0].parent))
    assert [d.id for d in docs] == [p.name for p in seed_paths]
    assert all(d.text is None and d.raw == p.read_bytes() for d, p in zip(docs, seed_paths, strict=True))


def test_glob_selects_files(seed_paths):
    docs = list(read_inputs(str(seed_paths[0].parent / "00[12]_*.txt")))
    assert [d.id[:3] for d in docs] == ["001", "002"]


def test_missing_input_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_inputs(tmp_path / "nothing-here")


def test_jsonl_fields_are_configurable_and_bad_lines_become_rejects(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"doc_id": "a", "body": "正文", "url": "http://x"}, ensure_ascii=False),
        "{not json",
        json.dumps({"doc_id": "c"}),
        json.dumps({"doc_id": "d", "body": 5}),
        "",
    ]
    path.write_text("\n".join(lines), "utf-8")
    docs = list(read_jsonl(path, text_field="body", id_field="doc_id"))
    assert docs[0].id == "a" and docs[0].text == "正文" and docs[0].metadata["url"] == "http://x"
    assert [d.status for d in docs] == ["kept", "dropped", "dropped", "dropped"]
    assert "invalid JSON" in (docs[1].status_reason or "")
    assert "missing field 'body'" in (docs[2].status_reason or "")


def test_parquet_without_pyarrow_names_the_extra(tmp_path):
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("pyarrow is installed here")
    path = tmp_path / "x.parquet"
    path.write_bytes(b"PAR1")
    from cleanse import MissingDependencyError

    with pytest.raises(MissingDependencyError, match=r"cleanse\[parquet\]"):
        list(read_inputs(path))


def test_parquet_round_trip(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra is not installed")
    import pyarrow as pa

    path = tmp_path / "in.parquet"
    table = pa.table({"id": ["a", "b", "c"], "text": ["正文一", None, "正文三"], "url": ["u1", "u2", "u3"]})
    pq.write_table(table, path)
    docs = list(read_inputs(path))
    assert [d.id for d in docs] == ["a", "b", "c"]
    assert docs[0].text == "正文一" and docs[0].metadata["url"] == "u1"
    assert docs[1].status == "dropped" and "missing or not text" in (docs[1].status_reason or "")


def test_a_text_field_no_record_has_is_one_error_naming_the_fields_seen(tmp_path):
    import json

    import pytest

    from cleanse.errors import InputError
    from cleanse.io import read_jsonl

    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"id": i, "content": "正文"}) + "\n" for i in range(3)), "utf-8")
    expected = r"no record has the text field 'text'; fields seen: 'id', 'content'.*--text-field"
    with pytest.raises(InputError, match=expected):
        list(read_jsonl(path))
    assert [d.text for d in read_jsonl(path, text_field="content")] == ["正文"] * 3


def test_records_missing_the_field_before_one_that_has_it_are_rejected_in_order(tmp_path):
    import json

    from cleanse.io import read_jsonl

    path = tmp_path / "in.jsonl"
    rows = [{"id": "a", "body": "x"}, "not json", {"id": "b", "text": "正文"}, {"id": "c", "body": "y"}]
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), "utf-8")
    docs = list(read_jsonl(path))
    assert [d.id for d in docs] == ["in:1", "in:2", "b", "in:4"]
    assert [d.status for d in docs] == ["dropped", "dropped", "kept", "dropped"]
