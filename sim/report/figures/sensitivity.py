"""A sensitivity study's figures: Morris screening, Sobol' indices, robust decisions.

Each takes a ``sim.sensitivity.Sensitivity`` (``load_sensitivity(folder)`` or what
``sim.sensitivity(...)`` returns). Drawn from a study's own tables, so they are not in
the package's ``SUBJECTS`` of figures drawn from ``Results``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from ...stats.catalogue import label
from ..geography import NoData
from .common import ReportFigure, colours_for, error_lengths, percent_axis, styled

__all__ = ["morris_screening", "probability_best", "regret_bars", "sobol_indices"]

MAX_PANELS = 6
PER_ROW = 3
LABELLED = 4  # inputs named in a Morris panel: the largest mu*, if at least a tenth of the top


def _label(output: str) -> str:
    return output if "(" in output else label(output)


def _indices(s: Any, statistic: str, subject: str | None) -> tuple[pd.DataFrame, str]:
    idx = s.indices
    if idx is None or idx.empty or statistic not in set(idx["statistic"]):
        raise NoData(f"the study has no {statistic} indices")
    subject = subject or s.manifest["variants"][0]
    mine = idx[idx["subject"] == subject]
    if mine.empty:
        raise NoData(f"no indices for {subject!r}")
    return mine, subject


def _panels(n: int, width: float = 4.6, height: float = 3.6):
    """Up to ``PER_ROW`` panels a row; the unused ones of the last row hidden."""
    cols, rows = min(n, PER_ROW), -(-n // PER_ROW)
    fig = ReportFigure(figsize=(width * cols, height * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n]


@styled
def morris_screening(s: Any, *, subject: str | None = None) -> Figure:
    """Morris mu* (mean absolute effect over an input's range) against sigma (interaction or
    non-linearity), one panel per output: inputs far from the origin matter."""
    idx, subject = _indices(s, "mu_star", subject)
    outputs = list(dict.fromkeys(idx["output"]))[:MAX_PANELS]
    fig, axes = _panels(len(outputs))
    for ax, out in zip(axes, outputs, strict=True):
        part = idx[idx["output"] == out].pivot(index="input", columns="statistic", values="value")
        ax.scatter(part["mu_star"], part["sigma"], s=22, color="#1a5490", zorder=3)
        top = part["mu_star"].nlargest(LABELLED)
        for name in top[top >= 0.1 * top.max()].index:
            ax.annotate(name, (part.at[name, "mu_star"], part.at[name, "sigma"]), fontsize=7,
                        xytext=(3, 3), textcoords="offset points")  # fmt: skip
        lim = float(np.nanmax(part[["mu_star", "sigma"]].to_numpy())) if len(part) else 1.0
        ax.plot([0, lim], [0, lim], ls=":", color="#999", lw=0.8)  # sigma = mu*: interactions
        ax.set_xlabel("mu* (effect over the range)")
        ax.set_ylabel("sigma")
        percent_axis(ax, out, "x")
        percent_axis(ax, out, "y")
        ax.set_title(_label(out), fontsize=9)
    fig.suptitle(f"Morris screening: {subject}")
    return fig


@styled
def sobol_indices(s: Any, *, subject: str | None = None) -> Figure:
    """Sobol' first-order and total indices with their 95% bootstrap intervals, one panel
    per output; a total index well above the first-order one means interactions."""
    idx, subject = _indices(s, "ST", subject)
    outputs = list(dict.fromkeys(idx["output"]))[:MAX_PANELS]
    fig, axes = _panels(len(outputs), height=max(2.6, 0.35 * len(set(idx["input"])) + 1.2))
    for ax, out in zip(axes, outputs, strict=True):
        part = idx[idx["output"] == out]
        names = list(dict.fromkeys(part["input"]))
        y = np.arange(len(names))
        for k, (stat, colour) in enumerate((("S1", "#8fb3d9"), ("ST", "#1a5490"))):
            rows = part[part["statistic"] == stat].set_index("input").loc[names]
            m = rows["value"].to_numpy(float)
            err = error_lengths(m, rows["ci95_low"].to_numpy(float),
                                rows["ci95_high"].to_numpy(float))  # fmt: skip
            ax.barh(y + (k - 0.5) * 0.38, m, height=0.38, color=colour, label=stat,
                    xerr=err, error_kw={"elinewidth": 0.8, "capsize": 2})  # fmt: skip
        ax.set_yticks(y, names)
        ax.invert_yaxis()
        ax.axvline(0, color="#555", lw=0.6)
        ax.set_xlabel("share of the output's variance")
        ax.set_title(_label(out), fontsize=9)
        ax.legend(loc="lower right")
    fig.suptitle(f"Sobol' indices: {subject}")
    return fig


def _robust(s: Any) -> pd.DataFrame:
    r = s.robustness
    if r is None or r.empty:
        raise NoData("the study's base is not a compare file, so it ranks no variants")
    return r


@styled
def probability_best(s: Any) -> Figure:
    """Each variant's probability of being best on the decision indicator over the
    sampled inputs."""
    r = _robust(s)
    fig = ReportFigure(figsize=(5.5, 0.4 * len(r) + 1.4), layout="constrained")
    ax = fig.subplots()
    colours = colours_for(list(r["variant"]))
    ax.barh(r["variant"], r["prob_best"], color=[colours[v] for v in r["variant"]])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(f"probability best ({r['better'].iloc[0]} {_label(r['indicator'].iloc[0])})")
    return fig


@styled
def regret_bars(s: Any) -> Figure:
    """How much worse than the best each variant is over the sampled inputs: median (bar)
    and 90th percentile (tick), in the indicator's units."""
    r = _robust(s)
    fig = ReportFigure(figsize=(5.5, 0.4 * len(r) + 1.4), layout="constrained")
    ax = fig.subplots()
    colours = colours_for(list(r["variant"]))
    y = np.arange(len(r))
    ax.barh(y, r["regret_median"], color=[colours[v] for v in r["variant"]], label="median")
    ax.scatter(r["regret_p90"], y, marker="|", s=200, color="#222", label="p90", zorder=3)
    ax.set_yticks(y, list(r["variant"]))
    ax.invert_yaxis()
    ax.set_xlabel(f"regret: {_label(r['indicator'].iloc[0])}, worse than the best by")
    percent_axis(ax, r["indicator"].iloc[0], "x")
    ax.legend(loc="lower right")
    return fig
