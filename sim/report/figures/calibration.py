"""A calibration's figures: the accepted region, wave by wave, and the fit at the best point.

Each takes a ``sim.calibration.Calibration`` (``load_calibration(folder)`` or what
``sim.calibrate(...)`` returns). Drawn from a calibration's own tables, so they are not in
the package's ``SUBJECTS`` of figures drawn from ``Results``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ...experiment.folder import make_folder, write_file
from ..geography import NoData
from .common import ReportFigure, styled

__all__ = ["accepted_pairs", "accepted_region", "calibration_fit"]

ACCEPTED, RULED_OUT, BEST = "#1a5490", "#bbbbbb", "#d62728"
WAVES = ("#9ecae1", "#4292c6", "#1a5490", "#08306b", "#041a3d")  # later waves darker
MAX_PAIRS = 6


@styled
def accepted_region(c: Any) -> Figure:
    """Every point's input values by wave (one panel per input): ruled out in grey,
    accepted (implausibility at most the cut-off) in blue, the best point in red. The
    accepted values shrinking wave by wave is the region the published figures allow."""
    table = c.calibration
    if table is None or table.empty:
        raise NoData("the calibration ran no point")
    inputs = c.inputs
    fig = ReportFigure(figsize=(4.2 * len(inputs), 1.5 + 0.6 * table["wave"].max()),
                       layout="constrained")  # fmt: skip
    axes = fig.subplots(1, len(inputs), squeeze=False, sharey=True)[0]
    jitter = np.random.default_rng(0).uniform(-0.18, 0.18, len(table))
    y = table["wave"].to_numpy() + jitter
    acc = table["accepted"].to_numpy(dtype=bool)
    best = table["best"].to_numpy(dtype=bool)
    for ax, name in zip(axes, inputs, strict=True):
        x = table[name].to_numpy(dtype=float)
        ax.scatter(x[~acc], y[~acc], s=12, color=RULED_OUT, label="ruled out")
        ax.scatter(x[acc], y[acc], s=14, color=ACCEPTED, label="accepted")
        ax.scatter(x[best], y[best], s=70, marker="*", color=BEST, zorder=4, label="best")
        ax.set_xlabel(name)
        ax.grid(axis="y", visible=False)
    axes[0].set_ylabel("wave")
    waves = sorted(set(table["wave"]))
    axes[0].set_yticks(waves)
    axes[0].invert_yaxis()
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=3,
               frameon=False)  # fmt: skip
    fig.suptitle(f"Calibration: points with implausibility <= {_cutoff(c):g} are accepted")
    return fig


@styled
def accepted_pairs(c: Any) -> Figure:
    """Every pair of inputs: the points ruled out (grey) and accepted (coloured by wave),
    the best point as a star. A diagonal band of accepted points is a ridge: the targets
    fix a combination of the two inputs, not each one."""
    table, inputs = c.calibration, c.inputs
    if table is None or table.empty or len(inputs) < 2:
        raise NoData("a pairwise view needs at least two inputs")
    pairs = [(a, b) for i, a in enumerate(inputs) for b in inputs[i + 1 :]][:MAX_PAIRS]
    fig = ReportFigure(figsize=(3.6 * len(pairs), 3.6), layout="constrained")
    axes = fig.subplots(1, len(pairs), squeeze=False)[0]
    acc = table["accepted"].to_numpy(dtype=bool)
    best = table["best"].to_numpy(dtype=bool)
    waves = sorted(set(table["wave"]))
    shades = {w: WAVES[min(k, len(WAVES) - 1)] for k, w in enumerate(waves)}
    for ax, (a, b) in zip(axes, pairs, strict=True):
        x, y = table[a].to_numpy(dtype=float), table[b].to_numpy(dtype=float)
        ax.scatter(x[~acc], y[~acc], s=10, color=RULED_OUT, label="ruled out")
        for w in waves:
            mine = acc & (table["wave"].to_numpy() == w)
            ax.scatter(x[mine], y[mine], s=14, color=shades[w], label=f"accepted, wave {w}")
        ax.scatter(x[best], y[best], s=80, marker="*", color=BEST, zorder=4, label="best")
        ax.set_xlabel(a)
        ax.set_ylabel(b)
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center",
               ncols=len(waves) + 2, frameon=False)  # fmt: skip
    fig.suptitle(f"Accepted region (implausibility <= {_cutoff(c):g}), input against input")
    return fig


def _cutoff(c: Any) -> float:
    return float(c.plan.get("method", {}).get("cutoff", 3.0))


@styled
def calibration_fit(c: Any) -> Figure:
    """Each target's published value and band against the simulated mean and 95% interval
    at the best point, as a share of the published value."""
    fit = c.fit
    if fit is None or fit.empty:
        raise NoData("the calibration has no fit table")
    fig = ReportFigure(figsize=(6.0, 1.6 + 0.5 * len(fit)), layout="constrained")
    ax = fig.subplots()
    k = np.arange(len(fit))
    pub = fit["published"].to_numpy(dtype=float)
    for i, r in enumerate(fit.itertuples()):
        ax.plot([r.band_low / r.published, r.band_high / r.published], [i, i], lw=6,
                color="#dddddd", solid_capstyle="butt")  # fmt: skip
    sim = fit["simulated"].to_numpy(dtype=float) / pub
    lo = fit["ci95_low"].to_numpy(dtype=float) / pub
    hi = fit["ci95_high"].to_numpy(dtype=float) / pub
    err = np.nan_to_num(np.vstack([sim - lo, hi - sim]), nan=0.0)
    ax.errorbar(sim, k, xerr=err, fmt="o", color=ACCEPTED, capsize=3, label="simulated (95%)")
    ax.axvline(1.0, color="black", lw=0.8, label="published")
    ax.set_yticks(k, fit["target"].tolist())
    ax.invert_yaxis()
    ax.set_xlabel("value / published (grey: published band)")
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=2,
               frameon=False)  # fmt: skip
    reps = int(fit["replications"].min())
    ax.set_title(f"Fit at the best point ({reps} replications)")
    return fig


def write_calibration_figures(c: Any, folder: Path) -> list[Path]:
    """The figures as PNG in ``folder``; a figure without data is skipped."""
    folder = make_folder(Path(folder))
    written = []
    figures = (("calibration", accepted_region), ("calibration_pairs", accepted_pairs),
               ("calibration_fit", calibration_fit))  # fmt: skip
    for name, draw in figures:
        try:
            fig = draw(c)
        except NoData:
            continue
        path = folder / f"{name}.png"
        write_file(path, lambda p, fig=fig: fig.savefig(p, format="png", dpi=130))
        written.append(path)
    return written
