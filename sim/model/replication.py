"""One replication: build the SimPy model, run it to the horizon, return records.

This is the model's whole public surface. It takes a static ``World`` and a
(seed, replication) pair and gives back plain tables; it knows nothing of files,
YAML or how replications are spread over processes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..world.build import World
from .bookings import book, work_log
from .channels import ChannelDiscovery
from .clock import Clock, RunTimeout
from .discovery import DelayDiscovery, DiscoveryModel, deliver
from .diverted import township_demand_columns
from .enforcement import EnforcementUnits
from .monthly import Monthly, monthly_measured
from .records import (
    assignment_table,
    grid_table,
    incident_table,
    inspection_table,
    officer_table,
)
from .rostered import RosteredUnits
from .streams import Streams
from .upfront import Upfront, draw_upfront


@dataclass
class Records:
    incidents: pd.DataFrame
    inspections: pd.DataFrame
    officers: pd.DataFrame
    assignments: pd.DataFrame
    grid: pd.DataFrame
    events: int
    # one row per township and calendar month, only with a monthly mechanism on (the
    # ranking or deterrence: ``sim.model.monthly``)
    months: pd.DataFrame | None = None


DISCOVERY_MODELS = {
    "channels": ChannelDiscovery,
    "delay": lambda world: DelayDiscovery(world.scenario.discovery),
}


def simulate(
    world: World,
    seed: int,
    replication: int,
    discovery: DiscoveryModel | None = None,
    time_limit_s: float | None = None,
    upfront: Upfront | None = None,
) -> Records:
    """Run one replication of ``world`` to its horizon (or raise ``RunTimeout``).
    ``upfront``: the draws made before the run, when ``world`` is one batch of a region's
    counties and they were drawn over the region (``Upfront.select``)."""
    sc = world.scenario
    streams = Streams(seed, replication)
    env = Clock()
    if discovery is None:
        discovery = DISCOVERY_MODELS[sc.discovery.model](world)
    if upfront is None:
        upfront = draw_upfront(world, streams, discovery)
    incidents, inspections = upfront.incidents, upfront.inspections
    units = EnforcementUnits if world.rota is None else RosteredUnits
    enforcement = units(env, world, incidents, inspections, streams, upfront)
    env.process(deliver(env, incidents.reported_h, enforcement.report))
    monthly = None
    if monthly_measured(world):
        monthly = Monthly(
            env, world, incidents, enforcement.jobs, streams, upfront.monthly,
            enforcement.report_moved,
        )  # fmt: skip
        enforcement.skip = monthly.skip
        monthly.start()
    events = env.run_until(sc.horizon_hours, time_limit_s)
    enforcement.finish()
    table = incident_table(world, incidents, enforcement.jobs, replication)
    officers, window = enforcement.officers, (sc.warmup_hours, sc.horizon_hours)
    work = work_log(enforcement.assignments)
    if monthly is not None:  # deterred incidents never happened (the others keep their id)
        table = table[~incidents.deterred].reset_index(drop=True)
    rec = Records(
        incidents=table,
        inspections=inspection_table(world, inspections, enforcement.jobs, replication),
        officers=officer_table(world, officers, book(work, len(officers), window), replication),
        assignments=assignment_table(work, [o.id for o in officers], replication),
        grid=grid_table(world, incidents, replication),
        events=events,
    )
    if world.demand is not None:  # columns of their own, only when township demand is on
        rec.grid = pd.concat([rec.grid, township_demand_columns(world, streams)], axis=1)
    if monthly is not None:
        rec.months = monthly.finish()
        rec.months.insert(0, "replication", replication)
    return rec


__all__ = ["Records", "RunTimeout", "simulate"]
