"""Dates of the run: which run day is which date, and what kind of day it is.

The model counts time in hours from day 0 (a Monday); the calendar block of a scenario
ties day 0 to a date so that months, public holidays and days worked in lieu (调休) can
be named. Kept apart from the duty arithmetic: rotas, arrival profiles and statistics
all ask the same questions of it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from ..scenario.schema import Calendar

WORKDAY, WEEKEND, HOLIDAY = "workday", "weekend", "holiday"
DAY_KINDS = (WORKDAY, WEEKEND, HOLIDAY)


def run_day(calendar: Calendar, day: dt.date) -> int:
    """Run day of a date (negative before day 0)."""
    return (day - calendar.start_date).days


def date_of(calendar: Calendar, day: int) -> dt.date:
    return calendar.start_date + dt.timedelta(days=int(day))


def holiday_days(calendar: Calendar) -> frozenset[int]:
    """Run days that are public holidays."""
    out: set[int] = set()
    for h in calendar.holidays:
        first = run_day(calendar, h.first)
        last = run_day(calendar, h.last or h.first)
        out.update(range(first, last + 1))
    return frozenset(out)


def workday_days(calendar: Calendar) -> frozenset[int]:
    """Run days worked in lieu of a holiday (weekend days that are working days)."""
    return frozenset(run_day(calendar, d) for d in calendar.workdays)


def day_kinds(calendar: Calendar, n_days: int) -> np.ndarray:
    """Kind of each run day 0..n_days-1 as an index into ``DAY_KINDS``: a holiday wins
    over everything, a day worked in lieu is a workday, else Saturday and Sunday are the
    weekend (day 0 is a Monday)."""
    days = np.arange(n_days)
    kinds = np.where(days % 7 >= 5, 1, 0)
    lieu = [d for d in workday_days(calendar) if 0 <= d < n_days]
    kinds[lieu] = 0
    hol = [d for d in holiday_days(calendar) if 0 <= d < n_days]
    kinds[hol] = 2
    return kinds


def months(calendar: Calendar, n_days: int) -> np.ndarray:
    """Month (1-12) of each run day 0..n_days-1."""
    start = calendar.start_date
    return np.array([(start + dt.timedelta(days=d)).month for d in range(n_days)], dtype=np.int64)
