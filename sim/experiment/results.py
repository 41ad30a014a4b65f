"""A results folder: tidy tables a notebook loads in one call, plus the manifest.

Layout of ``results/<name>/`` (every table has a ``variant`` column; a plain run
has one variant, named after its scenario):

- ``incidents``, ``inspections``, ``officers``, ``assignments`` (``.parquet``): the
  records, one row per item and replication (not kept for sweeps: see ``runs/``);
- ``summary.csv``: every indicator by variant and scope, mean over replications,
  95% t interval, and the replications a 5% relative half-width would need;
- ``summary_by_replication.csv``: the same, one value per replication;
- ``differences.csv``: paired differences of every variant from the first;
- ``quantiles.csv``: pooled p50/p90 with bootstrap intervals;
- ``sweep.parquet``: for sweeps, one row per point and replication;
- ``summary.json``: headline (scope ``all``) indicators by variant;
- ``scenario.yaml`` (one variant) or ``variants/<name>.yaml``: each scenario as
  resolved, with its region CSV copied beside it, so the folder re-runs on its own;
- ``manifest.json``: versions, seed, timings, failures; ``runs/``: the run store.
"""

from __future__ import annotations

import json
import math
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

RECORDS = ("incidents", "inspections", "officers", "assignments", "grid")
CSV_TABLES = ("summary", "summary_by_replication", "differences", "quantiles")


def _empty() -> pd.DataFrame:
    return pd.DataFrame()


@dataclass
class Results:
    summary: pd.DataFrame
    summary_by_replication: pd.DataFrame
    scenarios: dict[str, dict[str, Any]]
    manifest: dict[str, Any]
    incidents: pd.DataFrame = field(default_factory=_empty)
    inspections: pd.DataFrame = field(default_factory=_empty)
    officers: pd.DataFrame = field(default_factory=_empty)
    assignments: pd.DataFrame = field(default_factory=_empty)
    grid: pd.DataFrame = field(default_factory=_empty)
    differences: pd.DataFrame = field(default_factory=_empty)
    quantiles: pd.DataFrame = field(default_factory=_empty)
    sweep: pd.DataFrame = field(default_factory=_empty)

    @property
    def variants(self) -> list[str]:
        return list(self.scenarios)

    @property
    def scenario(self) -> dict[str, Any]:
        """The (first) variant's resolved scenario."""
        return next(iter(self.scenarios.values()))

    def headline(self, variant: str | None = None) -> dict[str, dict[str, float | None]]:
        """Scope ``all`` indicators as ``{indicator: {mean, ci95_low, ci95_high}}``."""
        variant = variant or self.variants[0]
        top = self.summary[(self.summary["scope"] == "all") & (self.summary["variant"] == variant)]
        return {
            row.indicator: {k: _finite(getattr(row, k)) for k in ("mean", "ci95_low", "ci95_high")}
            for row in top.itertuples()
        }

    def save(self, folder: str | Path, regions: dict[str, Path | None] | None = None) -> Path:
        """Write every table; ``regions`` gives each variant's region CSV to copy."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name in RECORDS:
            df = getattr(self, name)
            if len(df.columns):
                df.to_parquet(folder / f"{name}.parquet", index=False)
        for name in CSV_TABLES:
            df = getattr(self, name)
            if len(df.columns):
                df.to_csv(folder / f"{name}.csv", index=False)
        if len(self.sweep.columns):
            self.sweep.to_parquet(folder / "sweep.parquet", index=False)
        headline = {v: self.headline(v) for v in self.variants}
        (folder / "summary.json").write_text(json.dumps(headline, indent=2) + "\n")
        single = len(self.scenarios) == 1
        for variant, scenario in self.scenarios.items():
            where = folder if single else folder / "variants"
            where.mkdir(exist_ok=True)
            region = (regions or {}).get(variant)
            scenario = dict(scenario)
            if region is not None:
                local = where / region.name
                if region.resolve() != local.resolve():
                    shutil.copyfile(region, local)
                scenario["region"] = {**scenario["region"], "townships_csv": region.name}
            name = "scenario.yaml" if single else f"{variant}.yaml"
            (where / name).write_text(yaml.safe_dump(scenario, sort_keys=False, allow_unicode=True))
        (folder / "manifest.json").write_text(json.dumps(self.manifest, indent=2) + "\n")
        return folder


def load_results(folder: str | Path) -> Results:
    """Load a results folder written by ``run``, ``compare`` or ``sweep`` (for notebooks)."""
    folder = Path(folder)
    tables: dict[str, Any] = {}
    for name in RECORDS:
        if (folder / f"{name}.parquet").exists():
            tables[name] = pd.read_parquet(folder / f"{name}.parquet")
    for name in CSV_TABLES:
        if (folder / f"{name}.csv").exists():
            tables[name] = pd.read_csv(
                folder / f"{name}.csv", keep_default_na=False, na_values=[""]
            )
    if (folder / "sweep.parquet").exists():
        tables["sweep"] = pd.read_parquet(folder / "sweep.parquet")
    if (folder / "scenario.yaml").exists():
        manifest = json.loads((folder / "manifest.json").read_text())
        scenarios = {
            manifest["variants"][0]: yaml.safe_load((folder / "scenario.yaml").read_text())
        }
    else:
        manifest = json.loads((folder / "manifest.json").read_text())
        scenarios = {
            v: yaml.safe_load((folder / "variants" / f"{v}.yaml").read_text())
            for v in manifest["variants"]
        }
    return Results(scenarios=scenarios, manifest=manifest, **tables)


def _finite(x: float) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None
