"""Stage ``spam``: label every line as article, spam, ad, chrome, notice, credit, caption or furniture.

Each line gets a label, a score in [0, 1] and the evidence (rules and words) behind it; see
:func:`label_lines`. :class:`SpamLabeller` records the verdicts on a document and applies the action
configured per label, or leaves the actions to the splice stage (:func:`line_actions`).

>>> [line.label for line in label_lines("网站首页 | 网站地图\\n本报记者 王明\\n新学期开始了,学生们回到校园。")]
['chrome', 'credit', 'article']
"""

from __future__ import annotations

from cleanse.stages.spam.labeller import LabelledLine, label_lines
from cleanse.stages.spam.rules import LABELS
from cleanse.stages.spam.stage import (
    ACTIONS,
    SpamLabeller,
    SpamOptions,
    labels_match,
    line_actions,
    set_aside_entries,
)

Options = SpamOptions

__all__ = [
    "ACTIONS",
    "LABELS",
    "LabelledLine",
    "Options",
    "SpamLabeller",
    "SpamOptions",
    "label_lines",
    "labels_match",
    "line_actions",
    "set_aside_entries",
]
