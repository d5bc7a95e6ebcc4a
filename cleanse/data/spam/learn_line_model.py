"""Learn ``line_model.json``: the weights of the spam stage's line model (see ``cleanse/stages/spam/line_model.py``).

Training lines are every file of the spam evaluation set (``tests/data/spam_eval``): ``tune.jsonl`` with
``tune_extra.jsonl`` (more lines of the kinds the generated tuning half has few templates of), ``test.jsonl`` and
``test2.jsonl``, each made from its own junk templates: every line the rules leave as article and the model
would score, labelled junk or article by how the set was made. The point of the model is junk written in
wordings it never saw, so its decisions are checked ACROSS template sets: the folds are the template sets
(``FOLDS``; ``tune`` and ``tune_extra`` are one fold, as they share their article paragraphs), each scored by
weights learned on the others. The fit is an L2-regularised logistic regression (Newton steps, bias not
penalised). The decision threshold is the lowest of 0.30, 0.35, ... 0.95 (the highest recall) at which the
article lines those out-of-set scores take out stay within ``MAX_ARTICLE_SHARE`` (half the stage's 0.5% target)
of the set's article lines, both counted as the evaluation counts them, every occurrence (the hand-written news
lines that name junk words recur across the tuning files, and each recurrence is a line the stage would drop).
Run from the repository root:

    python cleanse/data/spam/learn_line_model.py

``--hold-out test2`` learns on the other files only (threshold by the same rule over the remaining folds),
writes nothing, and prints the junk-line recall (rules and model together) and the article lines taken on the
held-out file: the cross-set figure of docs/spam.md. A fresh held-out set (made by someone who never read
this stage) is never a training file: only the files named in ``FOLDS`` are read.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from cleanse.stages.spam.labeller import RuleState

HERE = Path(__file__).resolve().parent
EVAL_DIR = HERE.parents[2] / "tests" / "data" / "spam_eval"
FOLDS = (("tune", "tune_extra"), ("test",), ("test2",))
"""The training files, grouped by template set (the cross-validation folds)."""
FILES = tuple(name for fold in FOLDS for name in fold)
L2 = 0.5
MAX_ARTICLE_SHARE = 0.0025
THRESHOLDS = tuple(round(0.3 + 0.05 * k, 2) for k in range(14))


def training_rows(
    names: tuple[str, ...] = FILES,
) -> tuple[np.ndarray, np.ndarray, list[str], int, np.ndarray]:
    """See :func:`scored_rows` (without its last column)."""
    return scored_rows(names)[:5]


def scored_rows(
    names: tuple[str, ...],
) -> tuple[np.ndarray, np.ndarray, list[str], int, np.ndarray, np.ndarray]:
    """Feature rows and junk (1) / article (0) targets of every line the model would score were it left as
    article by the rules (the junk the rules catch too: else the words of porn or gambling, which the rules
    nearly always catch, would get no weight for the variants that escape them), each row's line text, the
    number of article lines in the documents (the denominator of the harm share) and each row's fold (the
    index in ``FOLDS`` of its file's template set); last, whether the rules left the line as article."""
    from cleanse.stages.spam import line_model
    from cleanse.stages.spam.labeller import original_spans, rule_state
    from cleanse.stages.spam.rules import ARTICLE, Verdict
    from cleanse.stages.spam.signals import signal_lexicon

    signals = signal_lexicon()
    xs, ys, texts, groups, left = [], [], [], [], []
    article_lines = 0
    docs: list[tuple[int, dict]] = []
    for name in names:
        fold = next(k for k, members in enumerate(FOLDS) if name in members)
        with open(EVAL_DIR / f"{name}.jsonl", encoding="utf-8") as source:
            docs.extend((fold, json.loads(line)) for line in source)
    for fold, doc in docs:
        gold = doc["lines"]
        article_lines += sum(line["label"] == "article" for line in gold)
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
            groups.append(fold)
            left.append(state.verdicts[i].label == ARTICLE)
    return np.vstack(xs), np.array(ys), texts, article_lines, np.array(groups), np.array(left)


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


def decided(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Scores as the stage acts on them: 0 for a line with no evidence beyond its shape (no signal or label word,
    URL or pattern; see ``apply_line_model``)."""
    from cleanse.stages.spam.line_model import FEATURES

    cues = [k for k, name in enumerate(FEATURES) if 0 < k < FEATURES.index("contact_id")]
    cues += [FEATURES.index(name) for name in ("contact_id", "handle", "email", "phone", "url", "label_words")]
    cues += [FEATURES.index(name) for name in ("shouting", "price")]
    evidence = (x[:, cues] != 0).any(axis=1)
    return np.where(evidence, 1 / (1 + np.exp(-(x @ w))), 0.0)


def out_of_fold_scores(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Each row's score under weights learned without its fold (its template set)."""
    scores = np.zeros(len(y))
    for k in np.unique(groups).tolist():
        held = groups == k
        w = fit(x[~held], y[~held])
        scores[held] = decided(x[held], w)
    return scores


def taken(texts: list[str], scores: np.ndarray, y: np.ndarray, at: float) -> int:
    """Article lines (every occurrence) scored at or above ``at``; ``texts`` is kept for callers that print them."""
    return int(((scores >= at) & (y == 0)).sum())


def choose_threshold(texts: list[str], scores: np.ndarray, y: np.ndarray, article_lines: int) -> float:
    """The lowest of ``THRESHOLDS`` whose article lines taken stay within ``MAX_ARTICLE_SHARE``."""
    for candidate in THRESHOLDS:
        if taken(texts, scores, y, candidate) / article_lines <= MAX_ARTICLE_SHARE:
            return candidate
    return THRESHOLDS[-1]


def cross_set(held_out: str) -> None:
    """Learn on every file but ``held_out`` and print what the rules and the model catch on it."""
    from cleanse.stages.spam.labeller import rule_state

    names = tuple(name for name in FILES if name != held_out)
    x, y, texts, article_lines, groups = training_rows(names)
    w = fit(x, y)
    threshold = choose_threshold(texts, out_of_fold_scores(x, y, groups), y, article_lines)
    hx, hy, htexts, h_articles, _, left = scored_rows((held_out,))
    scores = np.where(left, decided(hx, w), 0.0)
    junk = rules_caught = 0
    with open(EVAL_DIR / f"{held_out}.jsonl", encoding="utf-8") as source:
        for row in source:
            gold = json.loads(row)["lines"]
            junk += sum(line["label"] == "junk" for line in gold)
            state = rule_state("\n".join(line["text"] for line in gold))
            rules_caught += _rules_caught(gold, state)
    model_caught = int(((scores >= threshold) & (hy == 1)).sum())
    print(
        f"learned on {', '.join(names)}; threshold {threshold:.2f}; on {held_out}: junk lines {junk}, caught by the"
        f" rules {rules_caught}, by the model {model_caught}: recall {(rules_caught + model_caught) / junk:.4f};"
        f" article lines taken by the model {taken(htexts, scores, hy, threshold)} of {h_articles}"
    )


def _rules_caught(gold: list[dict], state: RuleState | None) -> int:
    """Junk lines of ``gold`` the rules alone give a dropped label (by the line each verdict starts in)."""
    from cleanse.stages.spam.labeller import original_spans
    from cleanse.stages.spam.rules import ARTICLE

    if state is None:
        return 0
    starts = np.cumsum([0] + [len(line["text"]) + 1 for line in gold[:-1]])
    caught: set[int] = set()
    for (start, _), verdict in zip(original_spans(state), state.verdicts, strict=True):
        k = int(np.searchsorted(starts, start, side="right") - 1)
        if gold[k]["label"] == "junk" and verdict.label not in (ARTICLE, "credit", "caption", "furniture"):
            caught.add(k)
    return len(caught)


def main() -> None:
    from cleanse.stages.spam.line_model import FEATURES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hold-out", choices=FILES)
    held_out = parser.parse_args().hold_out
    if held_out:
        cross_set(held_out)
        return
    x, y, texts, article_lines, groups = training_rows()
    w = fit(x, y)
    p = decided(x, w)
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
        "learned_on": "tests/data/spam_eval/" + " + ".join(f"{name}.jsonl" for name in FILES),
        "learned_by": "cleanse/data/spam/learn_line_model.py",
        "l2": L2,
        "candidate_lines": int(len(y)),
        "junk_candidates": int(y.sum()),
        "junk_caught": int((chosen & (y == 1)).sum()),
        "articles_taken": taken(texts, p, y, threshold),
        "threshold_rule": f"lowest with out-of-set (folds {FOLDS}) article lines taken <= {MAX_ARTICLE_SHARE:.2%}",
        "cv_junk_caught": int(((held_out >= threshold) & (y == 1)).sum()),
        "cv_articles_taken": taken(texts, held_out, y, threshold),
        "article_lines": article_lines,
    }
    (HERE / "line_model.json").write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for name, weight in sorted(zip(FEATURES, w, strict=True), key=lambda item: -abs(item[1])):
        print(f"{name:18s} {weight:+.3f}")
    print({k: v for k, v in model.items() if k not in ("features", "weights")})


if __name__ == "__main__":
    main()
