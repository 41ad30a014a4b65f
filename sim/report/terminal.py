"""Plain-text tables the command line prints after a run, a comparison or a staffing search.

Labels and number formats come from the indicator catalogue, so the terminal says
what the HTML report says, in the same words and to the same precision.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..experiment.results import Results
from ..staffing.results import Staffing
from ..stats.catalogue import HEADLINE, fmt, fmt_interval, label, possible


def _estimate(name: str, v: dict[str, Any], interval: bool = True) -> str:
    mean, lo, hi = v.get("mean"), v.get("ci95_low"), v.get("ci95_high")
    text = "n/a" if mean is None else fmt(name, mean)
    if interval and lo is not None and hi is not None:
        text += " " + fmt_interval(name, *possible(name, lo, hi))
    return text


def _columns(cells: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]


def summary_table(results: Results) -> str:
    """The headline indicators of a run's (first) variant: mean and 95% interval."""
    m = results.manifest
    head = results.headline()
    cells = [["indicator", "mean [95% CI]"]]
    cells += [[label(key), _estimate(key, head.get(key, {}))] for key in HEADLINE]
    return "\n".join(
        [
            f"{results.variants[0]}: {m['replications']} replication(s), seed {m['seed']}, "
            f"{m['wall_time_s']:.2f} s",
            *_columns(cells),
        ]
    )


def compare_table(results: Results) -> str:
    """Rows = indicators; per variant its mean and, after the first, the paired difference."""
    m = results.manifest
    names = results.variants
    diffs = results.differences
    if len(diffs):
        diffs = diffs[diffs["scope"] == "all"].set_index(["variant", "indicator"])
    cells = [["indicator", *names]]
    for key in HEADLINE:
        row = [label(key)]
        for k, name in enumerate(names):
            text = _estimate(key, results.headline(name).get(key, {}), interval=False)
            if k and len(diffs) and (name, key) in diffs.index:
                d = diffs.loc[(name, key)]
                lo, hi = float(d["diff_ci95_low"]), float(d["diff_ci95_high"])
                if lo == lo:  # no interval from a single replication: no difference shown
                    sig = "*" if lo > 0 or hi < 0 else ""
                    text += f" ({fmt(key, float(d['diff_mean']), signed=True)}{sig})"
            row.append(text)
        cells.append(row)
    return "\n".join(
        [
            f"{len(names)} variants x {m['replications']} replications on common random "
            f"numbers, seed {m['seed']}, {m['wall_time_s']:.1f} s",
            f"(in brackets: paired difference from {names[0]}; * = its 95% interval excludes 0)",
            *_columns(cells),
        ]
    )


def staffing_table(result: Staffing) -> str:
    """Officers needed per model and county, city totals and the chosen allocation."""
    m = result.manifest
    lines = [
        f"target: {result.target} at the upper end of a 95% interval; "
        f"{m['replications']} replications, seed {m['seed']}, {m['wall_time_s']:.1f} s "
        f"({m['runs']} runs, {m['runs_reused']} reused)",
        f"{'model':<11}{'county':<14}{'now':>5}{'needed':>8}  estimate [95% CI] at needed",
    ]
    for r in result.table.itertuples():
        need = "-" if r.status != "met" else str(r.officers_needed)
        est = (
            f"{r.estimate:.2f} [{r.ci95_low:.2f}, {r.ci95_high:.2f}]"
            if r.estimate == r.estimate
            else ""
        )
        note = "" if r.status == "met" else f"  {r.status}"
        binds = getattr(r, "binding", "")
        if len(m.get("targets", ())) > 1 and isinstance(binds, str) and binds:
            note += f"  binds: {binds}"  # several targets: the one setting the answer
        lines.append(f"{r.model:<11}{r.county:<14}{r.officers_now:>5}{need:>8}  {est}{note}")
    for r in result.totals.itertuples():
        reached = not pd.isna(r.officers_needed)
        need = f"{int(r.officers_needed):>8}" if reached else "  not reachable"
        lines.append(f"{r.model:<11}{'city total':<14}{r.officers_now:>5}{need}")
    alloc = result.allocation
    for model, rows in alloc.groupby("model", sort=False) if len(alloc) else []:
        chosen = rows[rows["chosen"]]
        if chosen.empty:
            continue
        r = chosen.iloc[0]
        spare = f", {int(r['spare'])} spare" if r["spare"] else ""
        lines.append(
            f"allocation ({model}, {m['allocation_total']} officers): worst county "
            f"{r['worst_county']} at {r['worst_ci95_high']:.2f} (upper bound){spare}; "
            f"{len(rows)} frontier points in allocation.csv"
        )
    return "\n".join(lines)
