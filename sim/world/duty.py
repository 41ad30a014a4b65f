"""Duty calendars: when officers can be dispatched.

A report at 22:00 under office hours waits for the morning; the calendar answers
the three questions the model and the statistics need, in closed form, so no
SimPy event is spent per officer per shift.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..scenario.schema import WEEKDAYS, Duty

DAY_H = 24.0
WEEK_H = 7 * DAY_H


@dataclass(frozen=True)
class DutyCalendar:
    """A weekly pattern of one shift per duty day; day 0 of the run is a Monday."""

    always: bool
    start_h: float
    end_h: float
    days: frozenset[int]

    @classmethod
    def from_spec(cls, spec: Duty) -> DutyCalendar:
        return cls(
            always=spec.always,
            start_h=spec.shift_start_hour,
            end_h=spec.shift_end_hour,
            days=frozenset(WEEKDAYS.index(d) for d in spec.weekdays),
        )

    def on_duty(self, t: float) -> bool:
        if self.always:
            return True
        day = math.floor(t / DAY_H)
        hour = t - day * DAY_H
        return (day % 7) in self.days and self.start_h <= hour < self.end_h

    def next_start(self, t: float) -> float:
        """The first shift start strictly after ``t`` (inf if always on duty)."""
        if self.always:
            return math.inf
        day = math.floor(t / DAY_H)
        for d in range(day, day + 8):
            start = d * DAY_H + self.start_h
            if (d % 7) in self.days and start > t:
                return start
        return math.inf  # pragma: no cover - days is never empty

    def duty_hours_between(self, a: float, b: float) -> float:
        """Hours of duty inside [a, b]."""
        if b <= a:
            return 0.0
        if self.always:
            return b - a
        weeks = math.floor(a / WEEK_H)
        total = 0.0
        shift = self.end_h - self.start_h
        full_week = shift * len(self.days)
        # whole weeks in closed form, the ragged ends day by day
        first_full = (weeks + 1) * WEEK_H
        last_full = math.floor(b / WEEK_H) * WEEK_H
        if last_full > first_full:
            total += full_week * (last_full - first_full) / WEEK_H
            spans = [(a, first_full), (last_full, b)]
        else:
            spans = [(a, b)]
        for lo, hi in spans:
            for d in range(math.floor(lo / DAY_H), math.ceil(hi / DAY_H)):
                if (d % 7) in self.days:
                    s, e = d * DAY_H + self.start_h, d * DAY_H + self.end_h
                    total += max(0.0, min(e, hi) - max(s, lo))
        return total
