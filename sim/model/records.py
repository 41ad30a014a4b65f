"""The model's arrays turned into the tidy tables users load.

Times are hours from the start of the run; anything after the horizon is NaN.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..scenario.schema import CHANNELS, SEVERITIES
from ..world.build import World
from .enforcement import ACTIVITIES, Officer, Work
from .incidents import Incidents
from .inspections import Inspections

STATUSES = ["resolved", "in_progress", "waiting", "reporting", "settled", "undiscovered"]


def incident_table(world: World, inc: Incidents, w: Work, replication: int) -> pd.DataFrame:
    sc = world.scenario
    horizon = sc.horizon_hours
    n = len(inc)

    def by_horizon(t: np.ndarray) -> np.ndarray:
        return np.where(t <= horizon, t, np.nan)

    discovered = by_horizon(inc.discovered_h)
    reported = by_horizon(inc.reported_h)
    formed = by_horizon(w.team_formed_h[:n])
    arrived = by_horizon(w.arrived_h[:n])
    done = by_horizon(w.done_h[:n])
    stopped = np.fmin(inc.settle_end_h, np.nan_to_num(arrived, nan=np.inf))
    abated = np.fmin(np.fmin(inc.self_end_h, stopped), horizon)
    settled = inc.settled & ~np.isnan(discovered)
    status = np.select(
        [np.isnan(discovered), settled, np.isnan(reported), np.isnan(formed), np.isnan(done)],
        ["undiscovered", "settled", "reporting", "waiting", "in_progress"],
        default="resolved",
    )
    unit = world.unit_of_township[inc.township]
    attended = ~np.isnan(formed)
    present = np.where(attended, w.officers_present[:n], 0)
    need = w.need[:n]
    return pd.DataFrame(
        {
            "replication": replication,
            "incident_id": np.arange(n, dtype=np.int64),
            "county": _labels(world.county_names, world.township_county[inc.township]),
            "township": _labels(world.township_names, inc.township),
            "unit": _labels([u.name for u in world.units], unit),
            "type": _labels(list(sc.incident_types), inc.type),
            "severity": _labels(SEVERITIES, inc.severity),
            "start_h": inc.start_h,
            "discovered_h": discovered,
            "channel": pd.Categorical(
                np.array([*CHANNELS, ""], dtype=object)[inc.channel], categories=[*CHANNELS, ""]
            ),
            "reported_h": reported,
            "team_formed_h": formed,
            "arrived_h": arrived,
            "done_h": done,
            "response_working_h": _working_hours(world, unit, reported, arrived),
            "team_size": need,
            "officers_present": present.astype(np.int64),
            "borrowed_officers": np.where(attended, w.borrowed[:n], 0),
            "two_person_breach": attended & (present < need),
            "callout": attended & w.callout[:n],
            "partner_wait_hours": np.where(np.isnan(reported), np.nan, w.partner_wait_h[:n]),
            "travel_km": np.where(attended, w.travel_km[:n], np.nan),
            "pollution_hours": np.maximum(abated - inc.start_h, 0.0),
            "self_ended": inc.self_end_h <= np.fmin(stopped, horizon),
            "settled": settled,
            "status": pd.Categorical(status, categories=STATUSES),
            "in_warmup": inc.start_h < sc.warmup_hours,
        }
    )


def _working_hours(world: World, unit: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Duty hours of the responsible unit between two times (the office-hours clock)."""
    out = np.full(len(a), np.nan)
    for k in np.flatnonzero(~np.isnan(a) & ~np.isnan(b)):
        out[k] = world.units[unit[k]].calendar.duty_hours_between(a[k], b[k])
    return out


def inspection_table(world: World, ins: Inspections, w: Work, replication: int) -> pd.DataFrame:
    horizon = world.scenario.horizon_hours
    sl = slice(w.n_incidents, w.n_incidents + len(ins))
    formed = np.where(w.team_formed_h[sl] <= horizon, w.team_formed_h[sl], np.nan)
    done = np.where(w.done_h[sl] <= horizon, w.done_h[sl], np.nan)
    return pd.DataFrame(
        {
            "replication": replication,
            "inspection_id": np.arange(len(ins), dtype=np.int64),
            "township": _labels(world.township_names, ins.township),
            "unit": _labels([u.name for u in world.units], world.unit_of_township[ins.township]),
            "planned_h": ins.planned_h,
            "team_formed_h": formed,
            "done_h": done,
            "officers_present": np.where(np.isnan(formed), 0, w.officers_present[sl]),
            "done": ~np.isnan(done),
            "in_warmup": ins.planned_h < world.scenario.warmup_hours,
        }
    )


def officer_table(world: World, officers: list[Officer], replication: int) -> pd.DataFrame:
    window = (world.scenario.warmup_hours, world.scenario.horizon_hours)
    rows = []
    for o in officers:
        unit = world.units[o.unit]
        duty = unit.calendar.duty_hours_between(*window)
        busy, busy_in_duty = o.busy_hours()
        rows.append(
            {
                "replication": replication,
                "officer": o.id,
                "unit": unit.name,
                "county": unit.county,
                "post": world.township_names[o.home] if o.home < world.n_townships else "",
                "duty_hours": duty,
                **{f"{a}_hours": o.hours[a] for a in ACTIVITIES},
                "idle_hours": duty - busy_in_duty,
                "overtime_hours": busy - busy_in_duty,
                "utilisation": busy_in_duty / duty if duty > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows)


def assignment_table(rows: list[tuple], replication: int) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["officer", "kind", "job", "start_h", "end_h"])
    df["kind"] = pd.Categorical(
        df["kind"], categories=["incident", "inspection", "return", "diverted"]
    )
    return df.assign(replication=replication)


def _labels(names, codes: np.ndarray) -> pd.Categorical:
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int64), categories=list(names))


def grid_table(world: World, inc: Incidents, replication: int) -> pd.DataFrame:
    """Per township: grid staffing and how its environmental hours were spent in the window."""
    g = world.grid
    lo, hi = world.scenario.warmup_hours, world.scenario.horizon_hours
    work = np.array([g.calendars[c].duty_hours_between(lo, hi) for c in g.calendar_of])
    settle = np.clip(np.minimum(inc.settle_end_h, hi) - np.maximum(inc.discovered_h, lo), 0, None)
    settle = np.where(inc.settled & ~np.isnan(inc.discovered_h), settle, 0.0)
    found = inc.channel == CHANNELS.index("patrol")
    n = world.n_townships
    return pd.DataFrame(
        {
            "replication": replication,
            "township": _labels(world.township_names, np.arange(n)),
            "county": _labels(world.county_names, world.township_county),
            "grids": g.grids,
            "grid_officers": g.grid_officers,
            "station_staff": g.station_staff,
            "environmental_hours": g.env_per_work_hour * work,
            "source_inspection_hours": g.source_per_work_hour * work,
            "river_patrol_hours": (g.env_per_work_hour - g.source_per_work_hour) * work,
            "settle_hours": np.bincount(inc.township, weights=settle, minlength=n),
            "found_by_patrol": np.bincount(inc.township[found], minlength=n),
            "settled": np.bincount(inc.township[inc.settled], minlength=n),
            "sensor_covered": g.sensor_covered,
        }
    )
