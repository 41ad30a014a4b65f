"""The experiment verbs of the Python API, mirroring the command line.

``run`` one scenario, ``compare`` variants on common random numbers, ``sweep``
parameters over a grid or a Latin hypercube. Each returns ``Results`` and, with
``out``, writes the results folder (restartable through its run store).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..scenario import LoadedScenario, load_scenario
from ..scenario.schema import NAME_PATTERN
from .experiment import Variant, run_experiment
from .plans import compare_variants, files_as_variants, is_compare_file, sweep_variants
from .results import Results

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SCENARIO = ROOT / "scenarios" / "default.yaml"
DEFAULT_COMPARE = ROOT / "scenarios" / "jinhua" / "deployment_models.yaml"


def run(
    scenario: str | Path | LoadedScenario,
    *,
    seed: int | None = None,
    replications: int | None = None,
    overrides: Iterable[str] = (),
    jobs: int | None = 1,
    dask: str | None = None,
    out: str | Path | None = None,
    quiet: bool = True,
    precision: float | None = None,
    audit: bool = True,
    force: bool = False,
    max_run_seconds: float | None = None,
) -> Results:
    """Run one scenario's replications (each audited unless ``audit`` is off)."""
    loaded = (
        scenario
        if isinstance(scenario, LoadedScenario)
        else load_scenario(scenario, overrides=list(overrides))
    )
    return run_experiment(
        [Variant(loaded.scenario.name, loaded)],
        kind="run", seed=seed, replications=replications, jobs=jobs, dask=dask, out=out,
        quiet=quiet, precision=precision, audit=audit, force=force,
        max_run_seconds=max_run_seconds,
    )  # fmt: skip


def compare(
    scenarios: Sequence[str | Path] = (),
    *,
    seed: int | None = None,
    replications: int | None = None,
    overrides: Iterable[str] = (),
    jobs: int | None = 1,
    dask: str | None = None,
    out: str | Path | None = None,
    quiet: bool = True,
    precision: float | None = None,
    audit: bool = True,
    force: bool = False,
    max_run_seconds: float | None = None,
) -> Results:
    """Variants on the same random numbers: several scenario files, or one compare file
    (a base and named overrides); none runs the bundled comparison of deployment models
    on the calibrated Jinhua baseline."""
    paths = [Path(p) for p in scenarios] or [DEFAULT_COMPARE]
    plan: Any = None
    if len(paths) == 1 and is_compare_file(paths[0]):
        plan, variants = compare_variants(paths[0], list(overrides))
    else:
        variants = files_as_variants(paths, list(overrides))
    return run_experiment(
        variants,
        kind="compare",
        seed=seed if seed is not None else getattr(plan, "seed", None),
        replications=replications or getattr(plan, "replications", None),
        jobs=jobs, dask=dask, out=out, quiet=quiet, precision=precision, audit=audit,
        force=force, max_run_seconds=max_run_seconds,
    )  # fmt: skip


def sweep(
    plan_file: str | Path,
    *,
    seed: int | None = None,
    replications: int | None = None,
    overrides: Iterable[str] = (),
    jobs: int | None = 1,
    dask: str | None = None,
    out: str | Path | None = None,
    quiet: bool = True,
    keep_records: bool = False,
    audit: bool = True,
    force: bool = False,
    max_run_seconds: float | None = None,
) -> Results:
    """Parameters over dotted paths; one row per point and replication in ``.sweep``."""
    plan, variants = sweep_variants(Path(plan_file), list(overrides))
    return run_experiment(
        variants,
        kind="sweep",
        seed=seed if seed is not None else plan.seed,
        replications=replications or plan.replications,
        jobs=jobs, dask=dask, out=out, quiet=quiet, keep_records=keep_records, audit=audit,
        force=force, max_run_seconds=max_run_seconds,
    )  # fmt: skip


def default_name(paths: Sequence[Path], kind: str) -> str:
    """Results folder name for a compare or sweep: the plan file's name or stem."""
    if len(paths) == 1:
        from ..scenario.files import read_yaml

        try:
            name = read_yaml(paths[0]).get("name")
        except Exception:  # noqa: BLE001 - reading is re-done, with errors, by the verb
            name = None
        if isinstance(name, str) and re.match(NAME_PATTERN, name):
            return name
        return paths[0].stem  # a bad name is reported when the file is validated
    return kind
