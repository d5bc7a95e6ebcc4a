"""Stage ``splice``: find the main article of a page, cut off spliced articles, mend layout breaks.

>>> from cleanse.document import Document
>>> page = "河边的新公园开放了\\n\\n新建的公园今天开放，不少居民确\\n\\n保每天到河边散步。"
>>> doc = Document.from_text(page + "\\n\\n(上接1版)\\n\\n会议通过了宣言。")
>>> print(SpliceSplitter().process(doc).text)
河边的新公园开放了
<BLANKLINE>
新建的公园今天开放，不少居民确保每天到河边散步。
>>> [c.reason for c in doc.changes if not c.is_verdict]
['mend_layout_break', 'collapse_gap', 'cut_continuation', 'collapse_gap', 'cut_continuation']
"""

from __future__ import annotations

from cleanse.stages.splice.roles import ROLES
from cleanse.stages.splice.segments import Segment, split_articles
from cleanse.stages.splice.stage import SpliceOptions, SpliceSplitter

Options = SpliceOptions

__all__ = ["ROLES", "Options", "Segment", "SpliceOptions", "SpliceSplitter", "split_articles"]
