"""Robust decisions: which compared variant is best over the sampled uncertainty.

At every sample point the variants ran on the same random numbers, so their
replication means are compared point by point. A variant's probability of being best
is the share of points at which it is best (a tie shares the point); its regret at a
point is how much worse it is than the best there, in the indicator's units. The
points stand for the input distributions (Sobol' and Morris designs cover them
evenly), so the shares are probabilities under those distributions, up to the
design's own coarseness.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from .rules import flip_rule


def outcome_matrix(table: pd.DataFrame, indicator: str, variants: list[str]) -> pd.DataFrame:
    """Points x variants: the indicator's replication mean."""
    wide = table.pivot(index="point", columns="variant", values=indicator)
    return wide[variants]


def robustness(wide: pd.DataFrame, indicator: str, lower_is_better: bool) -> pd.DataFrame:
    """One row per variant: probability best, and median, p90 and worst regret."""
    m = wide.to_numpy(dtype=float)
    ok = np.isfinite(m).all(axis=1)
    m = m[ok]
    best = m.min(axis=1) if lower_is_better else m.max(axis=1)
    is_best = np.isclose(m, best[:, None], rtol=0, atol=1e-12)
    share = (is_best / is_best.sum(axis=1, keepdims=True)).mean(axis=0) if len(m) else np.nan
    regret = np.abs(m - best[:, None])
    q = (lambda p: np.quantile(regret, p, axis=0)) if len(m) else (lambda p: np.nan)
    return pd.DataFrame(
        {
            "variant": list(wide.columns),
            "indicator": indicator,
            "better": "lower" if lower_is_better else "higher",
            "prob_best": share,
            "mean": m.mean(axis=0) if len(m) else np.nan,
            "regret_median": q(0.5),
            "regret_p90": q(0.9),
            "regret_max": regret.max(axis=0) if len(m) else np.nan,
            "points": int(ok.sum()),
        }
    )


def pairs(variants: list[str]) -> list[tuple[str, str]]:
    return list(itertools.combinations(variants, 2))


def difference_label(a: str, b: str) -> str:
    return f"{a} − {b}"


def flip_rules(wide: pd.DataFrame, inputs: pd.DataFrame, lower_is_better: bool) -> pd.DataFrame:
    """One row per pair of variants: how often the first beats the second and the rule
    (a depth-two tree over the inputs) for when it does. ``inputs`` is points x inputs."""
    rows = []
    for a, b in pairs(list(wide.columns)):
        d = (wide[a] - wide[b]).to_numpy(dtype=float)
        ok = np.isfinite(d)
        a_better = d[ok] < 0 if lower_is_better else d[ok] > 0
        x = inputs.loc[wide.index[ok]]
        rule, accuracy = flip_rule(x, a_better, a, b)
        share = float(a_better.mean()) if ok.any() else np.nan
        rows.append({"a": a, "b": b, "share_a_better": share, "rule": rule,
                     "rule_accuracy": accuracy, "points": int(ok.sum())})  # fmt: skip
    return pd.DataFrame(rows)
