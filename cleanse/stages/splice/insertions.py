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
        median = float(np.median(fit))
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
    just before it (up to ``RESUME_CONTEXT_UNITS`` units) and the text just after it are
    compared with each other and with the run: the run is inserted when the sides clearly
    continue one story (cosine ``tuning.insertion_flow`` or more) and the run resembles either
    side less than ``tuning.insertion_ratio`` times as much as they resemble each other. Runs with a
    layout cue inside or around them are left to the cue-driven steps, runs shorter than
    ``INSERTION_MIN_CHARS`` Han characters have too few bigrams to judge, and the deepest run
    wins where candidates overlap.
    """
    result = list(story_of_unit)
    size = len(result)
    candidates: list[tuple[float, int, int]] = []
    for start in range(1, size - 1):
        for stop in range(start + 1, min(start + INSERTED_MAX_UNITS, size - 1) + 1):
            story = result[start - 1]
            if result[stop] != story or any(result[k] != story for k in range(start, stop)):
                continue
            if any(strength[k] > 0 for k in range(start - 1, stop)):
                continue
            if sum(sizes[start:stop]) < INSERTION_MIN_CHARS:
                continue
            left = [k for k in range(max(0, start - RESUME_CONTEXT_UNITS), start) if result[k] == story]
            right = [k for k in range(stop, min(size, stop + RESUME_CONTEXT_UNITS)) if result[k] == story]
            run, before, after = unit_mean(vectors[start:stop]), unit_mean(vectors[left]), unit_mean(vectors[right])
            flow, fit = float(before @ after), max(float(run @ before), float(run @ after))
            if flow >= tuning.insertion_flow and fit < tuning.insertion_ratio * flow:
                candidates.append((flow - fit, start, stop))
    taken: set[int] = set()
    next_story = max(result, default=0) + 1
    for _, start, stop in sorted(candidates, reverse=True):
        if taken & set(range(start - 1, stop + 1)):
            continue
        taken.update(range(start, stop))
        for k in range(start, stop):
            result[k] = next_story
        next_story += 1
    return result
