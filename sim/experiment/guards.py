"""Runaway guards: the size of the work, estimated before anything runs.

A typo in a rate or a horizon can turn a one-second run into one that fills the
machine's memory hours later. Before running, the expected incidents,
inspections, diverted tasks, SimPy events and record memory of one replication
are estimated from the scenario; above the documented limits the experiment is
refused (``--force`` overrides) with a message saying the estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ScenarioError
from ..world import World

MAX_EVENTS = 20_000_000  # per replication: about 10-30 minutes of simulation here
MAX_RECORD_MIB = 2048  # per replication, the tables kept in memory
BYTES_PER_INCIDENT = 400  # incident row plus its share of assignment rows
BYTES_PER_JOB = 200  # inspection or diverted task, with its assignment rows


@dataclass(frozen=True)
class SizeEstimate:
    """Expected size of one replication: what the guards compare with their limits."""

    incidents: float
    inspections: float
    diverted_tasks: float
    events: float
    record_mib: float


def estimate_size(world: World) -> SizeEstimate:
    """Expected size of one replication of ``world``."""
    sc = world.scenario
    days = sc.horizon_days
    weight = float(world.township_weight.sum())
    incidents = sum(t.rate_per_day for t in sc.incident_types.values()) * weight * days
    inspections = sc.inspections.rate_per_day * weight * days
    task_h = sc.enforcement.diverted_task_hours.mean
    diverted = 0.0
    shifts = 0.0
    for unit in world.units:
        duty = unit.calendar.duty_hours_between(0.0, sc.horizon_hours)
        diverted += unit.officers * unit.diverted_share * duty / max(task_h, 1e-9)
        shifts += 0.0 if unit.calendar.always else len(unit.duty.shifts) * days
    # a report, a release and a return per job; a start and an end per diverted task
    events = 3 * (incidents + inspections) + 2 * diverted + shifts
    mib = (incidents * BYTES_PER_INCIDENT + (inspections + diverted) * BYTES_PER_JOB) / 2**20
    return SizeEstimate(incidents, inspections, diverted, events, mib)


def check_size(world: World, force: bool) -> SizeEstimate:
    est = estimate_size(world)
    if not force and (est.events > MAX_EVENTS or est.record_mib > MAX_RECORD_MIB):
        raise ScenarioError(
            "horizon_days",
            f"one replication would make about {est.incidents:,.0f} incidents, "
            f"{est.inspections:,.0f} inspections and {est.diverted_tasks:,.0f} diverted tasks "
            f"({est.events:,.0f} SimPy events, {est.record_mib:,.0f} MiB of records), above "
            f"the limits of {MAX_EVENTS:,} events and {MAX_RECORD_MIB:,} MiB; check the "
            "rates and horizon, or pass --force",
        )
    return est
