"""The encoding stage reaches its fixed point in one call, also on what the later stages make of its output.

Kinds found by fuzzing ``clean(clean(x)) == clean(x)``: a remap decision that flipped once the
script stage converted one character to Simplified; a mark beside a line break that a mended
break put inside Chinese; and the shortcuts that keep clean text fast must give what the full
loops give.
"""

from __future__ import annotations

import random

import pytest

from cleanse.document import Document, Edit
from cleanse.stages.encoding import EncodingRepair, repair_and_explain, repair_encoding
from cleanse.stages.encoding.mojibake import fix_double_byte_mojibake
from cleanse.stages.encoding.normalize import _restore_fullwidth_once, restore_fullwidth_punctuation

PHRASES = ["全国人民代表大会", "高校毕业生规模", "机场扩建工程进度", "居民用电专家表示", "国务院办公厅印发"]


def _gbk_read_as_big5(phrase: str) -> str | None:
    try:
        return phrase.encode("gbk").decode("big5")
    except UnicodeDecodeError:
        return None


@pytest.mark.parametrize("phrase", PHRASES)
def test_a_gbk_as_big5_repair_never_spans_a_character_big5_cannot_show(phrase: str) -> None:
    damaged = _gbk_read_as_big5(phrase)
    if damaged is None:
        pytest.skip("these bytes are not all Big5")
    for simplified_only in "贤这说":  # characters no Big5 decoder shows, as the script stage would write them
        for position in range(len(damaged) + 1):
            text = "他说" + damaged[:position] + simplified_only + damaged[position:] + "。"
            for edit in fix_double_byte_mojibake(text):
                if edit.evidence == ("gb18030 read as big5",):
                    assert simplified_only not in text[edit.start : edit.end], (text, edit)


def test_converting_a_character_of_a_left_stretch_to_simplified_does_not_tip_it_into_a_repair() -> None:
    left = repair_encoding("蝑賢唬鈭箸蝢")
    assert left == "蝑賢唬鈭箸蝢"
    converted = left.replace("賢", "贤")  # what the script stage does to it
    assert repair_encoding(converted) == converted


@pytest.mark.parametrize("mark", [",", ":", ";", "!"])
@pytest.mark.parametrize("gap", ["\n", "\n\n", " \n", "\n \n"])
def test_a_mark_across_a_mended_line_break_is_restored_on_the_first_pass(mark: str, gap: str) -> None:
    texts = (f"措施保障{gap}{mark}", f"措施保障{gap}{mark}其他", f"价格12{mark}{gap}中文", f"“一家人”{mark}{gap}构建")
    for text in texts:
        first = repair_encoding(text)
        joined = first.replace(gap, "")  # the splice stage mends the break
        assert repair_encoding(joined) == joined, (text, first)


@pytest.mark.parametrize("gap", ["\n", "\n\n", " \n"])
def test_a_question_mark_alone_on_a_line_after_chinese_is_restored_on_the_first_pass(gap: str) -> None:
    first = repair_encoding(f"优化营商{gap}?\n下一行")
    assert first == f"优化营商{gap}？\n下一行"
    joined = first.replace(gap, "", 1)
    assert repair_encoding(joined) == joined


@pytest.mark.parametrize("text", ["Hello:\n中文", "中文\n:abc", "中文\n,word", "ok,\n中文", "中文\n?x"])
def test_a_mark_across_a_line_break_in_another_language_run_stays(text: str) -> None:
    assert repair_encoding(text) == text


def _fullwidth_to_fixed_point(text: str) -> list[Edit]:
    """The plain loop: passes until one finds nothing."""
    edits: dict[int, Edit] = {}
    current = text
    while found := _restore_fullwidth_once(current)[0]:
        edits.update((edit.start, edit) for edit in found)
        characters = list(current)
        for edit in found:
            characters[edit.start] = edit.after
        current = "".join(characters)
    return [edits[start] for start in sorted(edits)]


def test_fullwidth_restoration_stops_exactly_where_the_plain_loop_does() -> None:
    rng = random.Random(5)
    alphabet = list("中文字a1 ,?:;!()（），。\n") + ["”", "é"]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 16)))
        expected = [(e.start, e.after) for e in _fullwidth_to_fixed_point(text)]
        assert [(e.start, e.after) for e in restore_fullwidth_punctuation(text)] == expected, text


def _stage_by_plain_rounds(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Repair rounds until one changes nothing (at most the stage's), without the fixed-point shortcut."""
    plan = repair_and_explain(text)
    for _ in range(3):
        if not plan.steps:
            break
        plan = repair_and_explain(plan.text)
    return plan.text, plan.damage


@pytest.mark.parametrize(
    "text",
    [
        "他说,今天(周一)天气好:晴!",
        "全體人員?,F在出發,大家好",
        "中文?:\n\n下一行,继续",
        "会上指出," + "全国人民".encode().decode("gbk") + "要团结",
        "在上海?e辦的,展览",
        "度以上??院?公\n?/",
    ],
)
def test_the_stage_stops_where_plain_rounds_stop(text: str) -> None:
    doc = EncodingRepair().process(Document.from_text(text))
    expected_text, expected_damage = _stage_by_plain_rounds(text)
    assert doc.text == expected_text
    flagged = sorted((c.start, c.end, c.reason) for c in doc.changes if c.before == c.after)
    assert flagged == sorted(expected_damage)


@pytest.mark.parametrize(
    "damaged_line",
    [
        "?U¦a\xadn",  # Big5 read as Latin-1 with the first lead byte lost
        "Ч郪眽",  # a short line a remap reads differently by the script around it
        "啶O堡j碩矗ど",  # Traditional-only characters count as rare only in a line that is Simplified
        "全體人員?,F在出發",
        "他说" + "全国人民".encode().decode("gbk") + "很好",
    ],
)
def test_a_line_is_repaired_the_same_whatever_the_other_lines_say(damaged_line: str) -> None:
    # later stages drop lines and convert their script: a decision leaning on them would change on a second pass
    others = [
        "电网加紧扩容，居民用电负荷创新高",
        "電網加緊擴容，居民用電負荷創新高",
        "预计明年完成后旅客运输能力将大幅提升经济发展",
        "مرحبا بالعالم",
        "Åsa Larsson",
    ]
    readings = {repair_encoding(f"{other}\n{damaged_line}\n{other}").split("\n")[1] for other in others}
    readings.add(repair_encoding(damaged_line))
    assert len(readings) == 1, readings
