"""The model's arrays turned into the tidy tables users load.

Times are hours from the start of the run; anything after the horizon is NaN.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa

from ..registry import CHANNELS
from ..scenario.schema import SEVERITIES
from ..world.build import World
from ..world.periods import REPORT_PERIODS, report_periods
from .bookings import Booked, WorkLog
from .incidents import Incidents
from .inspections import PlannedInspections
from .interference import KINDS as INTERFERENCE_KINDS
from .jobs import Jobs
from .officers import ACTIVITIES, ASSIGNMENT_KINDS, Officer

STATUSES = ["resolved", "in_progress", "waiting", "reporting", "settled", "undiscovered"]


def incident_table(world: World, inc: Incidents, w: Jobs, replication: int) -> pd.DataFrame:
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
    table = pd.DataFrame(
        {
            "replication": replication,
            "incident_id": inc.ident,
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
            "reported_when": _labels(  # "": not reported by the horizon
                [*REPORT_PERIODS, ""],
                report_periods([u.office for u in world.units], unit, reported, sc.calendar),
            ),
            "team_formed_h": formed,
            "arrived_h": arrived,
            "done_h": done,
            "response_working_h": _working_hours(world, unit, reported, arrived),
            "team_size": need,
            "officers_present": present.astype(np.int64),
            "borrowed_officers": np.where(attended, w.borrowed[:n], 0),
            "county_team_officers": np.where(attended, w.county_team[:n], 0),
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
    if w.interference is not None:  # only with township interference on
        table["interference"] = _labels(INTERFERENCE_KINDS, w.interference)
        # the township's hold of a delayed case: not a wait for a team (see indicators)
        table["township_hold_hours"] = np.where(np.isnan(reported), np.nan, w.held_h)
    return table


def _working_hours(world: World, unit: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Duty hours of the responsible unit between two times (the office-hours clock)."""
    out = np.full(len(a), np.nan)
    both = ~np.isnan(a) & ~np.isnan(b)
    calendars = list(dict.fromkeys(u.calendar for u in world.units))
    code = np.array([calendars.index(u.calendar) for u in world.units], dtype=np.int64)
    calendar_of = code[unit] if len(unit) else np.zeros(0, dtype=np.int64)
    for c, cal in enumerate(calendars):  # in bulk, the same numbers as one call each
        k = np.flatnonzero(both & (calendar_of == c))
        out[k] = cal.duty_hours_between_many(a[k], b[k])
    return out


def inspection_table(
    world: World, ins: PlannedInspections, w: Jobs, replication: int
) -> pd.DataFrame:
    horizon = world.scenario.horizon_hours
    sl = slice(w.n_incidents, w.n_incidents + len(ins))
    formed = np.where(w.team_formed_h[sl] <= horizon, w.team_formed_h[sl], np.nan)
    done = np.where(w.done_h[sl] <= horizon, w.done_h[sl], np.nan)
    return pd.DataFrame(
        {
            "replication": replication,
            "inspection_id": ins.ident,
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


def officer_table(
    world: World, officers: list[Officer], booked: Booked, replication: int
) -> pd.DataFrame:
    window = (world.scenario.warmup_hours, world.scenario.horizon_hours)
    duty_of: dict = {}  # duty hours in the window, once per calendar
    busy = _busy_hours(officers, booked)
    cols: dict[str, list] = {c: [] for c in ("officer", "unit", "county", "post", "duty_hours")}
    cols |= {f"{a}_hours": h for a, h in zip(ACTIVITIES, booked.hours.T.tolist(), strict=True)}
    cols |= {"idle_hours": [], "overtime_hours": [], "utilisation": [], "callouts": []}
    for o, (busy_h, busy_in_duty) in zip(officers, busy, strict=True):
        unit = world.units[o.unit]
        if o.calendar not in duty_of:  # the officer's own regular duty
            duty_of[o.calendar] = o.calendar.duty_hours_between(*window)
        duty = duty_of[o.calendar]
        cols["officer"].append(o.id)
        cols["unit"].append(unit.name)
        cols["county"].append(unit.county)
        cols["post"].append(world.township_names[o.home] if o.home < world.n_townships else "")
        cols["duty_hours"].append(duty)
        cols["idle_hours"].append(duty - busy_in_duty)
        cols["overtime_hours"].append(busy_h - busy_in_duty)
        cols["utilisation"].append(busy_in_duty / duty if duty > 0 else np.nan)
        cols["callouts"].append(o.callouts)
    if not officers:
        return pd.DataFrame([])
    return pd.DataFrame({"replication": replication, **cols})


def _busy_hours(officers: list[Officer], booked: Booked) -> list[tuple[float, float]]:
    """(all busy hours, busy hours on duty) in the window, per officer: the calendar
    arithmetic (``DutyCalendar.cumulative``, elementwise) done once per calendar on all
    its officers' stretches, then each officer's sums over its own contiguous slice."""
    out: list[tuple[float, float]] = [(0.0, 0.0)] * len(officers)
    groups: dict = {}
    for k, o in enumerate(officers):
        groups.setdefault(o.calendar, []).append(k)
    at = booked.at
    for cal, members in groups.items():
        idx = np.concatenate([np.arange(at[k], at[k + 1]) for k in members])
        a, b = booked.busy_from[idx], booked.busy_to[idx]
        span = b - a
        in_duty = np.maximum(cal.cumulative(b) - cal.cumulative(a), 0.0)
        lo = 0
        for k in members:
            hi = lo + int(at[k + 1] - at[k])
            out[k] = (float(span[lo:hi].sum()), float(in_duty[lo:hi].sum()))
            lo = hi
    return out


def assignment_table(work: WorkLog, officer_ids: list[str], replication: int) -> pd.DataFrame:
    """The work log as a table, in order of start (a way back is logged when its team is
    sent, ahead of work starting before it; each moment's rows stay in the order logged:
    the order of the log when every row was logged at its start)."""
    kinds = list(ASSIGNMENT_KINDS)
    if not len(work.start):
        names = ["officer", "kind", "job", "start_h", "end_h", "callout"]
        df = pd.DataFrame([], columns=names)
        df["kind"] = pd.Categorical(df["kind"], categories=kinds)
        return df.assign(replication=replication)
    order = np.argsort(work.start, kind="stable")
    officer = pa.array(officer_ids, type=pa.large_string()).take(pa.array(work.officer[order]))
    return pd.DataFrame(
        {
            # through Arrow: the text column pandas would infer, in half the time
            "officer": pd.array(officer, dtype="str"),
            "kind": pd.Categorical.from_codes(work.kind[order], dtype=_dtype(ASSIGNMENT_KINDS)),
            "job": work.job[order],
            "start_h": work.start[order],
            "end_h": work.end[order],
            "callout": work.callout[order],
            "replication": replication,
        }
    )


def _labels(names, codes: np.ndarray) -> pd.Categorical:
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int64), dtype=_dtype(tuple(names)))


@lru_cache(maxsize=64)
def _dtype(names: tuple[str, ...]) -> pd.CategoricalDtype:
    """The categories of a label column, validated once (every replication of a world has
    the same townships, units and types; validating them was a tenth of the records)."""
    return pd.CategoricalDtype(list(names))


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
