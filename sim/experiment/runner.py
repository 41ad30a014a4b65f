"""The experiment verbs of the Python API, mirroring the command line.

``run`` one scenario, ``compare`` variants on common random numbers, ``sweep``
parameters over a grid or a Latin hypercube. Each returns ``Results`` and, with
``out``, writes the results folder (restartable through its run store). How to
run is one ``RunOptions`` (``options=``), or its fields as keywords, or both:
``sim.run(path, replications=3, seed=1)``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ScenarioError
from ..examples import DEFAULT_COMPARE, bundled
from ..scenario import LoadedScenario, load_scenario
from ..scenario.schema import NAME_PATTERN
from .experiment import Variant, run_experiment
from .guards import SizeEstimate, check_inputs, check_runs, checked_world, estimate_size
from .options import RunOptions, run_options
from .partition import batch_count, partition_estimate
from .plans import (
    compare_variants,
    files_as_variants,
    is_compare_file,
    is_sweep_file,
    sweep_variants,
)
from .results import Results


def load(scenario: str | Path | LoadedScenario, options: RunOptions) -> LoadedScenario:
    """A scenario file loaded with the options' overrides; a loaded one as it is."""
    if isinstance(scenario, LoadedScenario):
        return scenario
    return load_scenario(scenario, overrides=list(options.overrides))


def run(
    scenario: str | Path | LoadedScenario, options: RunOptions | None = None, **kwargs: Any
) -> Results:
    """Run one scenario's replications (each audited unless ``audit`` is off)."""
    options = run_options(options, **kwargs)
    loaded = load(scenario, options)
    return run_experiment([Variant(loaded.scenario.name, loaded)], kind="run", options=options)


def compare(
    scenarios: Sequence[str | Path] = (), options: RunOptions | None = None, **kwargs: Any
) -> Results:
    """Variants on the same random numbers: several scenario files, or one compare file
    (a base and named overrides); none runs the bundled comparison of deployment models
    on the calibrated Jinhua baseline."""
    options = run_options(options, **kwargs)
    paths = [Path(p) for p in scenarios] or [bundled(DEFAULT_COMPARE)]
    plan: Any = None
    if len(paths) == 1 and is_compare_file(paths[0]):
        plan, variants = compare_variants(paths[0], list(options.overrides))
    else:
        variants = files_as_variants(paths, list(options.overrides))
    options = options.defaults(getattr(plan, "seed", None), getattr(plan, "replications", None))
    return run_experiment(variants, kind="compare", options=options)


def sweep(plan_file: str | Path, options: RunOptions | None = None, **kwargs: Any) -> Results:
    """Parameters over dotted paths; one row per point and replication in ``.sweep``."""
    options = run_options(options, **kwargs)
    plan, variants = sweep_variants(Path(plan_file), list(options.overrides), options.force)
    options = options.defaults(plan.seed, plan.replications)
    return run_experiment(variants, kind="sweep", options=options)


def check_file(path: str | Path, overrides: Sequence[str] = (), force: bool = False) -> int:
    """Check a scenario, compare or sweep file as the verb that runs it would, short of
    running it: every variant loaded, its world built, its size and the runs of the
    whole experiment checked against the limits. Returns the number of variants."""
    path, overrides = Path(path), list(overrides)
    plan: Any = None
    compared = is_compare_file(path)
    sweep = not compared and is_sweep_file(path)
    if compared:
        plan, variants = compare_variants(path, overrides)
    elif sweep:
        plan, variants = sweep_variants(path, overrides, force)
    else:
        loaded = load_scenario(path, overrides=overrides)
        variants = [Variant(loaded.scenario.name, loaded)]
    estimates = [_estimate(v.loaded, force) for v in variants]
    replications = getattr(plan, "replications", None) or variants[0].loaded.scenario.replications
    try:
        check_runs(estimates, replications, force, keep_records=not sweep)  # as the verbs do
    except ScenarioError as err:
        raise err.located(str(path)) from None
    return len(variants)


def _estimate(loaded: LoadedScenario, force: bool) -> SizeEstimate:
    """One replication's size as the run will make it: of the whole world, or, for a
    region run in batches of counties, of one batch (from the inputs alone: the batch
    worlds, the country's 2,855 county layouts, are built by the run)."""
    try:
        batches = batch_count(loaded, None)
        if batches > 1:
            check_inputs(loaded, force, batches)
            return partition_estimate(loaded, batches, force)
    except ScenarioError as err:
        raise loaded.locate(err) from None
    return estimate_size(checked_world(loaded, force))


def default_name(paths: Sequence[Path], kind: str) -> str:
    """Results folder name for a compare or sweep: the plan file's name or stem."""
    if len(paths) == 1:
        from ..scenario.files import read_yaml

        try:
            name = read_yaml(paths[0]).get("name")
        except Exception:  # noqa: BLE001 - reading is re-done, with errors, by the verb
            name = None
        if isinstance(name, str) and re.fullmatch(NAME_PATTERN, name):
            return name
        return paths[0].stem  # a bad name is reported when the file is validated
    return kind
