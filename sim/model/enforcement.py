"""Enforcement units: reports wait for a legal team, the team goes, works and returns.

A team is acquired all at once: no officer is held idle while a partner is
awaited. Once a team is dispatched its whole job (travel out, on site,
paperwork, travel back) is known, so the job costs a single SimPy event, the
moment the officers are free again; the intermediate times are written straight
into the records.
"""

from __future__ import annotations

import numpy as np
import simpy

from ..world.build import UnitLayout, World
from .incidents import Incidents
from .policies import DISPATCH_ORDERS, SHORTFALL_POLICIES

ACTIVITIES = ("onsite", "travel", "paperwork")


class Officer:
    __slots__ = ("id", "unit", "free_since", "hours", "busy_in_duty", "busy_total")

    def __init__(self, ident: str, unit: int) -> None:
        self.id = ident
        self.unit = unit
        self.free_since = 0.0
        self.hours = dict.fromkeys(ACTIVITIES, 0.0)
        self.busy_in_duty = 0.0
        self.busy_total = 0.0


class Jobs:
    """Per-incident enforcement columns, filled as teams are dispatched."""

    def __init__(self, n: int) -> None:
        self.team_formed_h = np.full(n, np.nan)
        self.arrived_h = np.full(n, np.nan)
        self.done_h = np.full(n, np.nan)
        self.free_h = np.full(n, np.nan)
        self.officers_present = np.zeros(n, dtype=np.int64)
        self.travel_km = np.full(n, np.nan)
        # on-duty hours, while the report waited, that some but too few officers were free
        self.partner_wait_h = np.full(n, np.nan)


class Enforcement:
    def __init__(self, env: simpy.Environment, world: World, incidents: Incidents) -> None:
        sc = world.scenario
        self.env = env
        self.world = world
        self.incidents = incidents
        self.team_size = sc.enforcement.team_size
        self.policy = SHORTFALL_POLICIES[sc.enforcement.shortfall_policy]
        self.speed_kmh = sc.travel.speed_kmh
        self.window = (sc.warmup_hours, sc.horizon_hours)
        self.jobs = Jobs(len(incidents))
        self.assignments: list[tuple[str, int, float, float]] = []
        self.officers: list[Officer] = []
        self.free: list[list[Officer]] = []
        self.queues = [DISPATCH_ORDERS[sc.enforcement.dispatch_order]() for _ in world.units]
        for u, unit in enumerate(world.units):
            staff = [Officer(f"{unit.name}-{k + 1}", u) for k in range(unit.officers)]
            self.officers.extend(staff)
            self.free.append(list(staff))
        # per unit: a clock of on-duty hours with 1 <= free officers < team_size
        self.partner_clock = [0.0] * len(world.units)
        self.partner_clock_at = [0.0] * len(world.units)
        self.clock_at_report = np.zeros(len(incidents))
        for cal, members in self._units_by_calendar().items():
            if not cal.always:
                env.process(self._shift_starts(cal, members))

    def _units_by_calendar(self) -> dict:
        groups: dict = {}
        for u, unit in enumerate(self.world.units):
            groups.setdefault(unit.calendar, []).append(u)
        return groups

    def _shift_starts(self, cal, members: list[int]):
        while True:
            yield self.env.timeout(cal.next_start(self.env.now) - self.env.now)
            for u in members:
                self._dispatch(u)

    def report(self, i: int) -> None:
        """A report reaches its unit: queue it and dispatch if a team can form."""
        u = int(self.world.unit_of_township[self.incidents.township[i]])
        self.clock_at_report[i] = self._tick(u)
        self.queues[u].push(i)
        self._dispatch(u)

    def _tick(self, u: int) -> float:
        """Advance unit ``u``'s partner-wait clock to now; call before free changes."""
        now = self.env.now
        if 1 <= len(self.free[u]) < self.team_size:
            cal = self.world.units[u].calendar
            self.partner_clock[u] += cal.duty_hours_between(self.partner_clock_at[u], now)
        self.partner_clock_at[u] = now
        return self.partner_clock[u]

    def finish(self) -> None:
        """Close the partner-wait clocks of reports still waiting at the end of the run."""
        for u, queue in enumerate(self.queues):
            clock = self._tick(u)
            for i in queue:
                self.jobs.partner_wait_h[i] = clock - self.clock_at_report[i]

    def _dispatch(self, u: int) -> None:
        unit = self.world.units[u]
        queue = self.queues[u]
        if not queue or not unit.calendar.on_duty(self.env.now):
            return
        free = self.free[u]
        clock = self._tick(u)
        while queue:
            n = self.policy.team_count(len(free), self.team_size)
            if n is None:
                return
            # every free officer waits at base, so all are equally near: send the
            # ones idle longest, which spreads the work fairly
            free.sort(key=lambda o: o.free_since)
            team, free[:] = free[:n], free[n:]
            i = queue.pop()
            self.jobs.partner_wait_h[i] = clock - self.clock_at_report[i]
            self._send(i, team, unit)

    def _send(self, i: int, team: list[Officer], unit: UnitLayout) -> None:
        inc, jobs, now = self.incidents, self.jobs, self.env.now
        km = float(self.world.trip_km[team[0].unit, inc.township[i]])
        travel = km / self.speed_kmh
        arrived = now + travel
        done = arrived + inc.onsite_h[i]
        written = done + inc.paperwork_h[i]
        back = written + travel
        jobs.team_formed_h[i] = now
        jobs.arrived_h[i] = arrived
        jobs.done_h[i] = done
        jobs.free_h[i] = back
        jobs.officers_present[i] = len(team)
        jobs.travel_km[i] = km
        spans = (
            ("travel", now, arrived),
            ("onsite", arrived, done),
            ("paperwork", done, written),
            ("travel", written, back),
        )
        lo, hi = self.window
        busy_lo, busy_hi = max(now, lo), min(back, hi)
        in_duty = unit.calendar.duty_hours_between(busy_lo, busy_hi)
        for officer in team:
            for activity, a, b in spans:
                officer.hours[activity] += max(0.0, min(b, hi) - max(a, lo))
            officer.busy_in_duty += in_duty
            officer.busy_total += max(0.0, busy_hi - busy_lo)
            self.assignments.append((officer.id, i, now, back))
        self.env.timeout(back - now).callbacks.append(lambda _ev: self._release(team))

    def _release(self, team: list[Officer]) -> None:
        u = team[0].unit
        self._tick(u)
        for officer in team:
            officer.free_since = self.env.now
        self.free[u].extend(team)
        self._dispatch(u)
