"""One replication: build the SimPy model, run it to the horizon, return records.

This is the model's whole public surface. It takes a static ``World`` and a
(seed, replication) pair and gives back plain tables; it knows nothing of files,
YAML or how replications are spread over processes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import simpy

from ..world.build import World
from .discovery import DelayDiscovery, DiscoveryModel
from .enforcement import Enforcement
from .incidents import generate_incidents
from .inspections import generate_inspections
from .records import assignment_table, incident_table, inspection_table, officer_table
from .streams import Streams


@dataclass
class Records:
    incidents: pd.DataFrame
    inspections: pd.DataFrame
    officers: pd.DataFrame
    assignments: pd.DataFrame
    events: int


def simulate(
    world: World, seed: int, replication: int, discovery: DiscoveryModel | None = None
) -> Records:
    """Run one replication of ``world`` to its horizon."""
    sc = world.scenario
    streams = Streams(seed, replication)
    env = simpy.Environment()
    incidents = generate_incidents(world, streams)
    inspections = generate_inspections(world, streams)
    enforcement = Enforcement(env, world, incidents, inspections, streams)
    (discovery or DelayDiscovery(sc.discovery)).start(env, incidents, streams, enforcement.report)
    events = _run(env, sc.horizon_hours)
    enforcement.finish()
    return Records(
        incidents=incident_table(world, incidents, enforcement.work, replication),
        inspections=inspection_table(world, inspections, enforcement.work, replication),
        officers=officer_table(world, enforcement.officers, replication),
        assignments=assignment_table(enforcement.assignments, replication),
        events=events,
    )


def _run(env: simpy.Environment, until: float) -> int:
    """Step the environment to ``until``, counting events (for benchmarks and guards)."""
    count = 0
    while env.peek() < until:
        env.step()
        count += 1
    return count
