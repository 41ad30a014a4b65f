"""Indicators of the monthly loop (the ranking's effort, deterrence's thinning), from the
``months`` record table, which exists only when a monthly mechanism is on: without it
these indicators are absent, not 0, so a run without the loop reads exactly as before.

Months are those of the calendar (``sim.model.monthly``); a month that starts in the
warm-up is left out of the per-month statistics, and its deterred violations are counted
pro rata to its days after the warm-up.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MONTHLY_INDICATORS = (
    "effort_multiplier_mean",
    "effort_multiplier_max",
    "pollution_hours_spread",
    "violations_deterred",
    "violation_rate_per_day",
)
"""What ``monthly_indicators`` returns, in order (the catalogue's rows of the same names)."""


def monthly_indicators(
    months: pd.DataFrame, violations: int, window_hours: tuple[float, float]
) -> dict[str, float]:
    """Indicators of one replication's months; ``violations`` is the count of incidents
    that started in the window (the deterred ones never did)."""
    lo, hi = window_hours
    start = months["month_start_h"].to_numpy(dtype=float)
    starts = np.unique(start)
    ends = np.append(starts[1:], max(hi, starts[-1]))
    end = ends[np.searchsorted(starts, start)]
    inside = start >= lo
    share = np.clip((np.minimum(end, hi) - np.maximum(start, lo)) / np.maximum(end - start, 1e-9),
                    0.0, 1.0)  # fmt: skip
    effort = months["effort_multiplier"].to_numpy(dtype=float)[inside]
    spread = [_iqr(g["pollution_hours"].to_numpy(dtype=float))
              for _, g in months[inside].groupby("month", sort=True)]  # fmt: skip
    days = (hi - lo) / 24.0
    return {
        "effort_multiplier_mean": float(effort.mean()) if len(effort) else np.nan,
        "effort_multiplier_max": float(effort.max()) if len(effort) else np.nan,
        "pollution_hours_spread": float(np.mean(spread)) if spread else np.nan,
        "violations_deterred": float((months["deterred"].to_numpy(dtype=float) * share).sum()),
        "violation_rate_per_day": float(violations / days) if days > 0 else np.nan,
    }


def _iqr(x: np.ndarray) -> float:
    """Interquartile range: robust to the one township with a long dumping incident."""
    q1, q3 = np.quantile(x, [0.25, 0.75]) if len(x) else (np.nan, np.nan)
    return float(q3 - q1)
