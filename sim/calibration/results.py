"""A calibration's results folder: tidy tables, the calibrated scenario, a figure.

- ``calibration.csv``: one row per point of every wave: ``wave``, ``point``, the inputs'
  values, each target's simulated mean (``<target>``) and implausibility (``I_<target>``),
  ``I_max`` and ``accepted`` (``I_max`` at most the cut-off), ``best``; ``I_emulated``
  (what the emulator predicted before the point was run; empty in wave 1) and ``u_<input>``
  (the point on the unit cube);
- ``calibration_by_replication.csv``: every run's target values;
- ``fit.csv``: per target at the best point: published value and band, the observation
  sd, the simulated mean with its 95% interval over replications, the implausibility;
- ``ranges.csv``: per wave and input, the box sampled and the range of accepted values;
- ``calibrated.yaml``: the base scenario at the best point (``extends`` the base; its
  comments say which values were calibrated and how well they fit);
- ``calibration_plan.yaml`` (the file as run), ``manifest.json``, ``runs/`` (the run store);
- ``figures/`` (written by the command line): ``calibration.png`` (every point's inputs by
  wave, accepted or ruled out), ``calibration_pairs.png`` (input against input: a ridge
  shows what the targets pin), ``calibration_fit.png``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from ..experiment.folder import dump_yaml, make_folder, read_saved, write_file

CSV = ("calibration", "calibration_by_replication", "fit", "ranges")
SCENARIO_FILE = "calibrated.yaml"


@dataclass
class Calibration:
    """What ``calibrate`` returns and ``load_calibration`` reads: the tables of the module
    docstring, the calibration file as run (``plan``), the manifest and the text of
    ``calibrated.yaml``."""

    calibration: pd.DataFrame
    calibration_by_replication: pd.DataFrame
    fit: pd.DataFrame
    ranges: pd.DataFrame
    plan: dict[str, Any]
    manifest: dict[str, Any]
    scenario_text: str  # calibrated.yaml ("" when no point was run)

    @property
    def inputs(self) -> list[str]:
        return list(self.plan["inputs"])

    @property
    def targets(self) -> list[str]:
        return list(self.plan["targets"])

    @property
    def best(self) -> pd.Series | None:
        """The best point's row (smallest maximum implausibility), if any."""
        rows = self.calibration[self.calibration["best"]] if len(self.calibration) else None
        return None if rows is None or rows.empty else rows.iloc[0]

    @property
    def accepted(self) -> pd.DataFrame:
        """The non-implausible points of every wave."""
        return self.calibration[self.calibration["accepted"]]

    def save(self, folder: Path) -> Path:
        folder = make_folder(Path(folder))
        for name in CSV:
            df = getattr(self, name)
            write_file(folder / f"{name}.csv", partial(df.to_csv, index=False))
        if self.scenario_text:
            from .best import moved  # its ``extends`` is relative to where it is written

            text = moved(self.scenario_text, Path(self.manifest["base"]), folder)
            write_file(folder / SCENARIO_FILE, text)
        write_file(folder / "calibration_plan.yaml", dump_yaml(self.plan))
        write_file(folder / "manifest.json", json.dumps(self.manifest, indent=2) + "\n")
        return folder


def load_calibration(folder: str | Path) -> Calibration:
    """Load a folder written by ``calibrate`` (a missing or damaged file is one error)."""
    import yaml

    folder = Path(folder)
    tables = {name: read_saved(folder / f"{name}.csv", pd.read_csv) for name in CSV}
    plan = read_saved(folder / "calibration_plan.yaml",
                      lambda p: yaml.safe_load(p.read_text("utf-8")))  # fmt: skip
    manifest = read_saved(folder / "manifest.json", lambda p: json.loads(p.read_text("utf-8")))
    scenario = folder / SCENARIO_FILE
    text = scenario.read_text("utf-8") if scenario.exists() else ""
    return Calibration(plan=plan, manifest=manifest, scenario_text=text, **tables)
