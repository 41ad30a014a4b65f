"""Runaway guards: the size of the work, estimated before anything runs.

A typo in a rate, a horizon, a head count or a replication count can turn a
one-second run into one that fills the machine's memory hours later. Every
quantity that multiplies work or memory is checked before it is used: officers,
townships and the townships of generated layouts before the world is built
(officer lists, the point-to-point distance matrix, the zoning search), the
incidents, inspections, diverted tasks, inspection campaigns, SimPy events and
record memory of one replication before it runs, sweep points before they are
made, and replications x variants (with the memory of the replications that run
at once, one per job) before the runs are listed. Above a documented limit the
work is refused with one line naming the field and the limit; ``--force``
(``force=True``) runs it anyway.

The arithmetic cannot overflow or crash: counts are Python integers or floats
that saturate at infinity, and a product with a zero factor is zero (never
``0 * inf = nan``, which would slip past every comparison).
"""

from __future__ import annotations

import math
import os
from collections import Counter
from dataclasses import dataclass

from ..errors import ScenarioError
from ..model.arrivals import count_factors
from ..registry import DEPLOYMENT_MODELS
from ..scenario.schema import LoadedScenario
from ..world import World
from ..world.layouts import zone_count
from .workable import check_workable

MAX_EVENTS = 20_000_000  # per replication: about 10-30 minutes of simulation here
MAX_RECORD_MIB = 2048  # per replication, the tables kept in memory
MAX_HORIZON_DAYS = 365_250  # a thousand years
MAX_CAMPAIGN_WORK = 2_000_000_000  # upper-inspection campaigns x (incidents + townships)
MAX_OFFICERS = 10_000  # in one scenario (Jinhua has a few hundred)
MAX_WORLD_MIB = 1024  # the distance matrix over all points, with its temporaries
# Townships of one county whose units a deployment model generates: the zoning search
# grows faster than the cube of the count (measured, one county, 20 officers: 100
# townships 5 s and 81 MiB, 200 townships 37 s and 1.1 GiB, 400 more than 5 minutes);
# Jinhua's largest county has 27.
MAX_LAYOUT_TOWNSHIPS = 150
MAX_SWEEP_POINTS = 10_000  # grid combinations or LHS samples
MAX_RUNS = 100_000  # variants x replications of one experiment
MAX_TOTAL_EVENTS = 20_000_000_000  # estimated SimPy events of a whole experiment

# Memory per record, measured as the growth of the peak RSS of one replication of the
# Jinhua baseline between 1, 5 and 10 simulated years (/usr/bin/time -v, --jobs 1):
# about 1,900 bytes per incident and 1,090 per inspection or diverted task, with its
# assignment rows, SimPy objects and the copies made while the tables are built, audited
# and saved. The constants are 1.5 times that, so the estimate is an upper bound.
BYTES_PER_INCIDENT = 3000
BYTES_PER_JOB = 1600
MATRIX_COPIES = 6  # float64 n x n arrays alive at once while the distance matrix is built
FALLBACK_MEMORY_MIB = 8192  # the machine's memory, where the system will not say
# The record tables a run leaves in the parent, as a share of its estimated peak: one
# Jinhua baseline year holds 6.0 MiB of tables (pandas, deep) against an estimate of
# 49 MiB; twice that, as they are concatenated into the results' tables at the end.
KEPT_SHARE = 0.25
WEEK_H = 7 * 24.0
DUTY_SPAN_H = 520 * WEEK_H  # duty hours are counted over ten years at most, then scaled

FORCE = "pass --force to run it anyway"


@dataclass(frozen=True)
class SizeEstimate:
    """Expected size of one replication: what the guards compare with their limits."""

    incidents: float
    inspections: float
    diverted_tasks: float
    events: float
    record_mib: float
    campaigns: float = 0.0
    campaign_work: float = 0.0
    world_mib: float = 0.0  # the world each worker holds (its distance matrix, mostly)


def _times(*factors: float) -> float:
    """A product of non-negative factors that saturates at inf and is 0 when any factor
    is 0 (a zero rate over an endless horizon is no work, not ``nan``)."""
    if any(f == 0 for f in factors):
        return 0.0
    out = 1.0
    for f in factors:
        out *= float(min(f, 1e300)) if isinstance(f, int) else f
    return out if out == out else math.inf


def _n(x: float) -> str:
    """A count for a message: grouped digits, or an exponent when huge."""
    if x == math.inf:
        return "more than 1e308"
    return f"{x:,.0f}" if x < 1e12 else f"{x:.1e}"


def estimate_size(world: World) -> SizeEstimate:
    """Expected size of one replication of ``world``."""
    sc = world.scenario
    days = sc.horizon_days
    hours = _times(days, 24.0)
    weight = sum(float(w) for w in world.township_weight)
    # a profile that is not normalised scales its type's count (it is read day by day, so
    # only over a horizon within the limit; a longer one is refused below anyway)
    flat = dict.fromkeys(sc.incident_types, 1.0)
    factor = count_factors(sc) if days <= MAX_HORIZON_DAYS else flat
    rate = sum(_times(t.rate_per_day, factor[k]) for k, t in sc.incident_types.items())
    incidents = _times(rate, weight, days)
    inspections = _times(sc.inspections.rate_per_day, weight, days)
    task_h = max(sc.enforcement.diverted_task_hours.mean, 1e-9)
    span = min(hours, DUTY_SPAN_H)
    diverted = 0.0
    shifts = 0.0
    for unit in world.units:
        duty = _times(unit.calendar.duty_hours_between(0.0, span), hours / span)
        diverted += _times(unit.officers, unit.diverted_share, duty) / task_h
        shifts += 0.0 if unit.calendar.always else _times(len(unit.duty.shifts), days)
    if world.demand is not None:  # township demand: every task is made, absorbed or not
        per_week = sum(float(h) for h in world.demand.hours_per_week)
        task = max(sc.enforcement.township_demand.task_hours.mean, 1e-9)  # type: ignore[union-attr]
        diverted += _times(per_week, hours / 168.0) / task
    # a report, a release and a return per job; a start and an end per diverted task
    events = 3 * (incidents + inspections) + 2 * diverted + shifts
    mib = _times(incidents, BYTES_PER_INCIDENT) + _times(inspections + diverted, BYTES_PER_JOB)
    interval = sc.discovery.upper_inspections.interval_days
    campaigns = 0.0 if interval is None else days / interval
    work = _times(campaigns, incidents + world.n_townships)
    world_mib = world.road_km.nbytes / 2**20
    return SizeEstimate(
        incidents, inspections, diverted, events, mib / 2**20, campaigns, work, world_mib
    )


def check_size(world: World, force: bool) -> SizeEstimate:
    """Refuse a world that cannot work (always: ``workable``) and a replication above the
    limits (unless ``force``); return its estimate."""
    check_workable(world)
    est = estimate_size(world)
    if force:
        return est
    sc = world.scenario
    if est.events > MAX_EVENTS or est.record_mib > MAX_RECORD_MIB:
        raise ScenarioError(
            "horizon_days",
            f"one replication would make about {_n(est.incidents)} incidents, "
            f"{_n(est.inspections)} inspections and {_n(est.diverted_tasks)} diverted tasks "
            f"({_n(est.events)} SimPy events, {_n(est.record_mib)} MiB of records), above "
            f"the limits of {MAX_EVENTS:,} events and {MAX_RECORD_MIB:,} MiB; check the "
            "rates and horizon, or pass --force",
        )
    if est.campaign_work > MAX_CAMPAIGN_WORK:
        raise ScenarioError(
            "discovery.upper_inspections.interval_days",
            f"{_n(est.campaigns)} inspection campaigns over the horizon, each checking about "
            f"{_n(est.incidents + world.n_townships)} incidents and townships, are "
            f"{_n(est.campaign_work)} checks, above the limit of {MAX_CAMPAIGN_WORK:,}; "
            f"use a longer interval, or {FORCE}",
        )
    if sc.horizon_days > MAX_HORIZON_DAYS:
        raise ScenarioError(
            "horizon_days",
            f"{_n(sc.horizon_days)} days, above the limit of {MAX_HORIZON_DAYS:,} days; {FORCE}",
        )
    return est


def matrix_mib(points: float) -> float:
    """MiB alive while the distance matrix over ``points`` points is built."""
    return points * points * 8 * MATRIX_COPIES / 2**20


def check_inputs(loaded: LoadedScenario, force: bool, batches: int = 1) -> None:
    """Before the world is built: officers (one entry per officer) and points (an n x n
    distance matrix), the two quantities it allocates by; with the replication cut into
    ``batches`` of counties (``sim.experiment.partition``), those of one batch."""
    if force:
        return
    hint = "cut it into batches of counties (--partitions), or pass --force"
    sc = loaded.scenario
    staff = [(f"units.{name}.officers", u.officers) for name, u in sc.units.items()]
    staff += [
        (f"counties.{name}.deployment.officers", c.deployment.officers)
        for name, c in sc.counties.items()
        if c.deployment is not None
    ]
    total = sum(n for _, n in staff)
    if total / batches > MAX_OFFICERS:
        field, most = max(staff, key=lambda s: s[1])
        raise ScenarioError(
            field,
            f"{_n(most)} officers here make {_n(total)} in the scenario, above the limit of "
            f"{MAX_OFFICERS:,}{'' if most > MAX_OFFICERS else ' per batch'}; "
            f"{FORCE if most > MAX_OFFICERS else hint}",
        )
    points = (len(loaded.townships) + len(sc.units) + len(sc.counties)) / batches
    mib = matrix_mib(points)
    if mib > MAX_WORLD_MIB:
        where = "" if batches == 1 else f" in each of {batches} batches"
        raise ScenarioError(
            "region.townships_csv",
            f"{len(loaded.townships):,} townships (with the units' bases {points:,.0f} "
            f"points{where}) need about {mib:,.0f} MiB for their distance matrix, above the "
            f"limit of {MAX_WORLD_MIB:,} MiB; {hint}",
        )
    _check_layouts(loaded)


def _check_layouts(loaded: LoadedScenario) -> None:
    """Counties whose units are generated (a ``deployment`` and no hand-written unit): the
    zoning search costs more than the distance matrix, so it has a limit of its own."""
    sc = loaded.scenario
    county_of = {t.township: t.county for t in loaded.townships}
    hand = {county_of.get(t) for u in sc.units.values() for t in u.townships or ()}
    hand |= {u.county for u in sc.units.values()}
    size = Counter(t.county for t in loaded.townships)
    for county, dep in ((c, s.deployment) for c, s in sc.counties.items()):
        if dep is None or county in hand:
            continue
        n = size[county]
        if n <= MAX_LAYOUT_TOWNSHIPS or dep.model not in DEPLOYMENT_MODELS:
            continue
        try:
            zones = zone_count(dep.model, n, dep.officers, sc.enforcement.team_size,
                               dep.zone_townships_min, dep.zone_townships_max)  # fmt: skip
        except ValueError:  # bad bounds: building the world says so, before any search
            continue
        if zones > 1:  # one zone (a central unit) is no search
            raise ScenarioError(
                f"counties.{county}.deployment",
                f"{n:,} townships are too many to zone for generated units (the limit is "
                f"{MAX_LAYOUT_TOWNSHIPS:,}; the zoning search grows faster than the cube of the "
                "count); "
                f"write the units by hand, or {FORCE}",
            )


def check_points(points: int, field: str, force: bool) -> None:
    """A sweep's points (grid combinations or LHS samples) before any is made."""
    if not force and points > MAX_SWEEP_POINTS:
        raise ScenarioError(
            field,
            f"{_n(points)} sweep points, above the limit of {MAX_SWEEP_POINTS:,}; {FORCE}",
        )


def memory_limit_mib() -> float:
    """Memory the replications running at once may take: three quarters of the machine's."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20
    except (ValueError, OSError, AttributeError):  # not POSIX, or the system will not say
        total = FALLBACK_MEMORY_MIB
    return max(float(MAX_RECORD_MIB), 0.75 * total)


def check_runs(
    estimates: list[SizeEstimate],
    replications: int,
    force: bool,
    jobs: int = 1,
    keep_records: bool = True,
) -> None:
    """Variants x replications, and their SimPy events together, before runs are listed;
    and the memory they take at once: each of ``jobs`` workers holds one replication's
    records and its own copy of the world, and the parent the record tables of every run
    (``keep_records``) until the results are gathered."""
    if force:
        return
    runs = len(estimates) * replications
    events = _times(sum(e.events for e in estimates), replications)
    if runs > MAX_RUNS or events > MAX_TOTAL_EVENTS:
        raise ScenarioError(
            "replications",
            f"{_n(replications)} replication(s) of {len(estimates):,} variant(s) are "
            f"{_n(runs)} runs and about {_n(events)} SimPy events, above the limits of "
            f"{MAX_RUNS:,} runs and {MAX_TOTAL_EVENTS:,} events; {FORCE}",
        )
    at_once = max(1, min(jobs, runs))
    each = max((_times(e.record_mib, 1.0) + e.world_mib for e in estimates), default=0.0)
    running = _times(each, at_once)
    kept = 0.0
    if keep_records:
        kept = _times(sum(e.record_mib for e in estimates), replications, KEPT_SHARE)
    limit = memory_limit_mib()
    if running + kept <= limit:
        return
    if kept > limit / 2:  # fewer jobs would not help enough
        field, hint = "replications", "use fewer replications or variants"
    else:
        fits = int((limit - kept) // each) if each > 0 else at_once
        field = "--jobs"
        hint = f"use --jobs {fits} or fewer" if fits >= 1 else "shorten the horizon"
    raise ScenarioError(
        field,
        f"{at_once:,} replication(s) at once, each holding about {_n(each)} MiB, and the "
        f"record tables of {_n(runs)} run(s) (about {_n(kept)} MiB) need {_n(running + kept)} "
        f"MiB, above the limit of {limit:,.0f} MiB (three quarters of this machine's "
        f"memory); {hint}, or pass --force",
    )


def checked_world(loaded: LoadedScenario, force: bool, size: bool = True) -> World:
    """``loaded``'s world, built only if its inputs are within the limits, and (``size``)
    refused if one replication would be above them; errors name the scenario's file."""
    from ..world import build_world

    try:
        check_inputs(loaded, force)
        world = build_world(loaded)
        if size:
            check_size(world, force)
    except ScenarioError as err:
        raise loaded.locate(err) from None
    return world
