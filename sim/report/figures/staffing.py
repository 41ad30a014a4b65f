"""Figures for a staffing search (``sim.staffing.staff``), in the house style.

Each function takes a ``Staffing`` (``sim.staffing.load_staffing(folder)``) and
returns a matplotlib ``Figure``. The target's estimates at few officers can be
hundreds of hours (reports still waiting at the end count with their wait), so
value axes turn logarithmic when the values span more than ``LOG_SPAN``: on a
linear axis the interesting part, near the limit, would be a flat line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, MaxNLocator, NullFormatter

from ...staffing.results import Staffing
from ...stats.catalogue import QUANTITIES
from ..geography import NoData
from .common import HALO, ReportFigure, colours_for, error_lengths, styled
from .keys import MODEL_MARKERS

# the figures of this subject, exported by ``sim.report.figures``
__all__ = ["staffing_curves", "allocation_gains", "staffing_needed", "value_label"]

LOG_SPAN = 25.0  # max / min of the values above which a value axis is logarithmic
_LOG_TICKS = (0.1, 0.25, 0.5, 1, 2, 4, 8, 12, 24, 48, 72, 168, 336, 720, 1440, 2160, 4320, 8760)
_NOW = "0.45"
_CURVE_COLUMNS = ["model", "county", "officers", "estimate", "ci95_low", "ci95_high"]


def target_unit(staffing: Staffing) -> str:
    """The unit of the target's quantity, from the indicator catalogue ("" if it has none)."""
    m = re.search(r"\(\s*([A-Za-z_]\w*)", staffing.target)
    quantity = QUANTITIES.get(m.group(1)) if m else None
    return quantity.unit if quantity else ""


def _first(staffing: Staffing) -> str:
    """The first target as written (the one the curves show), noting any others."""
    texts = list(staffing.manifest.get("targets") or [staffing.target])
    more = len(texts) - 1
    return texts[0] + (f" (and {more} more target{'s' if more > 1 else ''})" if more else "")


def value_label(staffing: Staffing, prefix: str = "", log: bool = False) -> str:
    """The target's label with its unit and the scale if logarithmic."""
    notes = [u for u in (target_unit(staffing), "log scale" if log else "") if u]
    return f"{prefix}{staffing.label}" + (f" ({', '.join(notes)})" if notes else "")


def _present(staffing: Staffing) -> list[str]:
    """The search's models in its order."""
    return list(dict.fromkeys(staffing.table["model"].astype(str)))


def _models(staffing: Staffing, models: Iterable[str] | None = None) -> list[str]:
    present = _present(staffing)
    chosen = present if models is None else list(models)
    unknown = [m for m in chosen if m not in present]
    if unknown:
        raise ValueError(f"unknown model(s) {unknown}; the search has {present}")
    return chosen


def _marker(model: str) -> str:
    return MODEL_MARKERS.get(model, ("o", model))[0]


def _log_y(ax: Any, values: np.ndarray, limit: float) -> bool:
    """Log scale with readable hour ticks when the values span decades, else linear."""
    v = values[np.isfinite(values) & (values > 0)]
    if math.isfinite(limit) and limit > 0:
        v = np.r_[v, limit]
    if not len(v) or v.max() / v.min() <= LOG_SPAN:
        return False
    ax.set_yscale("log")
    lo, hi = v.min() / 1.3, v.max() * 1.3
    ticks = [t for t in _LOG_TICKS if lo <= t <= hi]
    axis = ax.yaxis
    axis.set_major_locator(FixedLocator(ticks))
    axis.set_major_formatter(mpl.ticker.FuncFormatter(lambda x, _: f"{x:g}"))
    axis.set_minor_formatter(NullFormatter())
    return True


def _status_note(row: Any) -> str:
    if row.status == "met":
        return f"needs {int(row.officers_needed)}"
    return str(row.status).replace("not reachable up to", "not reachable ≤")


# --------------------------------------------------------------------------------- curves


def _x_range(officers: pd.Series, rows: pd.DataFrame, now: int, most: int) -> tuple[float, float]:
    """Head counts up to half again the largest of the answers and the present count: the
    search also measures far beyond (filler probes up to the maximum), where the curve is
    flat and would squeeze the part that decides the answer into a corner."""
    x = officers.to_numpy(float)
    needed = pd.to_numeric(rows["officers_needed"], errors="coerce").to_numpy(float)
    unreachable = rows["status"].astype(str).str.startswith("not reachable").any()
    key = max([now, *needed[np.isfinite(needed)], most if unreachable else 0])
    right = max(key * 1.5, key + 5)
    lo = min([now, *x]) if len(x) else now
    hi = min(right, max([now, *x]) if len(x) else right)
    return lo - 0.8, max(hi, lo + 2) + 0.8


@styled
def staffing_curves(staffing: Staffing, models: Iterable[str] | None = None) -> Figure:
    """The target's estimate against officers, one panel per county.

    Every head count the search measured is drawn, not just the answer, so a reader
    sees how steep the curve is at the answer (one officer more or less matters) and
    how noisy it is (three replications give wide intervals, which is what makes an
    answer large: it must hold at the interval's upper end).
    """
    ms = _models(staffing, models)
    table = staffing.table[staffing.table["model"].isin(ms)]
    curves = staffing.curves.reindex(columns=_CURVE_COLUMNS)
    curves = curves[curves["model"].isin(ms) & np.isfinite(curves["estimate"].to_numpy(float))]
    counties = list(dict.fromkeys(table["county"].astype(str)))
    if not counties:
        raise NoData("the staffing table is empty")
    colours = colours_for(_present(staffing))
    most = int(staffing.manifest.get("max_officers") or 0)
    ncols = min(3, len(counties))
    nrows = math.ceil(len(counties) / ncols)
    fig = ReportFigure(figsize=(3.4 * ncols + 0.6, 2.55 * nrows + 1.3), layout="constrained")
    axes = fig.subplots(nrows, ncols, sharey=True, squeeze=False).ravel()
    values = curves[["ci95_low", "ci95_high"]].to_numpy(float).ravel()
    for ax, county in zip(axes, counties, strict=False):
        rows = table[table["county"] == county]
        now = int(rows["officers_now"].iloc[0])
        ax.axvline(now, color=_NOW, ls=":", lw=1.3, zorder=1)
        notes = []
        lo, hi = _x_range(curves.loc[curves["county"] == county, "officers"], rows, now, most)
        span = hi - lo
        for k, m in enumerate(ms):
            c = curves[(curves["model"] == m) & (curves["county"] == county)]
            shift = (k - (len(ms) - 1) / 2) * 0.006 * span  # models side by side
            if len(c):
                est = c["estimate"].to_numpy(float)
                low, high = c["ci95_low"].to_numpy(float), c["ci95_high"].to_numpy(float)
                err = error_lengths(est, low, high)
                ax.errorbar(
                    c["officers"].to_numpy(float) + shift, est, yerr=err, fmt="-",
                    marker=_marker(m), ms=3.5, lw=1.0, elinewidth=0.9, capsize=1.8,
                    color=colours[m], zorder=3,
                )  # fmt: skip
            for row in rows[rows["model"] == m].itertuples():
                notes.append((_status_note(row), colours[m]))
                if row.status == "met" and np.isfinite(row.estimate):
                    ax.plot(
                        int(row.officers_needed) + shift, row.estimate, "o", ms=10, mfc="none",
                        mec=colours[m], mew=1.6, zorder=4,
                    )  # fmt: skip
        if math.isfinite(staffing.limit):
            ax.axhline(staffing.limit, color="0.2", ls="--", lw=1, zorder=2)
        for i, (text, colour) in enumerate(notes):
            ax.annotate(
                text, xy=(0.98, 0.96), xycoords="axes fraction", xytext=(0, -10 * i),
                textcoords="offset points", ha="right", va="top", fontsize=7.5,
                color=colour, fontweight="bold", path_effects=HALO, zorder=6,
            )  # fmt: skip
        ax.set_xlim(lo, hi)
        ax.set_title(f"{county} (now {now})", fontsize=9, loc="left")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    for ax in axes[len(counties) :]:
        ax.set_visible(False)
    log = _log_y(axes[0], values, staffing.limit)
    for i, ax in enumerate(axes[: len(counties)]):
        if i % ncols == 0:
            ax.set_ylabel(value_label(staffing, log=log))
        if i + ncols >= len(counties):
            ax.set_xlabel("officers in the county")
            ax.tick_params(labelbottom=True)
    handles = [Line2D([], [], color=colours[m], marker=_marker(m), ms=5, lw=1, label=m) for m in ms]
    handles += [
        Line2D([], [], ls="", marker="o", ms=10, mfc="none", mec="0.2", mew=1.6,
               label="answer: officers needed"),
        Line2D([], [], color="0.2", ls="--", lw=1, label=f"limit {staffing.limit:g}"),
        Line2D([], [], color=_NOW, ls=":", lw=1.3, label="officers now"),
    ]  # fmt: skip
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 6))
    fig.suptitle(f"{_first(staffing)}: estimate and 95% interval against officers, per county")
    return fig


# ----------------------------------------------------------------------------- allocation


@styled
def allocation_gains(staffing: Staffing) -> Figure:
    """The frontier of the minimax allocation: the best the worst county can do with each
    city total. It falls steeply at first and then flattens (diminishing returns); the
    ring is the allocation of the total asked for, the star the first total at which
    every county meets the target."""
    alloc = staffing.allocation
    if alloc is None or alloc.empty:
        raise NoData("no allocation in this search")
    colours = colours_for(_present(staffing))
    ms = list(dict.fromkeys(alloc["model"].astype(str)))
    fig = ReportFigure(figsize=(8.0, 6.0), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[1.6, 1])
    width = 0.8 / len(ms)
    values = []
    for k, m in enumerate(ms):
        rows = alloc[alloc["model"] == m].sort_values("total_officers")
        x = rows["total_officers"].to_numpy(float)
        y = rows["worst_ci95_high"].to_numpy(float)
        values.append(y)
        met = rows[rows["all_met"].astype(bool)]
        if len(met):
            at = met.iloc[0]
            top.plot(at["total_officers"], at["worst_ci95_high"], "*", ms=14, color=colours[m],
                     mec="black", mew=0.8, zorder=5)  # fmt: skip
            name = f"{m}: every county meets it from {int(at['total_officers'])}"
        else:
            name = f"{m}: not every county meets it by {int(x.max())}"
        top.step(x, y, where="post", color=colours[m], lw=1.3, alpha=0.6)
        top.plot(x, y, _marker(m), color=colours[m], ms=4, label=name)
        chosen = rows[rows["chosen"].astype(bool)]
        if len(chosen):
            top.plot(chosen["total_officers"], chosen["worst_ci95_high"], "o", ms=13,
                     mfc="none", mec=colours[m], mew=1.8, zorder=6)  # fmt: skip
        gain = rows["gain_per_officer_h"].to_numpy(float)
        bottom.bar(x + (k - (len(ms) - 1) / 2) * width, np.nan_to_num(gain), width=width,
                   color=colours[m], label=m)  # fmt: skip
    if math.isfinite(staffing.limit):
        top.axhline(staffing.limit, color="0.2", ls="--", lw=1, label=f"limit {staffing.limit:g}")
    if alloc["all_met"].astype(bool).any():
        top.plot([], [], "*", ms=12, color="0.6", mec="black", mew=0.8,
                 label="first total where every county meets it")  # fmt: skip
    total = staffing.manifest.get("allocation_total")
    top.plot([], [], "o", ms=11, mfc="none", mec="0.3", mew=1.8,
             label=f"best allocation of {total} officers")  # fmt: skip
    log = _log_y(top, np.concatenate(values), staffing.limit)
    top.set_ylabel(value_label(staffing, "worst county's upper bound\n", log=log))
    top.set_title("Best worst county for each city total (frontier)")
    top.legend(loc="upper right")
    bottom.axhline(0, color="0.3", lw=0.8)
    unit = target_unit(staffing)
    bottom.set_ylabel("gain per officer" + (f" ({unit})" if unit else ""))
    bottom.set_xlabel("officers in the searched counties (city total)")
    bottom.set_title("Marginal gain per officer from the previous frontier point")
    bottom.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.suptitle(f"Where officers do most good: {_first(staffing)}")
    return fig


# -------------------------------------------------------------------------------- needed


@styled
def staffing_needed(staffing: Staffing) -> Figure:
    """Officers each county needs under each model beside the officers it has now; a
    county no head count up to the search's maximum satisfies gets a hatched bar to the
    maximum, since "more than N" is all the search can say."""
    table = staffing.table
    if table.empty:
        raise NoData("the staffing table is empty")
    ms = _models(staffing)
    colours = colours_for(_present(staffing))
    counties = list(dict.fromkeys(table["county"].astype(str)))
    needed = pd.to_numeric(table["officers_needed"], errors="coerce").to_numpy(float)
    most = int(staffing.manifest.get("max_officers") or np.nanmax(needed, initial=1))
    rows_per = len(ms) + 1
    band = 0.82
    h = band / rows_per
    fig = ReportFigure(figsize=(7.5, 1.4 + len(counties) * (0.15 * rows_per + 0.1)),
                       layout="constrained")  # fmt: skip
    ax = fig.subplots()
    now = table.drop_duplicates("county").set_index("county")["officers_now"]
    y0 = np.arange(len(counties)) - band / 2 + h / 2
    ax.barh(y0, now.reindex(counties).to_numpy(float), height=h * 0.92, color="0.75",
            label="officers now")  # fmt: skip
    for y, n in zip(y0, now.reindex(counties), strict=True):
        ax.annotate(f"{n}", (n, y), xytext=(3, 0), textcoords="offset points", va="center",
                    fontsize=7, color="0.3")  # fmt: skip
    for k, m in enumerate(ms):
        mine = table[table["model"] == m].set_index("county").reindex(counties)
        y = y0 + h * (k + 1)
        for yi, row in zip(y, mine.itertuples(), strict=True):
            status = str(row.status)
            if status == "met":
                n = int(row.officers_needed)
                ax.barh(yi, n, height=h * 0.92, color=colours[m])
                text, x = f"{n}", n
            elif status.startswith("not reachable"):
                ax.barh(yi, most, height=h * 0.92, color="white", edgecolor=colours[m],
                        hatch="////", lw=1.0)  # fmt: skip
                text, x = status.replace("not reachable up to", "not reachable ≤"), most
            else:
                text, x = status, 0
            ax.annotate(text, (x, yi), xytext=(3, 0), textcoords="offset points", va="center",
                        fontsize=7, color=colours[m], fontweight="bold")  # fmt: skip
    ax.set_yticks(np.arange(len(counties)), counties)
    ax.set_ylim(len(counties) - 0.5, -0.5)
    unreachable = table["status"].astype(str).str.startswith("not reachable")
    right = most if unreachable.any() else np.nanmax(np.r_[needed, now.to_numpy(float)])
    ax.set_xlim(0, right * 1.22 + 1)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("officers in the county")
    ax.set_ylabel("county")
    totals = staffing.totals.set_index("model") if len(staffing.totals) else pd.DataFrame()
    handles = [Patch(color="0.75", label=f"officers now ({int(now.sum())} in all)")]
    for m in ms:
        n = totals["officers_needed"].get(m, pd.NA) if len(totals) else pd.NA
        city = f" ({int(n)} in all)" if not pd.isna(n) else " (not every county)"
        handles.append(Patch(color=colours[m], label=f"needed: {m}{city}"))
    if unreachable.any():
        handles.append(Patch(facecolor="white", edgecolor="0.3", hatch="////",
                             label=f"not reachable up to {most}"))  # fmt: skip
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    several = len(staffing.manifest.get("targets") or ()) > 1
    what = f"all {len(staffing.manifest['targets'])} targets" if several else staffing.target
    ax.set_title(f"Officers needed for {what}, per county")
    return fig
