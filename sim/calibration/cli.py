"""What ``enforcement-sim calibrate`` prints: the accepted region and the fit table."""

from __future__ import annotations

from pathlib import Path

from ..experiment.options import RunOptions
from ..experiment.outcome import finish
from .results import SCENARIO_FILE, Calibration
from .run import calibrate


def run_calibration(file: Path, options: RunOptions, figure: bool = True) -> int:
    c = calibrate(file, options)

    def written(out: Path) -> list[str]:
        from ..report.figures.calibration import write_calibration_figures

        return [f"figure written to {w}" for w in write_calibration_figures(c, out / "figures")]

    where = f" (calibrated scenario: {options.out}/{SCENARIO_FILE})" if c.scenario_text else ""
    return finish(
        options.out, c.manifest["failures"], lambda: summary_text(c), options.quiet,
        written if figure else None, where,
    )  # fmt: skip


def summary_text(c: Calibration) -> str:
    m = c.manifest
    lines = [f"history matching: {m['points']} points in {m['waves_run']} wave(s) x "
             f"{m['replications']} replication(s), {m['accepted']} accepted "
             f"({m['stopped']}), {m['wall_time_s']:.1f} s"]  # fmt: skip
    for r in c.ranges[c.ranges["wave"] == c.ranges["wave"].max()].itertuples():
        acc = (f"accepted {r.accepted_low:.4g} to {r.accepted_high:.4g}"
               if r.accepted else "none accepted")  # fmt: skip
        lines.append(f"  {r.input}: box {r.box_low:.4g} to {r.box_high:.4g}, {acc}")
    best = c.best
    if best is not None:
        values = ", ".join(f"{n} {best[n]:.4g}" for n in c.inputs)
        lines.append(f"best point {best['point']} (I_max {best['I_max']:.2f}): {values}")
    for r in c.fit.itertuples():
        lines.append(f"  {r.target}: published {r.published:g} [{r.band_low:g}, "
                     f"{r.band_high:g}], simulated {r.simulated:.4g} [{r.ci95_low:.4g}, "
                     f"{r.ci95_high:.4g}], I {r.implausibility:.2f}")  # fmt: skip
    return "\n".join(lines)
