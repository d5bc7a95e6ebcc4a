"""A JSONL file in which every line is a different single-record fault (shared by the CLI, pipeline and
Ray engine tests): repeated ids, lone surrogates, reserved fields, deep nesting, wrong types."""

from __future__ import annotations

import json
from pathlib import Path

ARTICLE = "春季植树造林活动在全国各地广泛开展，各级政府组织干部群众义务植树，绿化荒山荒地，改善生态环境。"
OTHER = "国家统计局今天发布数据显示，上半年国内生产总值同比增长，工业生产稳步回升，消费市场保持活跃。"


def _dump(record: object) -> str:
    return json.dumps(record, ensure_ascii=False)


LINES = [
    _dump({"id": "a", "text": ARTICLE}),
    _dump({"id": "a", "text": ARTICLE}),  # same id, same text: an exact duplicate, not a replacement
    _dump({"id": "a", "text": OTHER}),  # same id, other text: kept under a new id
    '{"id": "s", "text": "bad \\udc80 text"}',  # a lone surrogate escape in the text
    '{"id": "s2", "text": "正文内容", "note": "\\udc80"}',  # ... in another field
    _dump(
        {
            "id": "e",
            "text": "正文内容足够长的一段话，测试保留字段。",
            "emit": [{"text": "x"}],
            "source": "http://x.cn",
            "size": "big",
        }
    ),
    _dump({"id": "e2", "text": "另一段正文，用来测试错误的值。", "emit": "nonsense"}),
    '{"id": "deep", "text": "x", "m": ' + "[" * 50_000 + "]" * 50_000 + "}",
    '{"id": "deep2", "text": "x", "m": ' + "[" * 500 + "]" * 500 + "}",
    _dump({"id": "t1", "text": 5}),
    _dump({"id": "t2", "text": None}),
    _dump({"id": "t3", "text": ["a"]}),
    _dump({"id": ["x"], "text": "正文"}),
    _dump({"id": 7, "text": "数字编号的正文内容。"}),
    _dump(["not", "an", "object"]),
    "{broken",
    _dump({"id": "nt"}),
]


def write_faults(path: Path) -> Path:
    path.write_text("\n".join(LINES) + "\n", "utf-8")
    return path


def read_outputs(out: Path) -> list[dict]:
    records = []
    for name in ("kept.jsonl", "rejects.jsonl"):
        for line in (out / name).read_text("utf-8").splitlines():
            if line.strip():
                records.append(json.loads(line))
    return records
