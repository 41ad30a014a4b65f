"""Response-time distributions: the share attended within x hours, and by county and unit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import NullFormatter, PercentFormatter

from ...experiment.results import Results
from ...stats.catalogue import higher_is_better, label
from ..geography import NoData
from ..tables import by_variant
from .common import (
    TARGET_HOURS,
    ReportFigure,
    bounded,
    chosen_variants,
    colours_for,
    interval_points,
    kept_records,
    percent_axis,
    rows_per_panel,
    styled,
    unit_names,
)

# the figures of this subject, exported by ``sim.report.figures``
__all__ = ["response_ecdf", "response_by_county", "response_by_unit"]

_XMIN_H = 0.05  # 3 minutes: the left end of log-scaled response axes
ROW_INCHES = 0.24  # one unit's row in the unit figures


@styled
def response_ecdf(
    results: Results,
    *,
    target_hours: float = TARGET_HOURS,
    variants: Iterable[str] | None = None,
) -> Figure:
    """Share of reports with a legal team on site within x hours, per variant.

    The denominator is every report, so reports still waiting at the horizon keep a
    curve below 100%. The major-incident panel is the one a "90% within 4 h" target
    is usually about: only majors call officers out off duty.
    """
    vs = chosen_variants(results, variants)
    inc = kept_records(results, vs)
    reported = inc[inc["reported_h"].notna()]
    if reported.empty:
        raise NoData("no incident was reported after the warm-up")
    panels = [("All reports", reported)]
    major = reported[reported["severity"].astype(str) == "major"]
    if len(major):
        panels.append(("Major incidents", major))
    colours = colours_for(results.variants)
    fig = ReportFigure(figsize=(5.0 * len(panels) + 0.4, 4.3), layout="constrained")
    axes = fig.subplots(1, len(panels), sharey=True, squeeze=False)[0]
    longest = 1.0
    for ax, (title, df) in zip(axes, panels, strict=True):
        for v in vs:
            mine = df[df["variant"] == v]
            if mine.empty:
                continue
            r = (mine["arrived_h"] - mine["reported_h"]).to_numpy(dtype=float)
            x = np.sort(r[np.isfinite(r)])
            within = float(np.sum(x <= target_hours)) / len(r)
            y = np.arange(1, len(x) + 1) / len(r)
            ax.step(
                np.r_[_XMIN_H, np.maximum(x, _XMIN_H)],
                np.r_[0.0, y],
                where="post",
                color=colours[v],
                lw=1.6,
                label=f"{v}: {within:.0%} within {target_hours:g} h",
            )
            if len(x):
                longest = max(longest, float(x[-1]))
        ax.axvline(target_hours, color="0.25", ls="--", lw=1)
        ax.axhline(0.9, color="0.45", ls=":", lw=1)
        ax.annotate("90%", xy=(1.0, 0.9), xycoords=("axes fraction", "data"), xytext=(-2, 2),
                    textcoords="offset points", ha="right", fontsize=7.5, color="0.35")  # fmt: skip
        ax.annotate(
            f"{target_hours:g} h target",
            xy=(target_hours, 0.02),
            xytext=(4, 0),
            textcoords="offset points",
            fontsize=8,
            color="0.25",
        )
        ax.set_xscale("log")
        right = longest * 1.4
        ax.set_xlim(_XMIN_H, right)
        ax.set_ylim(0, 1.02)
        ticks = [t for t in (0.1, 0.25, 0.5, 1, 2, 4, 8, 24, 72, 168, 720) if t <= right]
        ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_title(title)
        ax.set_xlabel("report → legal team on site (hours, log scale)")
        ax.legend(loc="upper left", title="share within the target", title_fontsize=8)
    axes[0].set_ylabel("reports attended within x hours (%)")
    fig.suptitle("Response time distribution (after the warm-up, all replications pooled)")
    return fig


def _group_table(results: Results, scope: str, indicator: str, vs: Sequence[str]) -> pd.DataFrame:
    s = by_variant(results, scope, [indicator], vs)
    s = s[np.isfinite(s["mean"].to_numpy(dtype=float))]
    if s.empty:
        raise NoData(f"no {scope} has a value of {indicator}")
    return s


@styled
def response_by_county(
    results: Results,
    *,
    indicator: str = "response_h_mean",
    variants: Iterable[str] | None = None,
) -> Figure:
    """Mean response time per county with its 95% interval over replications, variants
    side by side; the slowest county first, so the eye starts where help is needed."""
    vs = chosen_variants(results, variants)
    s = _group_table(results, "county", indicator, vs)
    order = s.groupby("group")["mean"].mean().sort_values(ascending=False).index.tolist()
    present = [v for v in vs if (s["variant"] == v).any()]
    band = 0.7
    step = band / max(1, len(present))
    colours = colours_for(results.variants)
    fig = ReportFigure(
        figsize=(7.0, bounded(1.4 + len(order) * max(0.32, 0.14 * len(present)))),
        layout="constrained",
    )
    ax = fig.subplots()
    for j, v in enumerate(present):
        mine = s[s["variant"] == v].set_index("group").reindex(order)
        y = np.arange(len(order)) - band / 2 + step * (j + 0.5)
        interval_points(ax, mine, y, colours[v], label=v)
    ax.set_yticks(np.arange(len(order)), order)
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xlim(left=0)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(label(indicator))
    percent_axis(ax, indicator, "x")
    ax.set_title(f"{label(indicator, False).capitalize()} by county (mean and 95% interval)")
    if len(present) > 1:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), title="variant",
                  title_fontsize=8)  # fmt: skip
    return fig


@styled
def response_by_unit(
    results: Results,
    *,
    indicator: str = "response_h_mean",
    variants: Iterable[str] | None = None,
    folder: str | Path | None = None,
    worst: int | None = None,
    titles: Mapping[str, Mapping[str, str]] | None = None,
) -> Figure:
    """Mean response time of the slowest units (the worst ``worst`` of each variant, by
    default as many as fit in ``MAX_FIGURE_INCHES``) with their 95% intervals, one panel
    per variant: each deployment model has its own units, so they cannot share rows. A
    list of 40 units per variant is a table, not a picture: the report's table below the
    figure has every unit. Units are named as people call them (``names.unit_titles``,
    rebuilt from ``folder``; or ``titles``: variant -> {unit: title})."""
    vs = chosen_variants(results, variants)
    s = _group_table(results, "unit", indicator, vs)
    staff = by_variant(results, "unit", ["officers"], vs).set_index(["variant", "group"])["mean"]
    present = [v for v in vs if (s["variant"] == v).any()]
    per = worst or rows_per_panel(len(present), row=ROW_INCHES, panel=0.45, fixed=1.2)
    worst_first = not higher_is_better(indicator)
    rows = {
        v: s[s["variant"] == v].sort_values("mean", ascending=not worst_first).head(per)
        for v in present
    }
    total = {v: int((s["variant"] == v).sum()) for v in present}
    heights = [len(rows[v]) for v in present]
    colours = colours_for(results.variants)
    fig = ReportFigure(
        figsize=(7.5, bounded(1.2 + ROW_INCHES * sum(heights) + 0.45 * len(present))),
        layout="constrained",
    )
    axes = fig.subplots(len(present), 1, sharex=True, height_ratios=heights, squeeze=False)[:, 0]
    for ax, v in zip(axes, present, strict=True):
        mine = rows[v]
        y = np.arange(len(mine))
        interval_points(ax, mine, y, colours[v])
        named = unit_names(results, v, folder, titles)
        names = []
        for unit in mine["group"]:
            n = staff.get((v, unit), np.nan)
            name = named.get(str(unit), str(unit))
            if np.isfinite(n):  # "team (5 posts, 10 officers)", "office at X (2 officers)"
                more = f"{n:.0f} officers"
                name = f"{name[:-1]}, {more})" if name.endswith(")") else f"{name} ({more})"
            names.append(name)
        ax.set_yticks(y, names)
        ax.set_ylim(len(mine) - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
        cut = f"{'slowest' if worst_first else 'lowest'} {len(mine)} of {total[v]} units"
        head = f"{v}: {cut}" if len(present) > 1 else cut
        if len(mine) < total[v] or len(present) > 1:
            ax.set_title(head, loc="left", fontsize=9, fontweight="bold")
    axes[-1].set_xlim(left=0)
    axes[-1].set_xlabel(label(indicator))
    percent_axis(axes[-1], indicator, "x")
    fig.suptitle(f"{label(indicator, False).capitalize()} by unit (mean and 95% interval)")
    return fig
