"""A results folder: tidy tables a notebook loads in one call, plus the manifest.

Layout of ``results/<name>/``: ``incidents.parquet``, ``inspections.parquet``,
``officers.parquet``,
``assignments.parquet``, ``summary.csv`` (across replications, with intervals),
``summary_by_replication.csv``, ``summary.json`` (headline indicators),
``scenario.yaml`` (as resolved, with its region CSV copied beside it, so the
folder re-runs on its own) and ``manifest.json``.
"""

from __future__ import annotations

import json
import math
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

TABLES = ("incidents", "inspections", "officers", "assignments")


@dataclass
class Results:
    incidents: pd.DataFrame
    inspections: pd.DataFrame
    officers: pd.DataFrame
    assignments: pd.DataFrame
    summary: pd.DataFrame
    summary_by_replication: pd.DataFrame
    scenario: dict[str, Any]
    manifest: dict[str, Any]

    def headline(self) -> dict[str, dict[str, float | None]]:
        """Scope ``all`` indicators as ``{indicator: {mean, ci95_low, ci95_high}}``."""
        top = self.summary[self.summary["scope"] == "all"]
        return {
            row.indicator: {k: _finite(getattr(row, k)) for k in ("mean", "ci95_low", "ci95_high")}
            for row in top.itertuples()
        }

    def save(self, folder: str | Path, region_csv: Path | None = None) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name in TABLES:
            getattr(self, name).to_parquet(folder / f"{name}.parquet", index=False)
        self.summary.to_csv(folder / "summary.csv", index=False)
        self.summary_by_replication.to_csv(folder / "summary_by_replication.csv", index=False)
        (folder / "summary.json").write_text(json.dumps(self.headline(), indent=2) + "\n")
        scenario = dict(self.scenario)
        if region_csv is not None:
            local = folder / region_csv.name
            if region_csv.resolve() != local.resolve():
                shutil.copyfile(region_csv, local)
            scenario["region"] = {**scenario["region"], "townships_csv": region_csv.name}
        (folder / "scenario.yaml").write_text(
            yaml.safe_dump(scenario, sort_keys=False, allow_unicode=True)
        )
        (folder / "manifest.json").write_text(json.dumps(self.manifest, indent=2) + "\n")
        return folder


def load_results(folder: str | Path) -> Results:
    """Load a results folder written by ``run`` (for notebooks)."""
    folder = Path(folder)
    tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
    return Results(
        **tables,
        summary=pd.read_csv(folder / "summary.csv", keep_default_na=False, na_values=[""]),
        summary_by_replication=pd.read_csv(
            folder / "summary_by_replication.csv", keep_default_na=False, na_values=[""]
        ),
        scenario=yaml.safe_load((folder / "scenario.yaml").read_text()),
        manifest=json.loads((folder / "manifest.json").read_text()),
    )


def _finite(x: float) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None
