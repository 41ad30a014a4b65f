"""Statistics of every group at once (``sim.stats.groups``) give, bit for bit, what numpy
gives on each group's own array, and the indicators of a group are those of its incidents
alone."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import example_raw, simulate_raw

from sim.stats import summarise_replication
from sim.stats.groups import Groups, nansum


def _same_bits(a: float, b: float) -> bool:
    return (np.isnan(a) and np.isnan(b)) or np.float64(a).tobytes() == np.float64(b).tobytes()


@pytest.mark.parametrize("seed", range(6))
def test_group_statistics_are_numpy_on_each_group(seed):
    rng = np.random.default_rng(seed)
    n, groups = int(rng.integers(1, 400)), int(rng.integers(1, 12))
    codes = rng.integers(-1, groups, n)  # -1: in no group; some groups may be empty
    values = rng.exponential(5.0, n) * rng.choice([1.0, -1.0, 1e-3, 1e3], n)
    values[rng.random(n) < 0.05] = np.nan
    mask = rng.random(n) < 0.7
    g = Groups(codes, groups)
    for m in (None, mask, mask & ~np.isnan(values)):
        sums, means = g.sums(values, m), g.means(values, m)
        medians, p90s = g.quantiles(values, 0.5, m), g.quantiles(values, 0.9, m)
        counts = g.count(m)
        for k in range(groups):
            own = values[(codes == k) & (True if m is None else m)]
            assert counts[k] == len(own)
            assert _same_bits(sums[k], own.sum())
            assert _same_bits(means[k], own.mean() if len(own) else np.nan)
            assert _same_bits(medians[k], np.quantile(own, 0.5) if len(own) else np.nan)
            assert _same_bits(p90s[k], np.quantile(own, 0.9) if len(own) else np.nan)


def test_nansum_is_pandas_sum():
    import pandas as pd

    x = np.array([1.5, np.nan, 2.25, 1e-9])
    assert nansum(x) == pd.Series(x).sum()
    assert nansum(x[[0, 2]]) == pd.Series(x[[0, 2]]).sum()


def test_a_townships_indicators_are_those_of_its_incidents_alone():
    rec = simulate_raw(example_raw(), seed=3)
    window = (0.0, float(rec.incidents["start_h"].max()) + 1.0)
    s = summarise_replication(rec.incidents, rec.inspections, rec.officers, window)
    township = rec.incidents["township"].value_counts().idxmax()
    alone = rec.incidents[rec.incidents["township"] == township]
    t = summarise_replication(alone, rec.inspections, rec.officers, window)
    group = s[(s["scope"] == "township") & (s["group"] == township)].set_index("indicator")
    everyone = t[(t["scope"] == "all") & t["indicator"].isin(group.index)]
    everyone = everyone.drop_duplicates("indicator").set_index("indicator")
    assert len(everyone) == len(group) > 20
    for name, value in everyone["value"].items():
        assert _same_bits(value, group.loc[name, "value"]), name
