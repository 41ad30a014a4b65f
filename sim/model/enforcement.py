"""Enforcement units: jobs wait for a legal team, the team goes, works and returns.

A team is acquired all at once — no officer is held idle while a partner is awaited —
from the free officers nearest the job. Once a team is sent its whole job is known
(call-out, travel, on site, paperwork, the way back), so a job costs one event, its
return to base, when its officers are free again — two with chaining, where the end of
its paperwork is an event too (the team may be sent straight on from the site). Times
are written straight into the job columns (``jobs.Jobs``), every piece of officer work
into one flat log (its hours are booked from it at the end: ``bookings``), and the
partner-wait clock kept with each unit's free officers (``partner_wait.FreeOfficers``).

The handlers run tens of thousands of times a simulated year, so they work on plain
Python lists and floats and schedule plain calls on the model's clock (``clock.Clock``)
rather than processes; ``tests/test_backtest.py`` pins every table to the bit and
``benchmarks/run.py`` times them (see benchmarks/README.md before adding a call to a
per-event path).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ..world.build import World
from ..world.duty import DutyCalendar
from .clock import Clock
from .diverted import diverted_tasks
from .finds import draw_finds
from .incidents import Incidents
from .inspections import PlannedInspections
from .interference import draw_interference, soften
from .jobs import Jobs
from .officers import (
    DIVERTED,
    INCIDENT_JOB,
    INSPECTION_JOB,
    RETURN,
    Officer,
)
from .partner_wait import FreeOfficers, partner_waits
from .policies import DISPATCH_ORDERS, INCIDENT, INSPECTION, SHORTFALL_POLICIES, JobQueue
from .streams import Streams

if TYPE_CHECKING:
    from .upfront import Upfront


class EnforcementUnits:
    """Every unit's queue and officers, and the life of each job, in the order of the
    methods below:

    1. ``report``: an incident report reaches its unit (a planned inspection arrives at
       its planned time) and ``_queue`` puts it in the unit's queue, in dispatch order;
    2. ``_dispatch``: while the unit has officers free (off duty: for severities someone
       is on call for), the shortfall policy forms a legal team for the first job, or the
       job keeps waiting;
    3. ``_send``: the team sets out — after a call-out delay when off duty — travels,
       works on site and writes up; all of it is known now, so recorded and booked now;
    4. ``_paperwork_done``: with chaining the officers are free on site for their units'
       next jobs; the rest ``_return_to_base`` (without chaining, booked when sent);
    5. ``_home``: ``_back_at_base``, free again, to their own diverted work first.

    Officers also do diverted work (``_divert``, ``_start_diverted``), which comes before
    unit work whenever they are free and on duty.
    """

    def __init__(
        self,
        env: Clock,
        world: World,
        incidents: Incidents,
        inspections: PlannedInspections,
        streams: Streams,
        drawn: Upfront | None = None,
    ) -> None:
        sc = world.scenario
        self.env = env
        self.world = world
        self.jobs = Jobs(world, incidents, inspections)
        # per-incident draws made up front (over the whole region when the run is one
        # partition of it: ``sim.model.upfront``); None: drawn here
        self.held_h = self._interference(
            incidents, streams, drawn.interference if drawn is not None else None
        )
        finds_u = drawn.finds_u if drawn is not None else None
        self.finds = draw_finds(world, incidents, streams, finds_u)  # None: nothing found
        # set by the monthly step (``sim.model.monthly``): up-front reports it superseded
        self.skip: Callable[[int], bool] | None = None
        self.policy = SHORTFALL_POLICIES[sc.enforcement.shortfall_policy]
        self.crosses_units = self.policy.crosses_units
        # fewest free officers of its own with which a unit may send anyone: below it a
        # dispatch can only find that the team cannot be formed, so it is skipped
        self.min_free = self.policy.min_free(min(self.jobs.need_l or [sc.enforcement.team_size]))
        self.aid_after_h = sc.enforcement.mutual_aid.after_hours
        self.chaining = sc.enforcement.chaining
        self.speed_kmh = sc.travel.speed_kmh
        self.window = (sc.warmup_hours, sc.horizon_hours)
        # one call-out stream per unit: a unit's delays depend only on its own call-outs, so
        # re-staffing one county leaves every other county's run exactly as it was
        self.streams = streams
        self.callout_rngs: dict[int, np.random.Generator] = {}
        # every piece of officer work, flat, eight items each: officer (index), kind (index
        # into ASSIGNMENT_KINDS), job (-1 for none), start, end, whether a call-out, arrival,
        # end of the work; the tables and the officers' hours come from it at the end
        # (bookings.WorkLog, records.assignment_table, records.officer_table)
        self.assignments: list = []
        # road km between points, read as Python floats (``km(a, b)``, no numpy scalars)
        self.km = world.road_km.item
        self.calendars = [unit.calendar for unit in world.units]
        self.on_call = [unit.on_call for unit in world.units]
        order = DISPATCH_ORDERS[sc.enforcement.dispatch_order]
        self.queues = [JobQueue(order) for _ in world.units]
        self.officers: list[Officer] = []
        self.free: list[FreeOfficers] = []
        for u, unit in enumerate(world.units):
            staff = [
                self._officer(f"{unit.name}-{k + 1}", u, home, len(self.officers) + k)
                for k, home in enumerate(unit.officer_homes)
            ]
            self.officers.extend(staff)
            self.free.append(FreeOfficers(list(staff), sc.enforcement.team_size))
        self._start_wakeups()
        if len(inspections):
            offset = self.jobs.n_incidents
            planned = inspections.planned_h.tolist()
            env.process(self._at_times(planned, lambda k, now: self._queue(offset + k, now)))
        release, self.task_officer, self.task_hours = diverted_tasks(world, self.officers, streams)
        if release:
            env.process(self._at_times(release, self._divert))

    # --- a job's life --------------------------------------------------------------

    def report(self, i: int) -> None:
        """An incident report reaches its unit (unless a planned inspection found it and
        reported it earlier, or the monthly step deterred the incident or moved its report:
        ``skip``); one the township holds back (township interference) joins the queue only
        after its hold."""
        finds = self.finds
        if finds is not None and finds.found[i]:
            return
        if self.skip is not None and self.skip(i):
            return
        self._report_now(i)

    def report_moved(self, i: int) -> None:
        """A report the monthly step rescheduled (it checks it is still the current one)."""
        finds = self.finds
        if finds is not None and finds.found[i]:
            return
        self._report_now(i)

    def _report_now(self, i: int) -> None:
        held = self.held_h
        if held is not None and held[i] > 0:
            self.env.call_in(held[i], self._queue_now, i)
        else:
            self._queue(i, self.env.now)

    def _interference(
        self, incidents: Incidents, streams: Streams, pre: tuple | None = None
    ) -> list[float] | None:
        """Township interference, decided per incident up front: softened cases get their
        shorter time on site now; the hours delayed ones are held back are returned (None
        when the mechanism is off, and nothing changes)."""
        drawn = draw_interference(self.world, incidents, streams, pre)
        if drawn is None:
            return None
        jobs = self.jobs
        jobs.interference = drawn.kind
        jobs.held_h = np.asarray(drawn.held_h, dtype=float)
        factor = self.world.scenario.enforcement.interference.onsite_factor
        jobs.onsite_l = soften(jobs.onsite_l, drawn.kind, factor)
        return drawn.held_h

    def _queue_now(self, job: int) -> None:
        self._queue(job, self.env.now)

    def _dispatch_now(self, u: int) -> None:
        self._dispatch(u, self.env.now)

    def _queue(self, job: int, now: float) -> None:
        """1. The job waits in its unit's queue (its partner-wait clock reading noted)."""
        jobs = self.jobs
        u = jobs.unit_l[job]
        jobs.queued_h[job] = now
        jobs.log_at_queue[job] = self.free[u].tick(now)
        klass = INCIDENT if job < jobs.n_incidents else INSPECTION
        self.queues[u].push(job, klass, jobs.severity_l[job], now)
        if self.crosses_units and self.aid_after_h > 0 and klass == INCIDENT:
            # look again once the report has waited long enough to be lent a team
            self.env.call_in(self.aid_after_h, self._dispatch_now, u)
        self._dispatch(u, now)

    def _dispatch(self, u: int, now: float) -> None:
        """2. Form teams for the unit's jobs, first in dispatch order first, until the
        shortfall policy cannot: the first job the unit may serve now blocks the rest."""
        queue = self.queues[u]
        if not queue.items:
            return
        free = self.free[u]
        if len(free.officers) < self.min_free:  # nothing can be sent: only tick the clock
            free.tick(now)
            return
        on_duty = self.calendars[u].on_duty(now)
        if on_duty:
            eligible = None
        else:
            on_call = self.on_call[u]
            if not queue.holds_any(on_call):  # nobody to call out for: only tick the clock
                free.tick(now)
                return
            severity = self.jobs.severity_l
            eligible = lambda j: severity[j] in on_call  # noqa: E731
        log_at = free.tick(now)
        jobs = self.jobs
        while True:
            job = queue.first(eligible)
            if job is None:
                return
            team = self.policy.form_team(self, u, job, jobs.need_l[job])
            if team is None:
                return
            queue.remove(job)
            jobs.log_at_team[job] = log_at
            self._send(u, job, team, not on_duty, now)
            if not queue.items or len(free.officers) < self.min_free:
                return  # as the next round would find

    def _send(
        self,
        u: int,
        job: int,
        team: list[Officer],
        callout: bool,
        now: float,
        called: tuple[bool, ...] | None = None,
    ) -> None:
        """3. The team sets out (after a call-out delay if off duty), travels — each officer
        from where they are; work starts when the last arrives — works on site and writes
        up. All of it is known now, so it is recorded and logged now (the hours by activity
        follow from the log's row: ``bookings``). ``called``: which officers are called out
        (default: all of them if ``callout``)."""
        jobs, speed, km = self.jobs, self.speed_kmh, self.km
        town = jobs.town_l[job]
        depart = now + self._callout_delay(u) if callout else now
        legs_km = [km(o.loc, town) for o in team]
        travel_km = max(legs_km)
        arrived = depart + travel_km / speed
        done = arrived + jobs.onsite_l[job]
        written = done + jobs.paperwork_l[job]
        if job < jobs.n_incidents:
            kind, ident = INCIDENT_JOB, job
        else:  # an inspection: all its time on site and after counts as inspecting
            kind, ident = INSPECTION_JOB, job - jobs.n_incidents
        free, log = self.free, self.assignments.extend
        borrowed = 0
        flags = called or (callout,) * len(team)
        for o, leg_km, flag in zip(team, legs_km, flags, strict=True):
            if o.unit != u:
                borrowed += 1
            free[o.unit].take(o, now)
            o.loc = town
            log((o.index, kind, ident, now, written, flag, depart + leg_km / speed, done))
        jobs.team_formed_h[job] = now
        jobs.arrived_h[job] = arrived
        jobs.done_h[job] = done
        jobs.officers_present[job] = len(team)
        jobs.borrowed[job] = borrowed
        jobs.callout[job] = callout
        jobs.travel_km[job] = travel_km
        if callout:
            self._called_out(team, flags, now)
        if self.finds is not None and kind == INSPECTION_JOB:
            self.env.call_in(done - now, self._inspected, town)
        if self.chaining:
            self.env.call_in(written - now, self._paperwork_done, (team, town))
        else:  # nobody is sent on from the site: the way back is known now, booked now
            self._return_to_base(team, town, now + (written - now))  # as the clock adds

    def _inspected(self, town: int) -> None:
        """3a. A planned inspection's time on site ends: what it found is reported now."""
        for i in self.finds.find(town, self.env.now):
            self._report_now(i)

    def _called_out(self, team: list[Officer], called: tuple[bool, ...], now: float) -> None:
        """Count the call-out of every officer of the team (formed in the window)."""
        if now >= self.window[0]:
            for o in team:
                o.callouts += 1

    def _callout_delay(self, u: int) -> float:
        unit = self.world.units[u]
        rng = self.callout_rngs.get(u)
        if rng is None:
            rng = self.callout_rngs[u] = self.streams.rng(f"enforcement.callout.{unit.name}")
        return float(unit.duty.on_call.callout_delay_hours.sample(rng, 1)[0])

    def _paperwork_done(self, sent: tuple[list[Officer], int]) -> None:
        """4. With chaining (only then is this an event) the officers are free on site, and
        their units may send them straight on; whoever is not sent heads back to base."""
        team, town = sent
        now = self.env.now
        for o in team:
            self.free[o.unit].give(o, now)
        for u in dict.fromkeys(o.unit for o in team):
            self._dispatch(u, now)
        team = [o for o in team if o.free]
        for o in team:
            self.free[o.unit].take(o, now)
        if team:
            self._return_to_base(team, town, now)

    def _return_to_base(self, team: list[Officer], town: int, now: float) -> None:
        """One way back per base among the team (officers may be posted at several)."""
        home = team[0].home
        for o in team:
            if o.home != home:
                homes = dict.fromkeys(o.home for o in team)
                groups = [(h, [o for o in team if o.home == h]) for h in homes]
                break
        else:
            groups = [(home, team)]
        km, speed, log = self.km, self.speed_kmh, self.assignments.extend
        for home, group in groups:
            back = km(town, home) / speed
            end = now + back
            for o in group:  # all travel
                log((o.index, RETURN, -1, now, end, False, end, end))
            self.env.call_at(end, self._home, group)

    def _home(self, group: list[Officer]) -> None:
        """5. Back at base: free again, and their units (with mutual aid, any unit) may
        send them."""
        now = self.env.now
        for o in group:
            self._back_at_base(o, now)
        if len(group) == 1:
            self._after_release((group[0].unit,), now)
        else:
            self._after_release(sorted({o.unit for o in group}), now)

    def _back_at_base(self, o: Officer, now: float) -> None:
        """Free at base: to the officer's own diverted work first (the township's claim
        comes first, the article's complaint)."""
        o.loc = o.home
        self.free[o.unit].give(o, now)
        if o.pending and o.calendar.on_duty(now):
            self._start_diverted(o, now)

    def _after_release(self, units, now: float) -> None:
        """Dispatch the released units (in order), then, when teams may cross units, every
        other unit with work waiting: freed officers may be lent to a neighbour."""
        queues = self.queues
        for u in units:
            if queues[u].items:
                self._dispatch(u, now)
        if self.crosses_units:
            for v, queue in enumerate(queues):
                if queue.items and v not in units:
                    self._dispatch(v, now)

    # --- what a shortfall policy may ask ---------------------------------------------

    def nearest_free(self, u: int, job: int) -> list[Officer]:
        """The unit's free officers, nearest the job first, then longest idle."""
        free = self.free[u].officers
        if len(free) < 2:
            return list(free)
        km, town = self.km, self.jobs.town_l[job]
        if len(free) == 2:  # sorted(), spelt out for the commonest case
            a, b = free
            if (km(b.loc, town), b.free_since) < (km(a.loc, town), a.free_since):
                return [b, a]
            return [a, b]
        return sorted(free, key=lambda o: (km(o.loc, town), o.free_since))

    def may_borrow(self, job: int) -> bool:
        """Mutual aid is for reports that have waited long enough, not planned checks."""
        jobs = self.jobs
        return (
            job < jobs.n_incidents and self.env.now - jobs.queued_h[job] >= self.aid_after_h - 1e-9
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

    # --- diverted work and shift starts ----------------------------------------------

    def _divert(self, k: int, now: float) -> None:
        """Diverted task ``k`` reaches its officer: it starts now if the officer is free and
        on duty, or waits for that."""
        o = self.officers[self.task_officer[k]]
        o.pending.append(self.task_hours[k])
        if o.free and o.calendar.on_duty(now):
            self._start_diverted(o, now)

    def _start_diverted(self, o: Officer, now: float) -> None:
        self.free[o.unit].take(o, now)
        hours = o.pending.pop(0)
        end = now + hours
        self.assignments.extend((o.index, DIVERTED, -1, now, end, False, now, end))
        self.env.call_in(hours, self._diverted_done, o)

    def _diverted_done(self, o: Officer) -> None:
        now = self.env.now
        self._back_at_base(o, now)
        self._after_release((o.unit,), now)

    # --- what a rota changes (see rostered.RosteredUnits) ------------------------------

    def _officer(self, ident: str, u: int, home: int, index: int) -> Officer:
        """An officer on the unit's calendar, as every officer is under the default rota."""
        return Officer(ident, u, home, self.world.units[u].calendar, None, index)

    def _start_wakeups(self) -> None:
        """Dispatch again whenever a calendar's shift starts."""
        for cal, members in self._units_by_calendar().items():
            if not cal.always:
                self.env.process(self._shift_starts(cal, members))

    def _shift_starts(self, cal: DutyCalendar, members: list[int]):
        """At every shift start: officers with diverted work waiting start it, then the
        units dispatch."""
        env = self.env
        while True:
            yield env.timeout(cal.next_start(env.now) - env.now)
            now = env.now
            for u in members:
                for o in [o for o in self.free[u].officers if o.pending]:
                    self._start_diverted(o, now)
                if self.queues[u].items:
                    self._dispatch(u, now)

    def _units_by_calendar(self) -> dict[DutyCalendar, list[int]]:
        groups: dict[DutyCalendar, list[int]] = {}
        for u, unit in enumerate(self.world.units):
            groups.setdefault(unit.calendar, []).append(u)
        return groups

    def _at_times(self, times: list[float], handle: Callable[[int, float], None]):
        """Call ``handle(k, now)`` at ``times[k]`` (sorted), one SimPy event each.

        The same events at the same moments as a process looping ``yield
        env.timeout(times[k] - env.now); handle(k, env.now)``, each scheduled at the same
        point (the first when this process starts, each next one after the handler), so
        ties are broken as before; but chained by callbacks, without resuming a generator
        per event. A generator only to start the chain at the moment the loop would have.
        """
        env, n = self.env, len(times)

        def fire(k: int) -> None:
            now = env.now
            handle(k, now)
            if k + 1 < n:
                env.call_in(times[k + 1] - now, fire, k + 1)

        if times:
            env.call_in(times[0] - env.now, fire, 0)
        return
        yield  # a generator: started by env.process, like the loop it replaces

    # --- the end of the run ----------------------------------------------------------

    def finish(self) -> None:
        """Close the partner-wait clocks of jobs still waiting at the end of the run, fill
        in every job's partner wait and seal the job columns."""
        jobs = self.jobs
        now = self.env.now
        for free, queue in zip(self.free, self.queues, strict=True):
            at = free.tick(now)
            for job in queue:
                jobs.log_at_team[job] = at
        jobs.partner_wait_h = partner_waits(
            self.free, self.calendars, jobs.unit_l, jobs.log_at_queue, jobs.log_at_team, jobs.need
        )
        jobs.seal()
