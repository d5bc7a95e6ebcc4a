"""Learn ``line_model.json``: the weights of the spam stage's line model (see ``cleanse/stages/spam/line_model.py``).

Training lines are the tuning half of the spam evaluation set (``tests/data/spam_eval/tune.jsonl`` and
``tune_extra.jsonl``, more lines of the kinds the generated half has few templates of): every line
the rules leave as article and the model would score, labelled junk or article by how the set was made. The
test half is never read here. The fit is an L2-regularised logistic regression (Newton steps, bias not
penalised). The decision threshold is the lowest of 0.50, 0.55, ... 0.95 at which the tuning half's article
lines taken out by the model stay within ``MAX_ARTICLE_SHARE``. Run from the repository root:

    python cleanse/data/spam/learn_line_model.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
TUNE = HERE.parents[2] / "tests" / "data" / "spam_eval" / "tune.jsonl"
TUNE_EXTRA = TUNE.with_name("tune_extra.jsonl")
L2 = 0.5
MAX_ARTICLE_SHARE = 0.001


def training_rows(paths: tuple[Path, ...] = (TUNE, TUNE_EXTRA)) -> tuple[np.ndarray, np.ndarray, list[str], int]:
    """Feature rows and junk (1) / article (0) targets of the model's candidate lines, each row's line text,
    and the number of distinct article lines in the documents (the denominator of the harm share: the extra
    tuning documents re-use the tuning half's article paragraphs, which must not count twice)."""
    from cleanse.stages.spam import line_model
    from cleanse.stages.spam.labeller import original_spans, rule_state
    from cleanse.stages.spam.signals import signal_lexicon

    signals = signal_lexicon()
    xs, ys, texts = [], [], []
    article_texts: set[str] = set()
    docs: list[dict] = []
    for path in paths:
        with open(path, encoding="utf-8") as source:
            docs.extend(json.loads(line) for line in source)
    for doc in docs:
        gold = doc["lines"]
        article_texts.update(line["text"] for line in gold if line["label"] == "article")
        text = "\n".join(line["text"] for line in gold)
        starts = np.cumsum([0] + [len(line["text"]) + 1 for line in gold[:-1]])
        state = rule_state(text)
        if state is None:
            continue
        sums = line_model.line_sums(state.spans, signals.find(state.folded.text, state.codes), signals)
        rows = line_model.candidates(state.verdicts, state.features, sums)
        if not rows:
            continue
        xs.append(line_model.feature_matrix(rows, state.lines, state.verdicts, state.features, sums))
        original = original_spans(state)
        for i in rows:
            k = int(np.searchsorted(starts, original[i][0], side="right") - 1)
            ys.append(1.0 if gold[k]["label"] == "junk" else 0.0)
            texts.append(gold[k]["text"])
    return np.vstack(xs), np.array(ys), texts, len(article_texts)


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method with an L2 penalty on every weight but the bias."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 1e-6
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def main() -> None:
    from cleanse.stages.spam.line_model import FEATURES

    x, y, texts, article_lines = training_rows()
    w = fit(x, y)
    p = 1 / (1 + np.exp(-(x @ w)))

    def articles_taken(at: float) -> int:
        return len({text for text, score, junk in zip(texts, p, y, strict=True) if score >= at and not junk})

    threshold = 0.95
    for candidate in np.arange(0.5, 0.951, 0.05):
        if articles_taken(candidate) / article_lines <= MAX_ARTICLE_SHARE:
            threshold = float(round(candidate, 2))
            break
    chosen = p >= threshold
    model = {
        "features": list(FEATURES),
        "weights": [round(float(v), 4) for v in w],
        "threshold": threshold,
        "learned_on": "tests/data/spam_eval/tune.jsonl + tune_extra.jsonl (tuning half only)",
        "learned_by": "cleanse/data/spam/learn_line_model.py",
        "l2": L2,
        "candidate_lines": int(len(y)),
        "junk_candidates": int(y.sum()),
        "tune_junk_caught": int((chosen & (y == 1)).sum()),
        "tune_articles_taken": articles_taken(threshold),
        "tune_article_lines": article_lines,
    }
    (HERE / "line_model.json").write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for name, weight in sorted(zip(FEATURES, w, strict=True), key=lambda item: -abs(item[1])):
        print(f"{name:18s} {weight:+.3f}")
    print({k: v for k, v in model.items() if k not in ("features", "weights")})


if __name__ == "__main__":
    main()
