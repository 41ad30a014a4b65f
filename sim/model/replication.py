"""One replication: build the SimPy model, run it to the horizon, return records.

This is the model's whole public surface. It takes a static ``World`` and a
(seed, replication) pair and gives back plain tables; it knows nothing of files,
YAML or how replications are spread over processes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import simpy

from ..scenario.schema import CHANNELS, SEVERITIES
from ..world.build import World
from .discovery import DelayDiscovery, DiscoveryModel
from .enforcement import ACTIVITIES, Enforcement
from .incidents import Incidents, generate_incidents
from .streams import Streams


@dataclass
class Records:
    incidents: pd.DataFrame
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
    enforcement = Enforcement(env, world, incidents)
    (discovery or DelayDiscovery(sc.discovery)).start(env, incidents, streams, enforcement.report)
    events = _run(env, sc.horizon_hours)
    enforcement.finish()
    return Records(
        incidents=_incident_table(world, incidents, enforcement, replication),
        officers=_officer_table(world, enforcement, replication),
        assignments=pd.DataFrame(
            enforcement.assignments, columns=["officer", "incident_id", "start_h", "end_h"]
        ).assign(replication=replication),
        events=events,
    )


def _run(env: simpy.Environment, until: float) -> int:
    """Step the environment to ``until``, counting events (for benchmarks and guards)."""
    count = 0
    while env.peek() < until:
        env.step()
        count += 1
    return count


def _incident_table(
    world: World, inc: Incidents, enf: Enforcement, replication: int
) -> pd.DataFrame:
    sc = world.scenario
    horizon = sc.horizon_hours
    jobs = enf.jobs

    def by_horizon(t: np.ndarray) -> np.ndarray:
        return np.where(t <= horizon, t, np.nan)

    discovered = by_horizon(inc.discovered_h)
    reported = by_horizon(inc.reported_h)
    formed = by_horizon(jobs.team_formed_h)
    arrived = by_horizon(jobs.arrived_h)
    done = by_horizon(jobs.done_h)
    abated = np.fmin(np.fmin(inc.self_end_h, np.nan_to_num(arrived, nan=np.inf)), horizon)
    status = np.select(
        [np.isnan(discovered), np.isnan(reported), np.isnan(formed), np.isnan(done)],
        ["undiscovered", "reporting", "waiting", "in_progress"],
        default="resolved",
    )
    unit = world.unit_of_township[inc.township]
    channel = np.array([*CHANNELS, ""], dtype=object)[inc.channel]
    present = np.where(np.isnan(formed), 0, jobs.officers_present)
    return pd.DataFrame(
        {
            "replication": replication,
            "incident_id": np.arange(len(inc), dtype=np.int64),
            "county": _labels(world.county_names, world.township_county[inc.township]),
            "township": _labels(world.township_names, inc.township),
            "unit": _labels([u.name for u in world.units], unit),
            "type": _labels(list(sc.incident_types), inc.type),
            "severity": _labels(SEVERITIES, inc.severity),
            "start_h": inc.start_h,
            "discovered_h": discovered,
            "channel": pd.Categorical(channel, categories=[*CHANNELS, ""]),
            "reported_h": reported,
            "team_formed_h": formed,
            "arrived_h": arrived,
            "done_h": done,
            "officers_present": present.astype(np.int64),
            "partner_wait_hours": np.where(np.isnan(reported), np.nan, jobs.partner_wait_h),
            "travel_km": np.where(np.isnan(formed), np.nan, jobs.travel_km),
            "pollution_hours": np.maximum(abated - inc.start_h, 0.0),
            "self_ended": inc.self_end_h <= np.fmin(np.nan_to_num(arrived, nan=np.inf), horizon),
            "status": pd.Categorical(
                status,
                categories=["resolved", "in_progress", "waiting", "reporting", "undiscovered"],
            ),
            "in_warmup": inc.start_h < sc.warmup_hours,
        }
    )


def _labels(names, codes: np.ndarray) -> pd.Categorical:
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int64), categories=list(names))


def _officer_table(world: World, enf: Enforcement, replication: int) -> pd.DataFrame:
    window = (world.scenario.warmup_hours, world.scenario.horizon_hours)
    rows = []
    for o in enf.officers:
        unit = world.units[o.unit]
        duty = unit.calendar.duty_hours_between(*window)
        rows.append(
            {
                "replication": replication,
                "officer": o.id,
                "unit": unit.name,
                "county": unit.county,
                "duty_hours": duty,
                **{f"{a}_hours": o.hours[a] for a in ACTIVITIES},
                "idle_hours": duty - o.busy_in_duty,
                "overtime_hours": o.busy_total - o.busy_in_duty,
                "utilisation": o.busy_in_duty / duty if duty > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows)
