"""Paired differences from the reference variant: the answer to "what does each change do?".

Every variant runs on the same incidents (common random numbers), so the difference
between two variants is estimated replication by replication (``differences.csv``): its
interval is much tighter than the two variants' own intervals side by side suggest. These
figures draw those paired differences, never two unpaired intervals to compare by eye.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import PercentFormatter

from ...experiment.results import Results
from ...stats.catalogue import LOWER, entry, fmt, higher_is_better, is_share, label
from ...stats.compare import paired_differences as paired_t
from ..geography import NoData
from ..tables import by_variant, kept_incidents
from .common import (
    TARGET_HOURS,
    ReportFigure,
    bounded,
    chosen_variants,
    colours_for,
    error_lengths,
    styled,
)

# the figures of this subject, exported by ``sim.report.figures``
__all__ = ["paired_differences", "county_differences", "difference_table", "verdict"]

# the share of reports with a legal team on site within the target: not a summary.csv
# indicator (the target is the reader's), so computed here from the incident records
WITHIN_TARGET = "share_within_target"
# what a policy reader asks of a change, in this order
POLICY_DIFFERENCES: tuple[str, ...] = (
    "response_h_mean",
    "response_h_p90",
    WITHIN_TARGET,
    "pollution_hours_mean",
    "utilisation_mean",
    "overtime_hours_mean",
)
# verdict -> (colour, words on the figure)
VERDICTS: dict[str, tuple[str, str]] = {
    "better": ("#1a9641", "better"),
    "worse": ("#d7191c", "worse"),
    "unclear": ("#8c8c8c", "no clear difference"),
    "higher": ("#2c7bb6", "higher"),
    "lower": ("#2c7bb6", "lower"),
}


def _points() -> PercentFormatter:
    """Percentage points with as many decimals as the axis range needs (fixed decimals drew
    "-1 pt -1 pt 0 pt" for differences of a fraction of a point)."""
    return PercentFormatter(1.0, decimals=None, symbol=" pt")


def _label(indicator: str, target_hours: float, with_unit: bool = True) -> str:
    if indicator == WITHIN_TARGET:
        text = f"reports with a team on site within {target_hours:g} h"
        return f"{text} (%)" if with_unit else text
    return label(indicator, with_unit)


def _is_share(indicator: str) -> bool:
    return indicator == WITHIN_TARGET or is_share(indicator)


def verdict(indicator: str, low: float, high: float) -> str:
    """The word a reader sees: "better"/"worse" when the 95% interval excludes 0 and the
    catalogue says which way is better; "higher"/"lower" for an indicator that is neither
    (utilisation); "unclear" when the interval crosses 0 or there is none (one replication)."""
    if not (np.isfinite(low) and np.isfinite(high)) or (low <= 0 <= high):
        return "unclear"
    up = low > 0
    if indicator == WITHIN_TARGET or higher_is_better(indicator):
        return "better" if up else "worse"
    e = entry(indicator)
    if e is not None and e.better == LOWER:
        return "worse" if up else "better"
    return "higher" if up else "lower"


def _within_target(
    results: Results, scope: str, vs: Sequence[str], target_hours: float
) -> pd.DataFrame:
    """Paired differences of the share of reports attended within the target, per
    replication (the denominator is every report, as in the response-time figure)."""
    if results.incidents.empty or scope not in ("all", "county"):
        return pd.DataFrame()
    inc = kept_incidents(results)
    inc = inc[inc["variant"].isin(vs) & inc["reported_h"].notna()]
    if inc.empty:
        return pd.DataFrame()
    ok = (inc["arrived_h"] - inc["reported_h"]).to_numpy(dtype=float) <= target_hours
    group = inc["county"].astype(str) if scope == "county" else pd.Series("all", index=inc.index)
    per_rep = (
        pd.DataFrame(
            {
                "variant": inc["variant"].astype(str),
                "replication": inc["replication"],
                "group": group,
                "value": ok.astype(float),
            }
        )
        .groupby(["variant", "group", "replication"], observed=True)["value"]
        .mean()
        .reset_index()
        .assign(scope=scope, indicator=WITHIN_TARGET)
    )
    return paired_t(per_rep, vs[0])


def difference_table(
    results: Results,
    *,
    indicators: Sequence[str] = POLICY_DIFFERENCES,
    scope: str = "all",
    target_hours: float = TARGET_HOURS,
    variants: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The rows these figures draw: ``differences.csv`` of ``scope`` for ``indicators``
    (plus the share within the target, from the records), each with its ``verdict``.
    The reference is the results' first variant."""
    vs = chosen_variants(results, variants)
    ref = results.variants[0]
    vs = [ref, *[v for v in vs if v != ref]]
    d = results.differences
    rows = (
        d[(d["scope"] == scope) & d["indicator"].isin(indicators) & d["variant"].isin(vs)]
        if not d.empty
        else d
    )
    if WITHIN_TARGET in indicators:
        rows = pd.concat([rows, _within_target(results, scope, vs, target_hours)])
    if rows.empty:
        raise NoData("no paired differences: the results have a single variant")
    rows = rows.assign(
        verdict=[
            verdict(i, lo, hi)
            for i, lo, hi in zip(
                rows["indicator"], rows["diff_ci95_low"], rows["diff_ci95_high"], strict=True
            )
        ]
    )
    return rows.reset_index(drop=True)


@styled
def paired_differences(
    results: Results,
    *,
    indicators: Sequence[str] = POLICY_DIFFERENCES,
    scope: str = "all",
    group: str = "all",
    target_hours: float = TARGET_HOURS,
    variants: Iterable[str] | None = None,
) -> Figure:
    """Each variant minus the reference (the first variant), replication by replication,
    with its 95% interval: one small panel per indicator, a line at zero, each point
    coloured and labelled by whether the change is better, worse or not clearly
    different (its interval crosses zero). ``scope``/``group`` pick one row of
    ``differences.csv`` per variant (e.g. ``scope="county", group="Yiwu"``)."""
    d = difference_table(
        results, indicators=indicators, scope=scope, target_hours=target_hours, variants=variants
    )
    d = d[d["group"].astype(str) == group]
    ref = results.variants[0]
    others = [v for v in chosen_variants(results, variants) if v != ref]
    others = [v for v in others if (d["variant"] == v).any()]
    inds = [i for i in indicators if (d["indicator"] == i).any()]
    if not others or not inds:
        raise NoData(f"no paired differences from {ref} at {scope} {group}")
    ncols = 1 if len(inds) == 1 else 2
    nrows = -(-len(inds) // ncols)
    panel_h = 0.55 + 0.32 * len(others)
    fig = ReportFigure(
        figsize=(10.0 if ncols == 2 else 6.0, bounded(1.3 + nrows * panel_h)),
        layout="constrained",
    )
    axes = fig.subplots(nrows, ncols, squeeze=False, sharey=True).ravel()
    y = np.arange(len(others))
    for ax, ind in zip(axes, inds, strict=False):
        mine = d[d["indicator"] == ind].set_index("variant").reindex(others)
        m = mine["diff_mean"].to_numpy(dtype=float)
        lo = mine["diff_ci95_low"].to_numpy(dtype=float)
        hi = mine["diff_ci95_high"].to_numpy(dtype=float)
        err = error_lengths(m, lo, hi)
        ax.axvline(0, color="0.2", lw=1)
        for k, v in enumerate(others):
            if not np.isfinite(m[k]):
                continue
            colour, words = VERDICTS[str(mine.loc[v, "verdict"])]
            ax.errorbar(m[k], y[k], xerr=err[:, [k]], fmt="o", ms=5, color=colour,
                        elinewidth=1.8, capsize=2.5)  # fmt: skip
            ax.annotate(words, (m[k], y[k]), xytext=(0, 5.5), textcoords="offset points",
                        ha="center", va="bottom", fontsize=7, color=colour)  # fmt: skip
        ends = np.r_[lo[np.isfinite(lo)], hi[np.isfinite(hi)], m[np.isfinite(m)], 0.0]
        span = float(np.ptp(ends))
        if span < (1e-4 if _is_share(ind) else 1e-6):  # no difference at all (or float dust)
            half = 0.005 if _is_share(ind) else 0.5  # half a point, half a unit either side
            ax.set_xlim(-half, half)
        else:
            ax.set_xlim(ends.min() - 0.12 * span, ends.max() + 0.12 * span)
        ax.set_ylim(len(others) - 0.4, -0.75)
        ax.set_yticks(y, others)
        ax.grid(axis="y", visible=False)
        ax.set_title(_label(ind, target_hours, False).capitalize(), fontsize=9)
        unit = "percentage points" if _is_share(ind) else (entry(ind).unit if entry(ind) else "")
        ax.set_xlabel(f"difference from {ref} ({unit or 'count'})")
        if _is_share(ind):
            ax.xaxis.set_major_formatter(_points())
    for ax in axes[len(inds) :]:
        ax.set_visible(False)
    shown = dict.fromkeys(str(x) for x in d["verdict"])
    handles = [
        Line2D([], [], ls="", marker="o", color=VERDICTS[k][0], label=VERDICTS[k][1])
        for k in ("better", "worse", "higher", "unclear")
        if k in shown or (k == "higher" and "lower" in shown)
    ]
    if "higher" in shown or "lower" in shown:
        handles[[h.get_label() for h in handles].index("higher")].set_label(
            "higher or lower (neither better nor worse)"
        )
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))
    where = "" if scope == "all" else f" — {group}"
    fig.suptitle(
        f"Each variant minus {ref}{where}: paired difference and 95% interval "
        "(same incidents in every variant)"
    )
    return fig


@styled
def county_differences(
    results: Results,
    *,
    indicator: str = "response_h_mean",
    variants: Iterable[str] | None = None,
    target_hours: float = TARGET_HOURS,
) -> Figure:
    """Per county (rows), each variant's paired difference from the reference with its
    95% interval (one marker per variant): filled where the interval excludes zero,
    hollow where it does not. Unpaired intervals per county overlap although the paired
    differences are clear; this shows what the comparison actually found. The reference's
    own level is written beside each county; the levels of every variant are in the
    table under the figure. Slowest county (in the reference) first."""
    d = difference_table(
        results, indicators=[indicator], scope="county", target_hours=target_hours,
        variants=variants,
    )  # fmt: skip
    ref = results.variants[0]
    others = [v for v in chosen_variants(results, variants) if v != ref]
    others = [v for v in others if (d["variant"] == v).any()]
    if not others:
        raise NoData(f"no county has a paired difference of {indicator}")
    level = by_variant(results, "county", [indicator], [ref]).set_index("group")["mean"]
    counties = sorted(d["group"].astype(str).unique())
    # the reference's worst county first (slowest, or lowest where higher is better)
    sign = 1.0 if higher_is_better(indicator) else -1.0
    order = sorted(counties, key=lambda c: sign * float(level.get(c, 0.0)))
    band = 0.72
    step = band / len(others)
    colours = colours_for(results.variants)
    rows_h = max(0.3, 0.13 * len(others))
    fig = ReportFigure(figsize=(8.0, bounded(1.6 + len(order) * rows_h)), layout="constrained")
    ax = fig.subplots()
    ax.axvline(0, color="0.2", lw=1)
    for j, v in enumerate(others):
        mine = d[d["variant"] == v].set_index("group").reindex(order)
        m = mine["diff_mean"].to_numpy(dtype=float)
        lo = mine["diff_ci95_low"].to_numpy(dtype=float)
        hi = mine["diff_ci95_high"].to_numpy(dtype=float)
        yy = np.arange(len(order)) - band / 2 + step * (j + 0.5)
        clear = np.array(
            [verdict(indicator, a, b) != "unclear" for a, b in zip(lo, hi, strict=True)]
        )
        err = error_lengths(m, lo, hi)
        ax.errorbar(m, yy, xerr=err, fmt="none", ecolor=colours[v], elinewidth=1.4, capsize=2)
        ax.scatter(m[clear], yy[clear], s=26, color=colours[v], zorder=3, label=v)
        ax.scatter(m[~clear], yy[~clear], s=26, facecolors="white", edgecolors=colours[v],
                   zorder=3)  # fmt: skip
    unit = "" if _is_share(indicator) or entry(indicator) is None else f" {entry(indicator).unit}"
    names = [
        f"{c} ({ref} {fmt(indicator, float(level[c]))}{unit})"
        if c in level and np.isfinite(level[c])
        else c
        for c in order
    ]
    ax.set_yticks(np.arange(len(order)), names)
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    for k in range(1, len(order)):
        ax.axhline(k - 0.5, color="0.9", lw=0.6)
    ax.set_xlabel(f"{_label(indicator, target_hours)}: difference from {ref}")
    if _is_share(indicator):
        ax.xaxis.set_major_formatter(_points())
    handles, labels = ax.get_legend_handles_labels()
    handles.append(Line2D([], [], ls="", marker="o", markerfacecolor="white",
                          markeredgecolor="0.3", label="hollow: interval crosses 0"))  # fmt: skip
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              title="variant", title_fontsize=8)  # fmt: skip
    ax.set_title(
        f"{_label(indicator, target_hours, False).capitalize()} by county: each variant minus "
        f"{ref} (paired, 95% interval)"
    )
    return fig
