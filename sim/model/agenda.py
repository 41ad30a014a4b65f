"""Diverted work kept off the event queue until it matters.

Diverted tasks were two events each — the task reaching its officer, and its end — and
20,000 tasks made them three fifths of a Jinhua year's events. Yet neither event does
anything the rest of the model can see at that moment: a task reaching its officer takes
the officer (or waits), and a task ending frees the officer, which matters only if the
unit has a job waiting. So each unit keeps its diverted work here, as its tasks' release
times and a heap of the ends of tasks under way, and plays it forward — in time order,
each step at its own time, with the very calls the events made (``_divert``,
``_back_at_base``) — whenever the unit is next looked at (``catch_up``): before a job
joins its queue, before a dispatch, before a team comes back.

While a unit has a job waiting, its next step is a real event again (``wake``): a task's
end then dispatches, as the event did. The partner-wait clock ticks at the same moments in
the same order, the free officers stand in the same order, and every table is bit for bit
what one event per step gave (the golden back-test pins it). Only for units that cannot
reach each other's officers: with mutual aid or a rota (county teams, officers on call
across units) the events stay (``EnforcementUnits.agenda`` is None).
"""

from __future__ import annotations

import math
from heapq import heappop, heappush
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .enforcement import EnforcementUnits
    from .officers import Officer

INF = math.inf


class DivertedAgenda:
    def __init__(self, units: EnforcementUnits, release_h: list[float]) -> None:
        self.units = units
        n_units = len(units.queues)
        unit_of_task = np.array([o.unit for o in units.officers], dtype=np.int64)[
            np.asarray(units.task_officer, dtype=np.int64)
        ]
        order = np.argsort(unit_of_task, kind="stable")  # each unit's tasks in time order
        bounds = np.searchsorted(unit_of_task[order], np.arange(n_units + 1))
        release = np.asarray(release_h, dtype=float)[order]
        # per unit: release times (with inf after the last, so the next one always exists),
        # the tasks' indices, the index of the next, and a heap of (end, seq, officer)
        self.times = [[*release[a:b].tolist(), INF] for a, b in pairwise(bounds)]
        self.tasks = [order[a:b].tolist() for a, b in pairwise(bounds)]
        self.next = [0] * n_units
        self.ends: list[list[tuple[float, int, Officer]]] = [[] for _ in range(n_units)]
        self.n_started = 0  # tasks begun: their ends' tie-break in the heaps, and a count
        self.n_wakes = 0
        self.wake_at = [INF] * n_units  # the earliest wake of each unit on the event queue
        self.last_h = 0.0  # the latest step played: the clock the events would have left

    def catch_up(self, u: int, now: float) -> None:
        """Play unit ``u``'s diverted work forward to ``now`` (steps at ``now`` included),
        each step at its own time: a release as ``_divert`` did, an end as the end event's
        ``_back_at_base`` did."""
        times, ends = self.times[u], self.ends[u]
        i = self.next[u]
        r = times[i]
        e = ends[0][0] if ends else INF
        if r > now and e > now:
            return
        units = self.units
        while True:
            if r <= e:
                if r > now:
                    break
                self.next[u] = i + 1
                units._divert(self.tasks[u][i], r)
                t = r
                i += 1
                r = times[i]
            else:
                if e > now:
                    break
                o = heappop(ends)[2]
                units._back_at_base(o, e)
                t = e
            if t > self.last_h:
                self.last_h = t
            e = ends[0][0] if ends else INF

    def started(self, o: Officer, end: float) -> None:
        """Officer ``o`` began a diverted task that ends at ``end``."""
        u = o.unit
        self.n_started += 1
        heappush(self.ends[u], (end, self.n_started, o))
        if end < self.wake_at[u] and self.units.queues[u].items:
            self.waiting(u)

    def waiting(self, u: int) -> None:
        """Unit ``u`` has a job waiting: its next step must be an event."""
        ends = self.ends[u]
        t = min(self.times[u][self.next[u]], ends[0][0] if ends else INF)
        if t < self.wake_at[u]:
            assert t >= self.units.env.now, "a step was left behind"
            self.wake_at[u] = t
            self.units.env.call_at(t, self._wake, u)

    def _wake(self, u: int) -> None:
        """A step of a unit with a job waiting: play it; a task's end dispatches, as the
        end event did; then, if a job still waits, the next step is an event too."""
        units = self.units
        now = units.env.now
        self.n_wakes += 1
        if self.wake_at[u] <= now:
            self.wake_at[u] = INF
        ends = self.ends[u]
        at_end = bool(ends) and ends[0][0] <= now
        self.catch_up(u, now)
        if units.queues[u].items:
            if at_end:
                units._after_release((u,), now)  # dispatches, which looks ahead again
            else:
                self.waiting(u)

    def events_instead(self) -> int:
        """The events one per step would have made, less the wakes that stood in for some
        of them: a run's count of events stays what it was, a measure of the model's work
        however it is scheduled (the size guards estimate it, benchmarks divide by it)."""
        steps = sum(self.next) + self.n_started - sum(len(h) for h in self.ends)
        return steps - self.n_wakes

    def finish(self, until: float) -> float:
        """Play every unit's steps before ``until`` (the events the run would still have
        stepped); returns the time of the last step the run made, events or these."""
        before = math.nextafter(until, -INF)
        for u in range(len(self.times)):
            self.catch_up(u, before)
        return self.last_h
