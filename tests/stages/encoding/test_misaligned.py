"""Misaligned double-byte runs: synthetic damage of both kinds, and no harm to real question marks."""

from __future__ import annotations

import unicodedata

import pytest
import regex

from cleanse.stages.encoding import repair_encoding
from cleanse.stages.encoding.misaligned import MISALIGNED_RUN, realign_double_byte_runs


def _misalign(text: str, start: int, keep_private: bool = False) -> str:
    """Lose the lead byte of ``text[start]`` (shown as ``?``), decode the rest out of step, NFKC-fold the damage.

    Pairs read out of step that land in the Private Use Area show as ``?`` unless ``keep_private``.
    """
    data = text[start:].encode("gb18030")
    shown = (b"?" + data[1:]).decode("gb18030", errors="replace").replace("\ufffd", "?")
    if not keep_private:
        shown = regex.sub(r"[\ue000-\uf8ff]", "?", shown)
    common = 0
    while shown[-1 - common] == text[-1 - common]:
        common += 1
    return text[:start] + unicodedata.normalize("NFKC", shown[: len(shown) - common]) + shown[len(shown) - common :]


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("會議強調，全體黨員幹部要團結一致。現在開始討論。", 16),  # resynced at an ASCII trail byte
        ("我们要坚持人民至上。全面深化改革,10项任务", 9),  # last trail byte lost before ASCII
    ],
)
def test_synthetic_runs_are_rebuilt(text: str, start: int) -> None:
    damaged = _misalign(text, start)
    assert damaged != text and "?" in damaged
    assert repair_encoding(damaged, restore_fullwidth_punctuation=False) == text


@pytest.mark.parametrize(
    ("text", "start", "keep_private"),
    [
        ("天氣很好。隨著時代發展,大家都變了。", 4, False),  # 。 lost its lead: a fullwidth ｋ folded to k
        ("會議結束了。隨後大家一起吃飯。", 5, False),
        ("老師說:“這是好事”,大家都同意。", 7, True),  # the closing quote, with a "," after it
        ("他说——这就是我们的目标,OK", 2, True),  # a doubled dash, Private Use pairs as decoded
        ("北京市政府发布通知,要求各单位做好防汛工作,确保安全。", 0, True),  # at the start; ⒉ folded to "2."
        ("我們是一個系統工程", 2, True),  # back in step after 個's trail byte 0x80, which leads nothing: U+FFFD
    ],
)
def test_runs_with_folded_marks_and_private_pairs_are_rebuilt(text: str, start: int, keep_private: bool) -> None:
    damaged = _misalign(text, start, keep_private)
    assert damaged != text
    assert repair_encoding(damaged, restore_fullwidth_punctuation=False) == text


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("各地要加強政治、運營、管理和服務。", 5),  # 、 and the lead of 運 read as ⑦, folded to "7"
        ("將黨建工作深度融入中心工作。", 0),  # the trail of 將 and the lead of 黨 read as Ⅻ, folded to "XII"
    ],
)
def test_runs_through_a_symbol_folded_to_letters_or_digits_are_rebuilt(text: str, start: int) -> None:
    damaged = _misalign(text, start, keep_private=True)
    assert regex.search("[0-9A-Z]", damaged)
    assert repair_encoding(damaged, restore_fullwidth_punctuation=False) == text


@pytest.mark.xfail(strict=True, reason="last character of a lost-trail run: only its lead byte is known (工程 > 工厂)")
def test_last_character_of_a_lost_trail_run_is_a_guess() -> None:
    text = "会议今天结束。随后代表们参观了工厂,大家都很满意。"
    assert repair_encoding(_misalign(text, 6, True), restore_fullwidth_punctuation=False) == text


def test_edits_say_which_kind() -> None:
    damaged = _misalign("會議強調，全體黨員幹部要團結一致。現在開始討論。", 16)
    edits, _ = realign_double_byte_runs(damaged)
    assert [e.reason for e in edits] == [MISALIGNED_RUN]
    assert edits[0].evidence == ("gb18030", "resynced")
    assert edits[0].score is not None and edits[0].score >= 4.0


@pytest.mark.parametrize(
    "text",
    [
        "你好吗?我很好。",
        "见 http://example.cn/a?id=3&x=1 。",
        "What?No way.",
        "是吗??真的",
        "中文?",
        "真的吗?7号楼见",
        "第几章?XII章",
        "谁?I级响应",
    ],
)
def test_real_question_marks_are_left_alone(text: str) -> None:
    edits, _ = realign_double_byte_runs(text)
    assert edits == []


SURNAMES = "桂閻聶龔柯戚甄鄧賴雷谷"


def _name_recovered(surname: str, context: str) -> bool:
    sentence = f"據說{surname}老師每天早上都會去公園散步。"
    damaged = _misalign(sentence, 2, keep_private=True)
    return repair_encoding(context + damaged, restore_fullwidth_punctuation=False) == context + sentence


@pytest.mark.parametrize("surname", SURNAMES)
def test_a_name_the_document_uses_elsewhere_is_read_back(surname: str) -> None:
    assert _name_recovered(surname, f"{surname}老師是一位退休教員，今年七十歲。")


def test_the_document_character_cache_finds_names_the_pairs_alone_miss(monkeypatch: pytest.MonkeyPatch) -> None:
    """The surname recurs with another character after it: no shared pair, only the character itself."""

    def recovered() -> int:
        return sum(_name_recovered(surname, f"退休以後，{surname}先生搬到了鄉下。") for surname in SURNAMES)

    with_cache = recovered()
    monkeypatch.setattr("cleanse.stages.encoding.misaligned.CHARACTER_CACHE", 0.0)
    assert recovered() < with_cache


@pytest.mark.parametrize("sentence", ["她說這件事情很重要。", "五國代表出席了會議。", "此項目已經完成了。"])
def test_a_first_character_read_from_running_text_pairs(sentence: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first character pairs with the next across a word boundary, which only running-text evidence sees."""
    from cleanse.stages.encoding import misaligned

    damaged = _misalign(sentence, 0, keep_private=True)
    assert repair_encoding(damaged, restore_fullwidth_punctuation=False) == sentence
    monkeypatch.setattr(misaligned, "PAIR_WEIGHT", 0.0)
    assert repair_encoding(damaged, restore_fullwidth_punctuation=False) != sentence


def test_running_text_pairs_do_not_count_toward_the_gain(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pair evidence chooses among readings; the gain over the text as it stands is the model's alone."""
    from cleanse.stages.encoding import misaligned

    sentence = "各地政府積極響應。"
    text = _misalign(sentence, 0, keep_private=True)
    run = misaligned._parse_runs(text, 0, "gb18030")[0]
    model = misaligned.language_model()
    pair = misaligned._pair_bonus(text, run, model, "traditional", None)
    candidates = misaligned._first_candidates(run, model, "traditional")
    assert pair is not None and pair[candidates == ord("各")].max() > 0  # the reading has pair evidence
    with_pairs = misaligned._best_reading(text, run, model, None, "traditional")
    monkeypatch.setattr(misaligned, "PAIR_WEIGHT", 0.0)
    without = misaligned._best_reading(text, run, model, None, "traditional")
    assert with_pairs is not None and without is not None
    assert with_pairs[1] == without[1] and with_pairs[1].startswith("各地")
    assert with_pairs[0] == pytest.approx(without[0])
