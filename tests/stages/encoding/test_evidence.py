"""Repairs act on evidence: common damage is still repaired, doubtful spans are flagged and kept.

Issue 14: the coverage that must stay (UTF-8 read as GBK, GBK read as Big5, GBK/Big5 read
as Latin-1 with fullwidth marks beside digits, one-character misaligned runs) and the
cases where the evidence is too thin to rewrite.
"""

from __future__ import annotations

import pytest

from cleanse.document import Document
from cleanse.stages.encoding import EncodingRepair, repair_and_explain, repair_encoding
from cleanse.stages.encoding.latin_mojibake import POSSIBLE_LATIN1_MOJIBAKE
from cleanse.stages.encoding.misaligned import UNREADABLE_MISALIGNED_RUN


@pytest.mark.parametrize(
    ("written", "read", "sentence"),
    [
        ("utf-8", "gb18030", "我们今天讨论经济发展问题"),
        ("gbk", "big5", "学校组织学生参观博物馆"),
        ("big5", "gb18030", "全國人民代表大會今天開幕"),
        ("gb18030", "latin-1", "全国人民代表大会今天开幕"),
        ("big5", "latin-1", "全國人民代表大會今天開幕"),
        ("utf-8", "latin-1", "全国人民代表大会今天开幕"),
    ],
)
def test_common_damage_is_still_repaired(written: str, read: str, sentence: str) -> None:
    damaged = sentence.encode(written).decode(read)
    assert repair_encoding("他说：" + damaged + "。") == "他说：" + sentence + "。"


@pytest.mark.parametrize(
    ("damaged", "expected"),
    [
        ("比分为2.8¡ª¡ª3之间", "比分为2.8——3之间"),  # GBK —— read as Latin-1, beside digits
        ("比赛0-3£¨8:11£©结束", "比赛0-3（8:11）结束"),  # GBK （ ） read as Latin-1
        ("在上海?e辦的會議", "在上海舉辦的會議"),  # one character: lead byte lost, trail byte the letter e
        ("会议于2022Äê4ÔÂ20ÈÕ召开", "会议于2022年4月20日召开"),  # one-character readings in a cluster
    ],
)
def test_damage_beside_digits_and_one_character_runs_are_repaired(damaged: str, expected: str) -> None:
    assert repair_encoding(damaged) == expected


@pytest.mark.parametrize(
    ("text", "span", "reason"),
    [
        ("价格5×£35元", (3, 5), POSSIBLE_LATIN1_MOJIBAKE),  # ×£ is GBK 祝, but a price reads as well
        ("他出生于1990Äê。", (8, 10), POSSIBLE_LATIN1_MOJIBAKE),  # one character alone: flagged, not guessed
        ("你买了吗?A股今天大涨。", (4, 6), UNREADABLE_MISALIGNED_RUN),  # ？A股 reads as well as any character
    ],
)
def test_doubtful_spans_are_flagged_and_kept(text: str, span: tuple[int, int], reason: str) -> None:
    plan = repair_and_explain(text, restore_fullwidth_punctuation=False)
    assert plan.text == text
    assert (*span, reason) in plan.damage
    doc = EncodingRepair(restore_fullwidth_punctuation=False).process(Document.from_text(text))
    assert doc.text == text
    assert any(change.reason == reason for change in doc.changes)


@pytest.mark.parametrize(
    "text",
    [
        "„Handwerk bringt dich überall hin“: Von der YOU bis nach Monaco",  # a mark after a curly quote
        "higher values (“+” and “×” curves) in the superficial region",  # parentheses around quotes
        "他去了Zürich,然后去了巴黎",  # a mark touching a word of another language
        "这家公司叫 Müller; 总部在德国",
    ],
)
def test_fullwidth_marks_only_inside_chinese(text: str) -> None:
    assert repair_encoding(text) == text


def test_fullwidth_marks_still_restored_between_chinese() -> None:
    assert repair_encoding("你好,世界(试行)。他说:好") == "你好，世界（试行）。他说：好"


@pytest.mark.parametrize(
    "text",
    [
        "نزدیک داستان آن\u200cها صنعت",  # Persian zero-width non-joiner inside a word
        "क्\u200dष",  # Devanagari joiner
        "שלום \u200fעולם",  # a bidi mark on a Hebrew line
        "\u095b\u0938",  # a composition exclusion: NFC would decompose it
        "\uf900",  # a CJK compatibility ideograph: NFC would replace it
    ],
)
def test_spelling_characters_and_nfc_singletons_stay(text: str) -> None:
    assert repair_encoding(text) == text


def test_invisible_characters_and_decomposed_letters_in_chinese_still_cleaned() -> None:
    assert repair_encoding("中\u200b文\u200d字 Cafe\u0301") == "中文字 Café"


@pytest.mark.parametrize(
    ("written", "read", "sentence"),
    [
        ("big5", "gb18030", "美國參議院民主黨領袖查克·舒默16日表示支持"),
        ("gbk", "big5", "学校组织学生参观博物馆，芭芭拉·李当天在社交媒体上表示"),
        ("utf-8", "gb18030", "美国参议院民主党领袖查克·舒默表示支持"),
    ],
)
def test_the_middle_dot_of_transliterated_names_is_repaired_too(written: str, read: str, sentence: str) -> None:
    damaged = sentence.encode(written).decode(read)
    assert repair_encoding("他说：" + damaged + "。") == "他说：" + sentence + "。"


def test_a_one_character_run_is_not_read_as_big5_in_text_big5_cannot_encode() -> None:
    """爲 has no Big5 encoding: the text was not Big5, so ``?@`` is GBK's 這 (not Big5's 一, A4 40)."""
    text = "他們認爲這次會議很重要，大家都同意。"
    data = text.encode("gb18030")
    lost = text.index("這") * 2
    damaged = (data[:lost] + b"?" + data[lost + 1 :]).decode("gb18030", errors="replace")
    assert damaged == "他們認爲?@次會議很重要，大家都同意。"
    assert repair_encoding(damaged) == text
