"""Several targets judged on the same runs: the table every staffing question reads.

``targets_met`` is the one place a set of targets meets a run's records: per target and
county, the statistic, its 95% interval (bootstrap over whole replications), the end
it is judged at and whether it holds. The ``staff`` search reads it for every probe; the
``frontier`` command reuses it for a mix of levers, so both call the same targets met.

A target with nothing to measure in a county (no planned inspections, no major
incident) holds there vacuously, unless *no* target has anything to measure: then the
county is empty ("no incidents").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..stats.compare import bootstrap_mean, bootstrap_quantiles
from .target import Target
from .workload import Records

COLUMNS = ("target", "county", "value", "ci95_low", "ci95_high", "bound", "limit", "met",
           "measured")  # fmt: skip


def estimate(target: Target, values: pd.DataFrame) -> tuple[float, float, float]:
    """Point estimate and 95% interval (bootstrap over whole replications)."""
    if target.stat == "mean":
        return bootstrap_mean(values["value"], values["replication"])
    (_, value, low, high), *_ = bootstrap_quantiles(
        values["value"], values["replication"], qs=(target.q,)
    )
    return value, low, high


def check(target: Target, values: pd.DataFrame) -> dict[str, float | bool | str]:
    """One target over one county's values: its estimate, interval, bound and verdict."""
    value, low, high = estimate(target, values) if len(values) else (np.nan,) * 3
    measured = bool(np.isfinite(value))
    bound = target.bound(low, high)
    return {
        "target": target.text,
        "value": value,
        "ci95_low": low,
        "ci95_high": high,
        "bound": bound,
        "limit": target.limit,
        "met": target.met(bound) if measured else True,
        "measured": measured,
    }


def targets_met(
    records: Records,
    targets: Sequence[Target],
    window_hours: tuple[float, float],
    counties: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Per target and county: ``value, ci95_low, ci95_high`` (95% bootstrap interval over
    replications), ``bound`` (the end it is judged at: the upper, or the lower for a
    ``>=`` target), ``limit``, ``met`` and ``measured`` (False: nothing to measure there,
    met vacuously).

    ``records``: a run's tables concatenated over replications (``incidents``, and for
    workload targets ``officers``, ``inspections``, ``grid``); ``window_hours``: the
    scenario's (warm-up, horizon) in hours; ``counties``: those to judge (default: every
    county in the records). All targets are judged on the same replications.
    """
    rows = []
    for target in targets:
        values = target.values_of(records, window_hours)
        names = counties if counties is not None else sorted(values["county"].unique())
        for county in names:
            mine = values[values["county"] == county][["replication", "value"]]
            rows.append({"county": county, **check(target, mine.reset_index(drop=True))})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def all_met(table: pd.DataFrame) -> pd.Series:
    """Per county of a ``targets_met`` table: every target holds and one was measured."""
    by = table.groupby("county", sort=False)
    return by["met"].all() & by["measured"].any()
