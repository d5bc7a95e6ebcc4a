"""Lines and the news-layout cues read from each one.

A page is cut into its non-empty lines; each gets a :class:`Kind` from cheap compiled
regexes: body text, heading, dateline, continuation mark (``(上接1版)``, opens a story), jump
mark (``(下转2版)``, closes one), byline, county
kicker (``XX省XX县——``), column label, caption, photo credit, ellipsis and so on. The
segmenter reads these cues together with the spam stage's labels and lexical cohesion.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
import regex


class Kind(str, enum.Enum):
    """What a line looks like on the page, from layout alone."""

    BODY = "body"
    HEADING = "heading"
    KICKER = "kicker"
    COLUMN = "column"
    BYLINE = "byline"
    DATELINE = "dateline"
    CONTINUATION = "continuation"
    JUMP = "jump"
    CAPTION = "caption"
    PHOTO_CREDIT = "photo_credit"
    ELLIPSIS = "ellipsis"
    CREDIT = "credit"
    NOTICE = "notice"
    CHROME = "chrome"
    AD = "ad"


@dataclass(frozen=True, slots=True)
class Line:
    """One non-empty line: ``text[start:end]`` (without the newline), its core text and cues."""

    index: int
    start: int
    end: int
    text: str
    core: str
    kind: Kind
    opens_with_dateline: bool
    ends_sentence: bool
    markup_heading: bool
    han: int

    @property
    def is_body(self) -> bool:
        return self.kind is Kind.BODY

    @property
    def is_headingish(self) -> bool:
        return self.kind in (Kind.HEADING, Kind.KICKER, Kind.COLUMN)


SENTENCE_END = "。！？!?…；;"
CLOSERS = "”’」』）)》〉】]\"'"
HEADING_MAX_CHARS = 40
COLUMN_MAX_CHARS = 6

_MARKUP = regex.compile(r"^\s*(?:#{1,6}\s*|\*\*|__)|(?:\*\*|__)\s*$")
_MARKUP_HEADING = regex.compile(r"^\s*(?:#{1,6}\s+\S|\*\*[^*]+\*\*\s*$)")
_AGENCY = (
    r"(?:新华社|新華社|中新社|中新網|中新网|本报|本報|人民网|人民網|央视网|央視網"
    r"|光明日报|光明日報|经济日报|經濟日報)"
)
_DATE = r"(?:\d{1,2}|[０-９]{1,2}|[一二三四五六七八九十]{1,3})月(?:\d{1,2}|[０-９]{1,2}|[一二三四五六七八九十]{1,3})日"
_DATELINE_OPEN = regex.compile(rf"^[（(]?\s*据?{_AGENCY}(?:[^\s，,。：:]{{0,12}}?{_DATE}\s*)?(?:电|電|讯|訊)")
_DATELINE_ALONE = regex.compile(rf"^[（(]?\s*{_AGENCY}[^\s，,。：:]{{0,12}}?{_DATE}\s*(?:电|電|讯|訊)\s*[）)]?\s*$")
_PAGE_REFERENCE = r"\s*(?:第?\s*[\d０-９一二三四五六七八九十A-Za-z]{1,3}\s*版|[^（）()]{1,8})\s*[）)]$"
_CONTINUATION = regex.compile(r"^[（(]\s*(?:上接|接上|转自|轉自|紧接|緊接)" + _PAGE_REFERENCE)
_JUMP = regex.compile(r"^[（(]\s*(?:下转|下轉|转至|轉至|转到|轉到|续见|續見)" + _PAGE_REFERENCE)
_BYLINE = regex.compile(
    r"^(?:[（(]?\s*)?(?:本报记者|本報記者|新华社记者|新華社記者|本报通讯员|本報通訊員|通讯员|通訊員|特约记者|特約記者|记者|記者|文/|文／|作者[:：]?)"
    r"[\s\p{Han}·、，,/／]{0,24}[）)]?$"
)
_BARE_NAME = regex.compile(r"^\p{Han}{2,3}$")
_KICKER = regex.compile(
    r"^(?:\p{Han}{2,7}(?:省|自治区|自治區|市))?\p{Han}{1,8}(?:县|縣|市|区|區|旗|州|镇|鎮|乡|鄉|村|街道)\s*(?:——|—|──)$"
)
_PHOTO_CREDIT = regex.compile(
    r"(?:^|[\s，,。])(?:\p{Han}{2,4}\s*(?:摄|攝)(?:影)?|(?:摄影|攝影|图片来源|圖片來源|图/|圖/)[:：]?\s*\S{0,20})\s*(?:[（(][^（）()]{1,12}[）)])?\s*$"
)
_CAPTION_HINT = regex.compile(
    r"(?:^图为|^圖為|实拍图|實拍圖|资料图|資料圖|示意图|示意圖|效果图|效果圖|（附图|\(附图|^图[:：]|^圖[:：])"
)
_ELLIPSIS = regex.compile(r"^[\s…\.。·・\-—*＊]{2,}$")
_CREDIT = regex.compile(
    r"^[\[［【（(]?\s*(?:责任编辑|責任編輯|责编|責編|编辑|編輯|美编|美編|校对|校對|执笔|執筆|审核|審核|监制|監製|统筹|統籌|策划|策劃)\s*[:：/／]"
)
_NOTICE = regex.compile(
    r"^[\[［【（(]?\s*(?:声明|聲明|版权|版權|来源|來源|本文来源|本文來源|转载|轉載|免责|免責)\s*[:：]"
)
_CHROME = regex.compile(r"(?:\s[|｜>＞›»]\s.*){1,}")
_AD_CUES = regex.compile(
    r"热线|熱線|电话|電話|咨询|諮詢|微信|公众号|公眾號|扫码|掃碼|二维码|二維碼|优惠|優惠|折扣|特价|特價|促销|促銷|"
    r"抢购|搶購|热销|熱銷|尊享|品质|品質|楼盘|樓盤|楼市|樓市|户型|戶型|样板|樣板|精装|精裝|交付|业主|業主|置业|置業|"
    r"售楼|售樓|首付|月供|可贷|可貸|放款|无抵押|無抵押|无担保|無擔保|借记卡|借記卡|信用卡|理财|理財|收益率|"
    r"专家门诊|專家門診|疗效|療效|根治|预约|預約|报名|報名|地址[:：]|定价|定價|邮政编码|郵政編碼|[:：]\s*\d{3,4}[-—－]?\d{6,8}"
)
_INTERNAL_CLAUSE = regex.compile(r"[，,、；;：:。！？!?]")
_HAN = regex.compile(r"\p{Han}")
_LINE = regex.compile(r"[^\n]+")


def core_text(line: str) -> str:
    """The line without surrounding whitespace and Markdown heading or bold marks."""
    return _MARKUP.sub("", line.strip()).strip()


def ends_sentence(core: str) -> bool:
    """True when the last character (closing quotes and brackets skipped) ends a sentence."""
    stripped = core.rstrip(CLOSERS + " ")
    return bool(stripped) and stripped[-1] in SENTENCE_END


def _han_count(text: str) -> int:
    return len(_HAN.findall(text))


def is_bare_name(core: str) -> bool:
    """A line of two or three Han characters that can be a person's name (a byline): not a common word
    (``背景``, ``答疑``, ``链接`` are section headings), nor opening with one (``答疑会``)."""
    if not _BARE_NAME.match(core):
        return False
    from cleanse.stages.splice.mending import common_words  # mending reads layout: imported on first use

    return core[:2] not in common_words()


def classify(core: str, markup_heading: bool) -> Kind:
    """The layout kind of one line from its core text (see :class:`Kind`)."""
    if _ELLIPSIS.match(core):
        return Kind.ELLIPSIS
    if _CONTINUATION.match(core):
        return Kind.CONTINUATION
    if _JUMP.match(core):
        return Kind.JUMP
    if _DATELINE_ALONE.match(core):
        return Kind.DATELINE
    if len(core) <= 40 and _CREDIT.match(core):
        return Kind.CREDIT
    if _NOTICE.match(core):
        return Kind.NOTICE
    if len(core) <= 30 and (_BYLINE.match(core) or (is_bare_name(core) and not markup_heading)):
        return Kind.BYLINE
    if len(core) <= 40 and _PHOTO_CREDIT.search(core):
        return Kind.PHOTO_CREDIT
    if len(core) <= 60 and _CAPTION_HINT.search(core):
        return Kind.CAPTION
    if len(core) <= 80 and _CHROME.search(core) and not ends_sentence(core):
        return Kind.CHROME
    if len(core) <= 16 and _KICKER.match(core):
        return Kind.KICKER
    if markup_heading:
        return Kind.HEADING
    if ends_sentence(core) or len(core) > HEADING_MAX_CHARS:
        return Kind.BODY
    if _INTERNAL_CLAUSE.search(core.rstrip("—─-")) and not core.endswith(("——", "—", "──")):
        return Kind.BODY
    if len(core) <= COLUMN_MAX_CHARS and _han_count(core) == len(core):
        return Kind.COLUMN
    return Kind.HEADING


def _han_prefix(text: str) -> np.ndarray:
    """``prefix[i]`` = number of Han characters in ``text[:i]`` (one numpy pass)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    han = ((codes >= 0x3400) & (codes <= 0x9FFF)) | ((codes >= 0xF900) & (codes <= 0xFAFF)) | (codes >= 0x20000)
    prefix = np.zeros(len(codes) + 1, dtype=np.int64)
    np.cumsum(han, out=prefix[1:])
    return prefix


def split_lines(text: str) -> list[Line]:
    """Every non-empty line of ``text`` with its offsets and layout cues."""
    han_before = _han_prefix(text)
    lines: list[Line] = []
    number_at = 0
    previous_end = 0
    for match in _LINE.finditer(text):
        raw = match.group()
        if not raw.strip():
            continue
        number_at += text.count("\n", previous_end, match.start())
        previous_end = match.start()
        core = core_text(raw)
        markup = bool(_MARKUP_HEADING.match(raw))
        lines.append(
            Line(
                index=number_at,
                start=match.start(),
                end=match.end(),
                text=raw,
                core=core,
                kind=classify(core, markup),
                opens_with_dateline=bool(_DATELINE_OPEN.match(core)),
                ends_sentence=ends_sentence(core),
                markup_heading=markup,
                han=int(han_before[match.end()] - han_before[match.start()]),
            )
        )
    return lines


def body_chars(line: Line) -> int:
    """How much article text a line carries (its Han characters)."""
    return line.han


def ad_hits(text: str) -> int:
    """How many commercial cue words (prices, contacts, property and loan vocabulary) ``text`` has."""
    return len(_AD_CUES.findall(text))
