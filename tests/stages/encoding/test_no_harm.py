"""Good text comes out unchanged: the no-harm corpus and ftfy's own test cases.

The corpus (``tests/data/noharm/``, built by ``build.py`` there from Faker's locales and
templates written for it, nothing from ``seeds/``) holds names, addresses, sentences and
companies in 35 locales, foreign names inside Chinese sentences, pinyin, symbols and
rare name characters. Output must be byte-identical to the input: no folding is allowed.

ftfy's cases (``tests/data/ftfy/``, Apache-2.0) are run with the options that match the
scope of ``ftfy.fix_encoding``, whose answer (``fixed-encoding``, else ``fixed``) each case
states: HTML unescaping and control-character removal are separate cleaning steps in
both libraries, so they are off; everything else (CJK repairs, pinyin, NFC, fullwidth
punctuation) is on.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

import cleanse
from cleanse.stages.encoding import EncodingOptions, repair_encoding

DATA = Path(__file__).resolve().parents[2] / "data"
NOHARM = DATA / "noharm" / "noharm.jsonl"
FTFY = DATA / "ftfy"
FTFY_SCOPE = EncodingOptions(unescape_html=False, remove_invisible=False)


@lru_cache(maxsize=1)
def corpus() -> list[dict[str, str]]:
    return [json.loads(line) for line in NOHARM.read_text(encoding="utf-8").splitlines()]


def ftfy_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for path in sorted(FTFY.glob("*.json")):
        cases.extend(case for case in json.loads(path.read_text(encoding="utf-8")) if case["expect"] == "pass")
    return cases


def _expected(case: dict[str, Any]) -> str:
    return str(case.get("fixed-encoding", case["fixed"]))


def test_the_corpus_is_as_large_and_varied_as_promised() -> None:
    items = corpus()
    assert len(items) >= 3000
    assert len({item["lang"] for item in items}) >= 15
    assert len({item["script"] for item in items}) >= 15
    halves = {item["half"] for item in items}
    assert halves == {"tune", "test"}
    assert len({item["id"] for item in items}) == len(items)


@pytest.mark.parametrize("half", ["tune", "test"])
def test_no_string_of_the_corpus_is_harmed(half: str) -> None:
    items = [item for item in corpus() if item["half"] == half]
    harmed = [
        (item["id"], item["text"], out)
        for item in items
        if (out := cleanse.repair_encoding(item["text"])) != item["text"]
    ]
    assert harmed == []


def test_the_stage_leaves_the_corpus_unchanged_with_fullwidth_restoration_off_too() -> None:
    harmed = [
        item["id"]
        for item in corpus()
        if repair_encoding(item["text"], restore_fullwidth_punctuation=False) != item["text"]
    ]
    assert harmed == []


def test_ftfy_no_harm_cases_all_pass() -> None:
    cases = [case for case in ftfy_cases() if _expected(case) == case["original"]]
    assert len(cases) == 48
    harmed = [case["label"] for case in cases if repair_encoding(case["original"], FTFY_SCOPE) != case["original"]]
    assert harmed == []


def test_ftfy_fix_cases_all_pass() -> None:
    cases = [case for case in ftfy_cases() if _expected(case) != case["original"]]
    assert len(cases) == 103
    failed = [case["label"] for case in cases if repair_encoding(case["original"], FTFY_SCOPE) != _expected(case)]
    assert failed == []


@pytest.mark.parametrize(
    ("text", "harmed_before"),
    [
        ("Горбачев Потап Евстигнеевич", "坐抉把忌忘折快志"),
        ("这家咖啡馆叫 Café Mélange，位于北京。", "Caf谷 M谷lange"),
        ("富久町アーバン125", "富久町失奈田件125"),
        ("（すし）", "（平苹）"),
        ("鍏ㄥ浗 王明(wáng mǐng)", "w芍ng"),
        ("梓鎔", "标妈"),
        ("韩瑄玥", "韩泉則"),
        ("·mvp", "搶vp"),
        ("Offering 5×£35 pin ups", "祝"),
        ("NESTLÉ® requiere contratar personal", "僧"),
        ("Huỳnh Tấn Phát", "醫"),
        ("Dagmar Pospíšilová, Mikołów, Álava, （Åsa Larsson）", "翼"),
        ("Σωκράτης Παπαδόπουλος", ""),
    ],
)
def test_the_issue_examples_are_left_alone(text: str, harmed_before: str) -> None:
    out = cleanse.repair_encoding(text)
    if text.startswith("鍏ㄥ浗"):
        assert out == "全国 王明(wáng mǐng)"  # the damage beside it is still repaired
    else:
        assert out == text, harmed_before


FULLWIDTH_LATIN_IN_CHINESE = [
    "邮票上印着“邮资已付”（ＰＯＳＴＰＡＩＤ）字样。",
    "光盘包括ＶＣＤ、ＤＶＤ、ＣＤ—ＲＯＭ等多种格式。",
    "国际奥委会（ＩＯＣ）和亚太经合组织（ＡＰＥＣ）的代表出席了会议。",
    "这款电脑配有ＵＳＢ接口和ＳＣＳＩ硬盘，售价九千元。",
    "美国国家航空航天局（ＮＡＳＡ）今天宣布，探测器已进入轨道。",
    "世界贸易组织ＷＴＯ总干事表示，谈判将于下月恢复。",
]


@pytest.mark.parametrize("text", FULLWIDTH_LATIN_IN_CHINESE)
def test_fullwidth_latin_in_gb2312_era_text_is_left_alone(text: str) -> None:
    """Newspapers typed in GB2312 write Latin letters fullwidth; GBK's circled digits read as Big5 give the same
    code points, but a repair towards symbols only is no evidence of damage."""
    assert repair_encoding(text) == text
    assert cleanse.clean(text) == text
