"""A wave's points as scenario variants, run through the experiment machinery.

Each point is the base scenario loaded with the point's input values as ``--set``
overrides (validated as a scenario file is: a value a field refuses is one line naming
the calibration file and the input). Points run through ``Batch`` (executors, Dask, the
run store) on the calibration's one seed, so every point sees the same random numbers
(common random numbers: differences between points are the inputs', not the noise's) and
a killed calibration rerun with the same command runs only what the store lacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ScenarioError
from ..experiment.executors import Executor
from ..experiment.experiment import Batch, Variant
from ..experiment.options import RunOptions
from ..scenario import load_scenario
from ..sensitivity.inputs import InputSpace
from .statistics import Statistic

CHUNK = 64  # variants whose worlds are built and held at once


@dataclass(frozen=True)
class Setup:
    """What every wave shares: the file, the base, the inputs and the targets' statistics."""

    file: Path
    base: Path
    overrides: tuple[str, ...]
    space: InputSpace
    resolved: dict[str, Any]  # the base scenario, resolved (for ``scale`` inputs)
    statistics: dict[str, Statistic]  # by target name


def variants(setup: Setup, names: list[str], values: list[dict[str, Any]]) -> list[Variant]:
    """One variant per point, named ``names[k]``."""
    out = []
    for name, vals in zip(names, values, strict=True):
        try:
            sets = setup.space.overrides(vals, setup.resolved)
        except ScenarioError as err:
            raise err.located(str(setup.file)) from None
        try:
            loaded = load_scenario(setup.base, overrides=[*setup.overrides, *sets], name=name)
        except ScenarioError as err:
            field = setup.space.field_of(err.path)
            if field is None:
                raise
            msg = err.message.removesuffix(" (value from --set)")
            shown = vals[field.removeprefix("inputs.")]
            raise ScenarioError(
                field, f"{msg} (value {shown!r}, at point {name})", str(setup.file)
            ) from None
        out.append(Variant(name, loaded, {"point": name, **vals}))
    return out


def run_points(
    setup: Setup, points: list[Variant], ex: Executor, options: RunOptions
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """One row per point and replication with every target's value; and the run facts."""
    n = options.replications
    assert n is not None
    records = any(s.needs_records for s in setup.statistics.values())
    keep = ("summary", "timing", *(("incidents",) if records else ()))
    rows: list[dict[str, Any]] = []
    facts: dict[str, Any] = {"failures": [], "runs_reused": 0, "run_wall_s": 0.0}
    for start in range(0, len(points), CHUNK):
        chunk = points[start : start + CHUNK]
        batch = Batch(chunk, ex, options, keep=keep)
        done: dict[tuple[str, int], dict[str, pd.DataFrame]] = {}
        batch.run(n, done)
        facts["failures"] += batch.failures
        facts["runs_reused"] += batch.reused
        for v in chunk:
            sc = v.loaded.scenario
            for r in range(n):
                tables = done.get((v.name, r))
                row: dict[str, Any] = {"point": v.name, "replication": r}
                for target, stat in setup.statistics.items():
                    row[target] = (
                        np.nan
                        if tables is None
                        else stat.value(tables, sc.horizon_hours, sc.warmup_hours)
                    )
                if tables is not None:
                    facts["run_wall_s"] += float(tables["timing"]["wall_s"].sum())
                rows.append(row)
    facts["run_wall_s"] = round(facts["run_wall_s"], 3)
    return pd.DataFrame(rows, columns=["point", "replication", *setup.statistics]), facts
