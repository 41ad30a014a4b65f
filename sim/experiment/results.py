"""A results folder: tidy tables a notebook loads in one call, plus the manifest.

Layout of ``results/<name>/`` (every table has a ``variant`` column; a plain run
has one variant, named after its scenario):

- ``incidents``, ``inspections``, ``officers``, ``assignments`` (``.parquet``): the
  records, one row per item and replication (not kept for sweeps: see ``runs/``); a
  partitioned run (``sim.experiment.partition``) writes each as a Parquet dataset, a
  folder of that name partitioned by ``county_code`` (``sim.experiment.dataset``), read
  in one call as a file is;
- ``months`` (``.parquet``): with the monthly ranking or deterrence on, one row per
  township, calendar month and replication (effort, score, rank, rate multiplier);
- ``summary.csv``: every indicator by variant and scope, mean over replications,
  95% t interval, and the replications a 5% relative half-width would need;
- ``summary_by_replication.csv``: the same, one value per replication;
- ``differences.csv``: paired differences of every variant from the first;
- ``quantiles.csv``: pooled p50/p90 with bootstrap intervals;
- ``sweep.parquet``: for sweeps, one row per point and replication;
- ``summary.json``: headline (scope ``all``) indicators by variant;
- ``scenario.yaml`` with ``townships.csv`` (one variant), or ``variants/<name>.yaml``
  with ``variants/<name>.townships.csv``: each scenario as resolved, with its own copy
  of its region table, so the folder re-runs on its own;
- ``manifest.json``: versions, seed, timings, failures; ``runs/``: the run store.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ScenarioError
from ..scenario.reading import parse_yaml
from .dataset import PARTITION, remove_dataset, write_dataset
from .folder import dump_yaml, make_folder, read_saved, write_file

RECORDS = ("incidents", "inspections", "officers", "assignments", "grid", "months")
CSV_TABLES = ("summary", "summary_by_replication", "differences", "quantiles")
REQUIRED = ("summary", "summary_by_replication")  # every results folder has them


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
    # one row per township and month, only with a monthly mechanism on (else empty)
    months: pd.DataFrame = field(default_factory=_empty)
    differences: pd.DataFrame = field(default_factory=_empty)
    quantiles: pd.DataFrame = field(default_factory=_empty)
    sweep: pd.DataFrame = field(default_factory=_empty)
    # a partitioned run's record tables left in its run store, (variant, table, file) in
    # order, written into the results' datasets by ``save`` (never all in memory)
    stored_parts: list[tuple[str, str, Path]] = field(default_factory=list)

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
        """Write every table; ``regions`` gives each variant's region CSV to copy. Each
        file is replaced whole, never written through a symlink (``folder.write_file``)."""
        folder = make_folder(Path(folder))
        for name in RECORDS:
            df = getattr(self, name)
            stored = [(v, f) for v, t, f in self.stored_parts if t == name]
            if stored or (PARTITION in df.columns and df[PARTITION].notna().all()):
                write_dataset(folder / f"{name}.parquet", df, stored)  # by variant, county
            elif len(df.columns):
                remove_dataset(folder / f"{name}.parquet")  # of an earlier partitioned run
                write_file(folder / f"{name}.parquet", partial(df.to_parquet, index=False))
        for name in CSV_TABLES:
            df = getattr(self, name)
            if len(df.columns):
                write_file(folder / f"{name}.csv", partial(df.to_csv, index=False))
        if len(self.sweep.columns):
            write_file(folder / "sweep.parquet", partial(self.sweep.to_parquet, index=False))
        headline = {v: self.headline(v) for v in self.variants}
        write_file(folder / "summary.json", json.dumps(headline, indent=2) + "\n")
        single = len(self.scenarios) == 1
        for variant, scenario in self.scenarios.items():
            where = folder if single else make_folder(folder / "variants")
            stem = "scenario" if single else variant
            region = (regions or {}).get(variant)
            scenario = dict(scenario)
            if region is not None:
                # a name of the variant's own: two variants' region files may share a name
                local = where / ("townships.csv" if single else f"{variant}.townships.csv")
                if region.resolve() != local.resolve():
                    write_file(local, region.read_bytes())
                scenario["region"] = {**scenario["region"], "townships_csv": local.name}
            text = dump_yaml(scenario)
            write_file(where / f"{stem}.yaml", text)
        write_file(folder / "manifest.json", json.dumps(self.manifest, indent=2) + "\n")
        return folder


def load_results(folder: str | Path) -> Results:
    """Load a results folder written by ``run``, ``compare`` or ``sweep`` (for notebooks).
    A missing or damaged file is a ``ScenarioError`` naming it."""
    folder = Path(folder)
    manifest = read_saved(folder / "manifest.json", lambda p: json.loads(p.read_text("utf-8")))
    variants = manifest.get("variants") if isinstance(manifest, dict) else None
    if not (isinstance(variants, list) and variants and all(isinstance(v, str) for v in variants)):
        raise ScenarioError("variants", "damaged: no list of variant names",
                            str(folder / "manifest.json"))  # fmt: skip
    tables: dict[str, Any] = {}
    for name in RECORDS:
        if (folder / f"{name}.parquet").exists():
            tables[name] = read_saved(folder / f"{name}.parquet", pd.read_parquet)
    for name in CSV_TABLES:
        path = folder / f"{name}.csv"
        if name in REQUIRED or path.exists():
            tables[name] = read_saved(
                path, partial(pd.read_csv, keep_default_na=False, na_values=[""])
            )
    if (folder / "sweep.parquet").exists():
        tables["sweep"] = read_saved(folder / "sweep.parquet", pd.read_parquet)
    if (folder / "scenario.yaml").exists():
        files = {variants[0]: folder / "scenario.yaml"}
    else:
        files = {v: folder / "variants" / f"{v}.yaml" for v in variants}
    scenarios = {v: read_saved(path, _yaml_mapping) for v, path in files.items()}
    return Results(scenarios=scenarios, manifest=manifest, **tables)


def _yaml_mapping(path: Path) -> dict[str, Any]:
    try:  # read as scenario files are (YAML 1.2, capped), so a saved variant reruns the same
        data = parse_yaml(path.read_text("utf-8"))
    except ScenarioError as err:
        raise ValueError(str(err)) from None
    if not isinstance(data, dict):
        raise ValueError("not a scenario mapping")
    return data


def _finite(x: float) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None
