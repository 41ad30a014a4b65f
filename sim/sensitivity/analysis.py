"""From the runs' outputs to the study's tables: point means, indices, noise, robustness.

Indices are computed on each point's replication mean. The share of an output's
variance over the points that is simulation noise (``noise.csv``) is the within-point
variance over the replications divided by their number (the noise variance of a mean),
over the variance of the means between points; the differences between compared
variants are analysed the same way, from their per-replication paired differences.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from . import design
from .points import Design
from .robust import difference_label, flip_rules, outcome_matrix, pairs, robustness


def point_table(d: Design, per_rep: pd.DataFrame) -> pd.DataFrame:
    """One row per point and variant: the inputs' values and each output's mean."""
    outputs = [o.text for o in d.outputs]
    means = per_rep.groupby(["point", "variant"], sort=False)[outputs].mean().reset_index()
    inputs = pd.DataFrame(d.values, index=d.point_names).rename_axis("point").reset_index()
    out = inputs.merge(means, on="point", how="left")
    out.insert(1, "variant", out.pop("variant"))
    order = {v: i for i, v in enumerate(d.subjects)}
    out = out.assign(_o=out["variant"].map(order))
    out = out.sort_values(["point", "_o"], kind="stable").drop(columns="_o")
    return out.reset_index(drop=True)


def _series(d: Design, per_rep: pd.DataFrame) -> dict[tuple[str, str], np.ndarray]:
    """``(subject, output) -> points x replications``; subjects are the variants and,
    for the decision indicator, the pairwise differences."""
    out = {}
    pts = d.point_names
    for o in d.outputs:
        wide = per_rep.pivot_table(index=["point", "replication"], columns="variant",
                                   values=o.text, dropna=False)  # fmt: skip
        for v in d.subjects:
            if v in wide.columns:
                out[(v, o.text)] = _grid(wide[v], pts, d.replications)
        if d.decision is not None and o.text == d.decision.text:
            for a, b in pairs(d.subjects):
                if a in wide.columns and b in wide.columns:
                    diff = wide[a] - wide[b]
                    out[(difference_label(a, b), o.text)] = _grid(diff, pts, d.replications)
    return out


def _grid(series: pd.Series, points: list[str], n: int) -> np.ndarray:
    index = pd.MultiIndex.from_product([points, range(n)], names=["point", "replication"])
    return series.reindex(index).to_numpy(dtype=float).reshape(len(points), n)


def indices_and_noise(d: Design, per_rep: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    plan = d.plan
    idx, noise = [], []
    for (subject, output), grid in _series(d, per_rep).items():
        with warnings.catch_warnings():  # a point where the output is missing: NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            y = np.nanmean(grid, axis=1) if grid.size else grid
        part = design.analyse(plan.method, d.space.names, d.unit, y, plan.levels, d.seed)
        idx.append(part.assign(subject=subject, output=output))
        noise.append({"subject": subject, "output": output, **design.noise_share(grid)})
    cols = ["subject", "output", *design.COLUMNS]
    indices = pd.concat(idx, ignore_index=True)[cols] if idx else pd.DataFrame(columns=cols)
    return indices, pd.DataFrame(noise)


def decisions(d: Design, table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``robustness`` (one row per variant) and ``rules`` (one row per pair)."""
    if d.decision is None:
        return pd.DataFrame(), pd.DataFrame()
    wide = outcome_matrix(table, d.decision.text, d.subjects)
    lower = bool(d.decision.lower_is_better)
    inputs = pd.DataFrame(d.values, index=d.point_names)
    return robustness(wide, d.decision.text, lower), flip_rules(wide, inputs, lower)
