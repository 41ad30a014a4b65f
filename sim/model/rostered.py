"""Enforcement units under a duty rota: each officer on their own duty and on-call time.

Under the default rota every officer of a unit shares the unit's calendar and every one
of them is on call off duty, so ``EnforcementUnits`` never asks about an officer's duty
on its hot path. Any other rota (``world.rota``, built by ``sim.world.rota``) runs here:
the same life of a job, with who may be sent decided per officer —

- on regular duty (their own calendar), free and not resting after a call-out: anyone of
  the unit, or, when none of the unit's own officers is on duty, a county duty team;
- for a severity officers are called out for: also officers on call now (their own unit's,
  or a county on-call team), not resting and under their weekly call-out limit; sending
  any of them makes the job a call-out, with its delay, recorded per officer.

Regular-duty officers come first (nearest first), then those on call. The dispatcher
looks again whenever anyone comes on duty or on call, a week starts (call-out limits
reset) or an officer's rest ends.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..world.build import World
from ..world.duty import WEEK_H
from .clock import Clock
from .enforcement import EnforcementUnits
from .incidents import Incidents
from .inspections import PlannedInspections
from .officers import Officer
from .streams import Streams

if TYPE_CHECKING:
    from .upfront import Upfront


class RosteredUnits(EnforcementUnits):
    def __init__(
        self,
        env: Clock,
        world: World,
        incidents: Incidents,
        inspections: PlannedInspections,
        streams: Streams,
        drawn: Upfront | None = None,
    ) -> None:
        assert world.rota is not None, "the default rota runs in EnforcementUnits"
        self.rota = world.rota
        super().__init__(env, world, incidents, inspections, streams, drawn)
        # a unit with none of its own free may still be served by a county team: the
        # base's shortcut on too few free officers of its own is kept for other units
        self.own_min_free, self.min_free = self.min_free, 0
        self.presence = self.rota.presence
        self.duty_pool = [[self.officers[g] for g in p] for p in self.rota.county_duty_pool]
        self.call_pool = [[self.officers[g] for g in p] for p in self.rota.county_call_pool]
        # units sharing a county team with each unit: released officers may serve them
        self.also = [
            tuple(dict.fromkeys(o.unit for o in (*self.duty_pool[u], *self.call_pool[u])))
            for u in range(len(world.units))
        ]

    def _dispatch(self, u: int, now: float) -> None:
        if not self.also[u] and len(self.free[u].officers) < self.own_min_free:
            if self.queues[u].items:
                self.free[u].tick(now)  # as the base does
            return
        super()._dispatch(u, now)

    def _officer(self, ident: str, u: int, home: int, index: int) -> Officer:
        duty = self.rota.officers[index]
        return Officer(ident, u, home, duty.regular, duty, index)

    def _start_wakeups(self) -> None:
        self.env.process(self._at_times(list(self.rota.wake_h), self._wake))

    def _wake(self, k: int, now: float) -> None:
        """Someone comes on duty or on call (or a week starts): officers coming on duty
        start their diverted work, then the units that may now send someone dispatch."""
        for g in self.rota.wake_officers[k]:
            o = self.officers[g]
            if o.free and o.pending and o.rest_until <= now:
                self._start_diverted(o, now)
        for u in self.rota.wake_units[k]:
            if self.queues[u].items:
                self._dispatch(u, now)

    # --- who may be sent ---------------------------------------------------------------

    def nearest_free(self, u: int, job: int) -> list[Officer]:
        """Officers on regular duty, nearest first, then (for an on-call severity of the
        job's own unit) officers on call; lent to another unit: on regular duty only."""
        now = self.env.now
        on = [o for o in self.free[u].officers if o.rest_until <= now and o.calendar.on_duty(now)]
        if u != self.jobs.unit_l[job]:
            return self._nearest(on, job)
        if self.duty_pool[u] and not self.presence[u].on_duty(now):
            on += [o for o in self.duty_pool[u] if o.free and self._county_duty(o, now)]
        out = self._nearest(on, job)
        if self.jobs.severity_l[job] in self.on_call[u]:
            call = [o for o in self.free[u].officers if self._callable(o, now)]
            call += [o for o in self.call_pool[u] if o.free and self._callable(o, now)]
            out += self._nearest(call, job)
        return out

    def _nearest(self, officers: list[Officer], job: int) -> list[Officer]:
        km, town = self.km, self.jobs.town_l[job]
        return sorted(officers, key=lambda o: (km(o.loc, town), o.free_since))

    @staticmethod
    def _county_duty(o: Officer, now: float) -> bool:
        return o.rest_until <= now and o.duty.county_duty.on_duty(now)  # type: ignore[union-attr]

    @staticmethod
    def _callable(o: Officer, now: float) -> bool:
        duty = o.duty
        if o.rest_until > now or not duty.on_call.on_duty(now):  # type: ignore[union-attr]
            return False
        limit = duty.max_callouts_per_week  # type: ignore[union-attr]
        return limit is None or o.week != now // WEEK_H or o.week_callouts < limit

    # --- call-outs and rest --------------------------------------------------------------

    def _send(
        self,
        u: int,
        job: int,
        team: list[Officer],
        callout: bool,
        now: float,
        called: tuple[bool, ...] | None = None,
    ) -> None:
        """Officers off their regular duty are called out; officers of other units serving
        on a county team are recorded as such, not as mutual aid."""
        called = tuple(not o.calendar.on_duty(now) for o in team)
        super()._send(u, job, team, any(called), now, called)
        county = sum(
            1
            for o, c in zip(team, called, strict=True)
            if o.unit != u and (o.duty.county_on_call if c else o in self.duty_pool[u])  # type: ignore[union-attr]
        )
        if county:
            self.jobs.borrowed[job] -= county
            self.jobs.county_team[job] = county

    def _called_out(self, team: list[Officer], called: tuple[bool, ...], now: float) -> None:
        week = now // WEEK_H
        for o, c in zip(team, called, strict=True):
            if not c:
                continue
            if now >= self.window[0]:
                o.callouts += 1
            if o.week != week:
                o.week, o.week_callouts = week, 0
            o.week_callouts += 1
            if o.duty.rest_after_callout_hours > 0:  # type: ignore[union-attr]
                o.rest_until = math.inf  # out, and resting once back

    def _back_at_base(self, o: Officer, now: float) -> None:
        if o.rest_until == math.inf:
            rest = o.duty.rest_after_callout_hours  # type: ignore[union-attr]
            o.rest_until = now + rest
            self.env.call_in(rest, self._rested, o)
        o.loc = o.home
        self.free[o.unit].give(o, now)
        if o.pending and o.rest_until <= now and o.calendar.on_duty(now):
            self._start_diverted(o, now)

    def _rested(self, o: Officer) -> None:
        now = self.env.now
        if o.free and o.pending and o.calendar.on_duty(now):
            self._start_diverted(o, now)
        self._after_release((o.unit,), now)

    def _after_release(self, units, now: float) -> None:
        more = [v for u in units for v in self.also[u] if v not in units]
        super()._after_release([*units, *dict.fromkeys(more)], now)

    def _divert(self, k: int, now: float) -> None:
        o = self.officers[self.task_officer[k]]
        o.pending.append(self.task_hours[k])
        if o.free and o.rest_until <= now and o.calendar.on_duty(now):
            self._start_diverted(o, now)
