"""A staffing results folder.

- ``staffing.csv``: per model and county, officers now and needed, the target's
  estimate with its 95% interval at that head count, the interval's upper end one
  officer fewer (which failed), the status (``met``, ``not reachable up to N``,
  ``no incidents``), and at that head count the county's mean response over all reports,
  share unserved at the end and officer utilisation (what the target does not cover);
- ``totals.csv``: per model, the city total needed and the city-wide indicator there;
- ``curves.csv``: every head count measured, per model and county;
- ``allocation.csv``: the greedy allocation's steps (marginal gain per officer);
- ``scenario.yaml`` (the searched scenario as resolved), ``manifest.json``, ``runs/``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

TABLES = ("table", "totals", "curves", "allocation")
FILES = {"table": "staffing.csv", "totals": "totals.csv", "curves": "curves.csv",
         "allocation": "allocation.csv"}  # fmt: skip


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

    def save(self, folder: str | Path) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name in TABLES:
            df = getattr(self, name)
            if len(df.columns):
                df.to_csv(folder / FILES[name], index=False)
        meta = {**self.manifest, "label": self.label, "limit": self.limit}
        (folder / "manifest.json").write_text(json.dumps(meta, indent=2) + "\n")
        (folder / "scenario.yaml").write_text(
            yaml.safe_dump(self.scenario, sort_keys=False, allow_unicode=True)
        )
        return folder


def is_staffing_folder(folder: str | Path) -> bool:
    return (Path(folder) / FILES["table"]).exists()


def load_staffing(folder: str | Path) -> Staffing:
    """Load a folder written by ``staff`` (for notebooks and the report)."""
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    tables = {}
    for name in TABLES:
        path = folder / FILES[name]
        tables[name] = pd.read_csv(path) if path.exists() else pd.DataFrame()
    for name in ("table", "totals"):
        if "officers_needed" in tables[name]:
            tables[name]["officers_needed"] = tables[name]["officers_needed"].astype("Int64")
    scenario_file = folder / "scenario.yaml"
    scenario = yaml.safe_load(scenario_file.read_text()) if scenario_file.exists() else {}
    return Staffing(
        target=manifest["target"],
        label=manifest.get("label", manifest["target"]),
        limit=float(manifest.get("limit", "nan")),
        manifest=manifest,
        scenario=scenario,
        **tables,
    )
