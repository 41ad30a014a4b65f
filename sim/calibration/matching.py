"""History matching: the arithmetic of waves, implausibility and refocusing.

History matching (Craig, Goldstein et al. 1997; Vernon, Goldstein & Bower 2010; Andrianakis
et al. 2015 for stochastic epidemic models) rules out inputs rather than searching for one
best input: a point is *implausible* when, for some target,

    I = |simulated mean - published| / sqrt(obs var + discrepancy var + var of the sim mean)

exceeds a cut-off (3, by Pukelsheim's three-sigma rule: any unimodal distribution has at
least 95% of its mass within 3 sd). Each wave fills the current box with a space-filling
design, keeps the non-implausible points and shrinks the box to them. From the second wave
an emulator (a regression of each target on the inputs, fitted to the points run so far)
screens many candidates in the box, so the runs go where the targets may be met rather
than to the corners of a box around a ridge. It suits this model:
a stochastic simulator (the sim variance is measured from replications, not ignored), few
targets, few inputs, and targets known only as bands: what a user needs is the region of
inputs the published figures allow, not a single optimum the bands cannot support.

Everything here works on the unit hypercube (``InputSpace.values`` maps it onto the inputs).
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.stats import qmc


def design(
    kind: str, low: np.ndarray, high: np.ndarray, n: int, rng: np.random.Generator
) -> np.ndarray:
    """``n`` space-filling points in the box ``[low, high]`` of the unit hypercube."""
    d = len(low)
    if kind == "sobol":
        with warnings.catch_warnings():  # n need not be a power of two for a box's design
            warnings.simplefilter("ignore", UserWarning)
            unit = qmc.Sobol(d, scramble=True, seed=rng).random(n)
    else:
        unit = qmc.LatinHypercube(d, seed=rng).random(n)
    return low + unit * (high - low)


def implausibility(
    mean: np.ndarray, var_of_mean: np.ndarray, published: np.ndarray, obs_sd: np.ndarray,
    discrepancy_sd: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """Points x targets implausibilities; a missing mean (no run finished) is infinite."""
    var = obs_sd**2 + discrepancy_sd**2 + np.nan_to_num(var_of_mean, nan=0.0)
    out = np.abs(mean - published) / np.sqrt(var)
    return np.where(np.isfinite(mean), out, np.inf)


def refocus(accepted: np.ndarray, margin: float) -> tuple[np.ndarray, np.ndarray]:
    """The next wave's box: the accepted points' bounding box, widened by ``margin`` of its
    width (at least one hundredth of the unit range) on each side, inside the unit cube."""
    low, high = accepted.min(axis=0), accepted.max(axis=0)
    pad = np.maximum(high - low, 0.01) * margin
    return np.clip(low - pad, 0.0, 1.0), np.clip(high + pad, 0.0, 1.0)


def mean_and_var(per_rep: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per point (rows) over replications (columns): mean, variance of the mean (NaN with
    one replication: then only the observation and discrepancy variances count) and sd."""
    n = np.sum(np.isfinite(per_rep), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a point whose runs all failed
        mean = np.nanmean(per_rep, axis=1) if per_rep.size else np.full(len(per_rep), np.nan)
        sd = np.nanstd(per_rep, axis=1, ddof=1) if per_rep.shape[1] > 1 else np.full(len(n), np.nan)
        return mean, np.where(n > 1, sd**2 / n, np.nan), sd


def emulated_implausibility(
    done: np.ndarray, mean: np.ndarray, published: float, obs_sd: float,
    discrepancy_sd: float, candidates: np.ndarray,
) -> np.ndarray | None:  # fmt: skip
    """Implausibility of candidate points by an emulator instead of runs: a regression of a
    target's simulated means on the inputs (linear, or quadratic without interactions,
    whichever predicts the points left out better), fitted to every point run so far. Its
    variance is the mean squared leave-one-out error (which holds the simulation noise of
    the means and the regression's misfit) times ``1 + leverage``, so the emulator rules
    out only what is far from the published value by more than its own error. None when
    there are too few points to fit."""
    ok = np.isfinite(mean)
    x, y = done[ok], mean[ok]
    fits = [f for q in (False, True) if (f := _fit(x, y, q)) is not None]
    if not fits:
        return None
    press, beta, inverse, quadratic = min(fits, key=lambda f: f[0])
    at = _features(candidates, quadratic)
    leverage = np.einsum("ij,jk,ik->i", at, inverse, at)
    var = obs_sd**2 + discrepancy_sd**2 + press * (1 + leverage)
    return np.abs(at @ beta - published) / np.sqrt(var)


def _fit(x: np.ndarray, y: np.ndarray, quadratic: bool):
    """Least squares with its mean squared leave-one-out error, or None with fewer than
    three points more than coefficients."""
    features = _features(x, quadratic)
    n, p = features.shape
    if n < p + 3:
        return None
    inverse = np.linalg.pinv(features.T @ features)
    beta = inverse @ features.T @ y
    hat = np.einsum("ij,jk,ik->i", features, inverse, features)
    loo = (y - features @ beta) / np.maximum(1 - hat, 1e-9)
    return float(np.mean(loo**2)), beta, inverse, quadratic


def _features(unit: np.ndarray, quadratic: bool) -> np.ndarray:
    cols = [np.ones(len(unit)), *unit.T, *((unit**2).T if quadratic else ())]
    return np.column_stack(cols)


def screen(candidates: np.ndarray, emulated: np.ndarray, n: int, cutoff: float) -> np.ndarray:
    """Indices of the ``n`` candidates to run: spread over those the emulator does not rule
    out (greedy maximin: each next one the farthest from those chosen, distances in units
    of the box's widths), then, if too few, the least implausible others."""
    alive = np.flatnonzero(emulated <= cutoff)
    if len(alive) <= n:
        rest = np.setdiff1d(np.argsort(emulated, kind="stable"), alive, assume_unique=True)
        rest = rest[np.argsort(emulated[rest], kind="stable")]
        return np.concatenate([alive, rest[: n - len(alive)]])
    width = np.ptp(candidates, axis=0)
    pts = candidates[alive] / np.where(width > 0, width, 1.0)
    chosen = [0]
    nearest = np.linalg.norm(pts - pts[0], axis=1)
    while len(chosen) < n:
        k = int(nearest.argmax())
        chosen.append(k)
        nearest = np.minimum(nearest, np.linalg.norm(pts - pts[k], axis=1))
    return alive[chosen]
