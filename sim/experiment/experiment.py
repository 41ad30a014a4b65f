"""An experiment: variants x replications on common random numbers, over an executor.

``run``, ``compare`` and ``sweep`` are all experiments; they differ only in how
the variants are made. Every run goes through the run store when there is an
output folder, so a crashed or killed experiment restarted with the same
command runs only what is missing and ends with the same tables.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from ..audit import audit as audit_records
from ..errors import ScenarioError
from ..model import simulate
from ..scenario import LoadedScenario
from ..scenario.schema import Scenario
from ..stats import across_replications, summarise_replication
from ..stats.compare import bootstrap_quantiles, paired_differences, replications_needed
from ..stats.costs import cost_rows
from ..world import World, build_world
from ..world.build import region_world
from .executors import Executor, make_executor
from .folder import results_folder
from .guards import check_inputs, check_runs, check_size
from .manifest import build_manifest
from .options import RunOptions
from .partition import (
    PART_TABLES,
    RECORD_TABLES,
    PartOutcome,
    PartSpec,
    batch_count,
    execute_part,
    merge_parts,
    partition_estimate,
    plan_batches,
    with_county_codes,
)
from .results import RECORDS, Results
from .store import DATASETS, RunStore, run_key

QUANTILE_INDICATORS = {"response_h": ("reported_h", "arrived_h")}


@dataclass(frozen=True)
class Variant:
    name: str
    loaded: LoadedScenario
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RunSpec:
    variant: str
    world: World
    replication: int
    key: str
    options: RunOptions


@dataclass
class RunOutcome:
    variant: str
    replication: int
    tables: dict[str, pd.DataFrame] | None
    error: str | None = None


def run_tables(
    world: World, seed: int, replication: int, check: bool = True, limit_s: float | None = None
) -> dict[str, pd.DataFrame]:
    """One replication's records (audited unless ``check`` is off), indicators and timing."""
    started = time.perf_counter()
    rec = simulate(world, seed, replication, time_limit_s=limit_s)
    sc = world.scenario
    if check:
        audit_records(
            rec.incidents,
            rec.officers,
            rec.assignments,
            shortfall_policy=sc.enforcement.shortfall_policy,
            window_hours=(sc.warmup_hours, sc.horizon_hours),
            world=world,
        )
    tables = {
        "incidents": rec.incidents,
        "inspections": rec.inspections,
        "officers": rec.officers,
        "assignments": rec.assignments,
        "grid": rec.grid,
    }
    if rec.months is not None:  # only with a monthly mechanism on (ranking, deterrence)
        tables["months"] = rec.months
    timing = pd.DataFrame(
        {"replication": [replication], "wall_s": [time.perf_counter() - started],
         "events": [rec.events]}
    )  # fmt: skip
    return summarised(world.scenario, tables, replication, timing, world)


def summarised(
    sc: Scenario,
    tables: dict[str, pd.DataFrame],
    replication: int,
    timing: pd.DataFrame,
    world: World | None,
    officers: int | None = None,
) -> dict[str, pd.DataFrame]:
    """A replication's record tables with its indicators (``summary``) and ``timing``: of
    one run, or of the merged batches of a partitioned one (``world`` is then the region's,
    without units, and ``officers`` their head count; both only read for the cost
    indicator)."""
    summary = summarise_replication(
        tables["incidents"],
        tables["inspections"],
        tables["officers"],
        (sc.warmup_hours, sc.horizon_hours),
        tables["grid"],
        tables.get("months"),
    ).assign(replication=replication)
    if sc.costs is not None:  # only with a costs block (sim.stats.costs)
        assert world is not None, "the cost indicator needs the world's grid"
        costs = cost_rows(world, tables["incidents"], replication, officers)
        summary = pd.concat([summary, costs], ignore_index=True)
    out = dict(tables)
    out.update(summary=summary, timing=timing)
    return out


def execute(spec: RunSpec) -> RunOutcome:
    """Run one replication and store it; top-level so process pools and Dask can ship it."""
    opt, store = spec.options, spec.options.runs_folder
    try:
        tables = run_tables(spec.world, opt.seed, spec.replication, opt.audit, opt.max_run_seconds)
        if store is not None:
            RunStore(store).save(spec.key, tables)
        return RunOutcome(spec.variant, spec.replication, tables)
    except Exception as err:  # a failed run is recorded; the others go on
        info = {"variant": spec.variant, "replication": spec.replication,
                "error": repr(err), "traceback": traceback.format_exc()}  # fmt: skip
        if store is not None:
            RunStore(store).save_error(spec.key, info)
        return RunOutcome(spec.variant, spec.replication, None, info["traceback"])


def execute_any(spec: RunSpec | PartSpec) -> RunOutcome | PartOutcome:
    """A whole replication or one batch of counties of one (one executor pass for both)."""
    return execute_part(spec) if isinstance(spec, PartSpec) else execute(spec)


class Batch:
    """Variants' replications through an open executor and the run store.

    Worlds are built once; ``run`` runs only the (variant, replication) pairs not
    already in ``done`` or in the store, so an experiment that adds replications
    (``--precision``) or probes (the staffing search) never repeats a run.
    ``options`` carry the seed (filled in: ``RunOptions.defaults``). ``keep`` names the
    tables kept of each run (None: all); a sweep that keeps no records keeps only its
    indicators, so its runs' records do not pile up in memory.
    """

    def __init__(
        self,
        variants: list[Variant],
        ex: Executor,
        options: RunOptions,
        keep: tuple[str, ...] | None = None,
    ) -> None:
        assert options.seed is not None, "fill in the seed first (RunOptions.defaults)"
        self.variants, self.ex, self.keep = variants, ex, keep
        self.progress = options.progress  # called here; workers get options without it
        self.options = replace(options, progress=None)
        folder = options.runs_folder
        self.store = RunStore(folder) if folder is not None else None
        self.failures: list[dict[str, Any]] = []
        self.reused = 0
        # variants whose replications are cut into batches of counties: no world of the
        # whole region is built (the country's would not fit); each batch builds its own
        self.batches: dict[str, list[tuple[str, ...]]] = {}
        for v in variants:
            try:
                n_batches = batch_count(v.loaded, options.partitions)
                check_inputs(v.loaded, options.force, n_batches)
            except ScenarioError as err:
                raise v.loaded.locate(err) from None
            if n_batches > 1:
                self.batches[v.name] = plan_batches(v.loaded, n_batches)
        whole = [v for v in variants if v.name not in self.batches]
        self.worlds = _build_all(whole, ex) if whole else {}
        self.estimates = []
        for v in variants:
            try:
                if v.name in self.batches:
                    est = partition_estimate(v.loaded, len(self.batches[v.name]), options.force)
                else:
                    est = check_size(self.worlds[v.name], options.force)
                self.estimates.append(est)
            except ScenarioError as err:
                raise v.loaded.locate(err) from None
        seed = options.seed
        self._keys = {v.name: _hashable(_resolved(v.loaded, seed, 0), v.loaded) for v in variants}
        # what a worker's caches of a batched variant's region draws and worlds are keyed by
        self._scenario_keys = {v: run_key(self._keys[v], seed, -1) for v in self.batches}
        self.parts: dict[tuple[str, int], dict[int, dict[str, pd.DataFrame]]] = {}
        # every batch's run-store key, by (variant, replication), in batch order
        self.part_keys: dict[tuple[str, int], list[str]] = {}

    def run(self, n: int, done: dict[tuple[str, int], dict[str, pd.DataFrame]]) -> None:
        """Fill ``done`` with replications ``0..n-1`` of every variant (failures recorded)."""
        try:
            workers = getattr(self.ex, "workers", 1)
            check_runs(self.estimates, n, self.options.force, workers, self.keep is None)
        except ScenarioError as err:
            raise self.variants[0].loaded.locate(err) from None
        specs: list[RunSpec | PartSpec] = []
        store = self.store
        for v in self.variants:
            for r in range(n):
                if (v.name, r) in done:
                    continue
                if v.name in self.batches:
                    specs.extend(self._part_specs(v, r, done))
                    continue
                key = run_key(self._keys[v.name], self.options.seed, r)
                stored = store.get(key) if store is not None else None
                if stored is not None:
                    done[(v.name, r)] = self._kept(stored)
                    self.reused += 1
                else:
                    specs.append(RunSpec(v.name, self.worlds[v.name], r, key, self.options))
        quiet = self.options.quiet
        bar = tqdm(total=len(specs), disable=True if quiet or not specs else None,
                   unit="run", leave=False)  # fmt: skip
        for finished, outcome in enumerate(self.ex.imap_unordered(execute_any, specs), start=1):
            if outcome.tables is None:
                self.failures.append({"variant": outcome.variant,
                                      "replication": outcome.replication,
                                      "traceback": outcome.error})  # fmt: skip
            elif isinstance(outcome, PartOutcome):
                self._part_done(outcome.variant, outcome.replication, outcome.batch,
                                outcome.tables, done)  # fmt: skip
            else:
                done[(outcome.variant, outcome.replication)] = self._kept(outcome.tables)
            bar.update()
            bar.set_postfix(failed=len(self.failures))
            if self.progress is not None:
                self.progress(finished, len(specs))
        bar.close()

    def _part_specs(self, v: Variant, r: int, done: dict) -> list[PartSpec]:
        """The batches of replication ``r`` not yet run (stored ones are loaded)."""
        seed = self.options.seed
        assert seed is not None
        scenario_key = self._scenario_keys[v.name]
        whole = run_key(self._keys[v.name], seed, r)  # hashed once: the region is large
        keep_assignments = self.store is None and (self.keep is None or "assignments" in self.keep)
        datasets = self.store is not None and self.keep is None
        specs = []
        keys = self.part_keys[(v.name, r)] = []
        for b, counties in enumerate(self.batches[v.name]):
            key = run_key({"run": whole, "partition": list(counties)}, seed, r)
            keys.append(key)
            stored = self.store.get(key, PART_TABLES) if self.store is not None else None
            if stored is not None:
                self.reused += 1
                self._part_done(v.name, r, b, stored, done)
            else:
                specs.append(PartSpec(v.name, v.loaded, counties, b, r, key, scenario_key,
                                      self.options, keep_assignments, datasets))  # fmt: skip
        return specs

    def _part_done(self, variant: str, r: int, b: int, tables: dict, done: dict) -> None:
        """A batch is in; with every batch of its replication in, the replication is."""
        got = self.parts.setdefault((variant, r), {})
        got[b] = tables
        if len(got) < len(self.batches[variant]):
            return
        del self.parts[(variant, r)]
        loaded = next(v.loaded for v in self.variants if v.name == variant)
        merged = merge_parts(loaded, [got[k] for k in sorted(got)])
        parts = merged.pop("timing")
        timing = pd.DataFrame({"replication": [r], "wall_s": [float(parts["wall_s"].sum())],
                               "events": [int(parts["events"].sum())]})  # fmt: skip
        sc = loaded.scenario
        region = region_world(loaded) if sc.costs is not None else None  # its grid: costs
        done[(variant, r)] = self._kept(
            summarised(sc, merged, r, timing, region, len(merged["officers"]))
        )

    def _kept(self, tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        return tables if self.keep is None else {k: tables[k] for k in self.keep if k in tables}


def run_experiment(
    variants: list[Variant], *, kind: str, options: RunOptions | None = None
) -> Results:
    """Run every variant's replications and gather tables and statistics; a seed or a
    replication count not in ``options`` is the first variant's scenario's."""
    started = time.perf_counter()
    first = variants[0].loaded.scenario
    opt = (options or RunOptions()).defaults(first.seed, first.replications)
    with results_folder(opt.out, opt.overwrite):  # held until every table is written
        results = _experiment(variants, kind, opt, started)
        if opt.out is not None:
            results.save(opt.out, regions={v.name: _region(v.loaded) for v in variants})
    return results


def _experiment(variants: list[Variant], kind: str, opt: RunOptions, started: float) -> Results:
    """The experiment itself, while its folder (if any) is held."""
    seed, n, precision, most = opt.seed, opt.replications, opt.precision, opt.max_replications
    assert seed is not None and n is not None
    keep_records = kind != "sweep" if opt.keep_records is None else opt.keep_records
    done: dict[tuple[str, int], dict[str, pd.DataFrame]] = {}
    with make_executor(opt.jobs, opt.dask) as ex:
        batch = Batch(variants, ex, opt, keep=None if keep_records else ("summary", "timing"))
        while True:
            batch.run(n, done)
            if precision is None or batch.failures:
                break
            per_rep = _gather(done, variants, n, "summary")
            need = _needed(per_rep, precision, opt.precision_indicator)
            if need <= n or n >= most:
                break
            n = min(need, most)
    resolved = {v.name: _resolved(v.loaded, seed, n) for v in variants}
    failures, reused = batch.failures, batch.reused
    cols = ["variant", "replication", "scope", "group", "indicator", "value"]
    per_rep = _gather(done, variants, n, "summary")
    per_rep = per_rep[cols] if len(per_rep) else pd.DataFrame(columns=cols)  # all runs failed
    summary = across_replications(per_rep)
    summary["replications_for_5pct"] = replications_needed(summary, precision or 0.05)
    timing = _gather(done, variants, n, "timing")
    stored_parts = []
    if batch.batches:
        for (name, r), tables in done.items():  # a whole-region variant beside batched ones
            if name not in batch.batches:
                loaded = next(v.loaded for v in variants if v.name == name)
                done[(name, r)] = with_county_codes(loaded, tables)
        if keep_records and batch.store is not None:  # written by the workers, by county
            stored_parts = [
                (v.name, table, batch.store.path(key) / DATASETS / table)
                for table in RECORD_TABLES
                for v in variants
                for r in range(n)
                if (v.name, r) in done
                for key in batch.part_keys.get((v.name, r), ())
            ]
    records = {t: _gather(done, variants, n, t) for t in RECORDS} if keep_records else {}
    return Results(
        summary=summary,
        summary_by_replication=per_rep,
        scenarios=resolved,
        manifest=build_manifest(
            kind=kind,
            variants=[v.name for v in variants],
            sources={v.name: str(v.loaded.source) if v.loaded.source else None for v in variants},
            regions={v.name: str(r) if (r := _region(v.loaded)) else None for v in variants},
            seed=seed,
            replications=n,
            executor=ex.name,
            jobs=opt.jobs,
            wall_time_s=round(time.perf_counter() - started, 3),
            runs_reused=reused,
            run_wall_s=round(float(timing["wall_s"].sum()), 3) if len(timing) else 0.0,
            simpy_events=int(timing["events"].sum()) if len(timing) else 0,
            failures=failures,
        ),
        differences=(
            paired_differences(per_rep, variants[0].name) if len(variants) > 1 else pd.DataFrame()
        ),
        quantiles=_quantiles(records["incidents"], variants) if keep_records else pd.DataFrame(),
        sweep=_sweep_table(per_rep, variants) if kind == "sweep" else pd.DataFrame(),
        stored_parts=stored_parts,
        **records,
    )


def _build(job: tuple[int, Variant]) -> tuple[int, World]:
    k, v = job
    try:
        return k, build_world(v.loaded)
    except ScenarioError as err:
        raise v.loaded.locate(err) from None


def _build_all(variants: list[Variant], ex: Executor) -> dict[str, World]:
    """Worlds are built by the workers too: generating layouts for many variants or sweep
    points is real work, and done in the parent it would cap the parallel speed-up."""
    if len(variants) == 1:
        return {variants[0].name: _build((0, variants[0]))[1]}
    built = dict(ex.imap_unordered(_build, list(enumerate(variants))))
    return {v.name: built[k] for k, v in enumerate(variants)}


def _resolved(loaded: LoadedScenario, seed: int, n: int) -> dict[str, Any]:
    out = loaded.scenario.model_dump(mode="json", by_alias=True)
    out.update(seed=seed, replications=n)
    return out


def _hashable(resolved: dict[str, Any], loaded: LoadedScenario) -> dict[str, Any]:
    """What a run's result depends on: the scenario (not its name, description or
    replication count) and the region table's contents, not just its file name."""
    out = {k: v for k, v in resolved.items() if k not in ("name", "description", "replications")}
    out["region_rows"] = [t.model_dump() for t in loaded.townships]
    return out


def _region(loaded: LoadedScenario) -> Path | None:
    return loaded.source.parent / loaded.scenario.region.townships_csv if loaded.source else None


def _gather(done, variants: list[Variant], n: int, table: str) -> pd.DataFrame:
    """One table over all runs, in variant then replication order, whatever finished first."""
    parts = [
        done[(v.name, r)][table].assign(variant=v.name)
        for v in variants
        for r in range(n)
        if (v.name, r) in done and table in done[(v.name, r)]  # "months" may be absent
    ]
    if not parts:
        return pd.DataFrame()
    df = pd.concat(parts, ignore_index=True)
    return df[["variant", *[c for c in df.columns if c != "variant"]]]


def _needed(per_rep: pd.DataFrame, target: float, indicator: str) -> int:
    top = per_rep[(per_rep["scope"] == "all") & (per_rep["indicator"] == indicator)]
    if top.empty:
        raise ScenarioError("--precision", f"unknown indicator {indicator!r}")
    need = replications_needed(across_replications(top), target)
    return int(need.max()) if need.notna().any() else 0


def _quantiles(incidents: pd.DataFrame, variants: list[Variant]) -> pd.DataFrame:
    rows = []
    if incidents.empty:
        return pd.DataFrame()
    kept = incidents[~incidents["in_warmup"]]
    for v in variants:
        mine = kept[kept["variant"] == v.name]
        for name, (a, b) in QUANTILE_INDICATORS.items():
            values = mine[b] - mine[a]
            for q, value, low, high in bootstrap_quantiles(values, mine["replication"]):
                rows.append((v.name, name, q, value, low, high))
    return pd.DataFrame(
        rows, columns=["variant", "indicator", "q", "value", "ci95_low", "ci95_high"]
    )


def _sweep_table(per_rep: pd.DataFrame, variants: list[Variant]) -> pd.DataFrame:
    """One row per point x replication: the point's parameters and every headline indicator."""
    top = per_rep[per_rep["scope"] == "all"]
    wide = top.pivot_table(index=["variant", "replication"], columns="indicator", values="value")
    wide = wide.reset_index().rename(columns={"variant": "point"})
    params = pd.DataFrame([{"point": v.name, **v.params} for v in variants])
    out = params.merge(wide, on="point", how="right")
    order = {v.name: i for i, v in enumerate(variants)}
    out = out.assign(_order=out["point"].map(order))
    return out.sort_values(["_order", "replication"]).drop(columns="_order").reset_index(drop=True)
