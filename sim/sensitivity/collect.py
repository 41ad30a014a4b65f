"""Running a study's points through the experiment machinery, and each run's outputs.

Points go through ``Batch`` (executors, Dask, the run store) a chunk at a time, so the
worlds of a large design are not all held at once; every point runs on the study's one
seed (common random numbers), and a killed study rerun with the same command runs only
what the store lacks. Of each run only its outputs are kept.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..experiment.executors import make_executor
from ..experiment.experiment import Batch
from ..experiment.options import RunOptions
from .points import Design

CHUNK = 64  # variants whose worlds are built and held at once


def run_points(d: Design, options: RunOptions) -> tuple[pd.DataFrame, dict[str, Any]]:
    """One row per point, variant and replication with every output; and the run facts
    (failures, runs reused, wall time of the runs, executor)."""
    n = d.replications
    targets = any(o.target is not None for o in d.outputs)
    keep = ("summary", "timing", *(("incidents",) if targets else ()))
    rows: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    reused, wall, events = 0, 0.0, 0
    with make_executor(options.jobs, options.dask) as ex:
        for start in range(0, len(d.variants), CHUNK):
            chunk = d.variants[start : start + CHUNK]
            batch = Batch(chunk, ex, options, keep=keep)
            done: dict[tuple[str, int], dict[str, pd.DataFrame]] = {}
            batch.run(n, done)
            failures += batch.failures
            reused += batch.reused
            for v in chunk:
                horizon_h = v.loaded.scenario.horizon_hours
                for r in range(n):
                    if (v.name, r) not in done:
                        continue
                    tables = done[(v.name, r)]
                    wall += float(tables["timing"]["wall_s"].sum())
                    events += int(tables["timing"]["events"].sum())
                    row = {"point": v.params["point"], "variant": v.params["subject"],
                           "replication": r}  # fmt: skip
                    rows.append(row | outputs_of(d, tables, horizon_h))
            executor = ex.name
    columns = ["point", "variant", "replication", *(o.text for o in d.outputs)]
    facts = {"failures": failures, "runs_reused": reused, "run_wall_s": round(wall, 3),
             "simpy_events": events, "executor": executor}  # fmt: skip
    return pd.DataFrame(rows, columns=columns), facts


def outputs_of(d: Design, tables: dict[str, pd.DataFrame], horizon_h: float) -> dict[str, float]:
    """One run's outputs: headline indicators (scope ``all``) and record statistics."""
    s = tables["summary"]
    top = s[s["scope"] == "all"].set_index("indicator")["value"]
    out = {}
    for o in d.outputs:
        if o.target is None:
            out[o.text] = float(top.get(o.text, np.nan))
            continue
        values = o.target.values(tables["incidents"], horizon_h)["value"].to_numpy(dtype=float)
        if len(values) == 0:
            out[o.text] = np.nan
        elif o.target.stat == "mean":
            out[o.text] = float(values.mean())
        else:
            out[o.text] = float(np.quantile(values, o.target.q))
    return out
