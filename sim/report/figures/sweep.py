"""A sweep's headline indicators against each swept parameter."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ...experiment.results import Results
from ...stats import t_interval
from ...stats.catalogue import CATALOGUE, SWEEP_FIGURE, is_share, label
from ..geography import NoData
from .common import ReportFigure, error_lengths, percent_axis, styled

# the figures of this subject, exported by ``sim.report.figures``
__all__ = ["sweep_effects", "sweep_parameters"]


def _short(path: str) -> str:
    """A dotted parameter path by its last two parts: enough to tell parameters apart."""
    return ".".join(path.split(".")[-2:])


def _wrap(text: str, width: int = 30) -> str:
    return "\n".join(textwrap.wrap(text, width))


def sweep_parameters(results: Results) -> list[str]:
    """The swept parameters: the sweep table's columns that are neither keys nor indicators."""
    known = set(results.summary["indicator"]) | set(CATALOGUE) if len(results.summary) else set()
    return [
        c
        for c in results.sweep.columns
        if c not in ("point", "variant", "replication") and c not in known
    ]


@styled
def sweep_effects(results: Results, *, indicators: Sequence[str] = SWEEP_FIGURE) -> Figure:
    """Headline indicators against each swept parameter (mean and 95% interval per point).

    On a grid, the points that share the other parameters' values are joined, so an
    interaction shows as lines that are not parallel; a Latin hypercube gives a cloud.
    """
    sw = results.sweep
    if sw.empty:
        raise NoData("these results are not from a sweep")
    params = sweep_parameters(results)
    indicators = [i for i in indicators if i in sw.columns]
    if not params or not indicators:
        raise NoData("the sweep table has no parameter or indicator columns")
    rows = []
    for point, part in sw.groupby("point", sort=False):
        row: dict[str, Any] = {"point": point, **{p: part[p].iloc[0] for p in params}}
        for ind in indicators:
            row[ind], row[f"{ind}_low"], row[f"{ind}_high"] = t_interval(part[ind].to_numpy())
        rows.append(row)
    points = pd.DataFrame(rows)
    fig = ReportFigure(
        figsize=(3.7 * len(params) + 1.0, 2.5 * len(indicators) + 1.0), layout="constrained"
    )
    axes = fig.subplots(len(indicators), len(params), sharex="col", squeeze=False)
    palette = mpl.colormaps["tab10"].colors
    for j, p in enumerate(params):
        numeric = pd.api.types.is_numeric_dtype(points[p]) and not pd.api.types.is_bool_dtype(
            points[p]
        )
        cats = sorted(points[p].astype(str).unique())
        x_of = (
            points[p].astype(float)
            if numeric
            else points[p].astype(str).map({c: k for k, c in enumerate(cats)})
        )
        others = [q for q in params if q != p]
        groups = list(points.groupby(others, sort=True)) if others else [((), points)]
        joined = len(groups) <= 8 and all(
            len(g) >= 2 and x_of[g.index].is_unique for _, g in groups
        )
        if not joined:
            groups = [((), points)]
        # groups side by side, not on top of each other, where their values coincide
        spread = float(np.ptp(x_of)) or 1.0
        dodge = 0.012 * spread
        for i, ind in enumerate(indicators):
            ax = axes[i, j]
            for k, (key, g) in enumerate(groups):
                shift = (k - (len(groups) - 1) / 2) * dodge
                g = g.assign(_x=x_of[g.index] + shift).sort_values("_x")
                key = key if isinstance(key, tuple) else (key,)
                name = ", ".join(f"{_short(q)} = {val}" for q, val in
                                 zip(others, key, strict=False)) or None  # fmt: skip
                m = g[ind].to_numpy(dtype=float)
                ax.errorbar(
                    g["_x"], m,
                    yerr=error_lengths(m, g[f"{ind}_low"].to_numpy(float),
                                 g[f"{ind}_high"].to_numpy(float)),
                    fmt="o-" if joined else "o", ms=4, lw=1.2, capsize=2.5,
                    color=palette[k % len(palette)], label=name if joined else None,
                )  # fmt: skip
            percent_axis(ax, ind, "y")
            if is_share(ind):
                lo, hi = ax.get_ylim()
                ax.set_ylim(max(lo, -0.02), min(hi, 1.02))
            if j == 0:
                ax.set_ylabel(_wrap(label(ind), 26))
        if joined and len(groups) > 1:
            axes[0, j].legend(
                loc="lower center", bbox_to_anchor=(0.5, 1.02), ncols=2, fontsize=7,
                frameon=False,
            )  # fmt: skip
        axes[-1, j].set_xlabel(_wrap(p, 40))
        if not numeric:
            axes[-1, j].set_xticks(range(len(cats)), cats)
        elif pd.api.types.is_integer_dtype(points[p]):
            axes[-1, j].xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.suptitle("Sweep: headline indicators against each parameter (mean, 95% interval)")
    return fig
