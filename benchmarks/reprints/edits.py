"""The edits a reprint may receive, as functions over a story's paragraphs (see :data:`EDIT_KINDS`)."""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import lru_cache
from typing import Protocol

import regex

from benchmarks.reprints.corpus import (
    _CLAUSE,
    _HAN,
    SEEDS_DIR,
    Story,
    Unit,
    _han_alphabet,
    split_sentences,
)

_WIDTH_TO_ASCII = str.maketrans("，。：；！？（）“”‘’、０１２３４５６７８９", ",.:;!?()\"\"'',0123456789")


_ASCII_TO_FULLWIDTH = str.maketrans(
    {chr(code): chr(code + 0xFEE0) for code in range(0x21, 0x7F) if chr(code).isalnum() or chr(code) in ",:;!?()"}
)


SITE_NAMES = ("东方时讯网", "江南在线", "北国新闻网", "云岭资讯", "海西头条", "中原视窗", "岭南快报网", "长河传媒")


EDITOR_NAMES = ("王立新", "陈晓雯", "刘建国", "赵雅琳", "孙志强", "周敏")


HEADER_TEMPLATES = (
    "来源：{site}",
    "{site}讯",
    "【{site}】",
    "首页 > 新闻中心 > 时政要闻",
    "发布时间：2023-0{month}-1{day} 09:3{day}   来源：{site}",
)


FOOTER_TEMPLATES = (
    "责任编辑：{editor}",
    "（编辑：{editor}）",
    "本文转载自{site}，版权归原作者所有，如有侵权请联系删除。",
    "更多精彩内容，请关注{site}官方微信公众号。",
    "[责任编辑：{editor}]",
)


AD_TEMPLATES = (
    "扫码下载{site}客户端，看更多新闻",
    "限时特惠：全场商品低至五折，咨询热线400-800-{day}{month}{day}{month}",
    "点击进入{site}首页 | 网站地图 | 联系我们",
    "热门推荐：装修贷款低利率，在线申请秒批",
)


def reprint(story: Story, rng: random.Random, filler: list[str], unit: Unit, count: int) -> tuple[str, list[str]]:
    """Apply ``count`` distinct edits drawn from :data:`EDIT_KINDS` to ``story``; return text and edit names."""
    names = rng.sample(sorted(EDIT_KINDS), min(count, len(EDIT_KINDS)))
    # Order as a site would: rewrite the body first, then convert, then add page furniture, then truncate.
    names.sort(key=_EDIT_ORDER.index)
    paragraphs = list(story.paragraphs)
    for name in names:
        paragraphs = EDIT_KINDS[name](paragraphs, rng, filler, unit)
    return "\n".join(part for part in paragraphs if part), names


def _drop_sentences(paragraphs: list[str], rng: random.Random, filler: list[str], unit: Unit) -> list[str]:
    """Drop about a quarter of the sentences (clauses where no sentence can go), keeping >= 60% of the text."""
    edited = []
    for position, paragraph in enumerate(paragraphs):
        if unit == "document" and position and rng.random() < 0.5:
            edited.append(paragraph)
            continue
        floor = 0.6 * len(paragraph)
        dropped = paragraph
        for pieces in (split_sentences(paragraph), _CLAUSE.findall(paragraph)):
            for _ in range(max(1, len(pieces) // 4)):
                index = rng.randrange(len(pieces))
                if len(pieces) > 1 and sum(map(len, pieces)) - len(pieces[index]) >= floor:
                    pieces.pop(index)
            dropped = "".join(pieces)
            if dropped != paragraph:
                break
        edited.append(dropped)
    return edited


def _add_sentences(paragraphs: list[str], rng: random.Random, filler: list[str], unit: Unit) -> list[str]:
    target = rng.randrange(len(paragraphs))
    sentences = split_sentences(paragraphs[target])
    longest = 2 if unit == "document" or len(sentences) > 2 else 1
    extra = [_take(filler) for _ in range(rng.randint(1, longest))]
    for sentence in extra:
        sentences.insert(rng.randint(0, len(sentences)), sentence)
    return paragraphs[:target] + ["".join(sentences)] + paragraphs[target + 1 :]


def _reorder_sentences(paragraphs: list[str], rng: random.Random, filler: list[str], unit: Unit) -> list[str]:
    """Swap two paragraphs (documents, half the time) or two sentences per paragraph (two clauses if one)."""
    if unit == "document" and len(paragraphs) > 2 and rng.random() < 0.5:
        order = paragraphs[:]
        first, second = rng.sample(range(len(order)), 2)
        order[first], order[second] = order[second], order[first]
        return order
    edited = []
    for paragraph in paragraphs:
        pieces = split_sentences(paragraph)
        if len(pieces) < 2:
            pieces = _CLAUSE.findall(paragraph)
        if len(pieces) > 1:
            first, second = rng.sample(range(len(pieces)), 2)
            pieces[first], pieces[second] = pieces[second], pieces[first]
        edited.append("".join(pieces))
    return edited


def _substitute_characters(paragraphs: list[str], rng: random.Random, filler: list[str], unit: Unit) -> list[str]:
    alphabet = _han_alphabet(SEEDS_DIR)
    rate = rng.uniform(0.005, 0.025)
    edited = []
    for paragraph in paragraphs:
        characters = list(paragraph)
        positions = [index for index, character in enumerate(characters) if _HAN.match(character)]
        for index in rng.sample(positions, min(len(positions), max(1, round(len(positions) * rate)))):
            characters[index] = rng.choice(alphabet)
        edited.append("".join(characters))
    return edited


def _to_traditional(paragraphs: list[str], rng: random.Random, filler: list[str], unit: Unit) -> list[str]:
    converter = _s2t()
    return [converter.convert(paragraph) for paragraph in paragraphs]


def _change_punctuation_and_width(
    paragraphs: list[str], rng: random.Random, filler: list[str], unit: Unit
) -> list[str]:
    table = _WIDTH_TO_ASCII if rng.random() < 0.6 else _ASCII_TO_FULLWIDTH
    spaced = rng.random() < 0.4
    edited = [paragraph.translate(table) for paragraph in paragraphs]
    if spaced:
        edited = [regex.sub(r"(?<=[，,。.])", " ", paragraph) for paragraph in edited]
    return edited


def _add_site_furniture(paragraphs: list[str], rng: random.Random, filler: list[str], unit: Unit) -> list[str]:
    values = {
        "site": rng.choice(SITE_NAMES),
        "editor": rng.choice(EDITOR_NAMES),
        "month": rng.randint(1, 9),
        "day": rng.randint(0, 9),
    }
    header = rng.choice(HEADER_TEMPLATES).format(**values) if rng.random() < 0.6 else ""
    footer = rng.choice(FOOTER_TEMPLATES + AD_TEMPLATES).format(**values) if rng.random() < 0.7 or not header else ""
    if unit == "paragraph":
        first = paragraphs[0]
        edited = paragraphs[:]
        edited[0] = f"{header} {first}" if header else first
        edited[-1] = f"{edited[-1]}{footer}" if footer else edited[-1]
        return edited
    return ([header] if header else []) + paragraphs + ([footer] if footer else [])


def _truncate(paragraphs: list[str], rng: random.Random, filler: list[str], unit: Unit) -> list[str]:
    text = "\n".join(paragraphs)
    keep = int(len(text) * rng.uniform(0.6, 0.85))
    cut = text[:keep] + ("……" if rng.random() < 0.5 else "")
    return cut.split("\n")


def _merge_or_split_paragraphs(paragraphs: list[str], rng: random.Random, filler: list[str], unit: Unit) -> list[str]:
    if unit == "paragraph":
        sentences = split_sentences(paragraphs[0])
        if len(sentences) < 3:
            return [paragraphs[0] + _take(filler)]
        cut = rng.randint(1, len(sentences) - 1)
        return ["".join(sentences[:cut]), "".join(sentences[cut:])]
    edited = paragraphs[:]
    if len(edited) > 1 and rng.random() < 0.5:
        index = rng.randrange(len(edited) - 1)
        return edited[:index] + [edited[index] + edited[index + 1]] + edited[index + 2 :]
    index = rng.randrange(len(edited))
    sentences = split_sentences(edited[index])
    if len(sentences) < 2:
        return edited
    cut = rng.randint(1, len(sentences) - 1)
    return edited[:index] + ["".join(sentences[:cut]), "".join(sentences[cut:])] + edited[index + 1 :]


EditKind = Callable[[list[str], random.Random, list[str], Unit], list[str]]


#: The edits a reprint may receive, by name (the names recorded in ``ReprintCorpus.edits``).
EDIT_KINDS: dict[str, EditKind] = {
    "drop_sentences": _drop_sentences,
    "add_sentences": _add_sentences,
    "reorder_sentences": _reorder_sentences,
    "substitute_characters": _substitute_characters,
    "merge_or_split_paragraphs": _merge_or_split_paragraphs,
    "traditional": _to_traditional,
    "punctuation_and_width": _change_punctuation_and_width,
    "site_furniture": _add_site_furniture,
    "truncate": _truncate,
}


_EDIT_ORDER = list(EDIT_KINDS)


def _take(filler: list[str]) -> str:
    """The next unused added sentence: each is used once per corpus, so two clusters never share one."""
    if not filler:
        raise ValueError("the corpus ran out of sentences to add; ask for fewer clusters or copies")
    return filler.pop()


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


@lru_cache(maxsize=1)
def _s2t() -> _Converter:
    from opencc import OpenCC

    converter: _Converter = OpenCC("s2t")
    return converter
