"""The monthly loop (proposal 2's ranking with feedback, deterrence): effort and spread."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ...experiment.results import Results
from ..geography import NoData
from .common import ReportFigure, chosen_variants, colours_for, styled

# the figures of this subject, exported by ``sim.report.figures``
__all__ = ["ranking_feedback"]

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
