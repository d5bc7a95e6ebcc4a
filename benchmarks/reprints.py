"""A seeded generator of reprint clusters built from the stories in ``seeds/``.

Chinese news is reprinted by many sites, each copy edited a little: a sentence dropped or added, the order
changed, a few characters mistyped, the whole text in Traditional script, ASCII punctuation, a site header or
an ad glued on, the tail cut off, paragraphs merged or split. :func:`generate_reprints` applies such edits to
stories taken from the corpus, so the cluster of every text is known by construction and a near-duplicate
detector can be scored against it (:mod:`benchmarks.dedup_quality`).

How the corpus is built, for ``seed``:

1. Every seed file is split into paragraphs (non-empty lines; a line holding several paragraphs glued with
   ``"。 "`` is cut there). A paragraph is a candidate story when it has ``min_han`` Han characters or more,
   mostly Han text, and no sign of encoding damage (U+FFFD, ``?`` runs, pinyin in parentheses): the
   generator wants clean originals, the damage kinds are benchmarked by the encoding stage.
2. Candidates that overlap an earlier candidate (character 5-gram Jaccard >= 0.2 or containment >= 0.3) are
   dropped, so two stories are never near-duplicates of each other and the truth is not polluted by the
   natural repeats of the seeds (those are available from :func:`seed_paragraphs`).
3. ``unit="paragraph"``: a story is one paragraph. ``unit="document"``: a story is a run of
   ``paragraphs_per_document`` consecutive paragraphs of one seed file, joined with newlines.
4. ``clusters`` stories are drawn (without replacement) and each yields ``copies`` texts: the original, then
   ``copies - 1`` reprints, each with ``min_edits``..``max_edits`` edits drawn from :data:`EDIT_KINDS`.
   ``singletons`` further stories appear once, as distractors. Texts are shuffled; ``labels[i]`` is the
   cluster id of ``texts[i]`` and ``edits[i]`` the names of the edits applied to it (empty for an original).

``held_out`` splits the stories in two halves by a stable hash of their text: ``False`` draws only from the
tuning half, ``True`` only from the held-out half, ``None`` from both. A detector tuned on one half and scored
on the other shows whether it learned the kind of edit rather than the instance.

>>> corpus = generate_reprints(seed=1, clusters=3, copies=3, singletons=2)
>>> len(corpus.texts), len(set(corpus.labels))
(11, 5)
>>> corpus.clusters() == sorted(corpus.clusters())
True
>>> generate_reprints(seed=1, clusters=3, copies=3, singletons=2).texts == corpus.texts
True
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal, Protocol

import numpy as np
import regex

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"

Unit = Literal["paragraph", "document"]

_HAN = regex.compile(r"\p{Han}")
_SENTENCE = regex.compile(r"[^。！？!?；]+(?:[。！？!?；]+[”’」』）)]*|$)")
_CLAUSE = regex.compile(r"[^，,；;。！？!?]+[，,；;。！？!?]*")
_CHUNK = 50_000
_GLUED_PARAGRAPHS = regex.compile(r"(?<=[。！？”])\s+(?=\S)")
_DAMAGE = regex.compile(r"\ufffd|\?|\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
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


@dataclass(frozen=True)
class Story:
    """A clean text taken from the corpus: one paragraph or a run of paragraphs of one seed file."""

    text: str
    source: str
    paragraphs: tuple[str, ...]


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


def _take(filler: list[str]) -> str:
    """The next unused added sentence: each is used once per corpus, so two clusters never share one."""
    if not filler:
        raise ValueError("the corpus ran out of sentences to add; ask for fewer clusters or copies")
    return filler.pop()


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


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


@lru_cache(maxsize=1)
def _s2t() -> _Converter:
    from opencc import OpenCC

    converter: _Converter = OpenCC("s2t")
    return converter
