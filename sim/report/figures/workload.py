"""Where the hours and the incidents go: officer workload, backlog, discovery, the ranking."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from ...experiment.results import Results
from ...stats import backlog_series
from ..geography import NoData
from ..tables import by_variant, monthly_ranking, ranking_summary
from .common import (
    NO_RECORDS,
    ReportFigure,
    bounded,
    chosen_variants,
    colours_for,
    error_lengths,
    rows_per_panel,
    styled,
    unit_names,
)
from .keys import ACTIVITY_BARS, CHANNELS

# the figures of this subject, exported by ``sim.report.figures``
__all__ = ["workload_by_unit", "backlog", "discovery_channels", "monthly_ranking_chart"]

_ROW = 0.27  # one unit's row in the workload figure (inches)


@styled
def workload_by_unit(
    results: Results,
    *,
    variants: Iterable[str] | None = None,
    folder: str | Path | None = None,
    busiest: int | None = None,
    titles: Mapping[str, Mapping[str, str]] | None = None,
) -> Figure:
    """Where officers' hours go, for the busiest units (most working hours per officer:
    the ``busiest`` of each variant, by default as many as fit in ``MAX_FIGURE_INCHES``):
    the left panel shows how much of the day is idle (often most of it), the right zooms
    in on the working hours that the left panel squeezes into a sliver. The report's
    table has every unit. Units are named as people call them (see ``response_by_unit``)."""
    vs = chosen_variants(results, variants)
    off = results.officers
    if off.empty:
        raise NoData(NO_RECORDS)
    off = off[off["variant"].isin(vs)]
    cols = [c for c, _, _ in ACTIVITY_BARS]
    hours = off.groupby(["variant", "unit"], observed=True, sort=True)[cols].mean()
    present = [v for v in vs if v in hours.index.get_level_values(0)]
    used = [a for a in ACTIVITY_BARS if a[0] == "idle_hours" or hours[a[0]].sum() > 0]
    working = [c for c in cols if c != "idle_hours"]
    per = busiest or rows_per_panel(len(present), row=_ROW, panel=0.45, fixed=1.6)
    tables = {}
    for v in present:
        h = hours.loc[v]
        tables[v] = h.loc[h[working].sum(axis=1).sort_values(ascending=False).index[:per]]
    heights = [len(tables[v]) for v in present]
    fig = ReportFigure(
        figsize=(10.0, bounded(1.6 + _ROW * sum(heights) + 0.45 * len(present))),
        layout="constrained",
    )
    axes = fig.subplots(
        len(present), 2, sharex="col", sharey="row", height_ratios=heights,
        width_ratios=[1, 1.3], squeeze=False,
    )  # fmt: skip
    for (left, right), v in zip(axes, present, strict=True):
        h = tables[v]
        y = np.arange(len(h))
        total = h.sum(axis=1).to_numpy()
        start_share = np.zeros(len(h))
        start_hours = np.zeros(len(h))
        for col, name, colour in used:
            x = h[col].to_numpy()
            left.barh(y, x / total, left=start_share, color=colour, height=0.7, label=name)
            start_share += x / total
            if col != "idle_hours":
                right.barh(y, x, left=start_hours, color=colour, height=0.7)
                start_hours += x
        named = unit_names(results, v, folder, titles)
        left.set_yticks(y, [named.get(str(u), str(u)) for u in h.index])
        left.set_ylim(len(h) - 0.5, -0.5)
        left.set_xlim(0, 1)
        for ax in (left, right):
            ax.grid(axis="y", visible=False)
        n_units = len(hours.loc[v])
        cut = f"busiest {len(h)} of {n_units} units" if len(h) < n_units else ""
        head = ": ".join(x for x in (v if len(present) > 1 else "", cut) if x)
        if head:
            left.set_title(head, loc="left", fontsize=9, fontweight="bold")
    axes[-1, 0].xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes[-1, 0].set_xlabel("share of duty and overtime hours (%)")
    axes[-1, 1].set_xlabel("working hours per officer, idle left out (h)")
    handles = [Patch(color=c, label=n) for _, n, c in used]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))
    fig.suptitle("Officer workload by unit (mean per officer over the measured window)")
    return fig


# ------------------------------------------------------------------------------- backlog


@styled
def backlog(
    results: Results,
    *,
    variants: Iterable[str] | None = None,
    step_hours: float = 1.0,
    smooth_days: float = 7.0,
) -> Figure:
    """Reports waiting for a team, averaged over replications and smoothed over
    ``smooth_days``: sampled hourly, not daily, because with office hours a count taken
    at one clock time would show only the overnight queue."""
    vs = chosen_variants(results, variants)
    if results.incidents.empty:
        raise NoData(NO_RECORDS)
    colours = colours_for(results.variants)
    fig = ReportFigure(figsize=(8.0, 3.8), layout="constrained")
    ax = fig.subplots()
    warmup = float(results.scenarios[vs[0]]["warmup_days"])
    ax.axvspan(0, warmup, color="0.92", label="warm-up (not in the indicators)", lw=0)
    drawn = 0
    for v in vs:
        inc = results.incidents[results.incidents["variant"] == v]
        if inc.empty:
            continue
        horizon = float(results.scenarios[v]["horizon_days"]) * 24
        series = backlog_series(inc, horizon, step_hours)
        mean = series.groupby("t_h")["waiting"].mean()
        window = max(1, round(smooth_days * 24 / step_hours))
        smooth = mean.rolling(window, center=True, min_periods=1).mean()
        ax.plot(smooth.index / 24, smooth.to_numpy(), color=colours[v], lw=1.5, label=v)
        drawn += 1
    if not drawn:
        raise NoData("no incidents for the chosen variants")
    ax.set_xlim(0, float(results.scenarios[vs[0]]["horizon_days"]))
    ax.set_ylim(bottom=0)
    ax.set_xlabel("time since the start of the run (days)")
    ax.set_ylabel(f"reports waiting for a team\n({smooth_days:g}-day mean)")
    ax.set_title("Backlog over time (mean over replications)")
    ax.legend(loc="upper right", ncols=min(3, drawn + 1))
    return fig


# ----------------------------------------------------------------------------- discovery


@styled
def discovery_channels(results: Results, *, variants: Iterable[str] | None = None) -> Figure:
    """Which channel found the incidents that were found, and how many were never found:
    drawn from ``summary`` (means over replications), so sweeps have it too."""
    vs = chosen_variants(results, variants)
    names = [f"share_found_{c}" for c, _, _ in CHANNELS]
    s = by_variant(results, "all", [*names, "share_undiscovered"], vs)
    if s.empty:
        raise NoData("no discovery indicators in the summary")
    wide = s.pivot(index="variant", columns="indicator", values="mean").reindex(vs)
    und = s[s["indicator"] == "share_undiscovered"].set_index("variant").reindex(vs)
    fig = ReportFigure(figsize=(9.0, bounded(1.9 + 0.42 * len(vs))), layout="constrained")
    left, right = fig.subplots(1, 2, sharey=True, width_ratios=[3, 1.2])
    y = np.arange(len(vs))
    start = np.zeros(len(vs))
    for (_, name, colour), ind in zip(CHANNELS, names, strict=True):
        x = wide.get(ind, pd.Series(np.nan, index=vs)).fillna(0.0).to_numpy()
        left.barh(y, x, left=start, color=colour, height=0.65, label=name)
        for k in np.flatnonzero(x >= 0.06):
            left.text(
                start[k] + x[k] / 2, y[k], f"{x[k]:.0%}", ha="center", va="center",
                fontsize=7.5, color="white", fontweight="bold",
            )  # fmt: skip
        start += x
    left.set_yticks(y, vs)
    left.set_ylim(len(vs) - 0.5, -0.5)
    left.set_xlim(0, 1)
    left.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    left.set_xlabel("share of discovered incidents (%)")
    left.set_title("Found first by")
    left.grid(axis="y", visible=False)
    m = und["mean"].to_numpy(dtype=float)
    right.barh(y, m, color="0.6", height=0.65)
    low, high = und["ci95_low"].to_numpy(float), und["ci95_high"].to_numpy(float)
    right.errorbar(m, y, xerr=error_lengths(m, low, high), fmt="none", ecolor="black",
                   elinewidth=1, capsize=2.5)  # fmt: skip
    right.set_xlim(
        0, max(0.05, float(np.nanmax(und["ci95_high"].to_numpy(float), initial=0))) * 1.15
    )
    right.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    right.set_xlabel("share of all incidents (%)")
    right.set_title("Never discovered (95% interval)")
    right.grid(axis="y", visible=False)
    fig.legend(loc="outside lower center", ncols=len(CHANNELS))
    fig.suptitle("Discovery channels (means over replications, after the warm-up)")
    return fig


# ------------------------------------------------------------------------------- ranking


@styled
def monthly_ranking_chart(
    results: Results,
    *,
    variant: str | None = None,
    max_townships: int = 30,
    folder: str | Path | None = None,
) -> Figure:
    """The monthly township ranking (the article's second proposal; see docs/model.md) as
    a grid of ranks, best first, beside each township's monthly pollution-hours; the score
    is explained in ``sim.report.tables.monthly_ranking``. Above ``max_townships`` only the
    best and worst halves are drawn (the report's table has them all). ``folder`` finds the
    region CSV, so townships without incidents are ranked too (see ``township_map``)."""
    variant = chosen_variants(results, [variant] if variant else None)[0]
    if results.incidents.empty:
        raise NoData(NO_RECORDS)
    monthly = monthly_ranking(results, variant, folder)
    if monthly.empty:
        raise NoData("the measured window is shorter than one 30-day month")
    summary = ranking_summary(monthly)
    n_towns = len(summary)
    cut = n_towns > max_townships
    shown = (
        pd.concat([summary.head(max_townships // 2), summary.tail(max_townships // 2)])
        if cut
        else summary
    )
    months = sorted(monthly["month"].unique())
    ranks = monthly.pivot(index="township", columns="month", values="rank").reindex(
        shown["township"]
    )
    many_counties = summary["county"].nunique() > 1
    names = [
        f"{t} ({c})" if many_counties and not t.endswith(f"({c})") else t
        for t, c in zip(shown["township"], shown["county"], strict=True)
    ]
    fig = ReportFigure(
        figsize=(min(3.2 + 0.45 * len(months), 10.0) + 3.4, 1.7 + 0.25 * len(shown)),
        layout="constrained",
    )
    grid, bars = fig.subplots(1, 2, sharey=True, width_ratios=[max(2.0, 0.45 * len(months)), 2.4])
    cmap = mpl.colormaps["RdYlGn_r"]
    norm = Normalize(1, max(2, n_towns))
    grid.imshow(ranks.to_numpy(dtype=float), cmap=cmap, norm=norm, aspect="auto")
    for i, row in enumerate(ranks.to_numpy()):
        for j, r in enumerate(row):
            shade = cmap(norm(r))
            dark = 0.299 * shade[0] + 0.587 * shade[1] + 0.114 * shade[2] < 0.5
            grid.text(
                j, i, f"{int(r)}", ha="center", va="center", fontsize=7,
                color="white" if dark else "black",
            )  # fmt: skip
    grid.set_xticks(range(len(months)), [str(m) for m in months])
    grid.set_yticks(range(len(shown)), names)
    grid.set_xlabel("month after the warm-up (30 days each)")
    grid.set_title("Rank each month (1 = fewest pollution-hours)")
    grid.grid(False)
    grid.spines[:].set_visible(False)
    if cut:
        grid.axhline(max_townships // 2 - 0.5, color="black", lw=1.5)
        bars.axhline(max_townships // 2 - 0.5, color="black", lw=1.5)
    y = np.arange(len(shown))
    bars.barh(y, shown["pollution_hours_per_month"], color="#b2182b", height=0.65)
    bars.set_xlabel("pollution-hours per month, mean (h)")
    bars.set_title("Monthly pollution-hours")
    bars.grid(axis="y", visible=False)
    title = "Monthly township ranking"
    if len(results.variants) > 1:
        title += f" — {variant}"
    if cut:
        title += f" (best and worst {max_townships // 2} of {n_towns} townships)"
    fig.suptitle(title)
    return fig
