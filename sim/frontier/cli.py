"""What ``enforcement-sim frontier`` prints: the cheapest point meeting every target and
the frontier, cheapest first."""

from __future__ import annotations

from pathlib import Path

from ..experiment.options import RunOptions
from ..experiment.outcome import finish
from ..stats.catalogue import fmt
from .run import FrontierResult, frontier


def run_frontier(plan: Path, options: RunOptions, report: bool = True) -> int:
    result = frontier(plan, options)

    def written(out: Path) -> list[str]:
        from .report import write_frontier_report

        return [f"report written to {write_frontier_report(out, result)}"]

    return finish(
        options.out, result.manifest["failures"], lambda: summary_text(result), options.quiet,
        written if report else None,
    )  # fmt: skip


def summary_text(result: FrontierResult) -> str:
    m = result.manifest
    pts = result.points
    lines = [f"{len(pts)} points x {m['replications']} replications, {m['wall_time_s']:.1f} s; "
             f"{int(pts['all_met'].sum())} meet every target"]  # fmt: skip
    best = result.cheapest
    if best is None:
        lines.append("no point meets every target")
    else:
        mix = ", ".join(f"{lever}={best[lever]}" for lever in result.levers)
        lines.append(f"cheapest meeting every target: {best['point']} ({mix}), "
                     f"{fmt('annual_cost_yuan', best['annual_cost_yuan'])} yuan/year")  # fmt: skip
    lines.append(f"frontier (cost vs {result.targets[0]}):")
    for r in result.frontier.itertuples():
        met = "all met" if r.all_met else "not all met"
        cost = fmt("annual_cost_yuan", r.annual_cost_yuan)
        ci = f"[{r.t1_ci95_low:.3g}, {r.t1_ci95_high:.3g}]"
        lines.append(f"  {r.point}: {cost} yuan/year, {r.t1_estimate:.3g} {ci}, {met}")
    return "\n".join(lines)
