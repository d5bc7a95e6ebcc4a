"""The cue-free insertion tests of cleanse/stages/splice/insertions.py on hand-built paragraph vectors."""

from __future__ import annotations

import numpy as np

from cleanse.stages.splice.insertions import (
    INSERTION_MIN_CHARS,
    resumptions,
    split_off_insertions,
    split_off_outliers,
)
from cleanse.stages.splice.segmenter import Tuning


def _vectors(topics: str) -> np.ndarray:
    """One unit vector per letter: units with the same letter share all their words, others none."""
    letters = sorted(set(topics))
    rows = np.zeros((len(topics), len(letters) + 1), dtype=np.float32)
    for row, letter in enumerate(topics):
        rows[row, letters.index(letter)] = 0.98
        rows[row, -1] = 0.2  # a little vocabulary every paragraph shares
    return rows


def test_a_paragraph_unlike_both_sides_of_one_story_is_inserted() -> None:
    vectors = _vectors("AAABAAA")
    stories = split_off_insertions(vectors, [0] * 7, [0.0] * 6, [200] * 7, Tuning())
    assert stories[3] != 0 and stories[:3] == [0, 0, 0] and stories[4:] == [0, 0, 0]


def test_two_paragraph_insertions_are_one_story() -> None:
    stories = split_off_insertions(_vectors("AAABBAAA"), [0] * 8, [0.0] * 7, [200] * 8, Tuning())
    assert stories[3] == stories[4] != 0 and set(stories) - {stories[3]} == {0}


def test_no_insertion_in_a_coherent_story_short_paragraphs_or_before_a_cue() -> None:
    tuning = Tuning()
    assert split_off_insertions(_vectors("AAAAAAA"), [0] * 7, [0.0] * 6, [200] * 7, tuning) == [0] * 7
    short = [INSERTION_MIN_CHARS - 1] * 7
    assert split_off_insertions(_vectors("AAABAAA"), [0] * 7, [0.0] * 6, short, tuning) == [0] * 7
    closed = [0.0, 0.0, 0.0, 0.2, 0.0, 0.0]  # a heading after the odd paragraph opens a new section instead
    assert split_off_insertions(_vectors("AAABAAA"), [0] * 7, closed, [200] * 7, tuning) == [0] * 7


def test_a_heading_may_open_an_insertion() -> None:
    opened = [0.0, 0.0, 0.2, 0.0, 0.0, 0.0]  # a boxed brief under its own title, the article resumes bare
    assert split_off_insertions(_vectors("AAABAAA"), [0] * 7, opened, [200] * 7, Tuning())[3] != 0


def test_a_paragraph_already_in_another_story_is_left_alone() -> None:
    stories = [0, 0, 0, 1, 0, 0, 0]
    assert split_off_insertions(_vectors("AAABAAA"), stories, [0.0] * 6, [200] * 7, Tuning()) == stories


def test_the_article_resumes_after_a_strongly_cued_brief() -> None:
    vectors = _vectors("AAABAAA")
    strong = [0.0, 0.0, 3.2, 0.0, 0.0, 0.0]
    assert resumptions(vectors, [3], strong, Tuning()) == [3, 4]
    assert resumptions(vectors, [3], [0.0] * 6, Tuning()) == [3]  # without a strong cue the merge step decides
    assert resumptions(_vectors("AAABBBB"), [3], strong, Tuning()) == [3]  # the brief goes on to the end


def test_outlier_needs_a_story_of_four_and_no_cue() -> None:
    vectors = _vectors("AAABAAA")
    assert split_off_outliers(vectors, [0] * 7, [0.0] * 6, Tuning())[3] != 0
    assert split_off_outliers(vectors, [0] * 7, [0.0, 0.0, 2.0, 0.0, 0.0, 0.0], Tuning()) == [0] * 7
    assert split_off_outliers(_vectors("ABA"), [0] * 3, [0.0] * 2, Tuning()) == [0] * 3
