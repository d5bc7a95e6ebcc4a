"""Learn ``line_model.json``: the weights of the spam stage's line model (see ``cleanse/stages/spam/line_model.py``).

Training lines are the tuning half of the spam evaluation set (``tests/data/spam_eval/tune.jsonl`` and
``tune_extra.jsonl``, more lines of the kinds the generated half has few templates of): every line
the rules leave as article and the model would score, labelled junk or article by how the set was made. The
test half is never read here. The fit is an L2-regularised logistic regression (Newton steps, bias not
penalised). The decision threshold is chosen by cross-validation, so it is not fitted to the lines the weights
were fitted on: the documents are split into ``FOLDS`` folds (by position), each fold is scored by weights
learned on the others, and the threshold is the lowest of 0.30, 0.35, ... 0.95 (the highest recall) at which
the distinct article lines those out-of-fold scores take out stay within ``MAX_ARTICLE_SHARE`` of the tuning
half's distinct article lines. Run from the repository root:

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
MAX_ARTICLE_SHARE = 0.0025
FOLDS = 5
THRESHOLDS = tuple(round(0.3 + 0.05 * k, 2) for k in range(14))


def training_rows(
    paths: tuple[Path, ...] = (TUNE, TUNE_EXTRA),
) -> tuple[np.ndarray, np.ndarray, list[str], int, np.ndarray]:
    """Feature rows and junk (1) / article (0) targets of every line the model would score were it left as
    article by the rules (the junk the rules catch too: else the words of porn or gambling, which the rules
    nearly always catch, would get no weight for the variants that escape them), each row's line text, the
    number of distinct article lines in the documents (the denominator of the harm share: the extra tuning
    documents re-use the tuning half's article paragraphs, which must not count twice) and each row's document
    number (for the cross-validation folds)."""
    from cleanse.stages.spam import line_model
    from cleanse.stages.spam.labeller import original_spans, rule_state
    from cleanse.stages.spam.rules import ARTICLE, Verdict
    from cleanse.stages.spam.signals import signal_lexicon

    signals = signal_lexicon()
    xs, ys, texts, groups = [], [], [], []
    article_texts: set[str] = set()
    docs: list[dict] = []
    for path in paths:
        with open(path, encoding="utf-8") as source:
            docs.extend(json.loads(line) for line in source)
    for number, doc in enumerate(docs):
        gold = doc["lines"]
        article_texts.update(line["text"] for line in gold if line["label"] == "article")
        text = "\n".join(line["text"] for line in gold)
        starts = np.cumsum([0] + [len(line["text"]) + 1 for line in gold[:-1]])
        state = rule_state(text)
        if state is None:
            continue
        sums = line_model.line_sums(state.spans, signals.find(state.folded.text, state.codes), signals)
        as_article = [Verdict(ARTICLE, 0.0, ()) for _ in state.verdicts]
        rows = line_model.candidates(as_article, state.features, sums)
        if not rows:
            continue
        xs.append(line_model.feature_matrix(rows, state.lines, state.verdicts, state.features, sums))
        original = original_spans(state)
        for i in rows:
            k = int(np.searchsorted(starts, original[i][0], side="right") - 1)
            ys.append(1.0 if gold[k]["label"] == "junk" else 0.0)
            texts.append(gold[k]["text"])
            groups.append(number)
    return np.vstack(xs), np.array(ys), texts, len(article_texts), np.array(groups)


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


def out_of_fold_scores(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Each row's score under weights learned without its fold (documents split by number modulo ``FOLDS``)."""
    fold = groups % FOLDS
    scores = np.zeros(len(y))
    for k in range(FOLDS):
        held = fold == k
        w = fit(x[~held], y[~held])
        scores[held] = 1 / (1 + np.exp(-(x[held] @ w)))
    return scores


def taken(texts: list[str], scores: np.ndarray, y: np.ndarray, at: float) -> int:
    """Distinct article lines scored at or above ``at``."""
    return len({text for text, score, junk in zip(texts, scores, y, strict=True) if score >= at and not junk})


def choose_threshold(texts: list[str], scores: np.ndarray, y: np.ndarray, article_lines: int) -> float:
    """The lowest of ``THRESHOLDS`` whose article lines taken stay within ``MAX_ARTICLE_SHARE``."""
    for candidate in THRESHOLDS:
        if taken(texts, scores, y, candidate) / article_lines <= MAX_ARTICLE_SHARE:
            return candidate
    return THRESHOLDS[-1]


def main() -> None:
    from cleanse.stages.spam.line_model import FEATURES

    x, y, texts, article_lines, groups = training_rows()
    w = fit(x, y)
    p = 1 / (1 + np.exp(-(x @ w)))
    held_out = out_of_fold_scores(x, y, groups)
    threshold = choose_threshold(texts, held_out, y, article_lines)
    for at in THRESHOLDS:
        print(
            f"threshold {at:.2f}: out-of-fold junk caught {int(((held_out >= at) & (y == 1)).sum())}"
            f" of {int(y.sum())}, article lines taken {taken(texts, held_out, y, at)}"
        )
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
        "tune_articles_taken": taken(texts, p, y, threshold),
        "threshold_rule": f"lowest with out-of-fold ({FOLDS} folds) article lines taken <= {MAX_ARTICLE_SHARE:.2%}",
        "cv_junk_caught": int(((held_out >= threshold) & (y == 1)).sum()),
        "cv_articles_taken": taken(texts, held_out, y, threshold),
        "tune_article_lines": article_lines,
    }
    (HERE / "line_model.json").write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for name, weight in sorted(zip(FEATURES, w, strict=True), key=lambda item: -abs(item[1])):
        print(f"{name:18s} {weight:+.3f}")
    print({k: v for k, v in model.items() if k not in ("features", "weights")})


if __name__ == "__main__":
    main()
