"""The model's clock: SimPy's environment, with a lighter path for the model's own calls.

Most of a run's events are the model's own bookkeeping — a job's paperwork ending, a team
back at base, a diverted task reaching its officer or ending — each a plain call of one
handler at a known time. As a ``simpy.Timeout`` with a callback, each one cost an event
object, a callbacks list, a closure and SimPy's general ``step``; together that was a
fifth of a run. Here such a call is one entry ``(time, NORMAL, eid, (handler, arg))`` on
SimPy's own queue, numbered by SimPy's own counter, so calls and SimPy's events
(processes, timeouts) keep one order: ties at the same time still break by the order they
were scheduled in, exactly as with ``Timeout``, and every table stays bit for bit the same.

Only ``Clock.run_until`` knows how to step such an entry, so a ``Clock`` is driven by it,
never by ``simpy.Environment.run`` or ``step``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from heapq import heappop, heappush
from typing import Any

import simpy
from simpy.core import NORMAL


class RunTimeout(RuntimeError):
    """A replication ran past its wall-clock limit."""


class Clock(simpy.Environment):
    def call_in(self, delay: float, handler: Callable[[Any], None], arg: Any = None) -> None:
        """Call ``handler(arg)`` ``delay`` hours from now: at the very time, and in the
        very order among ties, that ``Timeout(self, delay)`` with it as callback would."""
        heappush(self._queue, (self._now + delay, NORMAL, next(self._eid), (handler, arg)))

    def call_at(self, at: float, handler: Callable[[Any], None], arg: Any = None) -> None:
        """Call ``handler(arg)`` at time ``at`` (not before now), numbered now: for a call
        whose time was worked out ahead, as the ``Timeout`` scheduled later would have
        computed it, so the float is the same."""
        heappush(self._queue, (at, NORMAL, next(self._eid), (handler, arg)))

    def run_until(self, until: float, time_limit_s: float | None = None) -> int:
        """Step to ``until`` (events at ``until`` or later are not run), counting events
        (for benchmarks and guards) and looking at the wall clock every 1,000 events and
        at the end when there is a limit (``RunTimeout``)."""
        queue = self._queue
        count = 0
        deadline = None if time_limit_s is None else time.perf_counter() + time_limit_s
        while queue and queue[0][0] < until:
            self._now, _, _, event = heappop(queue)
            count += 1
            if event.__class__ is tuple:
                handler, arg = event
                handler(arg)
            else:  # a SimPy event: simpy.Environment.step, inline
                callbacks, event.callbacks = event.callbacks, None
                for callback in callbacks:
                    callback(event)
                if not event._ok and not hasattr(event, "_defused"):
                    failure = event._value  # crash as SimPy does: a copy, caused by it
                    raise type(failure)(*failure.args) from failure
            if deadline is not None and count % 1_000 == 0 and time.perf_counter() > deadline:
                raise RunTimeout(
                    f"stopped after {time_limit_s:g} s at simulated hour {self._now:.0f} of "
                    f"{until:.0f}"
                )
        if deadline is not None and time.perf_counter() > deadline:
            raise RunTimeout(f"took more than {time_limit_s:g} s to simulated hour {until:.0f}")
        return count
