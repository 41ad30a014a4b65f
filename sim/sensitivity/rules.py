"""A readable rule for when one variant beats another: a decision tree of depth two.

Why a tree and not PRIM: the question is "under which inputs does the ranking flip",
asked of every pair of variants, and a tree answers it for every point of the input
space at once ("A beats B unless hand-over > 12 h"), where PRIM finds one box of
unusual outcomes and needs a person to choose where to stop peeling. Why written here
and not scikit-learn's: a depth-two tree over a few inputs and a few hundred points is
an exhaustive search over the thresholds between sampled values, a few lines of numpy
(exactly CART's split search, scored by points classified correctly), where
scikit-learn would add a large dependency for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_LEAF_SHARE = 0.05  # a split must leave at least this share of the points on each side


@dataclass(frozen=True)
class Split:
    input: str
    threshold: float
    correct: int


def best_split(x: pd.DataFrame, y: np.ndarray, min_leaf: int) -> Split | None:
    """The threshold on one input that classifies most points correctly, each side
    predicting its majority; None when no split beats predicting the majority."""
    n = len(y)
    best = Split("", np.nan, max(int(y.sum()), n - int(y.sum())))
    found = None
    for name in x.columns:
        v = x[name].to_numpy(dtype=float)
        order = np.argsort(v, kind="stable")
        vs, ys = v[order], y[order].astype(int)
        ones_left = np.cumsum(ys)[:-1]  # split after position k: left = [0..k]
        left_n = np.arange(1, n)
        right_ones = ys.sum() - ones_left
        right_n = n - left_n
        correct = (np.maximum(ones_left, left_n - ones_left)
                   + np.maximum(right_ones, right_n - right_ones))  # fmt: skip
        ok = (vs[1:] > vs[:-1]) & (left_n >= min_leaf) & (right_n >= min_leaf)
        if not ok.any():
            continue
        k = int(np.argmax(np.where(ok, correct, -1)))
        if correct[k] > best.correct:
            best = Split(name, float((vs[k] + vs[k + 1]) / 2), int(correct[k]))
            found = best
    return found


def _leaf(y: np.ndarray, a: str, b: str) -> str:
    wins = int(y.sum())
    who = a if wins * 2 >= len(y) else b
    return f"{who} ({max(wins, len(y) - wins)} of {len(y)})"


def _fmt(x: float) -> str:
    return f"{x:.3g}"


def flip_rule(x: pd.DataFrame, a_better: np.ndarray, a: str, b: str) -> tuple[str, float]:
    """``(rule, accuracy)``: when ``a`` beats ``b`` over the sampled inputs ``x``, as at most
    two nested thresholds, with how many points each leaf gets right."""
    y = np.asarray(a_better, dtype=bool)
    n = len(y)
    if n == 0:
        return "no points", np.nan
    if y.all() or not y.any():
        return f"{a if y.all() else b} better at every point", 1.0
    min_leaf = max(2, int(np.ceil(MIN_LEAF_SHARE * n)))
    top = best_split(x, y, min_leaf)
    if top is None:
        share = y.mean()
        return f"{_leaf(y, a, b)}; no single input separates the rest", max(share, 1 - share)
    left = x[top.input].to_numpy(dtype=float) <= top.threshold
    parts, correct = [], 0
    for side, mask in (("<=", left), (">", ~left)):
        ys, xs = y[mask], x[mask]
        sub = best_split(xs, ys, min_leaf)
        head = f"{top.input} {side} {_fmt(top.threshold)}"
        if sub is None:
            parts.append(f"if {head}: {_leaf(ys, a, b)}")
            correct += max(int(ys.sum()), len(ys) - int(ys.sum()))
            continue
        inner = xs[sub.input].to_numpy(dtype=float) <= sub.threshold
        parts.append(
            f"if {head} and {sub.input} <= {_fmt(sub.threshold)}: {_leaf(ys[inner], a, b)}; "
            f"if {head} and {sub.input} > {_fmt(sub.threshold)}: {_leaf(ys[~inner], a, b)}"
        )
        correct += sub.correct
    return "; ".join(parts), correct / n
