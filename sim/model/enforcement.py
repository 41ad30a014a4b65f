"""Enforcement units: jobs wait for a legal team, the team goes, works and returns.

Jobs are incident reports and planned inspections, in one index space
(incidents first). A team is acquired all at once — no officer is held idle
while a partner is awaited — from the free officers nearest the job. Once a team
is sent its whole job is known (call-out, travel, on site, paperwork, the way
back), so a job costs two SimPy events: the end of its paperwork (where, with
chaining, the team may be sent straight on) and its return to base, when its
officers are free again. Times are written straight into the records.

The hot path (every handler runs tens of thousands of times a simulated year)
works on plain Python lists and floats — per-job columns are copied out of
numpy once and written back once (``Work.seal``) — and the partner-wait clock is
logged as intervals and converted to duty hours in bulk at the end
(``Enforcement.finish``), with bit-for-bit the numbers one calendar call per
interval gives. ``tests/test_backtest.py`` pins every table to the bit.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import simpy
from simpy import Timeout

from ..world.build import World
from ..world.duty import DutyCalendar
from .diverted import diverted_tasks
from .incidents import Incidents
from .inspections import Inspections
from .policies import DISPATCH_ORDERS, INCIDENT, INSPECTION, SHORTFALL_POLICIES, JobQueue
from .streams import Streams

ACTIVITIES = ("onsite", "travel", "paperwork", "inspection", "diverted")
# kinds of officer assignments, logged by their index (see Enforcement.assignments)
ASSIGNMENT_KINDS = ("incident", "inspection", "return", "diverted")
INCIDENT_JOB, INSPECTION_JOB, RETURN, DIVERTED = range(4)
ON_SITE, TRAVEL, PAPERWORK, INSPECTING, DIVERTED_WORK = ACTIVITIES


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

    def book(self, activity: str, a: float, b: float, window: tuple[float, float]) -> None:
        """``spend`` and ``busy`` at once for one stretch of work (one clip, one call: the
        way back and diverted tasks are on the hot path)."""
        x, y = max(a, window[0]), min(b, window[1])
        if y > x:
            self.hours[activity] += y - x
            self.busy_from.append(x)
            self.busy_to.append(y)

    def busy(self, a: float, b: float, window: tuple[float, float]) -> None:
        """Book [a, b] as busy (clipped to the window); its duty hours are counted in bulk
        by the records (``records._busy_hours``), since calendar arithmetic per stretch
        was the top of the profile."""
        x, y = max(a, window[0]), min(b, window[1])
        if y > x:
            self.busy_from.append(x)
            self.busy_to.append(y)


class Work:
    """Per-job attributes (incidents, then inspections) and outcome columns.

    During the run the outcome columns are Python lists (cheap to write one item at a
    time); ``seal`` turns them into the numpy arrays the records read.
    """

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
        # the same, as lists of Python numbers for the hot path (identical values)
        self.unit_l = world.unit_of_township[self.township].tolist()
        self.town_l = self.township.tolist()
        self.need_l = self.need.tolist()
        self.onsite_l = self.onsite_h.tolist()
        self.paperwork_l = self.paperwork_h.tolist()
        self.severity_l = self.severity.tolist()
        nan = math.nan
        self.queued_h: list[float] | np.ndarray = [nan] * n
        self.team_formed_h: list[float] | np.ndarray = [nan] * n
        self.arrived_h: list[float] | np.ndarray = [nan] * n
        self.done_h: list[float] | np.ndarray = [nan] * n
        self.officers_present: list[int] | np.ndarray = [0] * n
        self.borrowed: list[int] | np.ndarray = [0] * n
        self.callout: list[bool] | np.ndarray = [False] * n
        self.travel_km: list[float] | np.ndarray = [nan] * n
        # on-duty hours, while a report waited, that some but too few officers were free
        # (filled at the end from the partner-wait log, see Enforcement.finish)
        self.partner_wait_h = np.full(n, np.nan)
        # where each job's wait began and ended in its unit's partner-wait log
        self.log_at_queue: list[int] = [-1] * n
        self.log_at_team: list[int] = [-1] * n

    def klass(self, job: int) -> int:
        return INCIDENT if job < self.n_incidents else INSPECTION

    def seal(self) -> None:
        """Turn the outcome lists into arrays (once, at the end of the run)."""
        for name in ("queued_h", "team_formed_h", "arrived_h", "done_h", "travel_km"):
            setattr(self, name, np.array(getattr(self, name), dtype=float))
        self.officers_present = np.array(self.officers_present, dtype=np.int64)
        self.borrowed = np.array(self.borrowed, dtype=np.int64)
        self.callout = np.array(self.callout, dtype=bool)


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
        # one call-out stream per unit: a unit's delays depend only on its own call-outs, so
        # re-staffing one county leaves every other county's run exactly as it was
        self.streams = streams
        self.callout_rngs: dict[int, np.random.Generator] = {}
        # every piece of officer work, flat, five items each: officer id, kind (index
        # into ASSIGNMENT_KINDS), job (-1 for none), start, end; see records.assignment_table
        self.assignments: list = []
        self.officers: list[Officer] = []
        self.free: list[list[Officer]] = []
        # road km between points, read as Python floats (``km(a, b)``, no numpy scalars)
        self.km = world.road_km.item
        self.calendars = [unit.calendar for unit in world.units]
        self.on_call = [unit.on_call for unit in world.units]
        # fewest free officers of its own with which a unit may send anyone: below it a
        # dispatch can only find that the team cannot be formed, so it is skipped
        needs = self.work.need_l or [self.team_size]
        self.min_free = getattr(self.policy, "min_free", lambda need: 0)(min(needs))
        order = DISPATCH_ORDERS[sc.enforcement.dispatch_order]
        self.queues = [JobQueue(order) for _ in world.units]
        for u, unit in enumerate(world.units):
            staff = [
                Officer(f"{unit.name}-{k + 1}", u, home, unit.calendar)
                for k, home in enumerate(unit.officer_homes)
            ]
            self.officers.extend(staff)
            self.free.append(list(staff))
        # Per unit, the partner-wait clock: on-duty hours with 1 <= free officers <
        # team_size. It is ticked (to now) before every change of the free count and
        # whenever a job is queued or dispatched; each tick in that state logs the
        # interval since the last one, and ``finish`` turns the log into duty hours and
        # a running sum, exactly as adding one calendar call per tick would.
        self.clock_at = [0.0] * len(world.units)
        self.log_from: list[list[float]] = [[] for _ in world.units]
        self.log_to: list[list[float]] = [[] for _ in world.units]
        for cal, members in self._units_by_calendar().items():
            if not cal.always:
                env.process(self._shift_starts(cal, members))
        if len(inspections):
            offset = self.work.n_incidents
            planned = inspections.planned_h.tolist()
            env.process(self._at_times(planned, lambda k: self._queue(offset + k)))
        release, who, hours = diverted_tasks(
            world, [o.id for o in self.officers], [o.unit for o in self.officers], streams
        )
        if release:
            env.process(self._release_diverted(release, who, hours))

    # --- arrivals of work --------------------------------------------------------

    def report(self, i: int) -> None:
        """An incident report reaches its unit."""
        self._queue(i)

    def _queue(self, job: int) -> None:
        w = self.work
        now = self.env.now
        u = w.unit_l[job]
        w.queued_h[job] = now
        w.log_at_queue[job] = self._tick(u, now)
        klass = INCIDENT if job < w.n_incidents else INSPECTION
        self.queues[u].push(job, klass, w.severity_l[job], now)
        if self.borrowing and self.aid_after_h > 0 and klass == INCIDENT:
            self.env.timeout(self.aid_after_h).callbacks.append(lambda _e: self._dispatch(u))
        self._dispatch(u)

    def _at_times(self, times: list[float], handle: Callable[[int], None]):
        """Call ``handle(k)`` at ``times[k]`` (sorted), one SimPy event each.

        The same events at the same moments as a process looping ``yield
        env.timeout(times[k] - env.now); handle(k)``, each scheduled at the same point
        (the first when this process starts, each next one after the handler), so ties
        are broken as before; but chained by callbacks, without resuming a generator per
        event. A generator only to start the chain at the moment the loop would have.
        """
        env = self.env

        def fire(event: simpy.Event) -> None:
            k = event.value
            handle(k)
            if k + 1 < len(times):
                Timeout(env, times[k + 1] - env.now, k + 1).callbacks.append(fire)

        if times:
            Timeout(env, times[0] - env.now, 0).callbacks.append(fire)
        return
        yield  # a generator: started by env.process, like the loop it replaces

    def _release_diverted(self, release: list[float], who: list[int], hours: list[float]):
        """Diverted task k reaches officer ``who[k]`` at ``release[k]``: it waits for the
        officer to be free and on duty, or starts now. ``_at_times`` with the handler
        spelt out (there are tens of thousands of tasks a year)."""
        env, officers, n = self.env, self.officers, len(release)

        def fire(event: simpy.Event) -> None:
            k = event.value
            officer = officers[who[k]]
            officer.pending.append(hours[k])
            if officer.free and officer.calendar.on_duty(env.now):
                self._take(officer, env.now)
                self._start_diverted(officer)
            if k + 1 < n:
                Timeout(env, release[k + 1] - env.now, k + 1).callbacks.append(fire)

        Timeout(env, release[0] - env.now, 0).callbacks.append(fire)
        return
        yield  # a generator: started by env.process, see _at_times

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
                    self._take(officer, self.env.now)
                    self._start_diverted(officer)
                if self.queues[u].items:
                    self._dispatch(u)

    # --- dispatch ----------------------------------------------------------------

    def _dispatch(self, u: int) -> None:
        queue = self.queues[u]
        if not queue.items:
            return
        n_free = len(self.free[u])
        now = self.env.now
        if n_free < self.min_free:  # nothing can be sent: only tick the clock
            if n_free and n_free < self.team_size:
                self._tick(u, now)
            return
        on_duty = self.calendars[u].on_duty(now)
        if on_duty:
            eligible = None
        else:
            on_call = self.on_call[u]
            if not queue.holds_any(on_call):  # nobody to call out for: only tick the clock
                self._tick(u, now)
                return
            severity = self.work.severity_l
            eligible = lambda j: severity[j] in on_call  # noqa: E731
        log_at = self._tick(u, now)
        w = self.work
        while True:
            job = queue.first(eligible)
            if job is None:
                return
            team = self.policy.form_team(self, u, job, w.need_l[job])
            if team is None:
                return
            queue.remove(job)
            w.log_at_team[job] = log_at
            self._send(u, job, team, not on_duty, now)
            if not queue.items or len(self.free[u]) < self.min_free:
                return  # as the next round would find

    def nearest_free(self, u: int, job: int) -> list[Officer]:
        """The unit's free officers, nearest the job first, then longest idle."""
        free = self.free[u]
        if len(free) < 2:
            return list(free)
        km, town = self.km, self.work.town_l[job]
        if len(free) == 2:  # sorted(), spelt out for the commonest case
            a, b = free
            if (km(b.loc, town), b.free_since) < (km(a.loc, town), a.free_since):
                return [b, a]
            return [a, b]
        return sorted(free, key=lambda o: (km(o.loc, town), o.free_since))

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
            if self.queues[v] or not self.calendars[v].on_duty(now):
                continue
            out.extend(self.nearest_free(v, job)[: missing - len(out)])
            if len(out) == missing:
                break
        return out

    def _send(self, u: int, job: int, team: list[Officer], callout: bool, now: float) -> None:
        w, speed, window = self.work, self.speed_kmh, self.window
        town = w.town_l[job]
        depart = now + (self._callout_delay(u) if callout else 0.0)
        km = self.km
        legs = [km(o.loc, town) for o in team]
        far = max(legs)
        arrived = depart + far / speed
        done = arrived + w.onsite_l[job]
        written = done + w.paperwork_l[job]
        w.team_formed_h[job] = now
        w.arrived_h[job] = arrived
        w.done_h[job] = done
        w.officers_present[job] = len(team)
        w.callout[job] = callout
        w.travel_km[job] = far
        if job >= w.n_incidents:  # an inspection: all its time on site and after counts
            kind, ident = INSPECTION_JOB, job - w.n_incidents
            on_site = after = INSPECTING
        else:
            kind, ident, on_site, after = INCIDENT_JOB, job, ON_SITE, PAPERWORK
        inside = window[0] <= now and written <= window[1]
        log = self.assignments.extend
        borrowed = 0
        ts, clock_at = self.team_size, self.clock_at
        for o, km in zip(team, legs, strict=True):
            ou = o.unit
            if ou != u:
                borrowed += 1
            free = self.free[ou]  # self._take(o, now), inlined
            if 0 < len(free) < ts and now > clock_at[ou]:
                self.log_from[ou].append(clock_at[ou])
                self.log_to[ou].append(now)
            clock_at[ou] = now
            o.free = False
            free.remove(o)
            there = depart + km / speed
            if inside:  # Officer.busy and Officer.spend, unclipped
                if written > now:
                    o.busy_from.append(now)
                    o.busy_to.append(written)
                hours = o.hours
                if there > now:
                    hours[TRAVEL] += there - now
                if done > there:
                    hours[on_site] += done - there
                if written > done:
                    hours[after] += written - done
            else:
                o.busy(now, written, window)
                o.spend(TRAVEL, now, there, window)
                o.spend(on_site, there, done, window)
                o.spend(after, done, written, window)
            o.loc = town
            log((o.id, kind, ident, now, written))
        w.borrowed[job] = borrowed
        Timeout(self.env, written - now).callbacks.append(lambda _e: self._site_done(team, town))

    def _callout_delay(self, u: int) -> float:
        unit = self.world.units[u]
        rng = self.callout_rngs.get(u)
        if rng is None:
            rng = self.callout_rngs[u] = self.streams.rng(f"enforcement.callout.{unit.name}")
        return float(unit.duty.on_call.callout_delay_hours.sample(rng, 1)[0])

    def _site_done(self, team: list[Officer], town: int) -> None:
        """Site work and paperwork done: chain to the next job, or head home."""
        now = self.env.now
        if self.chaining:
            for o in team:
                self._give(o, now)
            for u in dict.fromkeys(o.unit for o in team):
                self._dispatch(u)
            team = [o for o in team if o.free]
            for o in team:
                self._take(o, now)
        km, speed, window = self.km, self.speed_kmh, self.window
        log = self.assignments.extend
        if not team:
            return
        home = team[0].home
        for o in team:
            if o.home != home:  # officers posted at several bases: one way back each
                homes = dict.fromkeys(o.home for o in team)
                groups = [(h, [o for o in team if o.home == h]) for h in homes]
                break
        else:
            groups = [(home, team)]
        for home, group in groups:
            back = km(town, home) / speed
            end = now + back
            for o in group:
                o.book(TRAVEL, now, end, window)
                log((o.id, RETURN, -1, now, end))
            Timeout(self.env, back).callbacks.append(lambda _e, g=group: self._home(g))

    def _home(self, group: list[Officer]) -> None:
        """A team back at base: free again, to its own diverted work first."""
        now = self.env.now
        for o in group:
            o.loc = o.home
            self._give(o, now)
            if o.pending and o.calendar.on_duty(now):
                self._take(o, now)
                self._start_diverted(o)
        if len(group) == 1:
            self._after_release((group[0].unit,))
        else:
            self._after_release(sorted({o.unit for o in group}))

    def _start_diverted(self, o: Officer) -> None:
        hours = o.pending.pop(0)
        now = self.env.now
        end = now + hours
        o.book(DIVERTED_WORK, now, end, self.window)
        self.assignments.extend((o.id, DIVERTED, -1, now, end))
        Timeout(self.env, hours, o).callbacks.append(self._diverted_done)

    def _diverted_done(self, event: simpy.Event) -> None:
        """``_home([officer])`` for an officer back from diverted work, spelt out."""
        o: Officer = event.value
        now = self.env.now
        o.loc = o.home
        u = o.unit
        free = self.free[u]  # self._give(o, now), inlined
        if 0 < len(free) < self.team_size and now > self.clock_at[u]:
            self.log_from[u].append(self.clock_at[u])
            self.log_to[u].append(now)
        self.clock_at[u] = now
        o.free = True
        o.free_since = now
        free.append(o)
        if o.pending and o.calendar.on_duty(now):
            self._take(o, now)
            self._start_diverted(o)
        if self.borrowing:
            self._after_release((u,))
        elif self.queues[u].items:  # _after_release((u,)) without the calls that do nothing
            self._dispatch(u)

    def _after_release(self, units) -> None:
        """Dispatch the released units (in order), then, with mutual aid, every other
        unit with work waiting: freed officers may be lent to a neighbour."""
        queues = self.queues
        for u in units:
            if queues[u].items:
                self._dispatch(u)
        if self.borrowing:
            for v, queue in enumerate(queues):
                if queue.items and v not in units:
                    self._dispatch(v)

    # --- the free lists and the partner-wait clock ---------------------------------

    def _take(self, o: Officer, now: float) -> None:
        u = o.unit
        free = self.free[u]
        if 0 < len(free) < self.team_size and now > self.clock_at[u]:  # tick
            self.log_from[u].append(self.clock_at[u])
            self.log_to[u].append(now)
        self.clock_at[u] = now
        o.free = False
        free.remove(o)

    def _give(self, o: Officer, now: float) -> None:
        u = o.unit
        free = self.free[u]
        if 0 < len(free) < self.team_size and now > self.clock_at[u]:  # tick
            self.log_from[u].append(self.clock_at[u])
            self.log_to[u].append(now)
        self.clock_at[u] = now
        o.free = True
        o.free_since = now
        free.append(o)

    def _tick(self, u: int, now: float) -> int:
        """Advance unit ``u``'s partner-wait clock to now; returns the clock's position in
        the unit's log. Outside 1 <= free < team_size the clock stands still, and the next
        change of the free count ticks it again, so nothing needs doing."""
        if 0 < len(self.free[u]) < self.team_size:
            if now > self.clock_at[u]:  # an empty interval adds nothing
                self.log_from[u].append(self.clock_at[u])
                self.log_to[u].append(now)
            self.clock_at[u] = now
        return len(self.log_from[u])

    def finish(self) -> None:
        """Close the partner-wait clocks of jobs still waiting at the end of the run, turn
        the clock logs into duty hours and every job's partner wait, and seal the columns.

        A job's partner wait is the clock when its team was formed (or at the end) minus
        the clock when it was queued; the clock is the running sum of the logged
        intervals' duty hours, summed in the same order as ticking would have added them.
        """
        w = self.work
        now = self.env.now
        for u, queue in enumerate(self.queues):
            at = self._tick(u, now)
            for job in queue:
                w.log_at_team[job] = at
        # duty hours of every logged interval, one calendar call per calendar
        hours: list[np.ndarray] = [np.zeros(0)] * len(self.calendars)
        groups: dict[DutyCalendar, list[int]] = {}
        for u, cal in enumerate(self.calendars):
            groups.setdefault(cal, []).append(u)
        for cal, units in groups.items():
            lo = [x for u in units for x in self.log_from[u]]
            hi = [x for u in units for x in self.log_to[u]]
            each = cal.duty_hours_between_many(lo, hi)
            start = 0
            for u in units:
                hours[u] = each[start : start + len(self.log_from[u])]
                start += len(self.log_from[u])
        clocks, offset = [], []
        start = 0
        for u in range(len(self.calendars)):
            clocks.append(np.concatenate([[0.0], np.cumsum(hours[u])]))
            offset.append(start)
            start += len(hours[u]) + 1
        clock = np.concatenate(clocks)
        team_at = np.asarray(w.log_at_team, dtype=np.int64)
        seen = team_at >= 0
        base = np.asarray(offset, dtype=np.int64)[np.asarray(w.unit_l, dtype=np.int64)]
        queued_at = np.asarray(w.log_at_queue, dtype=np.int64)
        at_team = clock[np.where(seen, base + team_at, 0)]
        waited = at_team - clock[np.where(seen, base + queued_at, 0)]
        w.partner_wait_h = np.where(seen, np.where(w.need > 1, waited, 0.0), np.nan)
        w.seal()
