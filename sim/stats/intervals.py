"""Across replications: means with Student-t confidence intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def t_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and two-sided t interval; NaN bounds with fewer than two finite values."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if len(x) == 0:
        return (np.nan, np.nan, np.nan)
    mean = float(x.mean())
    if len(x) < 2:
        return (mean, np.nan, np.nan)
    half = float(stats.t.ppf(0.5 + level / 2, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x)))
    return (mean, mean - half, mean + half)


def across_replications(per_replication: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """``scope, group, indicator, mean, ci95_low, ci95_high, replications`` from tidy rows."""
    rows = []
    keys = ["scope", "group", "indicator"]
    for key, part in per_replication.groupby(keys, sort=False):
        mean, low, high = t_interval(part["value"].to_numpy(), level)
        rows.append((*key, mean, low, high, int(part["value"].notna().sum())))
    return pd.DataFrame(rows, columns=[*keys, "mean", "ci95_low", "ci95_high", "replications"])
