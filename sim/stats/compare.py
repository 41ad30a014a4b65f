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

# Student's t quantile (stdtrit is what scipy.stats.t.ppf calls): importing scipy.stats
# cost every command a second
from scipy.special import stdtrit

KEYS = ["scope", "group", "indicator"]


def paired_differences(per_rep: pd.DataFrame, baseline: str, level: float = 0.95) -> pd.DataFrame:
    """``variant - baseline`` per indicator, with a paired t interval over replications."""
    on = [*KEYS, "replication"]
    base = per_rep[per_rep["variant"] == baseline][[*on, "value"]]
    others = per_rep[per_rep["variant"] != baseline]
    both = others.merge(base, on=on, suffixes=("", "_base"))
    both = both.assign(diff=both["value"] - both["value_base"]).dropna(subset=["diff"])
    out = both.groupby(["variant", *KEYS], sort=False)["diff"].agg(
        diff_mean="mean", sd="std", replications="count"
    )
    out = out.reset_index()
    n = out["replications"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stdtrit(np.where(n > 1, n - 1, np.nan), 0.5 + level / 2) * out["sd"] / np.sqrt(n)
    out["diff_ci95_low"] = out["diff_mean"] - half
    out["diff_ci95_high"] = out["diff_mean"] + half
    cols = ["variant", *KEYS, "diff_mean", "diff_ci95_low", "diff_ci95_high", "replications"]
    return out[cols]


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
    ok = values.notna().to_numpy()
    x = values.to_numpy(dtype=float)[ok]
    _, group = np.unique(replication.to_numpy()[ok], return_inverse=True)
    if len(x) == 0:
        return [(q, np.nan, np.nan, np.nan) for q in qs]
    order = np.argsort(x, kind="stable")
    x, group = x[order], group[order]
    n_groups = int(group.max()) + 1
    rng = np.random.default_rng(seed)
    # a resample of whole replications = a weight per replication (how often it was drawn);
    # the pooled quantile is then a weighted quantile of the one sorted array
    counts = rng.multinomial(n_groups, np.full(n_groups, 1 / n_groups), size=resamples)
    # prefix[i, g]: how many of the i smallest values come from replication g, so the
    # weight below position i in a resample is prefix[i] @ counts: a binary search per
    # resample finds each quantile without materialising a resample
    prefix = np.zeros((len(x) + 1, n_groups), dtype=np.int64)
    np.add.at(prefix[1:], (np.arange(len(x)), group), 1)
    prefix = np.cumsum(prefix, axis=0)
    total = counts @ prefix[-1]
    boots = np.empty((resamples, len(qs)))
    rows = np.arange(resamples)
    for k, q in enumerate(qs):
        lo, hi = np.zeros(resamples, dtype=np.int64), np.full(resamples, len(x))
        while np.any(lo < hi):  # least i with weight(i + 1) >= q * total
            mid = (lo + hi) // 2
            below = np.einsum("rg,rg->r", prefix[mid + 1], counts) < q * total
            lo = np.where(below & (lo < hi), mid + 1, lo)
            hi = np.where(~below & (lo < hi), mid, hi)
        boots[rows, k] = x[np.minimum(lo, len(x) - 1)]
    out = []
    for k, q in enumerate(qs):
        low, high = np.quantile(boots[:, k], [0.025, 0.975])
        # the point estimate by the same definition as the resamples (the least value
        # with at least q of the weight at or below it), so it lies inside its interval
        out.append((q, float(np.quantile(x, q, method="inverted_cdf")), float(low), float(high)))
    return out


def replications_needed(summary: pd.DataFrame, target: float) -> pd.Series:
    """Replications for a relative half-width of ``target``: n * (half / (target*|mean|))^2."""
    half = (summary["ci95_high"] - summary["ci95_low"]) / 2
    n = summary["replications"]
    need = n * (half / (target * summary["mean"].abs())) ** 2
    return need.apply(lambda x: math.ceil(x) if np.isfinite(x) else np.nan)


def bootstrap_mean(
    values: pd.Series, replication: pd.Series, resamples: int = 1000, seed: int = 0
) -> tuple[float, float, float]:
    """Pooled mean with a percentile-bootstrap interval, resampling whole replications."""
    ok = values.notna().to_numpy()
    x = values.to_numpy(dtype=float)[ok]
    if len(x) == 0:
        return np.nan, np.nan, np.nan
    _, group = np.unique(replication.to_numpy()[ok], return_inverse=True)
    n_groups = int(group.max()) + 1
    sums = np.bincount(group, weights=x, minlength=n_groups)
    counts = np.bincount(group, minlength=n_groups)
    w = np.random.default_rng(seed).multinomial(
        n_groups, np.full(n_groups, 1 / n_groups), size=resamples
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        boots = (w @ sums) / (w @ counts)
    low, high = np.nanquantile(boots, [0.025, 0.975])
    return float(x.mean()), float(low), float(high)
