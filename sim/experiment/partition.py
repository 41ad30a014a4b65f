"""Partitioned runs: one replication cut into batches of counties, each simulated apart.

Counties share no officers unless mutual aid may cross them, so a replication of a
province or of the whole country is the union of runs of batches of its counties. Each
batch is one task on the usual executors (process pool, Dask): the worker builds the
batch's world (its townships only, so the distance matrix is the batch's), makes the
replication's up-front draws over the whole region (``sim.model.upfront``, cached per
worker) and runs SimPy on its counties. The parent merges the batches' rows back into
the unpartitioned order and computes the statistics on them, so tables and statistics
are bit-identical however the region is cut (``tests/test_partition.py``). Each batch
is stored in the run store under its own key: a killed country run resumes batch by
batch.
"""

from __future__ import annotations

import time
import traceback
from collections import OrderedDict
from dataclasses import dataclass, replace
from math import ceil
from typing import Any

import numpy as np
import pandas as pd

from ..audit import audit as audit_records
from ..errors import ScenarioError
from ..model import simulate
from ..model.replication import DISCOVERY_MODELS
from ..model.streams import Streams
from ..model.upfront import Upfront, draw_upfront
from ..registry import SHORTFALL_POLICIES
from ..scenario import LoadedScenario
from ..world import World, build_world
from ..world.build import region_world
from .guards import (
    MAX_EVENTS,
    MAX_RECORD_MIB,
    SizeEstimate,
    check_size,
    estimate_size,
    matrix_mib,
)
from .options import RunOptions
from .store import RunStore

# townships per batch when the number of batches is left to the experiment: a batch's
# distance matrix (1,500 squared, 17 MiB) and run (~0.4 GiB) fit any worker
BATCH_TOWNSHIPS = 1_500
CACHED = 2  # region draws and batch worlds kept per worker process
# what a stored batch is read back as: its assignments stay on disk (the country's are
# ~17 million rows) and go straight from the store into the results' dataset
PART_TABLES = ("incidents", "inspections", "officers", "grid", "units", "timing")
RECORD_TABLES = ("incidents", "inspections", "officers", "assignments", "grid")


def partition_blocker(loaded: LoadedScenario) -> str | None:
    """Why this scenario's counties cannot run apart (None: they can)."""
    sc = loaded.scenario
    if SHORTFALL_POLICIES[sc.enforcement.shortfall_policy].crosses_units:
        return (
            f"enforcement.shortfall_policy {sc.enforcement.shortfall_policy!r} lends "
            "officers across units, so counties cannot run apart"
        )
    if sc.ranking is not None and sc.ranking.scope != "county":
        return (
            f"ranking.scope {sc.ranking.scope!r} ranks townships across counties; use scope county"
        )
    return None


def batch_count(loaded: LoadedScenario, asked: int | None) -> int:
    """Batches per replication: as asked, else one per ``BATCH_TOWNSHIPS`` townships (one
    for a city); never more than there are counties. Asked for more than one where the
    counties cannot run apart is an error naming why."""
    n_counties = len({t.county for t in loaded.townships})
    if asked is None:
        if partition_blocker(loaded) is not None:
            return 1
        return min(n_counties, ceil(len(loaded.townships) / BATCH_TOWNSHIPS))
    if asked > 1 and (why := partition_blocker(loaded)) is not None:
        raise ScenarioError("--partitions", why)
    return max(1, min(asked, n_counties))


def plan_batches(loaded: LoadedScenario, n: int) -> list[tuple[str, ...]]:
    """Counties in ``n`` batches of about equal work (incidents grow with township weight,
    fixed costs with townships): largest first onto the lightest batch. Each batch lists
    its counties in the region's order, and batches come in the order of their first
    county, so the plan depends only on the scenario."""
    order = list(dict.fromkeys(t.county for t in loaded.townships))
    work = dict.fromkeys(order, 0.0)
    for t in loaded.townships:
        work[t.county] += t.weight + 0.5
    load = [0.0] * n
    members: list[list[str]] = [[] for _ in range(n)]
    for county in sorted(order, key=lambda c: (-work[c], order.index(c))):
        k = min(range(n), key=lambda b: (load[b], b))
        load[k] += work[county]
        members[k].append(county)
    position = {c: i for i, c in enumerate(order)}
    batches = [tuple(sorted(m, key=position.__getitem__)) for m in members if m]
    return sorted(batches, key=lambda b: position[b[0]])


def county_codes(loaded: LoadedScenario) -> dict[str, int]:
    """Each county's number for the dataset's ``county_code=`` folders: the 6-digit
    division code its townships' codes share, else its position in the region (1, 2, ...),
    so a folder name is always digits (county names may hold apostrophes or clash) and
    every reader infers the same integer column."""
    seen: dict[str, set[str]] = {}
    for t in loaded.townships:
        seen.setdefault(t.county, set()).add(t.code[:6] if len(t.code) >= 6 else "")
    out = {}
    for k, (county, codes) in enumerate(seen.items()):
        code = next(iter(codes)) if len(codes) == 1 else ""
        out[county] = int(code) if code.isdigit() else k + 1
    if len(set(out.values())) < len(out):  # two counties under one code: positions
        out = {c: k + 1 for k, c in enumerate(seen)}
    return out


def partition_estimate(loaded: LoadedScenario, batches: int, force: bool) -> SizeEstimate:
    """The size of one replication cut into ``batches``, from the region alone (no unit
    layouts: diverted tasks are left out): events and incidents of the whole replication
    (for the experiment's totals), records and distance matrix of one batch (what a worker
    holds at once). A batch above the per-replication limits is refused unless ``force``."""
    est = estimate_size(region_world(loaded))
    points = len(loaded.townships) / batches
    each = replace(
        est,
        record_mib=est.record_mib / batches,
        world_mib=matrix_mib(points),
    )
    if not force and (est.events / batches > MAX_EVENTS or each.record_mib > MAX_RECORD_MIB):
        raise ScenarioError(
            "--partitions",
            f"one replication would make about {est.events:,.0f} SimPy events and "
            f"{est.record_mib:,.0f} MiB of records: {batches} batches are each above the "
            f"limits of {MAX_EVENTS:,} events and {MAX_RECORD_MIB:,} MiB; use more "
            "partitions, or pass --force",
        )
    return each


@dataclass(frozen=True)
class PartSpec:
    """One batch of one replication, shipped to a worker: the loaded scenario (a few MB,
    never a world) and the batch's counties."""

    variant: str
    loaded: LoadedScenario
    counties: tuple[str, ...]
    batch: int
    replication: int
    key: str  # the batch's run key
    scenario_key: str  # the variant's: what worker caches are keyed by
    options: RunOptions
    keep_assignments: bool  # False: left in the run store, not sent back
    datasets: bool = False  # store the record tables by county, for the results' datasets


@dataclass
class PartOutcome:
    variant: str
    replication: int
    batch: int
    tables: dict[str, pd.DataFrame] | None
    error: str | None = None


_draws: OrderedDict[tuple, tuple[World, Upfront]] = OrderedDict()
_worlds: OrderedDict[tuple, World] = OrderedDict()


def _cached(cache: OrderedDict, key: tuple, make):
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    value = make()
    cache[key] = value
    while len(cache) > CACHED:
        cache.popitem(last=False)
    return value


def region_draws(loaded: LoadedScenario, seed: int, replication: int, key: str = ""):
    """The region's light world and the replication's up-front draws over it, once per
    worker process (every batch of a replication needs the same)."""

    def make() -> tuple[World, Upfront]:
        region = region_world(loaded)
        discovery = DISCOVERY_MODELS[loaded.scenario.discovery.model](region)
        return region, draw_upfront(region, Streams(seed, replication), discovery)

    return _cached(_draws, (key, seed, replication), make)


def part_tables(spec: PartSpec) -> dict[str, pd.DataFrame]:
    """One batch's record tables, audited, with region numbering and ``county_code``."""
    started = time.perf_counter()
    opt, loaded = spec.options, spec.loaded
    seed = opt.seed
    assert seed is not None
    region, drawn = region_draws(loaded, seed, spec.replication, spec.scenario_key)

    def make() -> World:
        try:
            return build_world(loaded, spec.counties, region.grid)
        except ScenarioError as err:
            raise loaded.locate(err) from None

    world = _cached(_worlds, (spec.scenario_key, spec.counties), make)
    check_size(world, opt.force)  # this batch: workable, and within the limits
    keep = np.isin(np.asarray(region.county_names)[region.township_county], spec.counties)
    local = np.full(region.n_townships, -1, dtype=np.int64)
    local[keep] = np.arange(int(keep.sum()))
    mine = drawn.select(local)
    rec = simulate(world, seed, spec.replication, time_limit_s=opt.max_run_seconds, upfront=mine)
    sc = world.scenario
    # the batch's own incident numbers (ids are the region's, sorted; deterred ones dropped)
    local_ids = np.searchsorted(mine.incidents.ident, rec.incidents["incident_id"].to_numpy())
    if opt.audit:
        audit_records(  # in the batch's own numbering, which its assignments use
            rec.incidents.assign(incident_id=local_ids),
            rec.officers,
            rec.assignments,
            shortfall_policy=sc.enforcement.shortfall_policy,
            window_hours=(sc.warmup_hours, sc.horizon_hours),
            world=world,
        )
    rec.assignments["job"] = _region_jobs(rec.assignments, mine)
    tables = with_county_codes(loaded, {
        "incidents": rec.incidents,
        "inspections": rec.inspections,
        "officers": rec.officers,
        "assignments": rec.assignments,
        "grid": rec.grid,
        **({"months": rec.months} if rec.months is not None else {}),
    })  # fmt: skip
    tables.update(
        {
            "units": pd.DataFrame(
                {"unit": [u.name for u in world.units], "county": [u.county for u in world.units]}
            ),  # fmt: skip
            "timing": pd.DataFrame(
                {
                    "replication": [spec.replication],
                    "batch": [spec.batch],
                    "wall_s": [time.perf_counter() - started],
                    "events": [rec.events],
                    "peak_rss_mib": [_peak_rss_mib()],
                }
            ),  # fmt: skip
        }
    )
    return tables


def _peak_rss_mib() -> float:
    """This process's peak resident memory so far (a worker's, for the benchmarks)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return float("nan")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def with_county_codes(
    loaded: LoadedScenario, tables: dict[str, pd.DataFrame]
) -> dict[str, pd.DataFrame]:
    """The record tables with the ``county_code`` column their datasets are cut by."""
    codes = county_codes(loaded)
    county_of = {t.township: t.county for t in loaded.townships}
    out = dict(tables)
    for name in ("incidents", "officers", "grid", "months"):
        if name in out:
            out[name] = out[name].assign(county_code=out[name]["county"].astype(str).map(codes))
    if "inspections" in out:
        town = out["inspections"]["township"].astype(str)
        out["inspections"] = out["inspections"].assign(county_code=town.map(county_of).map(codes))
    if "assignments" in out and "officers" in out:
        officers = out["officers"]
        of = dict(zip(officers["officer"], officers["county_code"], strict=True))
        who = out["assignments"]["officer"].astype(str)
        out["assignments"] = out["assignments"].assign(county_code=who.map(of))
    return out


def _region_jobs(assignments: pd.DataFrame, mine: Upfront) -> np.ndarray:
    """The ``job`` column holds an incident's or an inspection's number (by ``kind``;
    -1 for none): the batch's numbers as the whole region's run gives them."""
    job = assignments["job"].to_numpy()
    kind = assignments["kind"].astype(str).to_numpy()
    out = job.copy()
    for name, ident in (("incident", mine.incidents.ident), ("inspection", mine.inspections.ident)):
        k = np.flatnonzero((kind == name) & (job >= 0))
        out[k] = ident[job[k]]
    return out.astype(np.int64)


def execute_part(spec: PartSpec) -> PartOutcome:
    """Run one batch and store it; top-level so process pools and Dask can ship it."""
    store = spec.options.runs_folder
    try:
        tables = part_tables(spec)
        if store is not None:  # assignments only by county: never read back whole
            records = {k: tables[k] for k in RECORD_TABLES} if spec.datasets else None
            kept = {k: tables[k] for k in (*PART_TABLES, "months") if k in tables}
            RunStore(store).save(spec.key, kept, records)
        if not spec.keep_assignments:
            tables = {k: v for k, v in tables.items() if k != "assignments"}
        return PartOutcome(spec.variant, spec.replication, spec.batch, tables)
    except Exception as err:  # a failed batch fails its replication; the others go on
        info = {"variant": spec.variant, "replication": spec.replication, "batch": spec.batch,
                "error": repr(err), "traceback": traceback.format_exc()}  # fmt: skip
        if store is not None:
            RunStore(store).save_error(spec.key, info)
        return PartOutcome(spec.variant, spec.replication, spec.batch, None, info["traceback"])


def merge_parts(
    loaded: LoadedScenario, parts: list[dict[str, pd.DataFrame]]
) -> dict[str, pd.DataFrame]:
    """The batches' tables as one replication's, in the order the unpartitioned run
    writes them: incidents and inspections by number, units (and their officers and
    assignments) as the whole world lists them, townships as the region table does."""
    sc = loaded.scenario
    towns = [t.township for t in loaded.townships]
    units = pd.concat([p["units"] for p in parts], ignore_index=True)
    hand = {name: k for k, name in enumerate(sc.units)}
    county_pos = {c: k for k, c in enumerate(sc.counties)}
    units["_local"] = units.groupby("county", sort=False).cumcount()
    units["_key"] = [
        (0, hand[u], 0) if u in hand else (1, county_pos[c], k)
        for u, c, k in zip(units["unit"], units["county"], units["_local"], strict=True)
    ]
    unit_names = list(units.sort_values("_key", kind="stable")["unit"])
    unit_pos = {u: k for k, u in enumerate(unit_names)}
    cats = {"township": towns, "county": list(sc.counties), "unit": unit_names}
    # each column's region-wide categories once (validating 43,000 names per batch and
    # table was most of the country's merge), and where each name sits in them
    dtypes = {col: pd.CategoricalDtype(values) for col, values in cats.items()}
    where = {col: {v: k for k, v in enumerate(values)} for col, values in cats.items()}

    def joined(name: str) -> pd.DataFrame | None:
        frames = [p[name] for p in parts if name in p]
        if not frames:
            return None
        fixed = []
        for df in frames:
            df = df.copy()
            for col, dtype in dtypes.items():
                if col in df and isinstance(df[col].dtype, pd.CategoricalDtype):
                    old = df[col].cat
                    # a code of -1 (missing) reads the last entry, which is -1 too
                    remap = np.array([where[col][c] for c in old.categories] + [-1])
                    codes = remap[old.codes.to_numpy()]
                    df[col] = pd.Categorical.from_codes(codes, dtype=dtype)
            fixed.append(df)
        return pd.concat(fixed, ignore_index=True)

    out: dict[str, pd.DataFrame] = {}
    inc = joined("incidents")
    out["incidents"] = _sorted(inc, inc["incident_id"].to_numpy())
    ins = joined("inspections")
    out["inspections"] = _sorted(ins, ins["inspection_id"].to_numpy())
    off = joined("officers")
    out["officers"] = _sorted(off, off["unit"].map(unit_pos).to_numpy())
    grid = joined("grid")
    out["grid"] = _sorted(grid, grid["township"].cat.codes.to_numpy())
    ass = joined("assignments")
    if ass is not None:
        officer_pos = {o: k for k, o in enumerate(out["officers"]["officer"])}
        out["assignments"] = _sorted(ass, ass["officer"].map(officer_pos).to_numpy())
    months = joined("months")
    if months is not None:  # month by month, each month's townships in the region's order
        order = months["month"].to_numpy() * len(towns) + months["township"].cat.codes.to_numpy()
        out["months"] = _sorted(months, order)
    timing = pd.concat([p["timing"] for p in parts], ignore_index=True)
    out["timing"] = timing
    return out


def _sorted(df: pd.DataFrame, key: Any) -> pd.DataFrame:
    return df.iloc[np.argsort(key, kind="stable")].reset_index(drop=True)
