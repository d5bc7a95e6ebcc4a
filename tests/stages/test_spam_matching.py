"""The fast paths of the spam labeller against plain reference versions of what they compute.

The lexicon matcher, the pinyin-gloss finder and the advertorial pre-check are built for speed (hash tables,
numpy windows, a prefix-sum bound); each is checked here against the obvious slow implementation.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanse.stages.spam import patterns
from cleanse.stages.spam._native import native
from cleanse.stages.spam.context import SWITCH_COST, _best_segment_sum, _viterbi_runs
from cleanse.stages.spam.lexicon import Lexicon
from cleanse.stages.spam.normalise import _TONED, PINYIN_GLOSS, _gloss_spans, code_points, fold, han_mask
from cleanse.stages.spam.urls import may_hold_url, url_lines

LEXICON = Lexicon.default()
WORDS = sorted(LEXICON.entries)
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _reference_find(text: str) -> list[tuple[int, str]]:
    """Leftmost-longest, non-overlapping, ASCII words not glued to ASCII letters: a scan over every position."""

    def letter(position: int) -> bool:
        return 0 <= position < len(text) and text[position].isascii() and text[position].isalpha()

    found = []
    position = 0
    longest = max(len(word) for word in WORDS)
    while position < len(text):
        for length in range(min(longest, len(text) - position), 0, -1):
            word = text[position : position + length]
            if word not in LEXICON.entries:
                continue
            glued = (letter(position) and letter(position - 1)) or (
                letter(position + length - 1) and letter(position + length)
            )
            if not glued:
                found.append((position, word))
                position += length - 1
                break
        position += 1
    return found


_PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).map(lambda word: word[: max(1, len(word) - 1)]),
    st.sampled_from(["a", "java", " ", "的", "|", ",", "\U0001f600", "\uffff", "網站", "x1"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=14))
def test_lexicon_find_is_leftmost_longest(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert LEXICON.find(text) == _reference_find(text)


def test_lexicon_find_on_folded_seeds() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        folded = fold(path.read_text(encoding="utf-8")).text
        assert LEXICON.find(folded) == _reference_find(folded)


_GLOSS_ALPHABET = list("网站首a b()zü〇々豈⺀x1") + list(_TONED) + ["("] * 3 + [")"] * 3


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_GLOSS_ALPHABET), max_size=30).map("".join))
def test_gloss_spans_match_the_regex(text: str) -> None:
    from cleanse.stages.spam import normalise

    expected = [(m.start(), m.end() - 1) for m in PINYIN_GLOSS.finditer(text)]
    opens, closes = _gloss_spans(text, code_points(text))
    assert list(zip(opens.tolist(), closes.tolist(), strict=True)) == expected
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(normalise, "native", None)
        opens, closes = _gloss_spans(text, code_points(text))
    assert list(zip(opens.tolist(), closes.tolist(), strict=True)) == expected


@settings(max_examples=500, deadline=None)
@given(st.lists(st.floats(min_value=-8, max_value=8, allow_nan=False), min_size=1, max_size=12))
def test_viterbi_is_skipped_only_when_it_finds_no_run(emissions: list[float]) -> None:
    if _best_segment_sum(np.array(emissions)) < SWITCH_COST - 1e-9:
        assert _viterbi_runs(emissions) == []


_URL_PIECES = st.one_of(
    st.sampled_from(["http://", "https://", "www", ".", "com", "cn", "w", "a.b", "1.30", "ftp:", "/", ":"]),
    st.text(st.sampled_from("abw.:/-1 新闻,"), max_size=4),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_URL_PIECES, max_size=10))
def test_url_precheck_never_skips_a_url(pieces: list[str]) -> None:
    text = "".join(pieces)
    if patterns.URL.search(text) is not None:
        assert may_hold_url(text, code_points(text))


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("w.az1 新/:"), max_size=40))
def test_url_precheck_by_dots_agrees_with_the_array_pass(text: str) -> None:
    from cleanse.stages.spam import urls

    by_dots = may_hold_url(text, code_points(text))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(urls, "FEW_DOTS", -1)
        assert may_hold_url(text, code_points(text)) == by_dots


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_URL_PIECES, st.sampled_from(["\n", "\r\n", " ", "新闻"])), max_size=14))
def test_url_matches_on_candidate_lines_are_the_whole_text_matches(pieces: list[str]) -> None:
    from cleanse.stages.spam import urls

    text = "".join(pieces)
    whole = [match.span() for match in patterns.URL.finditer(text)]
    for few_dots in (urls.FEW_DOTS, -1):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(urls, "FEW_DOTS", few_dots)
            lines = url_lines(text, code_points(text))
        assert [match.span() for line in lines for match in patterns.URL.finditer(text, *line)] == whole
        assert bool(lines) == may_hold_url(text, code_points(text))
        assert all("\n" not in text[start:end] for start, end in lines)


def test_url_precheck_skips_text_without_url_shapes() -> None:
    assert not may_hold_url("定价:1.30元。新闻", code_points("定价:1.30元。新闻"))
    assert may_hold_url("访问 www.1", code_points("访问 www.1"))


_SHAPE_PIECES = st.one_of(
    st.sampled_from(
        ["本报记者", "记者", "通讯员", "文", "作者", "撰文", "责任编辑", "本版", "美编", "图为", "资料图", "上接", "转"]
    ),
    st.sampled_from(
        ["新华社北京", "5月3日电", "2019年5月3日", "星期五", "第3版", "a12版", "完", "end", "……", "·", "-"]
    ),
    st.text(st.sampled_from("([【)]】 \u3000\t:/、,王李明华日月年版图文记者0123456789ab"), max_size=5),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_SHAPE_PIECES, min_size=1, max_size=5))
def test_gated_short_line_shapes_agree_with_the_full_alternation(pieces: list[str]) -> None:
    stripped = "".join(pieces).strip()
    assert patterns.has_short_line_shape(stripped) == (patterns.SHORT_LINE_SHAPES.match(stripped) is not None)


def test_gated_short_line_shapes_agree_on_the_seed_lines() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        for line in fold(path.read_text(encoding="utf-8")).text.split("\n"):
            stripped = line.strip()
            assert patterns.has_short_line_shape(stripped) == (patterns.SHORT_LINE_SHAPES.match(stripped) is not None)


def _best_path_runs(emissions: list[float]) -> list[tuple[int, int]]:
    """Advertorial runs of the best state path, found by trying every path (ties go to the article state)."""
    best_score, best_states = -np.inf, (0,) * len(emissions)
    for code in range(2 ** len(emissions)):
        states = tuple((code >> (len(emissions) - 1 - i)) & 1 for i in range(len(emissions)))
        switches = sum(a != b for a, b in zip((0, *states), states, strict=False))
        score = sum(e for e, s in zip(emissions, states, strict=True) if s) - SWITCH_COST * switches
        if score > best_score + 1e-9:
            best_score, best_states = score, states
    runs, start = [], None
    for i, state in enumerate((*best_states, 0)):
        if state and start is None:
            start = i
        elif not state and start is not None:
            runs.append((start, i - 1))
            start = None
    return runs


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-16, 16).map(lambda n: n / 2), min_size=1, max_size=9))
def test_viterbi_finds_the_best_path(emissions: list[float]) -> None:
    runs = _viterbi_runs(emissions)

    def score(found: list[tuple[int, int]]) -> float:
        inside = {i for first, last in found for i in range(first, last + 1)}
        states = [int(i in inside) for i in range(len(emissions))]
        switches = sum(a != b for a, b in zip((0, *states), states, strict=False))
        return sum(e for i, e in enumerate(emissions) if i in inside) - SWITCH_COST * switches

    assert score(runs) == score(_best_path_runs(emissions))


def test_packed_class_counts_agree_with_summed_bits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spans of ``FIELD_LIMIT`` characters or more are counted from unpacked bits; both ways agree."""
    from cleanse.stages.spam import features
    from cleanse.stages.spam.labeller import _line_spans, _span_arrays

    for path in sorted(SEEDS.glob("*.txt")):
        text = fold(path.read_text(encoding="utf-8")).text
        index = features.DocumentIndex(text, LEXICON)
        starts, ends = _span_arrays(_line_spans(text)[0])
        packed = index._class_counts(starts, ends)
        with monkeypatch.context() as patch:
            patch.setattr(features, "FIELD_LIMIT", 1)
            summed = index._class_counts(starts, ends)
        assert packed.tolist() == summed.tolist(), path.name


def _last_boundary_by_full_scan(text: str, start: int, position: int) -> tuple[int, int] | None:
    from cleanse.stages.spam.labeller import _PIECE_BOUNDARY

    found = None
    for match in _PIECE_BOUNDARY.finditer(text, start, position + 1):
        if match.end() <= position:
            found = match.span()
    return found


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("。!?…  \t\n新闻报道a1"), max_size=300), st.data())
def test_windowed_boundary_search_agrees_with_a_full_scan(text: str, data: st.DataObject) -> None:
    from cleanse.stages.spam import labeller
    from cleanse.stages.spam.labeller import _last_boundary

    start = data.draw(st.integers(0, len(text)))
    position = data.draw(st.integers(start, max(start, len(text) - 1)))
    expected = _last_boundary_by_full_scan(text, start, position)
    found = _last_boundary(text, start, position)
    assert (found.span() if found else None) == expected
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(labeller, "_BOUNDARY_WINDOW", 1)
        found = _last_boundary(text, start, position)
    assert (found.span() if found else None) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.sampled_from("旭辉集团天气〇々𠀀ab ,。\x00"), max_size=12), min_size=1, max_size=5))
def test_han_bigram_spread_counts_paragraphs_like_the_regex(paragraphs: list[str]) -> None:
    from collections import Counter
    from itertools import chain

    import regex

    from cleanse.stages.spam.context import han_bigram_spread

    bigram = regex.compile(r"(?=(\p{Han}{2}))")
    expected = Counter(chain.from_iterable(set(bigram.findall(paragraph)) for paragraph in paragraphs))
    assert han_bigram_spread(paragraphs) == dict(expected)
    assert han_bigram_spread(paragraphs, at_least=2.5) == {word: n for word, n in expected.items() if n >= 2.5}


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30))
def test_han_mask_agrees_with_the_regex(text: str) -> None:
    import regex

    han = regex.compile(r"\p{Han}")
    expected = [han.fullmatch(char) is not None for char in text]
    assert han_mask(code_points(text)).tolist() == expected


def test_han_mask_beyond_the_table_falls_back_to_the_regex() -> None:
    text = "旭a\U00031350\U000e0100"
    assert han_mask(code_points(text)).tolist() == [True, False, True, False]


def _numpy_lexicon() -> Lexicon:
    """The default lexicon with the compiled core switched off: its numpy path."""
    from cleanse.stages.spam import lexicon

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lexicon, "native", None)
        numpy_lexicon = LEXICON.extended(())
    assert numpy_lexicon._native_tables is None
    return numpy_lexicon


NUMPY_LEXICON = _numpy_lexicon()
needs_native = pytest.mark.skipif(native is None, reason="the compiled core (_scan) was not built")


def test_numpy_path_is_leftmost_longest_on_folded_seeds() -> None:
    from cleanse.stages.spam import lexicon

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lexicon, "native", None)
        for path in sorted(SEEDS.glob("*.txt")):
            folded = fold(path.read_text(encoding="utf-8")).text
            assert NUMPY_LEXICON.find(folded) == _reference_find(folded)


@needs_native
@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=14))
def test_compiled_and_numpy_matchers_agree(pieces: list[str]) -> None:
    from cleanse.stages.spam import lexicon

    text = "".join(pieces)
    compiled = LEXICON.find_ids(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lexicon, "native", None)
        candidates = LEXICON._candidates(code_points(text))
        by_numpy = NUMPY_LEXICON.find_ids(text)
    assert LEXICON._candidates(code_points(text)) == candidates
    assert compiled[0].tolist() == by_numpy[0].tolist()
    assert compiled[1].tolist() == by_numpy[1].tolist()


@needs_native
def test_compiled_matcher_agrees_on_seeds_and_user_words() -> None:
    from cleanse.stages.spam import lexicon

    extra = (("ad", "java"), ("spam", "的"), ("chrome", "网站首页更多"))
    compiled = LEXICON.extended(extra)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lexicon, "native", None)
        by_numpy = LEXICON.extended(extra)
    for path in sorted(SEEDS.glob("*.txt")):
        folded = fold(path.read_text(encoding="utf-8"))
        assert compiled.find(folded.text, folded.codes) == by_numpy.find(folded.text, folded.codes)


@needs_native
def test_compiled_matcher_rejects_bad_tables_with_an_error() -> None:
    assert native is not None
    codes = code_points("网站首页")
    tables = LEXICON._native_tables
    assert tables is not None
    with pytest.raises(ValueError, match="candidate outside"):
        native.match(codes, [99], *tables)
    with pytest.raises(ValueError, match="offsets"):
        native.match(codes, [0], tables[0], tables[1] + 10**6, *tables[2:])
    with pytest.raises(ValueError, match="starts"):
        native.candidates(codes, np.zeros(3, dtype=bool), *[np.zeros(1 << 16, dtype=bool)] * 4)
    with pytest.raises(TypeError):
        native.match(codes, (0,), *tables)


def _hits_summary(index: object, spans: list[tuple[int, int]]) -> list[tuple[object, ...]]:
    from cleanse.stages.spam.features import DocumentIndex

    assert isinstance(index, DocumentIndex)
    starts = np.array([s for s, _ in spans], dtype=np.int64)
    ends = np.array([e for _, e in spans], dtype=np.int64)
    return [
        (h.weights, h.reporting, h.advertorial, h.property, h.promotion, h.strong_direct_ad, h.words, h.first, h.kinds)
        for h in index.features(starts, ends).hits
    ]


@needs_native
@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=8200), max_size=40), st.sampled_from(sorted(SEEDS.glob("*.txt"))))
def test_compiled_and_numpy_line_hits_agree(cuts: list[int], path: Path) -> None:
    from cleanse.stages.spam import features
    from cleanse.stages.spam.features import DocumentIndex, character_classes

    folded = fold(path.read_text(encoding="utf-8"))
    bounds = sorted({0, len(folded.text), *(cut for cut in cuts if cut <= len(folded.text))})
    spans = [(a, b) for k, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False)) if k % 3 != 1]
    index = DocumentIndex(folded.text, LEXICON, folded.codes, character_classes(folded.codes))
    compiled = _hits_summary(index, spans)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(features, "native", None)
        assert _hits_summary(index, spans) == compiled


@needs_native
def test_compiled_line_hits_reject_bad_input_with_an_error() -> None:
    assert native is not None
    one = np.zeros(1, dtype=np.int64)
    rows = LEXICON.line_rows
    bits = np.ones(8, dtype=np.int64)
    with pytest.raises(ValueError, match="word id"):
        native.line_hits(one, one + 10**6, one, one + 5, rows, rows.shape[1], bits, 8)
    with pytest.raises(ValueError, match="rows"):
        native.line_hits(one, one, one, one + 5, rows, 0, bits, 8)
    with pytest.raises(ValueError, match="ends"):
        native.line_hits(one, one, one, np.zeros(2, dtype=np.int64), rows, rows.shape[1], bits, 8)


@needs_native
def test_compiled_line_hits_add_long_segments_like_numpy() -> None:
    from cleanse.stages.spam import features
    from cleanse.stages.spam.features import DocumentIndex, character_classes

    text = " ".join(fold(path.read_text(encoding="utf-8")).text for path in sorted(SEEDS.glob("*.txt")))
    codes = code_points(text)
    index = DocumentIndex(text, LEXICON, codes, character_classes(codes))
    assert index._word_positions.size > 256
    windows = [(k, k + 500) for k in range(0, len(text) - 500, 700)]
    for chosen in ([(0, len(text))], windows):
        compiled = _hits_summary(index, chosen)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(features, "native", None)
            assert _hits_summary(index, chosen) == compiled


@needs_native
@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("ab \t\r\n\u3000\x0b\x1c\u2028\u0085新"), max_size=30))
def test_compiled_line_spans_agree_with_the_split_loop(text: str) -> None:
    from cleanse.stages.spam import labeller

    compiled = labeller._line_spans(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(labeller, "native", None)
        assert labeller._line_spans(text) == compiled


@needs_native
@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=255), max_size=200))
def test_compiled_prefix_sums_agree_with_numpy(values: list[int]) -> None:
    from cleanse.stages.spam import features

    classes = np.array(values, dtype=np.uint8)
    compiled = features._packed_prefix_sums(classes)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(features, "native", None)
        assert np.array_equal(features._packed_prefix_sums(classes), compiled)


@needs_native
def test_compiled_helpers_reject_bad_input_with_an_error() -> None:
    from cleanse.stages.spam import features

    assert native is not None
    with pytest.raises(TypeError, match="takes str"):
        native.line_spans(b"bytes")
    with pytest.raises(ValueError, match="out"):
        native.packed_prefix_sums(np.zeros(3, dtype=np.uint8), features._PACKED_FIELDS, np.zeros(3, dtype=np.uint64))


def _count_columns(index: object, spans: list[tuple[int, int]]) -> dict[str, list[int]]:
    from dataclasses import fields

    from cleanse.stages.spam.features import DocumentIndex

    assert isinstance(index, DocumentIndex)
    starts = np.array([s for s, _ in spans], dtype=np.int64)
    ends = np.array([e for _, e in spans], dtype=np.int64)
    found = index.features(starts, ends)
    return {f.name: getattr(found, f.name) for f in fields(found) if f.name != "hits"}


@needs_native
@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=8200), max_size=40),
    st.sampled_from(sorted(SEEDS.glob("*.txt"))),
    st.text(st.sampled_from("a1 \t\u3000,。!?|>、新"), max_size=40),
)
def test_compiled_and_numpy_span_counts_agree(cuts: list[int], path: Path, prefix: str) -> None:
    from cleanse.stages.spam import features
    from cleanse.stages.spam.features import DocumentIndex, character_classes

    folded = fold(prefix + path.read_text(encoding="utf-8"))
    bounds = sorted({0, len(folded.text), *(cut for cut in cuts if cut <= len(folded.text))})
    spans = [(a, b) for a, b in zip(bounds, bounds[1:], strict=False)] + [(0, 0), (3, 3), (0, len(folded.text))]
    index = DocumentIndex(folded.text, LEXICON, folded.codes, character_classes(folded.codes))
    compiled = _count_columns(index, spans)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(features, "native", None)
        assert _count_columns(index, spans) == compiled


@needs_native
def test_compiled_span_counts_and_find_reject_bad_input_with_an_error() -> None:
    assert native is not None
    classes = np.zeros(4, dtype=np.uint8)
    one = np.zeros(1, dtype=np.int64)
    with pytest.raises(ValueError, match="spans"):
        native.span_counts(classes, one, one + 5)
    with pytest.raises(ValueError, match="spans"):
        native.span_counts(classes, one + 2, one + 1)
    with pytest.raises(ValueError, match="ends"):
        native.span_counts(classes, one, np.zeros(2, dtype=np.int64))
    codes = code_points("网站首页")
    tables = LEXICON._native_tables
    assert tables is not None
    filters = LEXICON._native_filters
    assert filters is not None
    with pytest.raises(ValueError, match="offsets"):
        native.find(codes, *filters, tables[0], tables[1] + 10**6, *tables[2:])
    with pytest.raises(ValueError, match="single"):
        native.find(codes, *filters[:4], np.zeros(3, dtype=bool), *tables)
    with pytest.raises(ValueError, match="starts"):
        native.find(codes, LEXICON._starts_word, *filters[1:], *tables)
