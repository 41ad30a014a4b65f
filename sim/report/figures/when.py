"""When reports came: response and wait by office hours, workday nights, days off, per variant."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from matplotlib.figure import Figure

from ...experiment.results import Results
from ...stats.catalogue import PERIOD_LABELS
from ...world.periods import REPORT_PERIODS
from ..geography import NoData
from ..tables import by_variant
from .common import ReportFigure, chosen_variants, colours_for, error_lengths, styled

# the figures of this subject, exported by ``sim.report.figures``
__all__ = ["response_by_report_period"]

_PANELS = (
    ("response_h_mean", "Response time"),
    ("team_wait_h_mean", "Wait for a legal team"),
)
_MAX_LEGEND_COLUMNS = 4


@styled
def response_by_report_period(results: Results, *, variants: Iterable[str] | None = None) -> Figure:
    """Mean response and wait for a team by when the report reached its unit, one bar per
    variant with its 95% interval over replications: a rota or a deployment model that
    helps only on duty shows as a change in the first group alone. Drawn from ``summary``
    (means over replications), so sweeps have it too; its size does not grow with the
    number of variants beyond the legend."""
    vs = chosen_variants(results, variants)
    names = [f"{stat}_{p}" for stat, _ in _PANELS for p in REPORT_PERIODS]
    s = by_variant(results, "all", names, vs)
    if s.empty:
        raise NoData("the summary has no indicators by when reported (older results)")
    wide = s.set_index(["variant", "indicator"])
    colours = colours_for(results.variants)
    legend_rows = -(-len(vs) // _MAX_LEGEND_COLUMNS)
    fig = ReportFigure(figsize=(9.5, 3.4 + 0.22 * min(legend_rows, 10)), layout="constrained")
    axes = fig.subplots(1, len(_PANELS), sharey=True)
    x = np.arange(len(REPORT_PERIODS))
    width = 0.8 / len(vs)
    for ax, (stat, title) in zip(axes, _PANELS, strict=True):
        for k, v in enumerate(vs):
            keys = [(v, f"{stat}_{p}") for p in REPORT_PERIODS]
            rows = wide.reindex(keys)
            m = rows["mean"].to_numpy(dtype=float)
            low = np.maximum(rows["ci95_low"].to_numpy(float), 0.0)  # no negative hours
            high = rows["ci95_high"].to_numpy(float)
            xs = x - 0.4 + width * (k + 0.5)
            ax.bar(xs, np.nan_to_num(m), width=width * 0.92, color=colours[v],
                   label=v if ax is axes[0] else None)  # fmt: skip
            ax.errorbar(xs, m, yerr=error_lengths(m, low, high), fmt="none", ecolor="black",
                        elinewidth=0.9, capsize=min(2.5, 12 * width))  # fmt: skip
        ax.set_xticks(x, [PERIOD_LABELS[p].replace(", ", ",\n") for p in REPORT_PERIODS])
        ax.set_title(title)
        ax.grid(axis="x", visible=False)
        ax.set_xlabel("when the report reached its unit")
    axes[0].set_ylabel("hours after the report, mean (h)")
    axes[0].set_ylim(bottom=0)
    fig.legend(loc="outside lower center", ncols=min(len(vs), _MAX_LEGEND_COLUMNS))
    fig.suptitle("Response by when the report came (mean over replications, 95% interval)")
    return fig
