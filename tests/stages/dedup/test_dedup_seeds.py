"""Every natural repeat in the seeds is found; the oracles are computed from the texts, never listed.

- a paragraph whose normalised text equals an earlier paragraph of the same seed (seed 004's repeated
  headings, seed 000's paragraph printed twice) gets a ``duplicate_paragraph`` verdict;
- a sentence of seed 002 that also occurs in seed 000 (after normalisation) is covered by a verdict;
- each paragraph of the Traditional seed 003 clusters with its Simplified conversion.
"""

from __future__ import annotations

import opencc
import pytest

from cleanse.document import Document
from cleanse.stages.dedup import NearDupDetector, find_duplicates
from cleanse.stages.dedup.normalise import normalise_unit
from cleanse.stages.dedup.stage import CONTAINED_PARAGRAPH, DUPLICATE_PARAGRAPH, DUPLICATE_SENTENCE
from cleanse.stages.dedup.units import paragraph_spans, sentence_spans

COVERING = {DUPLICATE_PARAGRAPH, DUPLICATE_SENTENCE, CONTAINED_PARAGRAPH}


def _seed(seed_texts: dict[str, str], prefix: str) -> str:
    return next(text for stem, text in seed_texts.items() if stem.startswith(prefix))


def _repeated_paragraphs(text: str) -> list[tuple[int, int]]:
    seen: set[str] = set()
    repeats = []
    for span in paragraph_spans(text):
        key = normalise_unit(span.text).text
        if key and key in seen:
            repeats.append((span.start, span.end))
        seen.add(key)
    return repeats


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_repeated_paragraph_of_a_seed_is_flagged(seed_texts: dict[str, str], prefix: str) -> None:
    text = _seed(seed_texts, prefix)
    (doc,) = NearDupDetector().run([Document.from_text(text, id=prefix)])
    flagged = {(c.start, c.end) for c in doc.changes if c.reason == DUPLICATE_PARAGRAPH}
    repeats = _repeated_paragraphs(text)
    assert set(repeats) <= flagged
    if prefix in ("000", "004"):
        assert repeats, "the seed is known to repeat paragraphs; the oracle must see them"
    if prefix == "000":
        assert max(end - start for start, end in repeats) > 100  # a whole long paragraph, not just a byline


def test_sentences_shared_by_seeds_000_and_002_are_covered(seed_texts: dict[str, str]) -> None:
    first, second = _seed(seed_texts, "000"), _seed(seed_texts, "002")
    folded_first = normalise_unit(first).text
    shared = [
        (span.start + sentence.start, span.start + sentence.end)
        for span in paragraph_spans(second)
        for sentence in sentence_spans(span.text)
        if len(normalise_unit(sentence.text).text) >= 12 and normalise_unit(sentence.text).text in folded_first
    ]
    assert shared, "seeds 000 and 002 are known to share sentences"
    out = list(NearDupDetector().run([Document.from_text(first, id="000"), Document.from_text(second, id="002")]))
    covered = [(c.start, c.end, c.evidence) for c in out[1].changes if c.reason in COVERING]
    for start, end in shared:
        assert any(s <= start and end <= e and ev[0].split()[1].startswith("000:") for s, e, ev in covered)


@pytest.mark.parametrize("script_fold", ["characters", "phrases"])
def test_traditional_seed_paragraphs_match_their_simplified_versions(
    seed_texts: dict[str, str], script_fold: str
) -> None:
    traditional = [span.text for span in paragraph_spans(_seed(seed_texts, "003"))]
    convert = opencc.OpenCC("t2s").convert
    simplified = [convert(text) for text in traditional]
    assert sum(a != b for a, b in zip(traditional, simplified, strict=True)) >= len(traditional) // 2
    clusters = find_duplicates(traditional + simplified, threshold=0.8, script_fold=script_fold)
    cluster_of = {member: number for number, cluster in enumerate(clusters) for member in cluster}
    count = len(traditional)
    for index, text in enumerate(traditional):
        if normalise_unit(text).text:
            assert cluster_of.get(index) is not None and cluster_of.get(index) == cluster_of.get(index + count)
