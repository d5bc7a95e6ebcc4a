"""Insertions: a paragraph or two of another story inside an article, found without layout cues.

Three tests over the paragraph vectors of :mod:`.cohesion`, run after the segmentation
programme has found the stories (``strength`` is the layout-cue strength of each gap):

- :func:`resumptions`: a brief that opens with strong cues but runs into the article it was
  laid into is cut where the article resumes;
- :func:`split_off_outliers`: a paragraph that shares far fewer words with its story than its
  siblings do is inserted;
- :func:`split_off_insertions`: a run of one or two paragraphs whose two sides read on as one
  story while the run resembles neither (a TextTiling-style depth test).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from cleanse.stages.splice.segmenter import Tuning

STRONG_CUE = 2.0
OUTLIER_MIN_UNITS = 4
INSERTED_MAX_UNITS = 2
RESUME_CONTEXT_UNITS = 3
INSERTION_MIN_CHARS = 60


def resumptions(vectors: np.ndarray, boundaries: list[int], strength: Sequence[float], tuning: Tuning) -> list[int]:
    """Cut a block where the text before it resumes: a short insertion the programme ran into what follows.

    A brief laid into an article opens with strong cues but nothing marks where the article
    picks up again, and one or two paragraphs are too few for the programme to pay a second
    boundary. So inside each block that opens with a strong cue, the tail after its first one or two units
    is compared with the text before the block: when the tail resembles that text more than
    it resembles the block's head, by ``tuning.resume_margin``, the block is cut there.
    """
    edges = [0, *boundaries, vectors.shape[0]]
    added: list[int] = []
    for k in range(1, len(edges) - 1):
        start, stop = edges[k], edges[k + 1]
        if stop - start < 2 or strength[start - 1] < STRONG_CUE:
            continue
        before = unit_mean(vectors[max(0, start - RESUME_CONTEXT_UNITS) : start])
        best_cut, best_gain = 0, tuning.resume_margin
        for cut in range(start + 1, min(start + INSERTED_MAX_UNITS, stop - 1) + 1):
            tail = unit_mean(vectors[cut : min(stop, cut + RESUME_CONTEXT_UNITS)])
            head = unit_mean(vectors[start:cut])
            gain = float(tail @ before) - float(tail @ head)
            if gain > best_gain and float(tail @ before) >= tuning.merge_similarity:
                best_cut, best_gain = cut, gain
        if best_cut:
            added.append(best_cut)
    return sorted({*boundaries, *added})


def unit_mean(vectors: np.ndarray) -> np.ndarray:
    total = vectors.sum(axis=0)
    return total / (float(np.linalg.norm(total)) or 1.0)


def split_off_outliers(
    vectors: np.ndarray, story_of_unit: list[int], strength: Sequence[float], tuning: Tuning
) -> list[int]:
    """A paragraph inside a story that shares far fewer words with the rest than its siblings do is inserted.

    The test is relative: the paragraph's similarity to the rest of its story, divided by the
    story's median of the same measure, below ``tuning.outlier_ratio``. Only paragraphs with the
    same story on both sides and no layout cue around them qualify (the first paragraph after a
    heading is a section's lead, often an anecdote), and only in stories of four or more
    paragraphs. Consecutive outliers form one inserted story.
    """
    result = list(story_of_unit)
    next_story = max(result) + 1
    for story in sorted(set(story_of_unit)):
        members = [k for k, s in enumerate(story_of_unit) if s == story]
        if len(members) < OUTLIER_MIN_UNITS:
            continue
        total = vectors[members].sum(axis=0)
        fit = []
        for k in members:
            rest = total - vectors[k]
            own = float(np.linalg.norm(vectors[k])) * (float(np.linalg.norm(rest)) or 1.0)
            fit.append(float(vectors[k] @ rest) / own if own else 1.0)
        median = statistics.median(fit)
        if median <= 0:
            continue
        outliers = [
            k
            for k, value in zip(members, fit, strict=True)
            if value / median < tuning.outlier_ratio
            and members[0] < k < members[-1]
            and not (strength[k - 1] or strength[k])
        ]
        previous = -2
        for k in outliers:
            if k != previous + 1:
                next_story += 1
            result[k] = next_story
            previous = k
    return result


def split_off_insertions(
    vectors: np.ndarray, story_of_unit: list[int], strength: Sequence[float], sizes: list[int], tuning: Tuning
) -> list[int]:
    """One or two paragraphs that break a story's flow are an insertion (a TextTiling-style depth test).

    For a run of ``1..INSERTED_MAX_UNITS`` units with the same story on both sides, the text
    of that story just before it and just after it (up to ``RESUME_CONTEXT_UNITS`` units each) are
    compared with each other and with the run: the run is inserted when the sides clearly
    continue one story (cosine ``tuning.insertion_flow`` or more) and the run resembles either
    side less than ``tuning.insertion_ratio`` times as much as they resemble each other. A cue
    may open the run (a boxed brief under its own title) but none may sit inside it or close
    it (a heading there starts a section of the story), runs shorter than
    ``INSERTION_MIN_CHARS`` Han characters have too few bigrams to judge, and the deepest run
    wins where candidates overlap. All windows come from 2-D prefix sums of the gram matrix.
    """
    result = list(story_of_unit)
    size = len(result)
    candidates: list[tuple[float, int, int]] = []
    if size < 3:
        return result
    gram = np.einsum("ij,kj->ik", vectors, vectors, dtype=np.float64)
    block = np.zeros((size + 1, size + 1))
    block[1:, 1:] = np.cumsum(np.cumsum(gram, axis=0), axis=1)
    stories = np.asarray(result)
    run_of = np.concatenate(([0], np.cumsum(stories[1:] != stories[:-1])))
    run_start = np.searchsorted(run_of, run_of, side="left")
    run_stop = np.searchsorted(run_of, run_of, side="right")
    cued = np.concatenate((np.asarray(strength, dtype=np.float64) > 0, [False]))
    chars = np.concatenate(([0], np.cumsum(sizes)))
    for length in range(1, INSERTED_MAX_UNITS + 1):
        start = np.arange(1, size - length)
        stop = start + length
        valid = (run_of[start - 1] == run_of[stop]) & (chars[stop] - chars[start] >= INSERTION_MIN_CHARS)
        for offset in range(0, length):  # a heading may open the run (a boxed brief), nothing may close it
            valid &= ~cued[start + offset]
        if not valid.any():
            continue
        start, stop = start[valid], stop[valid]
        left = np.maximum(start - RESUME_CONTEXT_UNITS, run_start[start - 1])
        right = np.minimum(stop + RESUME_CONTEXT_UNITS, run_stop[stop])
        flow = _cosine(block, (left, start), (stop, right))
        fit = np.maximum(_cosine(block, (start, stop), (left, start)), _cosine(block, (start, stop), (stop, right)))
        chosen = (flow >= tuning.insertion_flow) & (fit < tuning.insertion_ratio * flow)
        candidates.extend(
            zip((flow - fit)[chosen].tolist(), start[chosen].tolist(), stop[chosen].tolist(), strict=True)
        )
    taken: set[int] = set()
    next_story = max(result, default=0) + 1
    for _, first, last in sorted(candidates, reverse=True):
        if taken & set(range(first - 1, last + 1)):
            continue
        taken.update(range(first, last))
        for k in range(first, last):
            result[k] = next_story
        next_story += 1
    return result


def _cosine(
    block: np.ndarray, first: tuple[np.ndarray, np.ndarray], second: tuple[np.ndarray, np.ndarray]
) -> np.ndarray:
    """Cosine of the summed vectors of two unit ranges, per candidate, from the 2-D prefix sums of the gram matrix."""

    def dot(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        return block[a[1], b[1]] - block[a[0], b[1]] - block[a[1], b[0]] + block[a[0], b[0]]

    norms = np.sqrt(np.maximum(dot(first, first), 0.0) * np.maximum(dot(second, second), 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(norms > 0, dot(first, second) / norms, 0.0)
