"""Reprint corpora with ground truth, and the large paragraph loads of the speed and scaling runs."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from benchmarks.reprints.corpus import (
    SEEDS_DIR,
    Unit,
    _filler_sentences,
    _foreign_sentences,
    _han_alphabet,
    _is_held_out,
    _stories,
)
from benchmarks.reprints.edits import reprint

_CHUNK = 50_000


@dataclass
class ReprintCorpus:
    """Generated texts with their ground truth.

    ``labels[i]`` is the cluster id of ``texts[i]``; ``edits[i]`` names the edits applied to it (``[]`` for an
    original); ``sources[i]`` is the seed file and paragraph index the story came from.
    """

    texts: list[str]
    labels: list[int]
    edits: list[list[str]]
    sources: list[str]
    unit: Unit
    seed: int
    params: dict[str, object] = field(default_factory=dict)

    def clusters(self) -> list[list[int]]:
        """True clusters of two texts or more, as sorted index lists (the shape of ``find_duplicates``)."""
        members: dict[int, list[int]] = {}
        for index, label in enumerate(self.labels):
            members.setdefault(label, []).append(index)
        return sorted(group for group in members.values() if len(group) > 1)

    def pairs(self) -> set[tuple[int, int]]:
        """Every true duplicate pair ``(i, j)`` with ``i < j``."""
        found: set[tuple[int, int]] = set()
        for group in self.clusters():
            found.update((a, b) for position, a in enumerate(group) for b in group[position + 1 :])
        return found


def generate_reprints(
    seed: int = 0,
    clusters: int = 50,
    copies: int = 4,
    singletons: int = 30,
    unit: Unit = "paragraph",
    held_out: bool | None = None,
    min_edits: int = 1,
    max_edits: int = 3,
    min_han: int = 40,
    paragraphs_per_document: int = 4,
    seeds_dir: Path = SEEDS_DIR,
) -> ReprintCorpus:
    """Build reprint clusters from the corpus stories; see the module docstring for the procedure.

    Raises ``ValueError`` when the arguments are out of range or the corpus has fewer stories than
    ``clusters + singletons`` (the message says how many there are).
    """
    if unit not in ("paragraph", "document"):
        raise ValueError(f"unit must be 'paragraph' or 'document', not {unit!r}")
    if clusters < 0 or singletons < 0:
        raise ValueError(f"clusters and singletons must be >= 0, got {clusters} and {singletons}")
    if copies < 2:
        raise ValueError(f"copies must be >= 2 (an original and a reprint), got {copies}")
    if not 0 <= min_edits <= max_edits:
        raise ValueError(f"need 0 <= min_edits <= max_edits, got {min_edits} and {max_edits}")
    pool = list(_stories(Path(seeds_dir), unit, min_han, paragraphs_per_document))
    if held_out is not None:
        pool = [story for story in pool if _is_held_out(story.text) == held_out]
    needed = clusters + singletons
    if needed > len(pool):
        raise ValueError(
            f"the corpus has {len(pool)} {unit} stories (held_out={held_out}), "
            f"fewer than clusters + singletons = {needed}"
        )
    rng = random.Random(seed)
    chosen = rng.sample(pool, needed)
    filler = list(_foreign_sentences(_filler_sentences(Path(seeds_dir), min_han), chosen))
    rng.shuffle(filler)
    records: list[tuple[str, int, list[str], str]] = []
    for label, story in enumerate(chosen):
        records.append((story.text, label, [], story.source))
        if label >= clusters:
            continue
        for _ in range(copies - 1):
            text, applied = reprint(story, rng, filler, unit, rng.randint(min_edits, max_edits))
            records.append((text, label, applied, story.source))
    rng.shuffle(records)
    params: dict[str, object] = {
        "clusters": clusters,
        "copies": copies,
        "singletons": singletons,
        "held_out": held_out,
        "min_edits": min_edits,
        "max_edits": max_edits,
        "min_han": min_han,
        "paragraphs_per_document": paragraphs_per_document,
    }
    return ReprintCorpus(
        texts=[record[0] for record in records],
        labels=[record[1] for record in records],
        edits=[record[2] for record in records],
        sources=[record[3] for record in records],
        unit=unit,
        seed=seed,
        params=params,
    )


def scaled_paragraphs(
    count: int,
    seed: int = 0,
    reprint_share: float = 0.2,
    noise: float = 0.15,
    reprint_noise: float = 0.02,
    seeds_dir: Path = SEEDS_DIR,
) -> list[str]:
    """``count`` one-line paragraphs for speed and scaling runs, about a fifth of them reprints.

    Each new paragraph joins one to three random corpus sentences and replaces a ``noise`` share of its Han
    characters by random ones, so paragraphs that happen to share a sentence stay far apart; a
    ``reprint_share`` of the output are copies of earlier paragraphs with ``reprint_noise`` substitution and
    the tail cut by up to 30%. The truth is not returned (use :func:`generate_reprints` for quality); this
    is a realistic load: mostly unique text with a known rate of near duplicates. Vectorised with numpy, in
    chunks, so a million paragraphs take seconds.

    >>> paragraphs = scaled_paragraphs(1000, seed=3)
    >>> len(paragraphs), len(set(paragraphs)) > 990, all("\\n" not in text for text in paragraphs)
    (1000, True, True)
    """
    if count < 0 or not 0 <= reprint_share < 1:
        raise ValueError(f"need count >= 0 and 0 <= reprint_share < 1, got {count} and {reprint_share}")
    generator = np.random.default_rng(seed)
    sentences = _filler_sentences(Path(seeds_dir), 20)
    alphabet = np.array([ord(character) for character in _han_alphabet(Path(seeds_dir))], dtype=np.uint32)
    originals = max(1, count - int(count * reprint_share)) if count else 0
    texts: list[str] = []
    for start in range(0, originals, _CHUNK):
        size = min(_CHUNK, originals - start)
        picks = generator.integers(0, len(sentences), size=(size, 3))
        lengths = generator.integers(1, 4, size=size)
        drafts = [
            "".join(sentences[index] for index in row[:length]) for row, length in zip(picks, lengths, strict=True)
        ]
        texts.extend(_substitute(drafts, noise, alphabet, generator))
    sources = generator.integers(0, max(originals, 1), size=count - originals)
    for start in range(0, len(sources), _CHUNK):
        chunk = sources[start : start + _CHUNK]
        keep = generator.uniform(0.7, 1.0, size=len(chunk))
        drafts = [
            texts[source][: max(1, int(len(texts[source]) * share))] for source, share in zip(chunk, keep, strict=True)
        ]
        texts.extend(_substitute(drafts, reprint_noise, alphabet, generator))
    order = generator.permutation(len(texts))
    return [texts[index] for index in order]


def _substitute(texts: list[str], rate: float, alphabet: np.ndarray, generator: np.random.Generator) -> list[str]:
    """Replace a ``rate`` share of the Han characters of ``texts`` by random ones from ``alphabet``."""
    codes = np.frombuffer("\n".join(texts).encode("utf-32-le"), dtype=np.uint32).copy()
    han = (codes >= 0x4E00) & (codes <= 0x9FFF)
    hit = han & (generator.random(len(codes)) < rate)
    codes[hit] = generator.choice(alphabet, size=int(hit.sum()))
    return codes.tobytes().decode("utf-32-le").split("\n")
