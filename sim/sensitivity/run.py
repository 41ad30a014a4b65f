"""``sensitivity``: the study verb of the Python API, mirroring the command line."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pandas as pd

from ..experiment.folder import results_folder
from ..experiment.manifest import build_manifest
from ..experiment.options import RunOptions, run_options
from .analysis import decisions, indices_and_noise, point_table
from .collect import run_points
from .points import make_design
from .results import Sensitivity


def sensitivity(
    study_file: str | Path, options: RunOptions | None = None, **kwargs: Any
) -> Sensitivity:
    """Run a study file: every point of its design (x every variant of a compare file as
    base) on common random numbers, then the indices, the noise share and, with a
    compare file, the robust-decision tables. With ``out`` the folder is written and a
    killed study resumes from its run store. ``seed`` and ``replications`` in the
    options override the study's."""
    started = time.perf_counter()
    options = run_options(options, **kwargs)
    d = make_design(Path(study_file), list(options.overrides), options.force,
                    seed=options.seed, replications=options.replications)  # fmt: skip
    options = options.defaults(d.seed, d.replications)
    with results_folder(options.out, options.overwrite):
        per_rep, facts = run_points(d, options)
        table = point_table(d, per_rep)
        complete = not facts["failures"]
        indices, noise = indices_and_noise(d, per_rep) if complete else (None, None)
        robust, rules = decisions(d, table) if complete else (None, None)
        result = Sensitivity(
            sensitivity=table,
            sensitivity_by_replication=per_rep,
            indices=indices if indices is not None else pd.DataFrame(),
            noise=noise if noise is not None else pd.DataFrame(),
            robustness=robust if robust is not None else pd.DataFrame(),
            rules=rules if rules is not None else pd.DataFrame(),
            study=d.plan.model_dump(mode="json", exclude_none=True),
            manifest=build_manifest(
                kind="sensitivity",
                study=str(d.file),
                method=d.plan.method,
                variants=d.subjects,
                inputs=d.space.names,
                outputs=[o.text for o in d.outputs],
                decision=d.decision.text if d.decision else None,
                points=len(d.values),
                seed=d.seed,
                replications=d.replications,
                jobs=options.jobs,
                wall_time_s=round(time.perf_counter() - started, 3),
                **facts,
            ),
        )
        if options.out is not None:
            result.save(options.out)
    return result
