"""The calibrated scenario file: the base at the best point, saying what was calibrated.

Written as a small file that ``extends`` the base and sets only the calibrated fields
(and any ``--set`` overrides the calibration ran with), so it reads as a diff of the base
and stays valid when the base's other numbers are edited. Its comments name each
calibrated value, its range, the accepted range, and the fit to every target.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from ..experiment.folder import dump_yaml
from ..scenario.files import apply_override
from .plan import CalibrationPlan
from .runs import Setup

MAX_UP = 2  # folders up from the results folder to the base for a relative ``extends``


def scenario_text(
    setup: Setup, plan: CalibrationPlan, best: pd.Series, table: pd.DataFrame,
    fit: pd.DataFrame, folder: Path | None,
) -> str:  # fmt: skip
    """The YAML of ``calibrated.yaml`` for the results folder ``folder`` (None: beside the
    calibration file, i.e. ``extends`` relative to it)."""
    space = setup.space
    values = {n: int(best[n]) if space.inputs[n].whole else float(best[n]) for n in space.names}
    raw: dict[str, Any] = {}
    for item in [*setup.overrides, *setup.space.overrides(values, setup.resolved)]:
        apply_override(raw, item)
    extends = extends_path(setup.base, folder if folder is not None else setup.file.parent)
    name = f"{setup.resolved['name']}-calibrated"
    data = {"extends": extends, "name": name,
            "description": f"{setup.resolved['name']} at the best point of {setup.file.name}.",
            **raw}  # fmt: skip
    accepted = table[table["accepted"]]
    m = plan.method
    lines = [
        f"Calibrated by `enforcement-sim calibrate {setup.file.name}`: history matching, "
        f"{table['wave'].max()} wave(s) of {m.points} points, cut-off {m.cutoff:g}.",
        f"Best point {best['point']} (smallest maximum implausibility, {best['I_max']:.2f}); "
        f"{len(accepted)} of {len(table)} points accepted.",
        "Calibrated values (every other number is the base scenario's):",
    ]
    for n in setup.space.names:
        spec = plan.inputs[n]
        span = f"range {list(spec.range)}" if spec.range is not None else "a distribution"
        got = (f"accepted {accepted[n].min():.4g} to {accepted[n].max():.4g}"
               if len(accepted) else "no point accepted")  # fmt: skip
        how = "x base value" if spec.scale else "value"
        lines.append(f"  {n} = {values[n]:.4g} ({how}; {span}; {got}): "
                     + ", ".join(setup.space.paths[n]))  # fmt: skip
    lines.append(f"Fit at the best point, {int(fit['replications'].min())} replications "
                 "(published [band or +-2 sd] -> simulated mean [95%]):")  # fmt: skip
    for r in fit.itertuples():
        lines.append(f"  {r.target}: {r.published:g} [{r.band_low:g}, {r.band_high:g}] -> "
                     f"{r.simulated:.4g} [{r.ci95_low:.4g}, {r.ci95_high:.4g}], I = "
                     f"{r.implausibility:.2f}")  # fmt: skip
    header = "".join(f"# {line}\n" for line in lines)
    return header + dump_yaml(data)


def extends_path(base: Path, folder: Path) -> str:
    """``base`` as the ``extends`` of a file in ``folder``: relative beside the base or a
    few folders away (``results/<name>/``), so it travels with the repository; from far
    away (``/tmp``), absolute."""
    relative = Path(os.path.relpath(Path(base).resolve(), Path(folder).resolve()))
    near = relative.parts.count("..") <= MAX_UP
    return (relative if near else Path(base).resolve()).as_posix()


def moved(text: str, base: Path, folder: Path) -> str:
    """``calibrated.yaml``'s text with its ``extends`` made right for a file in ``folder``."""
    line = dump_yaml({"extends": extends_path(base, folder)})
    return "".join(line if x.startswith("extends: ") else x for x in text.splitlines(True))
