"""When a report reached its unit: in duty hours, outside them on a workday, or on a day off.

A policy analyst's first question of a response time is whether the report came while
the office was at work; the split needs the unit's office hours (its duty calendar and the
holidays, without any rota: a weekend team does not turn Saturday into office hours, so
every rota variant splits the same reports alike and paired differences compare like with
like) and the dates of the run (was it a weekday?). Kept apart from the record tables so the
classification is one tested function, and apart from the duty arithmetic so it asks a
calendar only what every calendar answers: ``on_duty``, ``next_start``, ``next_end``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..scenario.schema import Calendar
from .dates import DAY_KINDS, WORKDAY, day_kinds

ON_DUTY, OFF_DUTY_WEEKDAY, WEEKEND_HOLIDAY = "on_duty", "off_duty_weekday", "weekend_holiday"
# the order of the record column's categories and of every table and figure
REPORT_PERIODS = (ON_DUTY, OFF_DUTY_WEEKDAY, WEEKEND_HOLIDAY)
NOT_REPORTED = len(REPORT_PERIODS)  # the code of an incident not reported by the horizon

DAY_H = 24.0


def duty_windows(calendar: Any, until_h: float) -> tuple[np.ndarray, np.ndarray]:
    """The calendar's duty windows ``[start, end)`` from time 0 to ``until_h``, found by
    walking from end to next start: a few calls per window (hundreds in a year) instead
    of one per report, and exactly the calendar's own answer at every time."""
    starts: list[float] = []
    ends: list[float] = []
    t = 0.0
    while t <= until_h:
        start = t if calendar.on_duty(t) else calendar.next_start(t)
        if not start <= until_h:  # inf: no more duty
            break
        end = calendar.next_end(start)
        starts.append(start)
        ends.append(end)
        if not end > start or math.isinf(end):
            break
        t = end
    return np.asarray(starts, dtype=float), np.asarray(ends, dtype=float)


def on_duty_many(calendar: Any, t_h: np.ndarray) -> np.ndarray:
    """``calendar.on_duty`` for an array of times (none NaN)."""
    t_h = np.asarray(t_h, dtype=float)
    if not len(t_h):
        return np.zeros(0, dtype=bool)
    starts, ends = duty_windows(calendar, float(t_h.max()))
    if not len(starts):
        return np.zeros(len(t_h), dtype=bool)
    i = np.searchsorted(starts, t_h, side="right") - 1
    return (i >= 0) & (t_h < ends[np.maximum(i, 0)])


def report_periods(
    unit_calendars: Sequence[Any], unit: np.ndarray, reported_h: np.ndarray, dates: Calendar
) -> np.ndarray:
    """Index into ``REPORT_PERIODS`` of each report (``NOT_REPORTED`` where the time is NaN):
    on duty by its unit's calendar, else by the kind of day (``dates.day_kinds``: a
    Saturday or Sunday not worked in lieu, or a public holiday, is a day off)."""
    t = np.asarray(reported_h, dtype=float)
    out = np.full(len(t), NOT_REPORTED, dtype=np.int64)
    seen = ~np.isnan(t)
    if not seen.any():
        return out
    days = np.floor(t[seen] / DAY_H).astype(np.int64)
    kinds = day_kinds(dates, int(days.max()) + 1)[days]
    workday = kinds == DAY_KINDS.index(WORKDAY)
    off = np.where(
        workday, REPORT_PERIODS.index(OFF_DUTY_WEEKDAY), REPORT_PERIODS.index(WEEKEND_HOLIDAY)
    )
    duty = np.zeros(len(days), dtype=bool)
    distinct = list(dict.fromkeys(unit_calendars))  # units share calendars: one walk each
    code = np.array([distinct.index(c) for c in unit_calendars], dtype=np.int64)
    of_report = code[np.asarray(unit)[seen]]
    for c, cal in enumerate(distinct):
        k = np.flatnonzero(of_report == c)
        duty[k] = on_duty_many(cal, t[seen][k])
    out[seen] = np.where(duty, REPORT_PERIODS.index(ON_DUTY), off)
    return out
