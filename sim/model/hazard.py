"""When a hazard that follows the clock first fires: citizens report when they are awake.

A constant hazard turns one Exp(1) draw ``e`` per incident into a time ``start + e / rate``.
With multipliers by hour of day and by day, the hazard is piecewise constant by the hour
and its cumulative integral H is piecewise linear, so the first time it reaches ``e`` is
found exactly by inverting H: the run day by ``searchsorted`` in the cumulative of the
days, the hour by ``searchsorted`` in the 24-hour cumulative, the moment in the hour by
division. The same draw gives the same incident's time under any profile, so common
random numbers hold, and an all-ones profile gives the constant-hazard time (to rounding).
After the run's last day the hazard is constant at the mean (1): nothing after the horizon
is recorded, so only the fact that such times lie beyond it matters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..scenario.schema import Calendar
from .arrivals import working_weekday

DAY_H = 24


@dataclass(frozen=True)
class ClockHazard:
    """Multiplier ``hour[h] * day[d]`` of a base hazard during hour h of run day d."""

    hour: np.ndarray  # 24 multipliers
    day: np.ndarray  # one per run day

    @staticmethod
    def of(
        hour_of_day: list[float] | None,
        day_of_week: list[float] | None,
        calendar: Calendar,
        horizon_h: float,
    ) -> ClockHazard:
        """The profile, each list divided by its mean (``None``: all ones), over the run's
        days; the weekday is the working calendar's, as for arrival profiles."""
        n_days = max(1, math.ceil(horizon_h / DAY_H))
        hour = _mean_one(hour_of_day, DAY_H)
        week = _mean_one(day_of_week, 7)
        return ClockHazard(hour, week[working_weekday(calendar, n_days)])

    def first_passage_h(self, start_h: np.ndarray, mass_h: np.ndarray) -> np.ndarray:
        """Smallest t >= ``start_h`` with integral of the multiplier from ``start_h`` to t
        equal to ``mass_h`` (hours at multiplier 1; ``inf`` stays ``inf``)."""
        hour_cum = np.concatenate(([0.0], np.cumsum(self.hour)))
        day_cum = np.concatenate(([0.0], np.cumsum(self.day * hour_cum[-1])))
        target = self._cumulative(start_h, hour_cum, day_cum) + mass_h
        end_h = len(self.day) * float(DAY_H)
        after = target >= day_cum[-1]
        inside = np.where(after | ~np.isfinite(target), 0.0, target)
        day = _piece(day_cum, inside)
        rest = (inside - day_cum[day]) / self.day[day]
        hour = _piece(hour_cum, rest)
        into = np.clip((rest - hour_cum[hour]) / self.hour[hour], 0.0, 1.0)
        t = day * float(DAY_H) + hour + into
        t = np.where(after, end_h + (target - day_cum[-1]), t)
        return np.maximum(t, start_h)  # rounding never reports before the start

    def _cumulative(self, t: np.ndarray, hour_cum: np.ndarray, day_cum: np.ndarray) -> np.ndarray:
        """Integral of the multiplier from 0 to ``t``."""
        end_h = len(self.day) * float(DAY_H)
        inside = np.clip(t, 0.0, np.nextafter(end_h, 0.0))
        day = (inside // DAY_H).astype(int)
        into_day = inside - day * DAY_H
        hour = np.minimum(into_day.astype(int), DAY_H - 1)
        within = hour_cum[hour] + self.hour[hour] * (into_day - hour)
        return day_cum[day] + self.day[day] * within + np.maximum(t - end_h, 0.0)


def _mean_one(values: list[float] | None, n: int) -> np.ndarray:
    if values is None:
        return np.ones(n)
    out = np.asarray(values, dtype=float)
    return out / out.mean()


def _piece(cum: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Index of the piece of positive weight of the cumulative ``cum`` holding each ``x``
    (``0 <= x < cum[-1]``; rounding at the top goes to the last piece with weight)."""
    idx = np.searchsorted(cum, x, side="right") - 1
    last = int(np.flatnonzero(np.diff(cum))[-1])
    return np.clip(idx, 0, last)
