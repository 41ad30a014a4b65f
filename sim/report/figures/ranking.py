"""The monthly loop (proposal 2's ranking with feedback, deterrence): effort and spread."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ...experiment.results import Results
from ..geography import NoData
from ..tables import rank_intervals, ranking_by_replication
from .common import NO_RECORDS, ReportFigure, bounded, chosen_variants, colours_for, styled

# the figures of this subject, exported by ``sim.report.figures``
__all__ = ["ranking_feedback", "township_ranks"]

CAPTION = (
    "Left: the grid effort multiplier of the townships the monthly ranking put at the bottom "
    "the month before (line: mean; band: smallest to largest over townships and "
    "replications; dashed: every township's mean), per variant. Right: townships' "
    "pollution-hours per calendar month, median and interquartile range."
)
NO_MONTHS = (
    "no months table: the monthly ranking and deterrence are off in every variant (or the "
    "results keep no records)"
)


def bottom_effort(months: pd.DataFrame) -> pd.DataFrame:
    """Per month: the effort multiplier of the townships ranked in the bottom the month
    before (mean, smallest, largest over townships and replications), and the mean over
    every township."""
    m = months.sort_values(["replication", "township", "month"])
    prev = m.groupby(["replication", "township"], observed=True)["bottom"].shift(1)
    m = m.assign(was_bottom=prev.fillna(False).astype(bool))
    raised = m[m["was_bottom"]].groupby("month")["effort_multiplier"].agg(["mean", "min", "max"])
    every = m.groupby("month")["effort_multiplier"].mean().rename("all_mean")
    return pd.concat([raised, every], axis=1).sort_index()


def pollution_spread(months: pd.DataFrame) -> pd.DataFrame:
    """Per month: quartiles of the townships' pollution-hours (each replication's, then the
    mean over replications)."""
    q = (
        months.groupby(["replication", "month"])["pollution_hours"]
        .quantile([0.25, 0.5, 0.75])
        .unstack()
    )
    q.columns = ["q1", "median", "q3"]
    return q.groupby("month").mean()


@styled
def ranking_feedback(results: Results, *, variants: Iterable[str] | None = None) -> Figure:
    """Left: the grid effort multiplier of the townships the ranking put at the bottom the
    month before (line: mean, band: smallest to largest; dashed: every township's mean),
    per variant: bounded by the cap and falling back once a township leaves the bottom.
    Right: the townships' monthly pollution-hours, median (line) and interquartile range
    (band), mean over replications: a ranking that works narrows the band."""
    months = results.months
    if months.empty or "effort_multiplier" not in months:
        raise NoData(NO_MONTHS)
    vs = [v for v in chosen_variants(results, variants) if (months["variant"] == v).any()]
    if not vs:
        raise NoData(NO_MONTHS)
    colours = colours_for(results.variants)
    fig = ReportFigure(figsize=(10, 3.8), layout="constrained")
    left, right = fig.subplots(1, 2)
    for v in vs:
        mine = months[months["variant"] == v]
        c = colours[v]
        e = bottom_effort(mine)
        x = e.index.to_numpy() + 1
        left.plot(x, e["mean"], color=c, marker="o", ms=3, label=v)
        left.fill_between(x, e["min"], e["max"], color=c, alpha=0.15, linewidth=0)
        left.plot(x, e["all_mean"], color=c, linestyle="--", linewidth=0.9)
        s = pollution_spread(mine)
        xs = s.index.to_numpy() + 1
        right.plot(xs, s["median"], color=c, label=v)
        right.fill_between(xs, s["q1"], s["q3"], color=c, alpha=0.15, linewidth=0)
    left.axhline(1.0, color="grey", linewidth=0.8)
    left.set_ylim(bottom=min(0.95, float(np.nanmin(months["effort_multiplier"]))))
    left.set_title("Effort of townships ranked at the bottom")
    left.set_ylabel("grid effort multiplier")
    right.set_title("Townships' monthly pollution-hours")
    right.set_ylabel("pollution-hours per township (h)")
    right.set_ylim(bottom=0)
    for ax in (left, right):
        ax.set_xlabel("calendar month of the run")
    left.legend(fontsize="small")
    fig.suptitle("Monthly ranking with feedback (dashed: mean of every township)")
    return fig


def top_and_bottom(ranks: pd.DataFrame, per_group: int = 3) -> pd.DataFrame:
    """The best and worst ``per_group`` townships of each county (or of the city, when
    ``tables.rank_intervals`` ranked them in the city) best first, with ``end`` "top" or
    "bottom" and ``group`` the county or "city"."""
    city = bool((ranks["ranked_among"] == len(ranks)).all()) and ranks["county"].nunique() > 1
    groups = [("city", ranks)] if city else list(ranks.groupby("county", sort=True))
    parts = []
    for name, g in groups:
        g = g.sort_values(["mean_rank", "township"])
        k = min(per_group, max(1, len(g) // 2))
        parts.append(g.head(k).assign(end="top", group=name))
        parts.append(g.iloc[k:].tail(k).assign(end="bottom", group=name))
    return pd.concat(parts, ignore_index=True)


@styled
def township_ranks(
    results: Results,
    *,
    variant: str | None = None,
    folder: str | Path | None = None,
    per_county: int = 3,
    within: str = "county",
) -> Figure:
    """The monthly township ranking as a reader should see it: per county, the
    ``per_county`` best and worst townships by mean rank (each township ranked in its
    county, or in the city, every month of every replication; the mean over months per
    replication; the 95% interval over replications). Beside each, how many townships of
    its county its interval overlaps: a rank whose interval overlaps most of the county's
    is chance, not a finding. The full table is ``tables.ranking_by_replication``."""
    variant = chosen_variants(results, [variant] if variant else None)[0]
    if results.incidents.empty:
        raise NoData(NO_RECORDS)
    ranks = rank_intervals(ranking_by_replication(results, variant, folder, within))
    if ranks.empty:
        raise NoData("the measured window is shorter than one 30-day month")
    shown = top_and_bottom(ranks, per_county)
    groups = list(dict.fromkeys(shown["group"]))
    ncols = min(3, len(groups))
    nrows = -(-len(groups) // ncols)
    most = int(shown.groupby("group").size().max())
    panel_h = 0.7 + 0.2 * most
    fig = ReportFigure(
        figsize=(3.7 * ncols + 0.4, bounded(1.5 + panel_h * nrows)), layout="constrained"
    )
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    colours = {"top": "#1a9641", "bottom": "#d7191c"}
    for ax, name in zip(axes, groups, strict=False):
        g = shown[shown["group"] == name]
        n = int(g["ranked_among"].iloc[0])
        y = np.arange(len(g))
        for k, r in enumerate(g.itertuples()):
            lo = r.mean_rank - (r.ci95_low if np.isfinite(r.ci95_low) else r.mean_rank)
            hi = (r.ci95_high if np.isfinite(r.ci95_high) else r.mean_rank) - r.mean_rank
            ax.errorbar(r.mean_rank, y[k], xerr=[[max(lo, 0)], [max(hi, 0)]], fmt="o", ms=4,
                        color=colours[r.end], elinewidth=1.4, capsize=2)  # fmt: skip
            ax.annotate(f"overlaps {r.overlaps} of {n - 1}", (1.0, y[k]),
                        xycoords=("axes fraction", "data"), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=6.5, color="0.35",
                        annotation_clip=False)  # fmt: skip
        ax.set_yticks(y, [str(t) for t in g["township"]])
        ax.set_ylim(len(g) - 0.5, -0.5)
        ax.set_xlim(0.5, n + 0.5)
        if (g["end"] == "top").any() and (g["end"] == "bottom").any():
            ax.axhline(int((g["end"] == "top").sum()) - 0.5, color="0.6", lw=0.8, ls="--")
        ax.grid(axis="y", visible=False)
        ax.set_title(f"{name} ({n} townships ranked)", fontsize=9)
        if ax in axes[-ncols:] or ax is axes[len(groups) - 1]:
            ax.set_xlabel("mean monthly rank (1 = fewest pollution-hours)")
    for ax in axes[len(groups) :]:
        ax.set_visible(False)
    fig.legend(
        handles=[
            Line2D([], [], marker="o", color=colours["top"], label=f"best {per_county}"),
            Line2D([], [], marker="o", color=colours["bottom"], label=f"worst {per_county}"),
        ],
        loc="outside lower center",
        ncols=2,
    )
    scope = "its county" if within == "county" else "the city"
    title = f"Best and worst {per_county} townships " + (
        "of each county" if within == "county" else "of the city"
    )
    if len(results.variants) > 1:
        title += f" — {variant}"
    fig.suptitle(
        f"{title}\nranked in {scope} each month; mean rank and 95% interval over replications"
    )
    return fig
