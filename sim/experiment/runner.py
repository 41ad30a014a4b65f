"""Replications of one scenario: the single-run / many-runs split.

``run_replication`` is one replication from a world; ``run`` loads a scenario,
spreads its replications over an executor and gathers the records and
statistics. This layer never touches SimPy: it calls ``sim.model.simulate``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..errors import ScenarioError
from ..model import simulate
from ..scenario import LoadedScenario, load_scenario
from ..stats import across_replications, summarise_replication
from ..world import World, build_world
from .executors import make_executor
from .manifest import build_manifest
from .results import Results


def run_replication(job: tuple[World, int, int]) -> tuple[pd.DataFrame, ...]:
    """One replication, returning its tables; top-level so process pools can pickle it."""
    world, seed, replication = job
    started = time.perf_counter()
    rec = simulate(world, seed, replication)
    sc = world.scenario
    summary = summarise_replication(
        rec.incidents, rec.inspections, rec.officers, (sc.warmup_hours, sc.horizon_hours)
    ).assign(replication=replication)
    timing = pd.DataFrame(
        {
            "replication": [replication],
            "wall_s": [time.perf_counter() - started],
            "events": [rec.events],
        }
    )
    return rec.incidents, rec.inspections, rec.officers, rec.assignments, summary, timing


def run(
    scenario: str | Path | LoadedScenario,
    *,
    seed: int | None = None,
    replications: int | None = None,
    overrides: Iterable[str] = (),
    workers: int = 1,
    out: str | Path | None = None,
) -> Results:
    """Run a scenario's replications and return (and, with ``out``, save) the results."""
    started = time.perf_counter()
    loaded = (
        scenario
        if isinstance(scenario, LoadedScenario)
        else load_scenario(scenario, overrides=overrides)
    )
    try:
        world = build_world(loaded)
    except ScenarioError as err:
        raise loaded.locate(err) from None
    sc = loaded.scenario
    seed = sc.seed if seed is None else seed
    n = sc.replications if replications is None else replications
    jobs = [(world, seed, r) for r in range(n)]
    with make_executor(workers) as ex:
        parts = list(ex.map(run_replication, jobs))
    incidents, inspections, officers, assignments, per_rep, timing = (
        pd.concat(col, ignore_index=True) for col in zip(*parts, strict=True)
    )
    per_rep = per_rep[["replication", "scope", "group", "indicator", "value"]]
    resolved = sc.model_dump(mode="json", by_alias=True)
    resolved.update(seed=seed, replications=n)
    manifest = build_manifest(
        scenario=sc.name,
        source=str(loaded.source) if loaded.source else None,
        seed=seed,
        replications=n,
        workers=workers,
        overrides=list(overrides),
        wall_time_s=round(time.perf_counter() - started, 3),
        replication_wall_s=[round(x, 4) for x in timing["wall_s"]],
        simpy_events=[int(x) for x in timing["events"]],
    )
    results = Results(
        incidents=incidents,
        inspections=inspections,
        officers=officers,
        assignments=assignments,
        summary=across_replications(per_rep),
        summary_by_replication=per_rep,
        scenario=resolved,
        manifest=manifest,
    )
    if out is not None:
        region = loaded.source.parent / sc.region.townships_csv if loaded.source else None
        results.save(out, region_csv=region)
    return results
