"""Fuzzing the per-document chain: idempotence, no stage error, an exact change log, on >= 1M inputs.

Three promises of ``cleanse.clean`` are checked on every generated text ``x``:

- ``idempotent``: ``clean(clean(x)) == clean(x)``;
- ``stage_error``: no stage fails on it (the pipeline would skip the stage with a ``stage_error`` verdict);
- ``replay``: ``cleanse.replay(original, changes)`` reproduces the output of a kept document.

A call that raises at all is counted as ``exception``. Inputs come from a fast seeded generator (not
Hypothesis, which the test suite uses on fewer inputs, see tests/test_fuzz.py): Chinese sentences and
headings in both scripts, lone surrogates, CR and CRLF line ends, combining marks, private-use characters,
long lines, Latin with diacritics, Cyrillic, Greek, kana, hangul, pinyin with tones, ASCII punctuation next
to Han, spam and notice phrases, and Chinese text damaged the way real software damages it (UTF-8 read as
GBK, GBK read as Big5 or Latin-1, a byte lost). The result file counts failures by kind and keeps the first
few failing inputs of each kind.

    python -m benchmarks.fuzz [--inputs 1000000] [--jobs 2] [--seed 14] [--quick] [--results DIR]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from benchmarks.common import write_result

KINDS = ("idempotent", "stage_error", "replay", "exception")
EXAMPLES_PER_KIND = 5

_SIMPLIFIED = (
    "本市今年夏季用电负荷创下历史新高电力部门采取多项措施保障居民用电专家表示市民应将空调温度设定在二十六度以上"
    "国务院办公厅印发关于进一步优化营商环境的意见各地要加强组织领导确保政策落实到位人民群众的获得感不断增强"
    "记者从教育部获悉全国高校毕业生规模预计达到新高就业服务工作全面展开中小学课后服务覆盖面持续扩大"
)
_TRADITIONAL = "臺灣國際機場擴建工程進度順利預計明年完成後旅客運輸能力將大幅提升經濟發展與環境保護並重"
_RARE_NAMES = "梓鎔瑄玥堃犇淼焱垚鑫喆昊彧翀昶旻"
_HEADINGS = ("负荷连续攀升", "电网加紧扩容", "一、基本情况", "（二）主要做法", "第三章 法律责任", "专家提醒节约用电")
_SPAM = (
    "加微信xxx1234领取优惠，点击链接下载app",
    "本文来源：新华网",
    "责任编辑：张三",
    "担保、无抵押、放款快,最高可贷30万元。",
    "首页 > 新闻 > 正文",
    "(上接1版)",
    "（新华社北京6月17日电）",
    "本报记者 李明",
    "扫码关注公众号，免费领取资料",
)
_FOREIGN = (
    "Горбачев Потап Евстигнеевич",
    "Κωνσταντίνος Παπαδόπουλος",
    "Café Mélange",
    "Huỳnh Tấn Phát",
    "Dagmar Pospíšilová",
    "富久町アーバン125",
    "（すし）",
    "서울특별시 강남구",
    "wáng mǐng",
    "NESTLÉ®",
    "5×£35",
    "Åsa Larsson",
    "مرحبا بالعالم",
    "שלום עולם",
    "สวัสดีครับ",
)
_ASCII_MARKS = ",.?!:;()[]\"'-/%&@#"
_COMBINING = "".join(chr(c) for c in range(0x0300, 0x0370)) + "\u20dd\u3099\u309a"
_SURROGATES = [chr(c) for c in (0xD800, 0xDBFF, 0xDC00, 0xDC80, 0xDFFF)]
_LINE_ENDS = ("\n", "\n\n", "\r", "\r\n", "\r\n\r\n", "\n\r", " \n", "\u2028", "\x85")


def _han(rng: random.Random, size: int) -> str:
    source = _SIMPLIFIED if rng.random() < 0.8 else _TRADITIONAL
    start = rng.randrange(len(source) - size) if len(source) > size else 0
    return source[start : start + size]


def _sentence(rng: random.Random) -> str:
    parts = [_han(rng, rng.randint(4, 18)) for _ in range(rng.randint(1, 3))]
    return "，".join(parts) + rng.choice("。。。！？；")


def _damaged(rng: random.Random) -> str:
    """Chinese text through a wrong decoder: the byte paths real software takes, and some it does not."""
    text = _han(rng, rng.randint(2, 12))
    raw = text.encode(rng.choice(("utf-8", "gbk", "big5", "gb18030")), errors="replace")
    if rng.random() < 0.3 and len(raw) > 2:
        cut = rng.randrange(len(raw))
        raw = raw[:cut] + raw[cut + 1 :]  # a byte lost
    decoder = rng.choice(("gbk", "big5", "latin-1", "cp1252", "utf-8"))
    return raw.decode(decoder, errors=rng.choice(("replace", "ignore")))


def _piece(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.30:
        return _sentence(rng)
    if roll < 0.38:
        return rng.choice(_HEADINGS)
    if roll < 0.46:
        return rng.choice(_SPAM)
    if roll < 0.56:
        return rng.choice(_FOREIGN)
    if roll < 0.66:
        return _damaged(rng)
    if roll < 0.72:
        return "".join(rng.choice(_ASCII_MARKS) for _ in range(rng.randint(1, 3)))
    if roll < 0.76:
        return rng.choice(_SURROGATES)
    if roll < 0.80:
        return rng.choice("aeiouAEIOU中文한ア") + rng.choice(_COMBINING) * rng.randint(1, 3)
    if roll < 0.84:
        return "".join(chr(rng.randint(0xE000, 0xF8FF)) for _ in range(rng.randint(1, 4)))
    if roll < 0.87:
        return rng.choice(_RARE_NAMES) + rng.choice(_RARE_NAMES)
    if roll < 0.875:
        return _sentence(rng) * rng.randint(20, 80)  # a long line
    if roll < 0.93:
        return "".join(chr(rng.randint(0x20, 0x2FFFF)) for _ in range(rng.randint(1, 6)))  # any code point
    return rng.choice(_LINE_ENDS)


def generate(seed: int, count: int) -> Iterator[str]:
    """``count`` texts from one seed, a handful of pieces each, joined with or without line ends."""
    rng = random.Random(seed)
    for _ in range(count):
        pieces = [_piece(rng) for _ in range(rng.randint(1, 4))]
        glue = rng.choice(("", "", " ", "\n", "\n\n", "\r", "\r\n"))
        yield glue.join(pieces)


def failures(text: str) -> list[str]:
    """The kinds of promise ``clean`` breaks on ``text`` (an empty list when it keeps them all)."""
    import cleanse
    from cleanse.pipeline import STAGE_ERROR

    try:
        doc = cleanse.clean_document(text)
        output = (doc.text or "") if doc.kept else ""
        found = []
        if any(change.reason.startswith(STAGE_ERROR) for change in doc.changes):
            found.append("stage_error")
        if doc.kept and cleanse.replay(doc.original or "", doc.changes) != doc.text:
            found.append("replay")
        if output != text and cleanse.clean(output) != output:  # clean(x) == x needs no second call
            found.append("idempotent")
        return found
    except Exception:
        return ["exception"]


def _run_chunk(task: tuple[int, int]) -> tuple[Counter[str], dict[str, list[str]], int]:
    seed, count = task
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for text in generate(seed, count):
        for kind in failures(text):
            counts[kind] += 1
            kept = examples.setdefault(kind, [])
            if len(kept) < EXAMPLES_PER_KIND:
                kept.append(text[:300])
    return counts, examples, count


def run(
    inputs: int,
    jobs: int,
    seed: int,
    chunk: int = 2000,
    progress: Callable[[dict], None] | None = None,
) -> dict:
    """Check ``inputs`` generated texts in chunks of ``chunk`` (one seed each), on ``jobs`` processes;
    ``progress`` gets the counts so far after every chunk (the script writes them, so a stopped run leaves
    its counts behind, marked incomplete)."""
    tasks = [(seed * 1_000_003 + n, min(chunk, inputs - start)) for n, start in enumerate(range(0, inputs, chunk))]
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    done = 0
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")

    def snapshot(complete: bool) -> dict:
        return {
            "inputs": done,
            "complete": complete,
            "failures": {kind: counts.get(kind, 0) for kind in KINDS},
            "examples": examples,
        }

    with context.Pool(jobs) as pool:
        for chunk_counts, chunk_examples, count in pool.imap(_run_chunk, tasks):
            counts.update(chunk_counts)
            for kind, texts in chunk_examples.items():
                kept = examples.setdefault(kind, [])
                kept.extend(texts[: EXAMPLES_PER_KIND - len(kept)])
            done += count
            if progress:
                progress(snapshot(done == inputs))
    return snapshot(True)


def main(argv: Sequence[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--quick", action="store_true", help="10,000 inputs (the CI run)")
    parser.add_argument("--results", type=Path, help="directory for fuzz.json (default: benchmarks/results)")
    args = parser.parse_args(argv)
    inputs = 10_000 if args.quick else args.inputs
    started = time.perf_counter()
    written = [0]

    def finish(result: dict) -> dict:
        result["seed"] = args.seed
        result["seconds"] = round(time.perf_counter() - started, 1)
        result["targets"] = {"failures_each_kind": 0, "inputs": 1_000_000}
        return result

    def progress(result: dict) -> None:
        if result["inputs"] - written[0] >= 50_000:
            written[0] = result["inputs"]
            write_result("fuzz", finish(result), args.results)
            elapsed = time.perf_counter() - started
            print(f"{result['inputs']:,} inputs, {elapsed:.0f} s, {result['failures']}", flush=True)

    result = finish(run(inputs, args.jobs, args.seed, progress=progress))
    print("failures by kind:", result["failures"], f"over {result['inputs']:,} inputs in {result['seconds']} s")
    for kind, texts in result["examples"].items():
        print(kind, [t[:80] for t in texts[:3]])
    print("wrote", write_result("fuzz", result, args.results))
    return result


if __name__ == "__main__":
    main()
