"""A sensitivity study's results folder: tidy tables a notebook loads in one call.

- ``sensitivity.parquet``: one row per point (and compared variant): the inputs' values
  and every output's replication mean; ``sensitivity_by_replication.parquet``: the
  outputs of every run;
- ``indices.csv``: ``subject`` (a variant, or a difference ``a − b``), ``output``,
  ``input``, ``statistic`` (``mu_star``, ``mu``, ``sigma``; or ``S1``, ``ST``), value and
  95% interval;
- ``noise.csv``: per subject and output, the within- and between-point variances and
  the share of the latter that is simulation noise;
- ``robustness.csv`` and ``rules.csv`` (a compare file as base): per variant the
  probability of being best and its regret; per pair the rule for when the first wins;
- ``study.yaml`` (the study as run), ``manifest.json``, ``runs/`` (the run store),
  ``figures/`` and ``report.html``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from ..experiment.folder import dump_yaml, make_folder, read_saved, write_file

PARQUET = ("sensitivity", "sensitivity_by_replication")
CSV = ("indices", "noise", "robustness", "rules")


def _empty() -> pd.DataFrame:
    return pd.DataFrame()


@dataclass
class Sensitivity:
    """A study's tables (see the module docstring for each), its study file as run and
    its manifest (method, inputs, outputs, points, seed, replications, failures)."""

    sensitivity: pd.DataFrame
    sensitivity_by_replication: pd.DataFrame
    indices: pd.DataFrame
    noise: pd.DataFrame
    study: dict[str, Any]
    manifest: dict[str, Any]
    robustness: pd.DataFrame = field(default_factory=_empty)
    rules: pd.DataFrame = field(default_factory=_empty)

    @property
    def inputs(self) -> list[str]:
        return list(self.study["inputs"])

    @property
    def outputs(self) -> list[str]:
        return list(self.manifest["outputs"])

    def save(self, folder: Path) -> Path:
        folder = make_folder(Path(folder))
        for name in PARQUET:
            df = getattr(self, name)
            write_file(folder / f"{name}.parquet", partial(df.to_parquet, index=False))
        for name in CSV:
            df = getattr(self, name)
            if len(df.columns):
                write_file(folder / f"{name}.csv", partial(df.to_csv, index=False))
        write_file(folder / "study.yaml", dump_yaml(self.study))
        write_file(folder / "manifest.json", json.dumps(self.manifest, indent=2) + "\n")
        return folder


def is_sensitivity_folder(folder: Path) -> bool:
    return (Path(folder) / "sensitivity.parquet").exists()


def load_sensitivity(folder: str | Path) -> Sensitivity:
    """Load a folder written by ``sensitivity`` (a missing or damaged file is one error)."""
    folder = Path(folder)
    tables: dict[str, Any] = {}
    for name in PARQUET:
        tables[name] = read_saved(folder / f"{name}.parquet", pd.read_parquet)
    for name in CSV:
        path = folder / f"{name}.csv"
        if name in ("indices", "noise") or path.exists():
            tables[name] = read_saved(path, partial(pd.read_csv, keep_default_na=False,
                                                    na_values=[""]))  # fmt: skip
    import yaml

    study = read_saved(folder / "study.yaml", lambda p: yaml.safe_load(p.read_text("utf-8")))
    manifest = read_saved(folder / "manifest.json", lambda p: json.loads(p.read_text("utf-8")))
    return Sensitivity(study=study, manifest=manifest, **tables)
