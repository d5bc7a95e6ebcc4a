"""Stories from the corpus: paragraphs and sentences of the seed files, filtered to clean, distinct texts."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import regex

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"


Unit = Literal["paragraph", "document"]


_HAN = regex.compile(r"\p{Han}")


_SENTENCE = regex.compile(r"[^。！？!?；]+(?:[。！？!?；]+[”’」』）)]*|$)")


_CLAUSE = regex.compile(r"[^，,；;。！？!?]+[，,；;。！？!?]*")


_GLUED_PARAGRAPHS = regex.compile(r"(?<=[。！？”])\s+(?=\S)")


_DAMAGE = regex.compile(r"\ufffd|\?|\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


@dataclass(frozen=True)
class Story:
    """A clean text taken from the corpus: one paragraph or a run of paragraphs of one seed file."""

    text: str
    source: str
    paragraphs: tuple[str, ...]


def split_sentences(text: str) -> list[str]:
    """Cut ``text`` after sentence-final punctuation (closing quotes stay with their sentence).

    >>> split_sentences("第一句。第二句！“第三句？”尾巴")
    ['第一句。', '第二句！', '“第三句？”', '尾巴']
    """
    return [match.group() for match in _SENTENCE.finditer(text) if match.group()]


def split_paragraphs(text: str) -> list[str]:
    """Non-empty lines of ``text``, with paragraphs glued on one line by ``"。 "`` cut apart.

    >>> split_paragraphs("甲段。 乙段。\\n\\n  丙段\\n")
    ['甲段。', '乙段。', '丙段']
    """
    paragraphs: list[str] = []
    for line in text.splitlines():
        paragraphs.extend(part.strip() for part in _GLUED_PARAGRAPHS.split(line) if part.strip())
    return paragraphs


def seed_paragraphs(seeds_dir: Path = SEEDS_DIR) -> list[tuple[str, str]]:
    """``(source, paragraph)`` for every paragraph of every seed file, in order, with no filtering.

    The natural repeats of the corpus (a paragraph pasted twice, shared sentences between reprints, the
    Traditional seed) live here; their truth is not known by construction.
    """
    found: list[tuple[str, str]] = []
    for path in _seed_files(seeds_dir):
        text = path.read_text(encoding="utf-8", errors="replace")
        found.extend((f"{path.stem}:{index}", paragraph) for index, paragraph in enumerate(split_paragraphs(text)))
    return found


def _seed_files(seeds_dir: Path) -> list[Path]:
    files = sorted(path for path in Path(seeds_dir).glob("*.txt") if path.is_file())
    if not files:
        raise FileNotFoundError(f"no seed files (*.txt) in {seeds_dir}")
    return files


def _is_clean_story(paragraph: str, min_han: int) -> bool:
    han = len(_HAN.findall(paragraph))
    return han >= min_han and han >= 0.7 * len(paragraph) and not _DAMAGE.search(paragraph)


@lru_cache(maxsize=8)
def _stories(seeds_dir: Path, unit: Unit, min_han: int, paragraphs_per_document: int) -> tuple[Story, ...]:
    kept: list[Story] = []
    kept_shingles: list[frozenset[str]] = []
    for path in _seed_files(seeds_dir):
        paragraphs = split_paragraphs(path.read_text(encoding="utf-8", errors="replace"))
        clean = [(index, text) for index, text in enumerate(paragraphs) if _is_clean_story(text, min_han)]
        if unit == "paragraph":
            groups = [[item] for item in clean]
        else:
            step = paragraphs_per_document
            groups = [clean[start : start + step] for start in range(0, len(clean) - step + 1, step)]
        for group in groups:
            text = "\n".join(part for _, part in group)
            shingles = _shingles(text)
            if any(_overlaps(shingles, other) for other in kept_shingles):
                continue
            kept_shingles.append(shingles)
            kept.append(Story(text, f"{path.stem}:{group[0][0]}", tuple(part for _, part in group)))
    return tuple(kept)


@lru_cache(maxsize=8)
def _filler_sentences(seeds_dir: Path, min_han: int) -> tuple[str, ...]:
    sentences: list[str] = []
    for _, paragraph in seed_paragraphs(seeds_dir):
        if _is_clean_story(paragraph, min_han // 2):
            sentences.extend(sentence for sentence in split_sentences(paragraph) if len(sentence) >= 8)
    return tuple(sentences)


@lru_cache(maxsize=8)
def _han_alphabet(seeds_dir: Path) -> tuple[str, ...]:
    return tuple(sorted(set(_HAN.findall("".join(text for _, text in seed_paragraphs(seeds_dir))))))


def _foreign_sentences(sentences: Sequence[str], stories: Sequence[Story]) -> tuple[str, ...]:
    """The sentences sharing under a fifth of their 5-grams with the chosen stories.

    An added sentence must not be a piece of another cluster's story, or the truth would be ambiguous.
    """
    taken: set[str] = set()
    for story in stories:
        taken.update(_shingles(story.text))
    foreign = []
    for sentence in sentences:
        grams = _shingles(sentence)
        if len(grams & taken) < 0.2 * len(grams):
            foreign.append(sentence)
    if not foreign:
        raise ValueError("every corpus sentence belongs to a chosen story; ask for fewer clusters and singletons")
    return tuple(foreign)


def _shingles(text: str, size: int = 5) -> frozenset[str]:
    han = "".join(_HAN.findall(text))
    return frozenset(han[index : index + size] for index in range(max(1, len(han) - size + 1)))


def _overlaps(first: frozenset[str], second: frozenset[str]) -> bool:
    common = len(first & second)
    if not common:
        return False
    return common / len(first | second) >= 0.2 or common / min(len(first), len(second)) >= 0.3


def _is_held_out(text: str) -> bool:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=1).digest()[0] % 2 == 1
