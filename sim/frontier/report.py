"""A frontier's short report: ``frontier.md`` and its figure ``frontier.png``.

Plain Markdown, so it reads in a terminal, on a code host and in the docs alike: the
question (levers, targets), the answer (the cheapest point meeting every target), and
the frontier's table, cheapest first.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..experiment.folder import write_file
from ..stats.catalogue import fmt
from .run import FrontierResult


def write_frontier_report(folder: str | Path, result: FrontierResult) -> Path:
    """Write ``frontier.png`` and ``frontier.md`` into ``folder``; return the report."""
    from ..report.figures.frontier import cost_response  # matplotlib only when reporting

    folder = Path(folder)
    fig = cost_response(result)
    write_file(folder / "frontier.png", lambda p: fig.savefig(p, format="png", dpi=120))
    write_file(folder / "frontier.md", report_text(result))
    return folder / "frontier.md"


def report_text(result: FrontierResult) -> str:
    """The report's Markdown."""
    m = result.manifest
    lines = [
        "# Cost-response frontier",
        "",
        f"{len(result.points)} points x {m['replications']} replications (seed {m['seed']}), "
        f"{m['wall_time_s']:.0f} s. A target holds at a point when it holds at the "
        "pessimistic end of its 95% interval (as `staff` judges).",
        "",
        "Levers: " + ", ".join(f"`{lever}`" for lever in result.levers) + ".",
        "",
        "Targets (all must hold):",
        *[f"{k}. `{t}`" for k, t in enumerate(result.targets, start=1)],
        "",
    ]
    best = result.cheapest
    if best is None:
        lines.append("**No point of the grid meets every target.**")
    else:
        mix = ", ".join(f"{lever} = {best[lever]}" for lever in result.levers)
        lines.append(
            f"**Cheapest point meeting every target:** {best['point']} ({mix}), "
            f"{fmt('annual_cost_yuan', best['annual_cost_yuan'])} yuan a year."
        )
    lines += [
        "",
        f"## Frontier (cost vs {result.labels[0]})",
        "",
        "No other point is at most as costly and at most as bad on the first target. "
        "All points: `points.csv`.",
        "",
        _table(result.frontier, result),
        "",
        "![cost and response](frontier.png)",
        "",
    ]
    return "\n".join(lines)


def _table(df: pd.DataFrame, result: FrontierResult) -> str:
    head = ["point", *result.levers, "annual cost (yuan)", f"t1: {result.targets[0]}",
            "95% interval", "all met"]  # fmt: skip
    head = [h.replace("|", "\\|") for h in head]  # a target's filter bar ends no cell
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for _, r in df.iterrows():
        cells = [
            str(r["point"]),
            *[str(r[lever]) for lever in result.levers],
            fmt("annual_cost_yuan", r["annual_cost_yuan"]),
            f"{r['t1_estimate']:.3g}",
            f"[{r['t1_ci95_low']:.3g}, {r['t1_ci95_high']:.3g}]",
            "yes" if r["all_met"] else "no",
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)
