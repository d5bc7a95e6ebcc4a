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

from benchmarks.reprints.corpus import SEEDS_DIR, Story, Unit, seed_paragraphs, split_paragraphs, split_sentences
from benchmarks.reprints.edits import EDIT_KINDS, reprint
from benchmarks.reprints.generate import ReprintCorpus, generate_reprints, scaled_paragraphs

__all__ = [
    "EDIT_KINDS",
    "SEEDS_DIR",
    "ReprintCorpus",
    "Story",
    "Unit",
    "generate_reprints",
    "reprint",
    "scaled_paragraphs",
    "seed_paragraphs",
    "split_paragraphs",
    "split_sentences",
]
