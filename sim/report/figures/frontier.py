"""The cost-response figure of a frontier (``sim.frontier.frontier``), in the house style.

Every point of the lever grid at its annual cost and its first target's statistic (with
the 95% interval), filled where every target holds and hollow where one fails; the
non-dominated points joined as a step line (cost buys response only along it) and the
cheapest point meeting every target ringed. Not one of ``SUBJECTS``: it is drawn from a
``FrontierResult``, not from ``Results``.
"""

from __future__ import annotations

import re

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ...frontier.run import FrontierResult
from ...stats.catalogue import QUANTITIES
from .common import HALO, ReportFigure, styled

__all__ = ["cost_response"]

LOG_SPAN = 25.0  # max / min of the statistic above which its axis is logarithmic
MET, UNMET, FRONTIER = "#2ca02c", "#d62728", "0.2"


@styled
def cost_response(result: FrontierResult) -> Figure:
    """Annual cost (million yuan) against the first target's statistic, per point."""
    pts = result.points
    fig = ReportFigure(figsize=(7.0, 4.6), layout="constrained")
    ax = fig.add_subplot()
    x = pts["annual_cost_yuan"].to_numpy(dtype=float) / 1e6
    y = pts["t1_estimate"].to_numpy(dtype=float)
    low = pts["t1_ci95_low"].to_numpy(dtype=float)
    high = pts["t1_ci95_high"].to_numpy(dtype=float)
    met = pts["all_met"].to_numpy(dtype=bool)
    for mask, colour, face in ((met, MET, MET), (~met, UNMET, "white")):
        if not mask.any():
            continue
        err = np.vstack([np.clip(y - low, 0, None), np.clip(high - y, 0, None)])[:, mask]
        ax.errorbar(x[mask], y[mask], yerr=np.nan_to_num(err), fmt="none", ecolor=colour,
                    alpha=0.35, lw=0.8)  # fmt: skip
        ax.scatter(x[mask], y[mask], s=26, facecolors=face, edgecolors=colour, zorder=3)
    front = result.frontier
    if len(front):
        fx = front["annual_cost_yuan"].to_numpy(dtype=float) / 1e6
        fy = front["t1_estimate"].to_numpy(dtype=float)
        ax.step(fx, fy, where="post", color=FRONTIER, lw=1.2, zorder=2)
    best = result.cheapest
    if best is not None:
        bx, by = best["annual_cost_yuan"] / 1e6, best["t1_estimate"]
        ax.scatter([bx], [by], s=140, facecolors="none", edgecolors="black", lw=1.2, zorder=4)
        ax.annotate(f"cheapest meeting all: {best['point']}", (bx, by), xytext=(8, 8),
                    textcoords="offset points", fontsize=8, path_effects=HALO)  # fmt: skip
    limit = _first_limit(result.targets[0])
    if limit is not None:
        ax.axhline(limit, color="0.4", ls="--", lw=0.9)
    finite = y[np.isfinite(y) & (y > 0)]
    log = bool(len(finite) and finite.max() / finite.min() > LOG_SPAN)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("annual cost (million yuan)")
    unit = _unit(result.targets[0])
    ax.set_ylabel(result.labels[0] + (f" ({unit}{', log scale' if log else ''})" if unit else ""))
    ax.set_title(f"Cost and response: {len(pts)} points, {int(met.sum())} meet every target")
    ax.legend(
        handles=[
            Line2D([], [], ls="", marker="o", color=MET, label="every target met"),
            Line2D([], [], ls="", marker="o", mfc="white", color=UNMET, label="a target missed"),
            Line2D([], [], color=FRONTIER, label="frontier (non-dominated)"),
            Line2D([], [], color="0.4", ls="--", label=f"limit: {result.targets[0]}"),
        ],
        loc="best",
    )
    return fig


def _unit(text: str) -> str:
    """The unit of a target's quantity, from the indicator catalogue ("" if none)."""
    m = re.search(r"\(\s*([A-Za-z_]\w*)", text)
    quantity = QUANTITIES.get(m.group(1)) if m else None
    return quantity.unit if quantity else ""


def _first_limit(text: str) -> float | None:
    """The number after the comparison of a target as written."""
    for op in ("<=", ">=", "<", ">"):
        if op in text:
            try:
                return float(text.rsplit(op, 1)[1])
            except ValueError:
                return None
    return None
