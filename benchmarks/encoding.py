"""Encoding repair: round-trip damage per kind over every seed paragraph, and speed against ftfy.

    python -m benchmarks.encoding            # every paragraph of every seed
    python -m benchmarks.encoding --quick    # every fourth paragraph (CI smoke run)

For each paragraph of the seeds (first cleaned by the stage itself, so the reference is a
text the stage leaves alone) one sentence is damaged with each kind of issue #4, the
paragraph is repaired with ``repair_encoding`` and compared with the reference: exact
recovery per kind. Lossless kinds only count damage that really is lossless (the wrong
decoding succeeds strictly and encodes back; when the whole sentence cannot be, its longest
prefix that can is damaged, counted as ``prefix_damaged``); the misaligned kinds count damage that the
lost bytes alone explain (at least one character read out of step, nothing else lost) and
report the rest. A pair read out of step that decodes to the Private Use Area stays as
decoded (its bytes are not lost); the same runs are also repaired with those shown as ``?``
(``*_private_shown``, a second loss some pipelines add), reported beside. Misaligned figures
are also given per half of the paragraphs (by a hash): the repair's constants were tuned on
the "tuning" half only, so the "held_out" half is the claim. Big5 kinds use a Traditional
rendering (OpenCC s2t) of the paragraph.

Speed: ``repair_encoding`` and ``ftfy.fix_text`` on the same clean Chinese text in the
same process (ratio), and ``repair_encoding`` throughput on the damaged paragraphs.
Writes ``benchmarks/results/encoding.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from typing import Any

import ftfy
import ftfy.bad_codecs  # noqa: F401
import regex

from benchmarks.common import ROOT, throughput_mb_s, utf8_size, write_result
from cleanse.stages.encoding import EncodingOptions, repair_encoding

SEEDS = ROOT / "seeds"
SENTENCE = regex.compile(r"[^。！？!?]*[。！？!?]|[^。！？!?]+$")
HAN = regex.compile(r"\p{Han}")
PRIVATE_USE = regex.compile(r"[\ue000-\uf8ff]")
LOSSLESS_TARGET = 0.995
RESYNCED_TARGET = 0.90
LOST_TRAIL_TARGET = 0.60
CLEAN_SPEED_TARGET = 4.0
DAMAGED_SPEED_TARGET_MB_S = 1.0
#: failures kept per kind in the result file
MAX_FAILURES_SHOWN = 5


def _wrong_reading(written: str, read: str) -> Callable[[str], tuple[str, int] | None]:
    """Damage by a wrong reading: the whole sentence, or else its longest prefix the damage keeps lossless."""

    def damage(sentence: str) -> tuple[str, int] | None:
        for length in range(len(sentence), 3, -1):
            piece = sentence[:length]
            try:
                data = piece.encode(written)
                shown = data.decode(read)
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if shown.encode(read) == data and shown != piece and len(HAN.findall(piece)) >= 3:
                return shown, length
        return None

    return damage


LOSSLESS_KINDS: dict[str, tuple[Callable[[str], tuple[str, int] | None], bool]] = {
    "utf8_as_gbk": (_wrong_reading("utf-8", "gb18030"), False),
    "utf8_as_big5": (_wrong_reading("utf-8", "big5"), True),
    "gbk_as_latin1": (_wrong_reading("gb18030", "latin-1"), False),
    "gbk_as_cp1252": (_wrong_reading("gb18030", "sloppy-windows-1252"), False),
    "big5_as_latin1": (_wrong_reading("big5", "latin-1"), True),
    "utf8_as_latin1": (_wrong_reading("utf-8", "latin-1"), False),
    "utf8_as_cp1252": (_wrong_reading("utf-8", "sloppy-windows-1252"), False),
    "big5_as_gbk": (_wrong_reading("big5", "gb18030"), True),
    "gbk_as_big5": (_wrong_reading("gbk", "big5"), False),
}


def misalign(paragraph: str, start: int, codec: str, private_shown: bool = False) -> tuple[str, str] | None:
    """Lose the lead byte of the character at ``start`` (shown as ``?``) and decode the rest out of step.

    Returns the damaged paragraph and its kind ("resynced" or "lost_trail"), or None when the
    damage is not explained by the lost bytes alone (nothing read out of step, or more lost).
    Pairs read out of step that land in the Private Use Area stay as the decoder gave them
    (the bytes are all there); with ``private_shown`` they are then shown as ``?``, a second
    loss some pipelines add: the same runs, for a second figure.
    """
    rest = paragraph[start:]
    try:
        data = rest.encode(codec)
    except UnicodeEncodeError:
        return None
    if len(rest[0].encode(codec)) != 2:
        return None
    shown = (b"?" + data[1:]).decode(codec, errors="replace").replace("\ufffd", "?")
    common = 0
    while common < min(len(shown), len(rest)) and shown[-1 - common] == rest[-1 - common]:
        common += 1
    damaged_part = shown[: len(shown) - common]
    kept_part = shown[len(shown) - common :]
    folded = unicodedata.normalize("NFKC", damaged_part)
    if len(damaged_part) == 2 and 0x40 <= ord(damaged_part[1]) <= 0x7E:
        # one character whose lead byte was lost and whose trail byte shows as an ASCII letter: back in step at once
        return paragraph[:start] + folded + kept_part, "resynced_one_char"
    if len(damaged_part) < 3 or not regex.search(r"[^\x00-\x7f?]", damaged_part[1:]):
        return None
    if damaged_part.endswith("?") and (not kept_part or kept_part[0].isascii()):
        kind = "lost_trail"
        if damaged_part[1:-1].count("?") > damaged_part[1:-1].count("\uff1f"):
            return None
    elif damaged_part[-1].isascii() and 0x40 <= ord(damaged_part[-1]) <= 0x7E:
        kind = "resynced"
    elif damaged_part.endswith("?") and damaged_part[1:-1].count("?") <= damaged_part[1:-1].count("\uff1f"):
        kind = "resynced"  # back in step by itself after a trail byte that leads nothing (0x80), shown as U+FFFD
    else:
        return None
    if private_shown:
        folded = PRIVATE_USE.sub("?", folded)
    return paragraph[:start] + folded + kept_part, kind


#: a paragraph is a clean reference when every character is Han, printable ASCII but ``?``, or common Chinese
#: punctuation and fullwidth forms: no ``?`` that may be a lost byte, no U+FFFD, no Private Use, no Latin-1, no
#: pinyin tone letters. Decided by the characters alone, never by whether the repair would change the paragraph.
CLEAN_PARAGRAPH = regex.compile(
    r"[\p{Han}\x20-\x3e\x40-\x7e，。、；：？！“”‘’（）《》〈〉「」『』【】—…·％．／０-９Ａ-Ｚａ-ｚ]+"
)


def paragraphs(quick: bool) -> list[str]:
    """Every paragraph of the seeds with a sentence of Chinese whose characters alone show it clean, as it is."""
    found = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if len(HAN.findall(line)) >= 12 and CLEAN_PARAGRAPH.fullmatch(line):
                found.append(line)
    return found[::4] if quick else found


def _sentences(paragraph: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in SENTENCE.finditer(paragraph) if len(HAN.findall(m.group())) >= 4]


def _traditional(text: str) -> str:
    from opencc import OpenCC

    return OpenCC("s2t").convert(text)


def round_trip(quick: bool) -> tuple[dict[str, Any], list[str]]:
    """Exact recovery per kind; also returns every damaged paragraph (for the speed run)."""
    rng = random.Random(4)
    tally: dict[str, Counter[str]] = {}
    damaged_texts: list[str] = []
    failures: dict[str, list[dict[str, str]]] = {}

    def record(kind: str, reference: str, damaged: str, timed: bool = True, half: str = "") -> None:
        counts = tally.setdefault(kind, Counter())
        counts["cases"] += 1
        if half:
            counts[f"cases_{half}"] += 1
        if timed:
            damaged_texts.append(damaged)
        repaired = repair_encoding(damaged, restore_fullwidth_punctuation=False)
        if repaired == reference:
            counts["exact"] += 1
            if half:
                counts[f"exact_{half}"] += 1
        elif len(failures.setdefault(kind, [])) < MAX_FAILURES_SHOWN:
            failures[kind].append({"damaged": damaged[:200], "repaired": repaired[:200], "expected": reference[:200]})

    for paragraph in paragraphs(quick):
        traditional = _traditional(paragraph)
        half = held_out_half(paragraph)
        for kind, (damage, needs_traditional) in LOSSLESS_KINDS.items():
            reference = traditional if needs_traditional else paragraph
            spans = _sentences(reference)
            if not spans:
                continue
            start, end = rng.choice(spans)
            damaged = damage(reference[start:end])
            if damaged is None:
                tally.setdefault(kind, Counter())["not_lossless"] += 1
                continue
            shown, length = damaged
            if length < end - start:
                tally.setdefault(kind, Counter())["prefix_damaged"] += 1
            record(kind, reference, reference[:start] + shown + reference[start + length :])
        for script, reference in (("", paragraph), ("traditional_", traditional)):
            for start, _ in _sentences(reference)[:3]:
                if start > 0 and rng.random() < 0.5:
                    start -= 1
                result = misalign(reference, start, "gb18030")
                if result is None:
                    tally.setdefault(f"misaligned_{script}other", Counter())["not_explained_by_lost_bytes"] += 1
                    continue
                damaged_text, kind = result
                record(f"misaligned_{script}{kind}", reference, damaged_text, half=half)
                with_marks = misalign(reference, start, "gb18030", private_shown=True)
                if with_marks is not None:
                    record(f"misaligned_{script}{kind}_private_shown", reference, with_marks[0], timed=False, half=half)
    per_kind = {}
    for kind, counts in sorted(tally.items()):
        cases = counts["cases"]
        per_kind[kind] = {**counts, "recovery": round(counts["exact"] / cases, 4) if cases else None}
    return {"per_kind": per_kind, "failures": failures, **_verdicts(per_kind)}, damaged_texts


def held_out_half(paragraph: str) -> str:
    """Which half a paragraph is in: constants of the misaligned repair were tuned on "tuning" only."""
    return "held_out" if int(hashlib.sha1(paragraph.encode("utf-8")).hexdigest(), 16) % 2 else "tuning"


def _pooled(per_kind: dict[str, Any], names: list[str], half: str = "") -> float | None:
    suffix = f"_{half}" if half else ""
    cases = sum(per_kind.get(n, {}).get(f"cases{suffix}", 0) for n in names)
    exact = sum(per_kind.get(n, {}).get(f"exact{suffix}", 0) for n in names)
    return round(exact / cases, 4) if cases else None


def _verdicts(per_kind: dict[str, Any]) -> dict[str, Any]:
    lossless = _pooled(per_kind, list(LOSSLESS_KINDS))
    resynced = _pooled(
        per_kind, [f"misaligned_{s}resynced{one}" for s in ("", "traditional_") for one in ("", "_one_char")]
    )
    one_char = _pooled(per_kind, [f"misaligned_{s}resynced_one_char" for s in ("", "traditional_")])
    lost_trail = _pooled(per_kind, ["misaligned_lost_trail", "misaligned_traditional_lost_trail"])
    resynced_shown = _pooled(
        per_kind,
        [f"misaligned_{s}resynced{one}_private_shown" for s in ("", "traditional_") for one in ("", "_one_char")],
    )
    lost_trail_shown = _pooled(per_kind, [f"misaligned_{s}lost_trail_private_shown" for s in ("", "traditional_")])
    halves = {
        f"{name}_{variant.lstrip('_') or 'decoded'}": {
            half: _pooled(
                per_kind,
                [
                    f"misaligned_{s}{name}{one}{variant}"
                    for s in ("", "traditional_")
                    for one in ("", "_one_char")
                    if not (one and name == "lost_trail")
                ],
                half,
            )
            for half in ("tuning", "held_out")
        }
        for name in ("resynced", "lost_trail")
        for variant in ("", "_private_shown")
    }
    worst_lossless = min(
        (v["recovery"] for k, v in per_kind.items() if k in LOSSLESS_KINDS and v.get("recovery") is not None),
        default=None,
    )
    return {
        "lossless_recovery": lossless,
        "lossless_worst_kind_recovery": worst_lossless,
        "misaligned_resynced_recovery": resynced,
        "misaligned_resynced_one_char_recovery": one_char,
        "misaligned_lost_trail_recovery": lost_trail,
        "misaligned_resynced_private_shown_recovery": resynced_shown,
        "misaligned_lost_trail_private_shown_recovery": lost_trail_shown,
        "misaligned_by_half": halves,
        "targets": {
            "lossless": LOSSLESS_TARGET,
            "misaligned_resynced": RESYNCED_TARGET,
            "misaligned_lost_trail": LOST_TRAIL_TARGET,
        },
    }


NOHARM = ROOT / "tests" / "data" / "noharm" / "noharm.jsonl"
FTFY_CASES = ROOT / "tests" / "data" / "ftfy"
#: ftfy's cases are run with the options matching the scope of ftfy.fix_encoding, whose answer they state
FTFY_SCOPE = EncodingOptions(unescape_html=False, remove_invisible=False)


def no_harm() -> dict[str, Any]:
    """Harm on good text: the no-harm corpus (per half) and ftfy's own test cases; truth is the input itself.

    A string is harmed when ``cleanse.repair_encoding`` returns anything but the string,
    byte for byte. The corpus is built from Faker locales and templates (tests/data/noharm),
    never from the seeds; its "test" half was never used to choose a rule or constant.
    """
    import json

    import cleanse

    items = [json.loads(line) for line in NOHARM.read_text(encoding="utf-8").splitlines()]
    tally: dict[str, Counter[str]] = {"tune": Counter(), "test": Counter()}
    by_kind: Counter[str] = Counter()
    examples: list[dict[str, str]] = []
    for item in items:
        out = cleanse.repair_encoding(item["text"])
        tally[item["half"]]["strings"] += 1
        if out != item["text"]:
            tally[item["half"]]["harmed"] += 1
            by_kind[item["kind"]] += 1
            if len(examples) < 10:
                examples.append({"id": item["id"], "text": item["text"], "output": out})
    cases: list[dict[str, Any]] = []
    for path in sorted(FTFY_CASES.glob("*.json")):
        cases.extend(case for case in json.loads(path.read_text(encoding="utf-8")) if case["expect"] == "pass")
    ftfy_tally: Counter[str] = Counter()
    ftfy_failures: list[dict[str, str]] = []
    for case in cases:
        expected = case.get("fixed-encoding", case["fixed"])
        group = "no_harm" if expected == case["original"] else "fixes"
        ftfy_tally[f"{group}_cases"] += 1
        out = repair_encoding(case["original"], FTFY_SCOPE)
        if out == expected:
            ftfy_tally[f"{group}_passed"] += 1
        elif len(ftfy_failures) < 10:
            ftfy_failures.append({"label": case["label"], "original": case["original"], "output": out})
    return {
        "corpus_strings": len(items),
        "corpus_languages": len({item["lang"] for item in items}),
        "harmed_tune": tally["tune"]["harmed"],
        "strings_tune": tally["tune"]["strings"],
        "harmed_test": tally["test"]["harmed"],
        "strings_test": tally["test"]["strings"],
        "harmed_by_kind": dict(by_kind),
        "harmed_examples": examples,
        "ftfy": {**ftfy_tally, "failures": ftfy_failures},
    }


def speed(damaged_texts: list[str], quick: bool) -> dict[str, Any]:
    """Throughput on clean and on damaged text, each beside ftfy.fix_text on the same text.

    The two sides of each ratio alternate, three rounds, best of each: other jobs on the
    machine then weigh on both alike. Wall and CPU (this process only) times are both kept.
    """
    clean = "\n".join(
        p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")) if not p.name.startswith("003")
    )
    clean = clean * (2 if quick else 8)
    damaged = "\n".join(damaged_texts)
    repair_encoding(clean)
    repair_encoding(damaged)
    clean_times = _alternating(lambda: repair_encoding(clean), lambda: ftfy.fix_text(clean), rounds=3)
    damaged_times = _alternating(lambda: repair_encoding(damaged), lambda: ftfy.fix_text(damaged), rounds=3)
    clean_size, damaged_size = utf8_size(clean), utf8_size(damaged)
    (ours_wall, ours_cpu), (ftfy_wall, ftfy_cpu) = clean_times
    (damaged_wall, damaged_cpu), (damaged_ftfy_wall, damaged_ftfy_cpu) = damaged_times
    return {
        "clean_bytes": clean_size,
        "clean_cleanse_mb_per_s": round(throughput_mb_s(clean_size, ours_wall), 3),
        "clean_ftfy_mb_per_s": round(throughput_mb_s(clean_size, ftfy_wall), 3),
        "clean_speedup_vs_ftfy": round(ftfy_wall / ours_wall, 2),
        # CPU seconds of this process only: what each side costs whatever else shares the machine
        "clean_speedup_vs_ftfy_cpu": round(ftfy_cpu / ours_cpu, 2),
        "damaged_bytes": damaged_size,
        "damaged_cleanse_mb_per_s": round(throughput_mb_s(damaged_size, damaged_wall), 3),
        "damaged_cleanse_mb_per_s_cpu": round(throughput_mb_s(damaged_size, damaged_cpu), 3),
        "damaged_ftfy_mb_per_s": round(throughput_mb_s(damaged_size, damaged_ftfy_wall), 3),
        "damaged_speed_vs_ftfy": round(damaged_ftfy_wall / damaged_wall, 2),
        "damaged_speed_vs_ftfy_cpu": round(damaged_ftfy_cpu / damaged_cpu, 2),
        "targets": {"clean_speedup_vs_ftfy": CLEAN_SPEED_TARGET, "damaged_mb_per_s": DAMAGED_SPEED_TARGET_MB_S},
    }


def _alternating(
    ours: Callable[[], object], baseline: Callable[[], object], rounds: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Best (wall, CPU) seconds of each function, timed in alternation."""
    best = [[float("inf"), float("inf")], [float("inf"), float("inf")]]
    for _ in range(rounds):
        for side, function in enumerate((ours, baseline)):
            wall, cpu = time.perf_counter(), time.process_time()
            function()
            best[side][0] = min(best[side][0], time.perf_counter() - wall)
            best[side][1] = min(best[side][1], time.process_time() - cpu)
    return (best[0][0], best[0][1]), (best[1][0], best[1][1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="every fourth paragraph, smaller speed texts")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    harm = no_harm()
    quality, damaged_texts = round_trip(args.quick)
    timing = speed(damaged_texts, args.quick)
    payload = {
        "quick": args.quick,
        "no_harm": harm,
        **quality,
        "speed": timing,
        "seconds": round(time.perf_counter() - started, 1),
    }
    path = write_result("encoding", payload)
    ftfy_counts = harm["ftfy"]
    print(
        f"no harm: {harm['harmed_tune']} of {harm['strings_tune']} strings harmed on the tune half, "
        f"{harm['harmed_test']} of {harm['strings_test']} on the test half ({harm['corpus_languages']} languages); "
        f"ftfy's cases: no harm {ftfy_counts.get('no_harm_passed', 0)}/{ftfy_counts.get('no_harm_cases', 0)}, "
        f"fixes {ftfy_counts.get('fixes_passed', 0)}/{ftfy_counts.get('fixes_cases', 0)}"
    )
    print(f"{'kind':40} {'cases':>6} {'exact':>6} {'recovery':>9}  skipped")
    for kind, row in quality["per_kind"].items():
        skipped = {k: v for k, v in row.items() if k not in ("cases", "exact", "recovery")}
        recovery = "-" if row["recovery"] is None else f"{row['recovery']:.1%}"
        print(f"{kind:40} {row.get('cases', 0):>6} {row.get('exact', 0):>6} {recovery:>9}  {skipped or ''}")
    print(
        f"lossless {quality['lossless_recovery']} (target {LOSSLESS_TARGET}), "
        f"misaligned resynced {quality['misaligned_resynced_recovery']} (target {RESYNCED_TARGET}; "
        f"one-character runs {quality['misaligned_resynced_one_char_recovery']}), "
        f"lost trail {quality['misaligned_lost_trail_recovery']} (target {LOST_TRAIL_TARGET}); "
        f"with Private Use pairs shown as '?': resynced {quality['misaligned_resynced_private_shown_recovery']}, "
        f"lost trail {quality['misaligned_lost_trail_private_shown_recovery']}"
    )
    for name, halves in quality["misaligned_by_half"].items():
        print(f"misaligned {name}: tuning half {halves['tuning']}, held-out half {halves['held_out']}")
    print(
        f"clean Chinese: cleanse {timing['clean_cleanse_mb_per_s']} MB/s vs ftfy.fix_text "
        f"{timing['clean_ftfy_mb_per_s']} MB/s = {timing['clean_speedup_vs_ftfy']}x wall, "
        f"{timing['clean_speedup_vs_ftfy_cpu']}x CPU (target {CLEAN_SPEED_TARGET}x); "
        f"damaged: {timing['damaged_cleanse_mb_per_s']} MB/s wall, {timing['damaged_cleanse_mb_per_s_cpu']} MB/s "
        f"of CPU (target {DAMAGED_SPEED_TARGET_MB_S}); ftfy.fix_text on it {timing['damaged_ftfy_mb_per_s']} MB/s"
    )
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
