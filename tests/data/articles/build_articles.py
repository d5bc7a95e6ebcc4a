"""Build the clean-articles corpus from a local snapshot of the LawRefBook/Laws repository.

Run once (needs a git checkout or bare mirror of https://github.com/LawRefBook/Laws at the commit named in
SOURCES.md); the output is committed, tests never run this script.

    python tests/data/articles/build_articles.py /path/to/LawRefBook/Laws.git

Every document is rendered as a plain web page would show it: the title line, the note lines under it, then
the sections with their sub-headings as plain lines (Markdown ``#`` marks removed), paragraphs separated by a
blank line. Two kinds, all of them official documents of state organs (PRC Copyright Law art. 5):

- ``case``: every typical case (``案例/``) published by the Supreme People's Court and ministries; each has
  sub-headings such as 基本案情 / 裁判结果 / 典型意义;
- ``law``: laws and administrative regulations with at least three chapter headings (第一章 …) and at most
  8,000 characters, the first 70 by file name.

The split is deterministic: a document is in ``test`` when the first hex digit of the SHA-1 of its source
path is even, else in ``tune``.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import regex

HERE = Path(__file__).resolve().parent
LAW_FOLDERS = ("行政法/", "经济法/", "社会法/", "民法商法/", "行政法规/")
MAX_LAW_CHARS = 8_000
LAWS_WANTED = 70
_CHAPTER = regex.compile(r"^#+\s*第[一二三四五六七八九十百]+章", regex.M)


def git(repo: str, *args: str) -> str:
    return subprocess.run(["git", "-C", repo, *args], capture_output=True, check=True).stdout.decode("utf-8")


def render(markdown: str) -> str:
    """The page text: Markdown heading marks and the INFO marker removed, one blank line between blocks."""
    blocks = []
    for line in markdown.splitlines():
        line = line.strip()
        if not line or line == "<!-- INFO END -->":
            continue
        blocks.append(regex.sub(r"^#+\s*", "", line))
    return "\n\n".join(blocks) + "\n"


def main(repo: str) -> None:
    commit = git(repo, "rev-parse", "HEAD").strip()
    paths = sorted(p for p in git(repo, "ls-tree", "-r", "HEAD", "--name-only", "-z").split("\0") if p.endswith(".md"))
    chosen: list[tuple[str, str]] = [
        ("case", p) for p in paths if p.startswith("案例/") and not p.endswith("_index.md")
    ]
    laws = 0
    for path in paths:
        if laws >= LAWS_WANTED or not path.startswith(LAW_FOLDERS) or path.endswith("_index.md"):
            continue
        text = git(repo, "show", f"HEAD:{path}")
        if len(_CHAPTER.findall(text)) >= 3 and len(text) <= MAX_LAW_CHARS:
            chosen.append(("law", path))
            laws += 1
    index = ["split\tkind\tfile\tsource_path"]
    for split in ("tune", "test"):
        (HERE / split).mkdir(exist_ok=True)
        for old in (HERE / split).glob("*.txt"):
            old.unlink()
    for number, (kind, path) in enumerate(chosen):
        split = "test" if int(hashlib.sha1(path.encode()).hexdigest()[0], 16) % 2 == 0 else "tune"
        name = f"{kind}_{number:03d}.txt"
        (HERE / split / name).write_text(render(git(repo, "show", f"HEAD:{path}")), encoding="utf-8")
        index.append(f"{split}\t{kind}\t{name}\t{path}")
    (HERE / "index.tsv").write_text("\n".join(index) + "\n", encoding="utf-8")
    print(f"{len(chosen)} documents from {commit}")


if __name__ == "__main__":
    main(sys.argv[1])
