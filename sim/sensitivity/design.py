"""Sampling designs and their indices, through SALib.

Both methods sample the unit hypercube (``InputSpace.values`` maps it onto each input's
range or distribution) and are analysed there, so a Morris ``mu_star`` is the mean
absolute change of an output when one input moves across its whole range, in the
output's units. Sobol' indices do not depend on the scale at all.

- ``morris``: ``samples`` trajectories on a grid of ``levels`` (one-at-a-time steps),
  ``samples * (inputs + 1)`` points; screening: ``mu_star`` (with a bootstrap 95%
  interval), ``mu`` (its sign) and ``sigma`` (interaction or non-linearity).
- ``sobol``: Saltelli's extension of Sobol' sequences, ``samples * (inputs + 2)`` points
  (``samples`` a power of two); first-order ``S1`` and total ``ST`` with bootstrap 95%
  intervals.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

MISSING_SALIB = (
    "the sensitivity analysis needs SALib; install it with `pip install 'SALib>=1.4'` "
    "(or `pip install enforcement-sim`, which depends on it)"
)
COLUMNS = ["input", "statistic", "value", "ci95_low", "ci95_high"]


def _salib():
    try:
        from SALib.analyze import morris as morris_analyze
        from SALib.analyze import sobol as sobol_analyze
        from SALib.sample import morris as morris_sample
        from SALib.sample import sobol as sobol_sample
    except ImportError:
        from ..errors import ScenarioError

        raise ScenarioError("method", MISSING_SALIB) from None
    return morris_sample, sobol_sample, morris_analyze, sobol_analyze


def problem(names: list[str]) -> dict:
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def points(method: str, inputs: int, samples: int, levels: int = 4) -> int:
    """How many points a design has, before it is drawn (for the run limits)."""
    return samples * (inputs + 1) if method == "morris" else samples * (inputs + 2)


def sample(method: str, names: list[str], samples: int, levels: int, seed: int) -> np.ndarray:
    """The design's points on the unit hypercube, one row each (the same for one seed)."""
    morris_sample, sobol_sample, _, _ = _salib()
    prob = problem(names)
    if method == "morris":
        return morris_sample.sample(prob, samples, num_levels=levels, seed=seed)
    return sobol_sample.sample(prob, samples, calc_second_order=False, seed=seed)


def analyse(
    method: str, names: list[str], unit: np.ndarray, y: np.ndarray, levels: int, seed: int
) -> pd.DataFrame:
    """Indices of one output over the design's points: one row per input and statistic.
    An output that is missing at some point, or never varies, has no indices (NaN)."""
    _, _, morris_analyze, sobol_analyze = _salib()
    y = np.asarray(y, dtype=float)
    stats = ("mu_star", "mu", "sigma") if method == "morris" else ("S1", "ST")
    if not np.all(np.isfinite(y)) or np.ptp(y) == 0:
        value = 0.0 if np.all(np.isfinite(y)) else np.nan  # a constant output moves with nothing
        rows = [(n, s, value, value, value) for n in names for s in stats]
        return pd.DataFrame(rows, columns=COLUMNS)
    prob = problem(names)
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if method == "morris":
            res = morris_analyze.analyze(
                prob, unit, y, num_levels=levels, conf_level=0.95, seed=seed
            )
            for k, n in enumerate(names):
                ms, conf = float(res["mu_star"][k]), float(res["mu_star_conf"][k])
                rows.append((n, "mu_star", ms, ms - conf, ms + conf))
                rows.append((n, "mu", float(res["mu"][k]), np.nan, np.nan))
                rows.append((n, "sigma", float(res["sigma"][k]), np.nan, np.nan))
        else:
            res = sobol_analyze.analyze(
                prob, y, calc_second_order=False, conf_level=0.95, seed=seed
            )
            for k, n in enumerate(names):
                for s in ("S1", "ST"):
                    v, conf = float(res[s][k]), float(res[f"{s}_conf"][k])
                    rows.append((n, s, v, v - conf, v + conf))
    return pd.DataFrame(rows, columns=COLUMNS)


def noise_share(per_rep: np.ndarray) -> dict[str, float]:
    """How much of an output's spread over the points is simulation noise.

    ``per_rep`` is points x replications. The indices are computed on each point's
    replication mean, whose noise variance is the within-point variance over the
    replications divided by their number; ``noise_share`` is that over the variance of
    the means between points (above about 0.2 the indices are blurred by noise; add
    replications)."""
    n = per_rep.shape[1]
    with warnings.catch_warnings():  # an output missing at some point or replication
        warnings.simplefilter("ignore", RuntimeWarning)
        means = np.nanmean(per_rep, axis=1)
        between = float(np.nanvar(means, ddof=1)) if len(means) > 1 else np.nan
        if n < 2:
            return {"within_var": np.nan, "between_var": between, "noise_share": np.nan}
        within = float(np.nanmean(np.nanvar(per_rep, axis=1, ddof=1)))
    share = (within / n) / between if between > 0 else (0.0 if within == 0 else np.inf)
    return {"within_var": within, "between_var": between, "noise_share": share}
