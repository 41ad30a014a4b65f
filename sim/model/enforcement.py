"""Enforcement units: jobs wait for a legal team, the team goes, works and returns.

Jobs are incident reports and planned inspections, in one index space
(incidents first). A team is acquired all at once — no officer is held idle
while a partner is awaited — from the free officers nearest the job. Once a team
is sent its whole job is known (call-out, travel, on site, paperwork, the way
back), so a job costs one SimPy event, the moment its officers are free again
(two with chaining: the end of the site work, then the way back for whoever is
not sent straight on). Times are written straight into the records.
"""

from __future__ import annotations

import numpy as np
import simpy

from ..world.build import World
from ..world.duty import DutyCalendar
from .diverted import diverted_tasks
from .incidents import Incidents
from .inspections import Inspections
from .policies import DISPATCH_ORDERS, INCIDENT, INSPECTION, SHORTFALL_POLICIES, JobQueue
from .streams import Streams

ACTIVITIES = ("onsite", "travel", "paperwork", "inspection", "diverted")


class Officer:
    __slots__ = (
        "id", "unit", "home", "loc", "free", "free_since", "pending", "hours",
        "busy_from", "busy_to", "calendar",
    )  # fmt: skip

    def __init__(self, ident: str, unit: int, home: int, calendar: DutyCalendar) -> None:
        self.id = ident
        self.unit = unit
        self.home = home
        self.loc = home
        self.free = True
        self.free_since = 0.0
        self.pending: list[float] = []  # diverted tasks waiting for this officer
        self.hours = dict.fromkeys(ACTIVITIES, 0.0)
        self.busy_from: list[float] = []  # busy stretches inside the measured window,
        self.busy_to: list[float] = []  # turned into duty hours once, at the end
        self.calendar = calendar

    def spend(self, activity: str, a: float, b: float, window: tuple[float, float]) -> None:
        """Book [a, b] to an activity, clipped to the measured window."""
        x, y = max(a, window[0]), min(b, window[1])
        if y > x:
            self.hours[activity] += y - x

    def busy(self, a: float, b: float, window: tuple[float, float]) -> None:
        """Book [a, b] as busy (clipped to the window); its duty hours are counted in bulk
        by the records, since calendar arithmetic per stretch was the top of the profile."""
        x, y = max(a, window[0]), min(b, window[1])
        if y > x:
            self.busy_from.append(x)
            self.busy_to.append(y)

    def busy_hours(self) -> tuple[float, float]:
        """(all busy hours, busy hours on duty) in the window."""
        a, b = np.asarray(self.busy_from), np.asarray(self.busy_to)
        in_duty = self.calendar.cumulative(b) - self.calendar.cumulative(a)
        return float((b - a).sum()), float(np.maximum(in_duty, 0.0).sum())


class Work:
    """Per-job attributes (incidents, then inspections) and outcome columns."""

    def __init__(self, world: World, inc: Incidents, ins: Inspections) -> None:
        sc = world.scenario
        sizes = [t.team_size or sc.enforcement.team_size for t in sc.incident_types.values()]
        ins_size = sc.inspections.team_size or sc.enforcement.team_size
        n_inc, n = len(inc), len(inc) + len(ins)
        self.n_incidents = n_inc
        self.township = np.concatenate([inc.township, ins.township])
        self.need = np.concatenate([np.asarray(sizes, dtype=np.int64)[inc.type],
                                    np.full(len(ins), ins_size, dtype=np.int64)])  # fmt: skip
        self.onsite_h = np.concatenate([inc.onsite_h, ins.onsite_h])
        self.paperwork_h = np.concatenate([inc.paperwork_h, ins.paperwork_h])
        self.severity = np.concatenate([inc.severity, np.full(len(ins), -1, dtype=np.int64)])
        self.queued_h = np.full(n, np.nan)
        self.team_formed_h = np.full(n, np.nan)
        self.arrived_h = np.full(n, np.nan)
        self.done_h = np.full(n, np.nan)
        self.officers_present = np.zeros(n, dtype=np.int64)
        self.borrowed = np.zeros(n, dtype=np.int64)
        self.callout = np.zeros(n, dtype=bool)
        self.travel_km = np.full(n, np.nan)
        # on-duty hours, while a report waited, that some but too few officers were free
        self.partner_wait_h = np.full(n, np.nan)
        self.clock_at_queue = np.zeros(n)

    def klass(self, job: int) -> int:
        return INCIDENT if job < self.n_incidents else INSPECTION


class Enforcement:
    def __init__(
        self,
        env: simpy.Environment,
        world: World,
        incidents: Incidents,
        inspections: Inspections,
        streams: Streams,
    ) -> None:
        sc = world.scenario
        self.env = env
        self.world = world
        self.work = Work(world, incidents, inspections)
        self.team_size = sc.enforcement.team_size
        self.policy = SHORTFALL_POLICIES[sc.enforcement.shortfall_policy]
        self.borrowing = sc.enforcement.shortfall_policy == "borrow"
        self.aid_after_h = sc.enforcement.mutual_aid.after_hours
        self.chaining = sc.enforcement.chaining
        self.speed_kmh = sc.travel.speed_kmh
        self.window = (sc.warmup_hours, sc.horizon_hours)
        self.callout_rng = streams.rng("enforcement.callout")
        self.assignments: list[tuple[str, str, int, float, float]] = []
        self.officers: list[Officer] = []
        self.free: list[list[Officer]] = []
        order = DISPATCH_ORDERS[sc.enforcement.dispatch_order]
        self.queues = [JobQueue(order) for _ in world.units]
        for u, unit in enumerate(world.units):
            staff = [
                Officer(f"{unit.name}-{k + 1}", u, home, unit.calendar)
                for k, home in enumerate(unit.officer_homes)
            ]
            self.officers.extend(staff)
            self.free.append(list(staff))
        # per unit: a clock of on-duty hours with 1 <= free officers < team_size
        self.partner_clock = [0.0] * len(world.units)
        self.partner_clock_at = [0.0] * len(world.units)
        for cal, members in self._units_by_calendar().items():
            if not cal.always:
                env.process(self._shift_starts(cal, members))
        if len(inspections):
            env.process(self._release_inspections(inspections))
        tasks = diverted_tasks(
            world, [o.id for o in self.officers], [o.unit for o in self.officers], streams
        )
        if tasks:
            env.process(self._release_diverted(tasks))

    # --- arrivals of work --------------------------------------------------------

    def report(self, i: int) -> None:
        """An incident report reaches its unit."""
        self._queue(i)

    def _queue(self, job: int) -> None:
        w = self.work
        u = int(self.world.unit_of_township[w.township[job]])
        w.queued_h[job] = self.env.now
        w.clock_at_queue[job] = self._tick(u)
        self.queues[u].push(job, w.klass(job), int(w.severity[job]), self.env.now)
        if self.borrowing and self.aid_after_h > 0 and w.klass(job) == INCIDENT:
            self.env.timeout(self.aid_after_h).callbacks.append(lambda _e: self._dispatch(u))
        self._dispatch(u)

    def _release_inspections(self, ins: Inspections):
        offset = self.work.n_incidents
        for k, t in enumerate(ins.planned_h):
            yield self.env.timeout(t - self.env.now)
            self._queue(offset + k)

    def _release_diverted(self, tasks: list[tuple[float, int, float]]):
        for t, k, hours in tasks:
            yield self.env.timeout(t - self.env.now)
            officer = self.officers[k]
            officer.pending.append(hours)
            if officer.free and officer.calendar.on_duty(self.env.now):
                self._take(officer)
                self._start_diverted(officer)

    def _units_by_calendar(self) -> dict[DutyCalendar, list[int]]:
        groups: dict[DutyCalendar, list[int]] = {}
        for u, unit in enumerate(self.world.units):
            groups.setdefault(unit.calendar, []).append(u)
        return groups

    def _shift_starts(self, cal: DutyCalendar, members: list[int]):
        while True:
            yield self.env.timeout(cal.next_start(self.env.now) - self.env.now)
            for u in members:
                for officer in [o for o in self.free[u] if o.pending]:
                    self._take(officer)
                    self._start_diverted(officer)
                self._dispatch(u)

    # --- dispatch ----------------------------------------------------------------

    def _dispatch(self, u: int) -> None:
        queue = self.queues[u]
        if not queue:
            return
        unit = self.world.units[u]
        on_duty = unit.calendar.on_duty(self.env.now)
        eligible = None if on_duty else (lambda j: int(self.work.severity[j]) in unit.on_call)
        clock = self._tick(u)
        w = self.work
        while True:
            job = queue.first(eligible)
            if job is None:
                return
            team = self.policy.form_team(self, u, job, int(w.need[job]))
            if team is None:
                return
            queue.remove(job)
            w.partner_wait_h[job] = clock - w.clock_at_queue[job] if w.need[job] > 1 else 0.0
            self._send(u, job, team, callout=not on_duty)

    def nearest_free(self, u: int, job: int) -> list[Officer]:
        """The unit's free officers, nearest the job first, then longest idle."""
        road = self.world.road_km[:, self.work.township[job]]
        return sorted(self.free[u], key=lambda o: (road[o.loc], o.free_since))

    def may_borrow(self, job: int) -> bool:
        """Mutual aid is for reports that have waited long enough, not planned checks."""
        w = self.work
        return (
            w.klass(job) == INCIDENT and self.env.now - w.queued_h[job] >= self.aid_after_h - 1e-9
        )

    def borrowable(self, u: int, job: int, missing: int) -> list[Officer]:
        """Up to ``missing`` free officers of the nearest units with nothing waiting."""
        out: list[Officer] = []
        now = self.env.now
        for v in self.world.units[u].neighbours:
            if self.queues[v] or not self.world.units[v].calendar.on_duty(now):
                continue
            out.extend(self.nearest_free(v, job)[: missing - len(out)])
            if len(out) == missing:
                break
        return out

    def _send(self, u: int, job: int, team: list[Officer], callout: bool) -> None:
        w, now = self.work, self.env.now
        town = int(w.township[job])
        road = self.world.road_km[:, town]
        depart = now + (self._callout_delay(u) if callout else 0.0)
        legs = [float(road[o.loc]) for o in team]
        arrived = depart + max(legs) / self.speed_kmh
        done = arrived + w.onsite_h[job]
        written = done + w.paperwork_h[job]
        w.team_formed_h[job] = now
        w.arrived_h[job] = arrived
        w.done_h[job] = done
        w.officers_present[job] = len(team)
        w.borrowed[job] = sum(o.unit != u for o in team)
        w.callout[job] = callout
        w.travel_km[job] = max(legs)
        inspection = w.klass(job) == INSPECTION
        kind, ident = ("inspection", job - w.n_incidents) if inspection else ("incident", job)
        for o, km in zip(team, legs, strict=True):
            self._take(o)
            o.busy(now, written, self.window)
            o.spend("travel", now, depart + km / self.speed_kmh, self.window)
            o.spend("inspection" if inspection else "onsite", depart + km / self.speed_kmh, done,
                    self.window)  # fmt: skip
            o.spend("inspection" if inspection else "paperwork", done, written, self.window)
            o.loc = town
            self.assignments.append((o.id, kind, ident, now, written))
        self.env.timeout(written - now).callbacks.append(lambda _e: self._site_done(team, town))

    def _callout_delay(self, u: int) -> float:
        spec = self.world.units[u].duty.on_call.callout_delay_hours
        return float(spec.sample(self.callout_rng, 1)[0])

    def _site_done(self, team: list[Officer], town: int) -> None:
        """Site work and paperwork done: chain to the next job, or head home."""
        if self.chaining:
            for o in team:
                self._give(o)
            for u in dict.fromkeys(o.unit for o in team):
                self._dispatch(u)
            team = [o for o in team if o.free]
            for o in team:
                self._take(o)
        now = self.env.now
        for home in dict.fromkeys(o.home for o in team):
            group = [o for o in team if o.home == home]
            back = float(self.world.road_km[town, home]) / self.speed_kmh
            for o in group:
                o.spend("travel", now, now + back, self.window)
                o.busy(now, now + back, self.window)
                self.assignments.append((o.id, "return", -1, now, now + back))
            self.env.timeout(back).callbacks.append(lambda _e, g=group: self._home(g))

    def _home(self, group: list[Officer]) -> None:
        for o in group:
            o.loc = o.home
            self._give(o)
            if o.pending and o.calendar.on_duty(self.env.now):
                self._take(o)
                self._start_diverted(o)
        self._after_release({o.unit for o in group})

    def _start_diverted(self, o: Officer) -> None:
        hours = o.pending.pop(0)
        now = self.env.now
        o.spend("diverted", now, now + hours, self.window)
        o.busy(now, now + hours, self.window)
        self.assignments.append((o.id, "diverted", -1, now, now + hours))
        self.env.timeout(hours).callbacks.append(lambda _e: self._home([o]))

    def _after_release(self, units: set[int]) -> None:
        for u in sorted(units):
            self._dispatch(u)
        if self.borrowing:  # freed officers may be lent to a neighbour's waiting report
            for v, queue in enumerate(self.queues):
                if queue and v not in units:
                    self._dispatch(v)

    # --- the free lists and the partner-wait clock ---------------------------------

    def _take(self, o: Officer) -> None:
        self._tick(o.unit)
        o.free = False
        self.free[o.unit].remove(o)

    def _give(self, o: Officer) -> None:
        self._tick(o.unit)
        o.free = True
        o.free_since = self.env.now
        self.free[o.unit].append(o)

    def _tick(self, u: int) -> float:
        """Advance unit ``u``'s partner-wait clock to now; called before free changes."""
        now = self.env.now
        if 1 <= len(self.free[u]) < self.team_size:
            cal = self.world.units[u].calendar
            self.partner_clock[u] += cal.duty_hours_between(self.partner_clock_at[u], now)
        self.partner_clock_at[u] = now
        return self.partner_clock[u]

    def finish(self) -> None:
        """Close the partner-wait clocks of jobs still waiting at the end of the run."""
        w = self.work
        for u, queue in enumerate(self.queues):
            clock = self._tick(u)
            for job in queue:
                w.partner_wait_h[job] = clock - w.clock_at_queue[job] if w.need[job] > 1 else 0.0
