"""Text a page repeats: a heading printed again out of place, a paragraph pasted twice.

A layout accident can print a section heading a second time where it does not belong, and a
page made of two stories can carry a paragraph of one inside the other as well as in its own
place. Which copy is the stray one is decided by context, not by order: the repeated heading
followed by yet another heading (no section of its own) is out of place, but one copy always
stays; of a repeated paragraph, the copy whose neighbours share the fewest words with it is the
stray one.
"""

from __future__ import annotations

import numpy as np

from cleanse.stages.splice import cohesion
from cleanse.stages.splice.layout import Kind, Line

DUPLICATE_MIN_CHARS = 12
_HEADINGS = (Kind.HEADING, Kind.KICKER)
#: lines the stage removes from the article (labelled ads, chrome and notices, captions, marks): a heading is
#: judged by what follows it in the cleaned text, so that a second run on that text judges it the same way
_NOT_KEPT = (
    Kind.AD,
    Kind.CHROME,
    Kind.NOTICE,
    Kind.CAPTION,
    Kind.PHOTO_CREDIT,
    Kind.ELLIPSIS,
    Kind.CONTINUATION,
    Kind.JUMP,
)


def repeated_headings_out_of_place(
    lines: list[Line], kinds: list[Kind], removed: frozenset[int] = frozenset()
) -> dict[int, int]:
    """Positions of heading lines printed again out of place, each mapped to another copy of it; ``removed``
    are lines the spam stage's labels drop or set aside (read past like the kinds the stage removes)."""
    copies: dict[str, list[int]] = {}
    for i, kind in enumerate(kinds):
        if kind in _HEADINGS:
            copies.setdefault(lines[i].core, []).append(i)
    repeated = {i for group in copies.values() if len(group) > 1 for i in group}
    stray: dict[int, int] = {}
    for i in sorted(repeated):
        follower = i + 1
        while follower < len(lines) and (follower in repeated or follower in removed or kinds[follower] in _NOT_KEPT):
            follower += 1
        misplaced = follower < len(lines) and kinds[follower] in (*_HEADINGS, Kind.COLUMN)
        others = [j for j in copies[lines[i].core] if j != i and j not in stray]
        if misplaced and others:
            stray[i] = others[0]
    return {i: next(j for j in copies[lines[i].core] if j not in stray) for i in stray}


def misplaced_duplicates(text: str, lines: list[Line], body: list[int]) -> dict[int, int]:
    """Body lines repeated verbatim: each copy but the one most like its neighbours, mapped to that copy."""
    groups: dict[str, list[int]] = {}
    for i in body:
        key = "".join(lines[i].core.split())
        if len(key) >= DUPLICATE_MIN_CHARS:
            groups.setdefault(key, []).append(i)
    groups = {key: members for key, members in groups.items() if len(members) > 1}
    if not groups:
        return {}
    vectors = cohesion.bigram_vectors(text, [[(lines[i].start, lines[i].end)] for i in body])
    position = {line_index: k for k, line_index in enumerate(body)}
    misplaced: dict[int, int] = {}
    for members in groups.values():
        member_set = set(members)

        def fit(line_index: int, member_set: set[int] = member_set) -> float:
            k = position[line_index]
            around = [j for j in range(max(0, k - 2), min(len(body), k + 3)) if body[j] not in member_set]
            return float(np.mean(vectors[around] @ vectors[k])) if around else 0.0

        keeper = max(members, key=fit)
        misplaced.update({i: keeper for i in members if i != keeper})
    return misplaced
