"""What ``enforcement-sim sensitivity`` prints: the top inputs, the noise, the ranking."""

from __future__ import annotations

from pathlib import Path

from ..experiment.options import RunOptions
from ..experiment.outcome import finish
from .results import Sensitivity
from .run import sensitivity


def run_study(study: Path, options: RunOptions, report: bool = True) -> int:
    s = sensitivity(study, options)

    def written(out: Path) -> list[str]:
        from .report import write_sensitivity_report

        return [f"report written to {write_sensitivity_report(out, s)}"]

    return finish(
        options.out, s.manifest["failures"], lambda: summary_text(s), options.quiet,
        written if report else None,
    )  # fmt: skip


def summary_text(s: Sensitivity) -> str:
    from .report import ranking

    m = s.manifest
    lines = [f"{m['method']}: {m['points']} points x {len(m['variants'])} variant(s) x "
             f"{m['replications']} replication(s), {m['wall_time_s']:.1f} s"]  # fmt: skip
    if s.indices.empty:
        return "\n".join(lines)
    noise = s.noise.set_index(["subject", "output"])["noise_share"]
    for (subject, output), part in ranking(s).groupby(["subject", "output"], sort=False):
        top = ", ".join(f"{r.input} {r.value:.3g}" for r in part.head(3).itertuples())
        lines.append(f"  {subject} | {output}: {top} (noise share {noise[(subject, output)]:.2f})")
    if len(s.robustness):
        lines.append("probability best: " + ", ".join(
            f"{r.variant} {r.prob_best:.0%}" for r in s.robustness.itertuples()))  # fmt: skip
    for r in s.rules.itertuples():
        lines.append(f"  {r.a} vs {r.b}: {r.rule}")
    return "\n".join(lines)
