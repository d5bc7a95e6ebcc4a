"""Must-show checks of issue #4 on the seed corpus."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import regex

from cleanse.document import Document, replay
from cleanse.stages.encoding import EncodingRepair, repair_and_explain, repair_encoding
from cleanse.stages.encoding.pinyin import readings

SEEDS = Path(__file__).parents[3] / "seeds"
ANNOTATION = regex.compile(r"(\p{Han})\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]{1,7})\)")
SYLLABLE = regex.compile(r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]{1,7}")
PARENTHESES = regex.compile(r"[(（]([^()（）\n]*)[)）]")


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def repaired_seeds() -> dict[str, str]:
    return {prefix: repair_encoding(_seed(prefix)) for prefix in ("000", "001", "002", "003", "004")}


@pytest.mark.parametrize(
    ("damaged", "expected"),
    [
        ("萬人?,F(xiàn)有黨組織", "萬人。現有黨組織"),
        ("“織網(wǎng)”工程??椑吸h建網(wǎng)", "“織網”工程。織牢黨建網"),
        ("“管得住”??椕苤卫砭W(wǎng)", "“管得住”。織密治理網"),
        ("推動治理智能精細?,F(xiàn)代信息科技", "推動治理智能精細。現代信息科技"),
    ],
)
def test_seed_003_misaligned_runs_repaired_exactly(repaired_seeds: dict[str, str], damaged: str, expected: str) -> None:
    assert damaged in _seed("003")
    assert expected in repaired_seeds["003"]
    assert damaged not in repaired_seeds["003"]


def test_seed_003_fifth_run_is_flagged() -> None:
    doc = EncodingRepair().process(Document.from_text(_seed("003")))
    assert doc.text is not None and "轉變" in doc.text
    flagged = [c for c in doc.changes if c.is_verdict and "?" in c.before]
    assert any(doc.text[c.start - 2 : c.start] == "轉變" for c in flagged)
    assert replay(doc.original or "", doc.changes) == doc.text


def test_no_pinyin_annotation_left(repaired_seeds: dict[str, str]) -> None:
    table = readings()
    for prefix, text in repaired_seeds.items():
        left = [m.group() for m in ANNOTATION.finditer(text) if m.group(2) in table.get(m.group(1), ())]
        assert left == [], prefix


def test_seed_003_annotations_all_removed() -> None:
    plan = repair_and_explain(_seed("003"))
    removed = [e for name, edits in plan.steps if name == "pinyin_annotations" for e in edits]
    assert len(removed) == 343


def test_every_real_parenthesis_kept(repaired_seeds: dict[str, str]) -> None:
    for prefix, text in repaired_seeds.items():
        source = _seed(prefix)
        real = [m.group(1) for m in PARENTHESES.finditer(source) if not SYLLABLE.fullmatch(m.group(1))]
        kept = [unicodedata.normalize("NFKC", m.group(1)) for m in PARENTHESES.finditer(text)]
        for content in real:
            assert unicodedata.normalize("NFKC", content) in kept, (prefix, content)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "004"])
def test_no_harm_without_punctuation_restoration(prefix: str) -> None:
    text = _seed(prefix)
    assert repair_encoding(text, restore_fullwidth_punctuation=False) == text


@pytest.mark.parametrize("prefix", ["000", "001", "002", "004"])
def test_only_punctuation_changes_with_restoration(repaired_seeds: dict[str, str], prefix: str) -> None:
    text, out = _seed(prefix), repaired_seeds[prefix]
    assert len(out) == len(text)
    changed = {(a, b) for a, b in zip(text, out, strict=True) if a != b}
    assert changed <= {(",", "，"), ("?", "？"), ("!", "！"), (":", "："), (";", "；"), ("(", "（"), (")", "）")}
