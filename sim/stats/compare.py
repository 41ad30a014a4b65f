"""Statistics for experiments: paired differences, bootstrap quantiles, precision.

Variants run on common random numbers, so replication r of every variant saw the
same incidents: the difference between two variants is estimated from the
per-replication differences (a paired t interval), far tighter than comparing
two independent intervals.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .intervals import t_interval

KEYS = ["scope", "group", "indicator"]


def paired_differences(per_rep: pd.DataFrame, baseline: str, level: float = 0.95) -> pd.DataFrame:
    """``variant - baseline`` per indicator, with a paired t interval over replications."""
    base = per_rep[per_rep["variant"] == baseline].set_index([*KEYS, "replication"])["value"]
    rows = []
    for variant, part in per_rep.groupby("variant", sort=False):
        if variant == baseline:
            continue
        mine = part.set_index([*KEYS, "replication"])["value"]
        diff = (mine - base.reindex(mine.index)).dropna()
        for key, d in diff.groupby(level=[0, 1, 2], sort=False):
            mean, low, high = t_interval(d.to_numpy(), level)
            rows.append((variant, *key, mean, low, high, len(d)))
    cols = ["variant", *KEYS, "diff_mean", "diff_ci95_low", "diff_ci95_high", "replications"]
    return pd.DataFrame(rows, columns=cols)


def bootstrap_quantiles(
    values: pd.Series,
    replication: pd.Series,
    qs: tuple[float, ...] = (0.5, 0.9),
    resamples: int = 1000,
    seed: int = 0,
) -> list[tuple[float, float, float, float]]:
    """Pooled quantiles with percentile-bootstrap intervals, resampling whole replications.

    Resampling replications (not incidents) keeps the dependence between incidents
    of one run, which a naive bootstrap would ignore and so understate the spread.
    """
    groups = [g.dropna().to_numpy() for _, g in values.groupby(replication, sort=True)]
    groups = [g for g in groups if len(g)]
    if not groups:
        return [(q, np.nan, np.nan, np.nan) for q in qs]
    pooled = np.concatenate(groups)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(groups), size=(resamples, len(groups)))
    boots = np.array(
        [np.quantile(np.concatenate([groups[i] for i in row]), qs) for row in picks]
    ).reshape(resamples, len(qs))
    out = []
    for k, q in enumerate(qs):
        low, high = np.quantile(boots[:, k], [0.025, 0.975])
        out.append((q, float(np.quantile(pooled, q)), float(low), float(high)))
    return out


def replications_needed(summary: pd.DataFrame, target: float) -> pd.Series:
    """Replications for a relative half-width of ``target``: n * (half / (target*|mean|))^2."""
    half = (summary["ci95_high"] - summary["ci95_low"]) / 2
    n = summary["replications"]
    need = n * (half / (target * summary["mean"].abs())) ** 2
    return need.apply(lambda x: math.ceil(x) if np.isfinite(x) else np.nan)
