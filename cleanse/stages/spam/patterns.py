"""Regular expressions for the shapes of junk lines, compiled once; they run on folded text (see ``normalise``)."""

from __future__ import annotations

import regex

PHONE = regex.compile(
    r"(?<![\d.·])(?:\(?0\d{2,3}\)?\s?-?\s?\d{7,8}|1[3-9]\d{9}|400-?\d{3}-?\d{4}|(?<=[:: ])\d{7,8})(?![\d.·])"
)
"""Landline with area code, mobile, 400 service numbers, and bare 7-8 digit numbers after a colon or space; never
inside a run of figures (digits glued to a dot or a middle dot, the decimal point of older newspaper tables)."""

CARD_NUMBER = regex.compile(r"(?<!\d)\d{4,6}(?:[ -]\d{4}){2,4}(?!\d)")
URL = regex.compile(r"(?:https?://|www\.)[^\s\p{Han},]+|\b[a-z0-9-]+\.(?:com|cn|net|org|cc|top|xyz|vip|info)\b")
"""Every match holds ``://``, or an ASCII dot with ``w`` before it or a letter after it, both inside the match
(see ``urls.may_hold_url``, which skips the pattern on text without one)."""

ELLIPSIS_ONLY = regex.compile(r"^[\s….·。\-]+$")
DATE_ONLY = regex.compile(r"^\d{4}年\d{1,2}月\d{1,2}日\s*(?:星期[一二三四五六日天])?$|^星期[一二三四五六日天]$")
PAGE_LABEL = regex.compile(r"^第?[a-z]?\d{1,2}版\s*[:/]?\s*\p{Han}{0,8}$")
END_MARK = regex.compile(r"^[(\[]?(?:完|全文完|本文完|end)[)\]]?$")
PAGE_TURN = regex.compile(r"^[(\[]?(?:上接|下转|接|转)第?[\d一二三四五六七八九十]{1,3}版(?:[)\]]|$)")
DATELINE = regex.compile(r"^[(\[]?\p{Han}{2,10}\s?\d{1,2}月\d{1,2}日(?:电|讯)[)\]]?$")
_NAMES = r"\p{Han}{2,4}(?:·\p{Han}{1,6})?(?:[\s、,]+(?:(?:记者|通讯员)\s*)?\p{Han}{2,4})*"
BYLINE = regex.compile(
    rf"^[(\[]?(?:(?:\p{{Han}}{{0,6}}?(?:特约|见习|首席)?记者|通讯员)[\s:/]*(?:{_NAMES})?|(?:作者|撰文|文)\s*[:/]\s*{_NAMES}|(?:作者|撰文)\s+{_NAMES})[)\]]?$"
)
"""A reporter or author line: role words, then names only (so a heading that starts with 记者 is not one)."""
PHOTO_CREDIT = regex.compile(
    r"(?<![拍抓航偷])(?:摄|摄影|供图)\s*(?:[(\[][^()\[\]]{1,16}[)\]])?$|^(?:摄影|图片|图)[:/]\s*\p{Han}{2,12}$"
)
CREDIT_START = regex.compile(
    r"^[\s(\[【]*(?:本版|本期|本文)?(?:责任编辑|责编|编辑|美编|校对|审核|审校|终审|监制|主编|编委|执笔|作者|策划|统筹|制图|设计)"
    r"(?:\s*[:/]|\s+\p{Han}{2,4}(?:\s|$))"
)
"""A line opening with an editorial role, then a colon or slash, or a space and a name."""
NOTICE_START = regex.compile(
    r"^[\s(\[【]*(?:声明|版权|来源|本文|文章来源|稿件来源|免责声明|原标题|转自|出处|copyright|©)"
)
CAPTION_START = regex.compile(r"^[\s(\[【]*(?:图为|上图|下图|左图|右图|图\d|资料图)")

SHORT_LINE_SHAPES = regex.compile(
    "|".join(
        f"(?:{pattern.pattern})"
        for pattern in (
            ELLIPSIS_ONLY,
            END_MARK,
            PAGE_TURN,
            DATELINE,
            DATE_ONLY,
            PAGE_LABEL,
            CREDIT_START,
            BYLINE,
            CAPTION_START,
        )
    )
)
"""Any of the line-start shapes above, as one alternation: lines it does not match skip those patterns."""
PHOTO_CREDIT_CUES = ("摄", "图")
"""Characters one of which every ``PHOTO_CREDIT`` match contains."""

_OPENERS_AND_SPACE = "([【" + "".join(chr(code) for code in range(0x3001) if chr(code).isspace())
_OTHER_SHAPES = regex.compile(
    "|".join(
        f"(?:{pattern.pattern})"
        for pattern in (ELLIPSIS_ONLY, END_MARK, PAGE_TURN, DATE_ONLY, PAGE_LABEL, CREDIT_START, CAPTION_START)
    )
)
_SHAPE_OPENINGS = frozenset(
    "….·。-"  # ellipsis only
    "完全本e"  # end mark
    "上下接转"  # page turn
    "星0123456789"  # date only
    "第abcdefghijklmnopqrstuvwxyz"  # page label
    "责编美校审终监主执作策统制设"  # credit start
    "图左右资"  # caption start
)
"""Every line matching one of ``_OTHER_SHAPES`` opens with one of these once brackets and spaces are skipped."""


def has_short_line_shape(stripped: str) -> bool:
    """Whether ``SHORT_LINE_SHAPES`` matches ``stripped`` (a line without edge whitespace).

    Each alternative is tried only when a character it cannot match without is there: the line's opening
    character for most, ``日`` for a dateline, a role word for a byline. The full alternation costs several
    microseconds on every headline, most of which have none of them.
    """
    opening = stripped.lstrip(_OPENERS_AND_SPACE)[:1]
    return (
        (opening in _SHAPE_OPENINGS and _OTHER_SHAPES.match(stripped) is not None)
        or ("日" in stripped and DATELINE.match(stripped) is not None)
        or (
            ("文" in stripped or "记者" in stripped or "通讯员" in stripped or "作者" in stripped)
            and BYLINE.match(stripped) is not None
        )
    )
