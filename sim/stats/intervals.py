"""Across replications: means with Student-t confidence intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd

# Student's t quantile (stdtrit is what scipy.stats.t.ppf calls): importing scipy.stats
# cost every command a second
from scipy.special import stdtrit


def t_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and two-sided t interval; NaN bounds with fewer than two finite values."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if len(x) == 0:
        return (np.nan, np.nan, np.nan)
    mean = float(x.mean())
    if len(x) < 2:
        return (mean, np.nan, np.nan)
    half = float(stdtrit(len(x) - 1, 0.5 + level / 2) * x.std(ddof=1) / np.sqrt(len(x)))
    return (mean, mean - half, mean + half)


def across_replications(per_replication: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """``[variant,] scope, group, indicator, mean, ci95_low, ci95_high, replications``.

    Same arithmetic as ``t_interval``, done for all indicators at once.
    """
    keys = [k for k in ("variant", "scope", "group", "indicator") if k in per_replication]
    g = per_replication.groupby(keys, sort=False)["value"]
    out = g.agg(mean="mean", sd="std", replications="count").reset_index()
    n = out["replications"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        t = stdtrit(np.where(n > 1, n - 1, np.nan), 0.5 + level / 2)
        half = t * out["sd"].to_numpy() / np.sqrt(n)
    out["ci95_low"] = out["mean"] - half
    out["ci95_high"] = out["mean"] + half
    return out[[*keys, "mean", "ci95_low", "ci95_high", "replications"]]
