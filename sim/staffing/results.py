"""A staffing results folder.

- ``staffing.csv``: per model and county, officers now and needed, the target's
  estimate with its 95% interval at that head count, the interval's upper end one
  officer fewer (which failed), the status (``met``, ``not reachable up to N``,
  ``no incidents``), and at that head count the county's mean response over all reports,
  share unserved at the end and officer utilisation (what the target does not cover), and
  ``binding``: the targets that fail at the head count below the answer;
- ``targets.csv``: per model and county, every target at the answer: its estimate and
  interval, whether it holds and whether it binds (fails one officer fewer);
- ``totals.csv``: per model, the city total needed and the city-wide indicator there;
- ``curves.csv``: every head count measured, per model and county;
- ``allocation.csv``: the greedy allocation's steps (marginal gain per officer);
- ``scenario.yaml`` (the searched scenario as resolved), ``manifest.json``, ``runs/``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ScenarioError
from ..experiment.folder import dump_yaml, make_folder, read_saved, write_file
from ..scenario.reading import parse_yaml

TABLES = ("table", "totals", "curves", "allocation", "targets")
FILES = {"table": "staffing.csv", "totals": "totals.csv", "curves": "curves.csv",
         "allocation": "allocation.csv", "targets": "targets.csv"}  # fmt: skip


@dataclass
class Staffing:
    target: str
    label: str
    limit: float
    table: pd.DataFrame
    totals: pd.DataFrame
    curves: pd.DataFrame
    allocation: pd.DataFrame
    manifest: dict[str, Any]
    scenario: dict[str, Any] = field(default_factory=dict)
    targets: pd.DataFrame = field(default_factory=pd.DataFrame)  # every target at the answer

    def save(self, folder: str | Path) -> Path:
        """Every file replaced whole, never through a symlink (``folder.write_file``)."""
        folder = make_folder(Path(folder))
        for name in TABLES:
            df = getattr(self, name)
            if len(df.columns):
                write_file(folder / FILES[name], partial(df.to_csv, index=False))
        meta = {**self.manifest, "label": self.label, "limit": self.limit}
        write_file(folder / "manifest.json", json.dumps(meta, indent=2) + "\n")
        write_file(folder / "scenario.yaml", dump_yaml(self.scenario))
        return folder


def is_staffing_folder(folder: str | Path) -> bool:
    return (Path(folder) / FILES["table"]).exists()


def load_staffing(folder: str | Path) -> Staffing:
    """Load a folder written by ``staff`` (for notebooks and the report); a missing or
    damaged file is a ``ScenarioError`` naming it."""
    folder = Path(folder)
    manifest = read_saved(folder / "manifest.json", lambda p: json.loads(p.read_text("utf-8")))
    if not isinstance(manifest, dict) or not isinstance(manifest.get("target"), str):
        raise ScenarioError("target", "damaged: no staffing target", str(folder / "manifest.json"))
    tables = {}
    for name in TABLES:
        path = folder / FILES[name]
        tables[name] = read_saved(path, pd.read_csv) if path.exists() else pd.DataFrame()
    for name in ("table", "totals"):
        if "officers_needed" in tables[name]:
            tables[name]["officers_needed"] = tables[name]["officers_needed"].astype("Int64")
    scenario_file = folder / "scenario.yaml"
    try:
        scenario = parse_yaml(scenario_file.read_text("utf-8")) if scenario_file.exists() else {}
    except ScenarioError as err:  # damaged: name the file
        raise err.located(str(scenario_file)) from None
    return Staffing(
        target=manifest["target"],
        label=manifest.get("label", manifest["target"]),
        limit=float(manifest.get("limit", "nan")),
        manifest=manifest,
        scenario=scenario,
        **tables,
    )
