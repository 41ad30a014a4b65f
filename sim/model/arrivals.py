"""When incidents of one type start: a non-homogeneous Poisson process.

An arrival profile makes the rate piecewise constant, hour by hour: the type's base
rate times hour_of_day[hour] x day_of_week[weekday] x month_of_year[month] x every
dated window covering the day. The process is drawn exactly, not approximately: the
count over the run is Poisson(integral of the rate), and given the count each arrival is
an independent draw from the rate's shape, by inversion of its cumulative integral one
level at a time (the day, by its share of the integral; the hour within that day; a
uniform offset within the hour). Only per-day and per-hour arrays are built, so a long
horizon costs memory by the day, not by the hour.

The weekday is the working calendar's: a public holiday counts as a Sunday and a day
worked in lieu (调休) as a Monday, because the activities that make incidents (factories,
building sites, inspection-shy night discharges) follow working days, not the date.

An education programme (proposal 4) multiplies the rate once more, by a factor of the
time since it started (``education_factor``); it is applied by thinning the drawn
incidents (``incidents``), so the draws above are the same with it and without it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..errors import ScenarioError
from ..scenario.schema import ArrivalProfile, Calendar, Scenario
from ..world.dates import DAY_KINDS, HOLIDAY, WORKDAY, day_kinds, months, run_day

DAY_H = 24


@dataclass(frozen=True)
class RateShape:
    """The profile's multiplier over the run: ``hour[h] * day[d]`` during hour h of run
    day d, for ``0 <= t < horizon_h`` (the last day may be cut short by the horizon)."""

    hour: np.ndarray  # 24 multipliers
    day: np.ndarray  # one multiplier per run day
    horizon_h: float

    @cached_property
    def last_day_hours(self) -> np.ndarray:
        """Length (0-1 h) of each hour of the last run day that lies inside the run."""
        start = (len(self.day) - 1) * DAY_H + np.arange(DAY_H)
        return np.clip(self.horizon_h - start, 0.0, 1.0)

    @cached_property
    def day_mass(self) -> np.ndarray:
        """Integral of the multiplier over each run day (inside the run)."""
        per_day = np.full(len(self.day), float(self.hour.sum()))
        per_day[-1] = float(self.hour @ self.last_day_hours)
        return self.day * per_day

    @property
    def mean(self) -> float:
        """Mean multiplier over the run."""
        return float(self.day_mass.sum()) / self.horizon_h


def working_weekday(calendar: Calendar, n_days: int) -> np.ndarray:
    """Weekday (0 = Monday) of each run day as the working calendar has it."""
    weekday = np.arange(n_days) % 7  # day 0 is a Monday
    kind = day_kinds(calendar, n_days)
    weekday[kind == DAY_KINDS.index(HOLIDAY)] = 6
    weekday[(kind == DAY_KINDS.index(WORKDAY)) & (weekday >= 5)] = 0
    return weekday


def rate_shape(profile: ArrivalProfile | None, calendar: Calendar, horizon_h: float) -> RateShape:
    """The multiplier of ``profile`` over a run of ``horizon_h`` hours (flat if none)."""
    return _shape(profile, calendar, horizon_h, _CalendarDays.of(calendar, horizon_h))


def rate_shapes(sc: Scenario) -> dict[str, RateShape]:
    """Each incident type's multiplier over the run (the calendar read once for all).
    Refuses a normalised profile that is zero over the whole run: it has no mean to
    scale to 1."""
    days = _CalendarDays.of(sc.calendar, sc.horizon_hours)
    out = {}
    for name, spec in sc.incident_types.items():
        profile = spec.arrival_profile
        out[name] = shape = _shape(profile, sc.calendar, sc.horizon_hours, days)
        if profile is not None and profile.normalise and shape.mean == 0:
            raise ScenarioError(
                f"incident_types.{name}.arrival_profile",
                "is zero on every day of the run (check month_of_year and windows against "
                "calendar.start_date and horizon_days), so it cannot be normalised",
            )
    return out


def count_factors(sc: Scenario) -> dict[str, float]:
    """Expected count of each incident type over the run, relative to the count without a
    profile (``rate_per_day`` x weight x ``horizon_days``): 1 for a type without a profile
    or with a normalised one, the mean multiplier otherwise."""
    shapes = rate_shapes(sc)
    return {
        name: shapes[name].mean
        if spec.arrival_profile is not None and not spec.arrival_profile.normalise
        else 1.0
        for name, spec in sc.incident_types.items()
    }


@dataclass(frozen=True)
class _CalendarDays:
    """Working weekday and month index of every run day."""

    weekday: np.ndarray
    month: np.ndarray

    @staticmethod
    def of(calendar: Calendar, horizon_h: float) -> _CalendarDays:
        n_days = max(1, math.ceil(horizon_h / DAY_H))
        return _CalendarDays(working_weekday(calendar, n_days), months(calendar, n_days) - 1)


def _shape(
    profile: ArrivalProfile | None, calendar: Calendar, horizon_h: float, days: _CalendarDays
) -> RateShape:
    n_days = len(days.weekday)
    if profile is None:
        return RateShape(np.ones(DAY_H), np.ones(n_days), horizon_h)
    day = np.asarray(profile.day_of_week, dtype=float)[days.weekday]
    day = day * np.asarray(profile.month_of_year, dtype=float)[days.month]
    for window in profile.windows:
        first = max(run_day(calendar, window.first), 0)
        last = min(run_day(calendar, window.last or window.first), n_days - 1)
        if first <= last:  # else the window lies outside the run
            day[first : last + 1] *= window.multiplier
    return RateShape(np.asarray(profile.hour_of_day, dtype=float), day, horizon_h)


def draw_arrivals(
    rng: np.random.Generator, mean_rate_per_hour: float, shape: RateShape, normalise: bool
) -> np.ndarray:
    """Sorted start times (hours) of a Poisson process of rate ``mean_rate_per_hour`` x the
    shape's multiplier (divided by its mean over the run when ``normalise``). Draws, in
    order: the count, then one uniform each for the day, the hour and the offset."""
    mass = shape.day_mass
    total = float(mass.sum())
    if total <= 0 or mean_rate_per_hour <= 0:
        return np.zeros(0)
    expected = mean_rate_per_hour * (shape.horizon_h if normalise else total)
    n = int(rng.poisson(expected))
    u = rng.random((3, n))
    day = _invert(np.cumsum(mass), u[0])
    hour = _invert(np.cumsum(shape.hour), u[1])
    length = np.ones(n)
    last = day == len(mass) - 1
    if last.any():  # the last day may be cut short: its own hour weights and lengths
        cut = shape.last_day_hours
        hour[last] = _invert(np.cumsum(shape.hour * cut), u[1, last])
        length[last] = cut[hour[last]]
    return np.sort(day * float(DAY_H) + hour + u[2] * length)


def _invert(cum: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Index of the piece holding each ``u`` (uniform on [0, 1)) of the cumulative ``cum``;
    a piece of zero weight is never chosen (rounding at the top is clipped to the last
    piece with weight)."""
    idx = np.searchsorted(cum, u * cum[-1], side="right")
    return np.minimum(idx, int(np.flatnonzero(np.diff(cum, prepend=0.0))[-1]))


def education_factor(sc: Scenario, start_h: np.ndarray, kind: np.ndarray) -> np.ndarray:
    """The education programme's multiplier of the rate at each start time ``start_h`` for
    incident types ``kind`` (index into ``incident_types``): 1 before ``start_date``, then
    linear down to the type's ``rate_multiplier`` over ``ramp_days``, then flat; 1 for a
    type not listed, and everywhere when there is no programme."""
    out = np.ones(len(start_h))
    edu = sc.education
    if edu is None:
        return out
    start0_h = run_day(sc.calendar, edu.start_date) * float(DAY_H)
    ramp_h = edu.ramp_days * DAY_H
    since_h = np.asarray(start_h, dtype=float) - start0_h
    # a ramp of 0 days is a step at start_date
    progress = np.clip(since_h / ramp_h, 0.0, 1.0) if ramp_h > 0 else (since_h >= 0).astype(float)
    multiplier = np.array([edu.rate_multiplier.get(name, 1.0) for name in sc.incident_types])
    return 1.0 + (multiplier[kind] - 1.0) * progress
