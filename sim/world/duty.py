"""Duty calendars: when officers can be dispatched.

A report at 22:00 under office hours waits for the morning; the calendar answers
the questions the model and the statistics need in closed form, so no SimPy
event is spent per officer per shift and no loop runs per hour or per day.

The calendar is a weekly pattern of duty windows tiled over time. Each window is
kept as an offset from Monday 00:00 together with the duty hours that precede
it in the week, so every question is a bisection in a short tuple plus whole
weeks by multiplication. Windows that touch (12:00-12:00, or Sunday 24:00 and
Monday 00:00) are merged: duty that does not stop has no start or end there,
and a dispatcher woken at such a "start" would find nothing changed.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import numpy as np

from ..scenario.schema import WEEKDAYS, Duty

DAY_H = 24.0
WEEK_H = 7 * DAY_H


@dataclass(frozen=True)
class DutyCalendar:
    """A weekly pattern of duty windows; day 0 of the run is a Monday, t in hours.

    Hashable (it keys dicts of units sharing a calendar), so it holds tuples
    derived from the spec rather than the spec itself: pydantic models with list
    fields cannot be hashed. The dispatcher reads ``Duty.on_call`` from the spec.
    """

    always: bool
    daily_duty_hours: float
    # merged windows of one week, sorted by start; starts lie in [0, WEEK_H), the
    # last end may pass WEEK_H when a window runs over Sunday midnight
    starts: tuple[float, ...] = ()
    ends: tuple[float, ...] = ()
    # duty hours in the week before each window, and their total
    before: tuple[float, ...] = ()
    weekly_duty_hours: float = WEEK_H

    @classmethod
    def from_spec(cls, spec: Duty) -> DutyCalendar:
        daily = sum(s.end_hour - s.start_hour for s in spec.shifts)
        if spec.always:
            return cls(always=True, daily_duty_hours=DAY_H)
        days = sorted({WEEKDAYS.index(d) for d in spec.weekdays})
        windows: list[list[float]] = []
        for d in days:
            for s in spec.shifts:
                lo, hi = d * DAY_H + s.start_hour, d * DAY_H + s.end_hour
                if windows and windows[-1][1] >= lo:
                    windows[-1][1] = hi
                else:
                    windows.append([lo, hi])
        if windows[0][0] == 0.0 and windows[-1][1] == WEEK_H:
            if len(windows) == 1:  # every hour of every day: no start, no end
                return cls(always=True, daily_duty_hours=DAY_H)
            first = windows.pop(0)
            windows[-1][1] = WEEK_H + first[1]  # still sorted by start
        before, total = [], 0.0
        for lo, hi in windows:
            before.append(total)
            total += hi - lo
        return cls(
            always=False,
            daily_duty_hours=daily,
            starts=tuple(w[0] for w in windows),
            ends=tuple(w[1] for w in windows),
            before=tuple(before),
            weekly_duty_hours=total,
        )

    # Windows are numbered over all time: window j is pattern window j % n of
    # week j // n (Python's floor division makes j = -1 the last one of week -1).

    def _index(self, t: float) -> int:
        """The last window starting at or before ``t``."""
        week = math.floor(t / WEEK_H)
        return week * len(self.starts) + bisect_right(self.starts, t - week * WEEK_H) - 1

    def _window(self, j: int) -> tuple[float, float]:
        week, i = divmod(j, len(self.starts))
        return week * WEEK_H + self.starts[i], week * WEEK_H + self.ends[i]

    def on_duty(self, t: float) -> bool:
        """``t < self._window(self._index(t))[1]``, inlined (the dispatcher asks often)."""
        if self.always:
            return True
        week = math.floor(t / WEEK_H)
        i = bisect_right(self.starts, t - week * WEEK_H) - 1
        if i < 0:  # the last window of the week before
            return t < (week - 1) * WEEK_H + self.ends[-1]
        return t < week * WEEK_H + self.ends[i]

    def on_duty_many(self, t: np.ndarray) -> np.ndarray:
        """:meth:`on_duty` for an array of times, the same float operations."""
        t = np.asarray(t, dtype=float)
        if self.always:
            return np.ones(t.shape, dtype=bool)
        starts, ends = np.asarray(self.starts), np.asarray(self.ends)
        week = np.floor(t / WEEK_H)
        i = np.searchsorted(starts, t - week * WEEK_H, side="right") - 1
        end = np.where(
            i < 0, (week - 1) * WEEK_H + ends[-1], week * WEEK_H + ends[np.maximum(i, 0)]
        )
        return t < end

    def next_start(self, t: float) -> float:
        """The first window start strictly after ``t`` (inf if always on duty).

        Strictly after, so a process woken at a start and asking again moves on.
        """
        if self.always:
            return math.inf
        return self._window(self._index(t) + 1)[0]

    def next_end(self, t: float) -> float:
        """End of the window holding ``t``, else of the next one (inf if always)."""
        if self.always:
            return math.inf
        j = self._index(t)
        end = self._window(j)[1]
        return end if t < end else self._window(j + 1)[1]

    def _into(self, j: int, t: float) -> float:
        """Duty hours of window ``j`` elapsed by ``t``, counted from the week of j."""
        week, i = divmod(j, len(self.starts))
        start = week * WEEK_H + self.starts[i]
        return self.before[i] + min(max(t - start, 0.0), self.ends[i] - self.starts[i])

    def cumulative(self, t: np.ndarray) -> np.ndarray:
        """Duty hours in [0, t] for an array of times: ``duty_hours_between`` in bulk.

        The same window arithmetic as ``_index`` and ``_into``, vectorised, so the
        model can book busy stretches as plain numbers and convert them once at the end.
        """
        t = np.asarray(t, dtype=float)
        if self.always:
            return t.copy()
        n = len(self.starts)
        starts, ends = np.asarray(self.starts), np.asarray(self.ends)
        week = np.floor(t / WEEK_H)
        i = np.searchsorted(starts, t - week * WEEK_H, side="right") - 1
        # window j = week * n + i of all time, split back into its week and pattern
        # window (i = -1 is the last window of the week before)
        before_week = i < 0
        wk = np.where(before_week, week - 1, week)
        i = np.where(before_week, n - 1, i)
        start = wk * WEEK_H + starts[i]
        inside = np.clip(t - start, 0.0, ends[i] - starts[i])
        return wk * self.weekly_duty_hours + np.asarray(self.before)[i] + inside

    def duty_hours_between(self, a: float, b: float) -> float:
        """Hours of duty inside [a, b]; 0 if ``b <= a``.

        Counted as a difference of week-relative positions, so the rounding error
        scales with the span, not with how far into the run ``a`` lies.
        """
        if b <= a:
            return 0.0
        if self.always:
            return b - a
        n = len(self.starts)
        ja, jb = self._index(a), self._index(b)
        weeks = jb // n - ja // n
        hours = weeks * self.weekly_duty_hours + self._into(jb, b) - self._into(ja, a)
        return max(hours, 0.0)

    def duty_hours_between_many(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """:meth:`duty_hours_between` elementwise, bit for bit the same numbers.

        The same operations in the same order on float64 (no sum is reordered), so the
        model can log intervals as plain numbers and convert them once at the end.
        """
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        if self.always:
            return np.where(b > a, b - a, 0.0)
        n = len(self.starts)
        ja, into_a = self._index_and_into_many(a)
        jb, into_b = self._index_and_into_many(b)
        weeks = jb // n - ja // n
        hours = weeks * self.weekly_duty_hours + into_b - into_a
        return np.where(b > a, np.where(hours < 0.0, 0.0, hours), 0.0)

    def add_duty_hours(self, t: float, hours: float) -> float:
        """The earliest time by which ``hours`` of duty have passed since ``t``.

        Inverse of :meth:`duty_hours_between`, to turn work measured in duty hours
        into a clock time; a positive amount always ends inside a window (at its
        end at the latest), never at the start of the next.
        """
        if hours < 0:
            raise ValueError(f"hours must be >= 0, got {hours}")
        if hours == 0:
            return t
        if self.always:
            return t + hours
        n, per_week = len(self.starts), self.weekly_duty_hours
        ja = self._index(t)
        week = ja // n
        pos = self._into(ja, t) + hours  # > 0: duty position counted from `week`
        extra = math.ceil(pos / per_week) - 1
        rest = pos - extra * per_week
        # the division may round either way; put rest back in (0, per_week]
        if rest <= 0.0:
            extra, rest = extra - 1, rest + per_week
        elif rest > per_week:
            extra, rest = extra + 1, rest - per_week
        i = bisect_left(self.before, rest) - 1  # before[i] < rest <= its window's end
        return (week + extra) * WEEK_H + self.starts[i] + (rest - self.before[i])

    def _index_and_into_many(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``_index`` and ``_into`` of each time, vectorised: the same float operations."""
        n = len(self.starts)
        starts, ends = np.asarray(self.starts), np.asarray(self.ends)
        week = np.floor(t / WEEK_H).astype(np.int64)
        j = week * n + np.searchsorted(starts, t - week * WEEK_H, side="right") - 1
        wk, i = np.divmod(j, n)
        start = wk * WEEK_H + starts[i]
        return j, np.asarray(self.before)[i] + np.minimum(
            np.maximum(t - start, 0.0), ends[i] - starts[i]
        )

    def add_duty_hours_each(self, t: np.ndarray, hours: np.ndarray) -> np.ndarray:
        """:meth:`add_duty_hours` elementwise, each amount from its own time: bit for bit
        the same numbers (the same float64 operations in the same order)."""
        t, hours = np.asarray(t, dtype=float), np.asarray(hours, dtype=float)
        if (hours < 0).any():
            raise ValueError(f"hours must be >= 0, got {hours.min()}")
        if self.always:
            return np.where(hours == 0, t, t + hours)
        n, per_week = len(self.starts), self.weekly_duty_hours
        ja, into = self._index_and_into_many(t)
        week = ja // n
        pos = into + hours
        extra = np.ceil(pos / per_week).astype(np.int64) - 1
        rest = pos - extra * per_week
        low, high = rest <= 0.0, rest > per_week
        extra = np.where(low, extra - 1, np.where(high, extra + 1, extra))
        rest = np.where(low, rest + per_week, np.where(high, rest - per_week, rest))
        before, starts = np.asarray(self.before), np.asarray(self.starts)
        k = np.searchsorted(before, rest, side="left") - 1
        out = (week + extra) * WEEK_H + starts[k] + (rest - before[k])
        return np.where(hours == 0, t, out)

    def add_duty_hours_many(self, t: float, hours: np.ndarray) -> np.ndarray:
        """:meth:`add_duty_hours` from one time ``t`` for an array of amounts, bit for bit
        the same numbers."""
        hours = np.asarray(hours, dtype=float)
        return self.add_duty_hours_each(np.full(hours.shape, float(t)), hours)
