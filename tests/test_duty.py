"""The duty calendar's closed forms agree with the plain definition of duty.

The calendar answers by bisection and whole-week arithmetic; these tests check
it against what a reader would compute by hand: look at the clock, the weekday
and the shifts, and count duty on a fine grid.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from sim.scenario.schema import WEEKDAYS, Duty
from sim.world.duty import DutyCalendar

DAY = 24.0
WEEK = 7 * DAY
MON, SAT = 0.0, 5 * DAY
DEFAULT = DutyCalendar.from_spec(Duty())

FEW = settings(max_examples=60, deadline=None)

times = st.floats(0, 3 * WEEK, allow_nan=False)


@st.composite
def duties(draw: st.DrawFn) -> Duty:
    """Shifts on a quarter-hour grid, sometimes touching, on any set of weekdays."""
    k = draw(st.integers(1, 3))
    points = sorted(draw(st.lists(st.integers(0, 96), min_size=2 * k, max_size=2 * k)))
    shifts = [
        {"start_hour": lo / 4, "end_hour": hi / 4}
        for lo, hi in zip(points[::2], points[1::2], strict=True)
        if lo < hi
    ]
    assume(shifts)
    days = draw(st.sets(st.sampled_from(WEEKDAYS), min_size=1))
    return Duty(shifts=shifts, weekdays=sorted(days, key=WEEKDAYS.index))


def by_hand(duty: Duty, t: float) -> bool:
    """Duty by the definition: a duty weekday, and the hour inside a shift."""
    day = math.floor(t / DAY)
    hour = t - day * DAY
    return WEEKDAYS[day % 7] in duty.weekdays and any(
        s.start_hour <= hour < s.end_hour for s in duty.shifts
    )


def grid_hours(cal: DutyCalendar, a: float, b: float, step: float) -> tuple[float, float]:
    """Duty in [a, b] by midpoint sampling, and the sum's error bound.

    Each sample stands for a cell at most ``step`` wide, and only a cell holding
    a window's edge can be wrong, by at most its width: so the error is at most
    one step at each edge of each window meeting [a, b].
    """
    cells = max(1, math.ceil((b - a) / step))
    width = (b - a) / cells
    mids = a + (np.arange(cells) + 0.5) * width
    hours = sum(cal.on_duty(float(t)) for t in mids) * width
    return hours, width


def windows_meeting(duty: Duty, a: float, b: float) -> int:
    """An upper bound on the daily windows that meet [a, b]."""
    return (math.floor(b / DAY) - math.floor(a / DAY) + 1) * len(duty.shifts)


# -- exact cases -------------------------------------------------------------


def test_default_week_is_five_days_of_seven_and_a_half_hours():
    assert DEFAULT.daily_duty_hours == 7.5
    assert DEFAULT.weekly_duty_hours == 37.5
    assert DEFAULT.duty_hours_between(0, WEEK) == 37.5
    assert DEFAULT.duty_hours_between(3 * WEEK, 4 * WEEK) == 37.5
    assert DEFAULT.duty_hours_between(0.0, 10 * WEEK + 9.0) == 375.5


def test_default_next_start_and_end():
    assert DEFAULT.next_start(MON + 12.5) == 13.5
    assert DEFAULT.next_start(MON) == 8.5
    assert DEFAULT.next_start(MON + 8.5) == 13.5  # strictly after
    assert DEFAULT.next_start(SAT + 10) == WEEK + 8.5
    assert DEFAULT.next_start(4 * DAY + 14) == WEEK + 8.5  # Friday afternoon
    assert DEFAULT.next_end(MON + 9) == 12.0
    assert DEFAULT.next_end(MON + 12) == 17.5  # end is exclusive
    assert DEFAULT.next_end(SAT + 10) == WEEK + 12.0


def test_default_add_duty_hours():
    assert DEFAULT.add_duty_hours(MON + 8.5, 3.5) == 12.0  # the end, not 13:30
    assert DEFAULT.add_duty_hours(MON + 8.5, 4.0) == 14.0
    assert DEFAULT.add_duty_hours(MON + 20, 7.5) == DAY + 17.5
    assert DEFAULT.add_duty_hours(4 * DAY + 17, 1.0) == WEEK + 9.0
    assert DEFAULT.add_duty_hours(SAT, 37.5) == WEEK + 4 * DAY + 17.5
    assert DEFAULT.add_duty_hours(MON + 3, 0.0) == 3.0
    with pytest.raises(ValueError):
        DEFAULT.add_duty_hours(0.0, -1.0)


def test_default_is_off_at_lunch_at_night_and_at_weekends():
    for day in range(5):
        assert DEFAULT.on_duty(day * DAY + 8.5)
        assert DEFAULT.on_duty(day * DAY + 11.99)
        assert not DEFAULT.on_duty(day * DAY + 12.0)
        assert not DEFAULT.on_duty(day * DAY + 13.49)
        assert DEFAULT.on_duty(day * DAY + 13.5)
        assert not DEFAULT.on_duty(day * DAY + 17.5)
        assert not DEFAULT.on_duty(day * DAY + 8.49)
    assert DEFAULT.duty_hours_between(MON + 12, MON + 13.5) == 0
    assert DEFAULT.duty_hours_between(SAT, WEEK) == 0
    assert not any(DEFAULT.on_duty(SAT + h / 4) for h in range(2 * 96))


def test_always_is_on_duty_without_starts_or_ends():
    cal = DutyCalendar.from_spec(Duty(always=True))
    assert cal.always and cal.on_duty(SAT + 3) and cal.on_duty(0)
    assert cal.next_start(5.0) == math.inf and cal.next_end(5.0) == math.inf
    assert cal.duty_hours_between(2.0, 7.5) == 5.5
    assert cal.add_duty_hours(2.0, 5.5) == 7.5
    assert cal.daily_duty_hours == 24 and cal.weekly_duty_hours == WEEK


def test_every_hour_of_every_day_is_always():
    whole_days = [{"start_hour": 0, "end_hour": 24}]
    cal = DutyCalendar.from_spec(Duty(shifts=whole_days, weekdays=WEEKDAYS))
    assert cal.always and cal.next_start(3.0) == math.inf


def test_touching_windows_merge():
    split = Duty(
        shifts=[{"start_hour": 8, "end_hour": 12}, {"start_hour": 12, "end_hour": 17}],
        weekdays=["mon"],
    )
    cal = DutyCalendar.from_spec(split)
    assert cal.next_end(9.0) == 17.0
    assert cal.next_start(9.0) == WEEK + 8.0
    assert cal.daily_duty_hours == 9.0


def test_night_shift_runs_over_midnight_and_over_sunday():
    nights = Duty(
        shifts=[{"start_hour": 0, "end_hour": 6}, {"start_hour": 22, "end_hour": 24}],
        weekdays=WEEKDAYS,
    )
    cal = DutyCalendar.from_spec(nights)
    assert cal.on_duty(0.0) and cal.on_duty(6 * DAY + 23) and not cal.on_duty(12.0)
    assert cal.next_end(6 * DAY + 23) == WEEK + 6.0  # Sunday night into Monday
    assert cal.next_end(1.0) == 6.0
    assert cal.next_start(1.0) == 22.0
    assert cal.next_start(6 * DAY + 12) == 6 * DAY + 22
    assert cal.duty_hours_between(6 * DAY + 23, WEEK + 2) == 3.0
    assert cal.add_duty_hours(6 * DAY + 23, 3.0) == WEEK + 2.0
    assert cal.weekly_duty_hours == 56.0


def test_calendars_are_hashable_and_equal_by_pattern():
    again = DutyCalendar.from_spec(Duty(weekdays=["fri", "mon", "tue", "wed", "thu"]))
    assert {DEFAULT: 1}[again] == 1


# -- properties --------------------------------------------------------------


@FEW
@given(duty=duties(), t=times)
def test_on_duty_is_the_definition(duty, t):
    assert DutyCalendar.from_spec(duty).on_duty(t) == by_hand(duty, t)


@FEW
@given(duty=duties(), a=times, length=st.floats(0, 5 * DAY))
def test_duty_hours_match_a_fine_grid(duty, a, length):
    cal = DutyCalendar.from_spec(duty)
    b = a + length
    approx, step = grid_hours(cal, a, b, step=0.05)
    bound = 2 * step * windows_meeting(duty, a, b) + 1e-9
    assert cal.duty_hours_between(a, b) == pytest.approx(approx, abs=bound)


@FEW
@given(duty=duties(), a=times, weeks=st.integers(0, 20), b=times, c=times)
def test_duty_hours_add_up(duty, a, weeks, b, c):
    cal = DutyCalendar.from_spec(duty)
    a, b, c = sorted((a, b, c))
    assert cal.duty_hours_between(a, c) == pytest.approx(
        cal.duty_hours_between(a, b) + cal.duty_hours_between(b, c), abs=1e-9
    )
    got = cal.duty_hours_between(a, a + weeks * WEEK)
    assert got == pytest.approx(weeks * cal.weekly_duty_hours, abs=1e-9)
    assert cal.weekly_duty_hours == pytest.approx(cal.daily_duty_hours * len(set(duty.weekdays)))
    assert cal.duty_hours_between(c, a) == 0.0


@FEW
@given(duty=duties(), t=times)
@example(  # one ulp before a start: the grid below once rounded onto nxt
    duty=Duty(shifts=[{"start_hour": 0.0, "end_hour": 0.25}], weekdays=["mon"]),
    t=503.99999999999994,
)
def test_next_start_is_the_first_start_after_t(duty, t):
    cal = DutyCalendar.from_spec(duty)
    nxt = cal.next_start(t)
    assert t < nxt <= t + WEEK and cal.on_duty(nxt)
    assert not cal.on_duty(nxt - 1e-6)  # a real start, not a seam inside duty
    # no off-to-on change in (t, nxt): once duty stops it stays off until nxt
    grid = np.linspace(t, nxt, 2000, endpoint=False)[1:]
    grid = grid[(grid > t) & (grid < nxt)]  # when nxt - t is a few ulps, points round onto ends
    on = [cal.on_duty(float(x)) for x in grid]
    assert on == sorted(on, reverse=True)
    held = cal.next_end(t) - t if cal.on_duty(t) else 0.0  # only the window holding t
    assert cal.duty_hours_between(t, nxt) == pytest.approx(held)


@FEW
@given(duty=duties(), t=times)
def test_next_end_closes_the_window_holding_t_or_the_next(duty, t):
    cal = DutyCalendar.from_spec(duty)
    end = cal.next_end(t)
    assert end > t and not cal.on_duty(end) and cal.on_duty(end - 1e-6)
    if cal.on_duty(t):
        assert cal.duty_hours_between(t, end) == pytest.approx(end - t)
    else:
        assert end == cal.next_end(cal.next_start(t))
        assert cal.next_start(t) < end


@FEW
@given(duty=duties(), t=times, hours=st.just(0.0) | st.floats(1e-3, 200))
def test_add_duty_hours_inverts_duty_hours_between(duty, t, hours):
    cal = DutyCalendar.from_spec(duty)
    done = cal.add_duty_hours(t, hours)
    assert done >= t
    assert cal.duty_hours_between(t, done) == pytest.approx(hours, abs=1e-9)
    if hours > 0:
        # earliest: the last moments before `done` are duty, so any earlier time falls short
        assert cal.duty_hours_between(max(t, done - 1e-6), done) > 0


@settings(max_examples=60, deadline=None)
@given(
    shifts=st.sampled_from(
        [[(8.5, 12.0), (13.5, 17.5)], [(0.0, 6.0), (22.0, 24.0)], [(0.0, 24.0)], [(9.0, 9.25)]]
    ),
    days=st.sets(st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]), min_size=1),
    a=st.lists(st.floats(0, 5000), min_size=1, max_size=20),
    length=st.floats(0, 400),
)
def test_cumulative_in_bulk_agrees_with_duty_hours_between(shifts, days, a, length):
    """The records count busy duty hours in bulk; they must equal the one-at-a-time sums."""
    cal = DutyCalendar.from_spec(
        Duty(shifts=[{"start_hour": s, "end_hour": e} for s, e in shifts], weekdays=sorted(days))
    )
    lo = np.array(a)
    hi = lo + length
    bulk = cal.cumulative(hi) - cal.cumulative(lo)
    one = [cal.duty_hours_between(x, y) for x, y in zip(lo, hi, strict=True)]
    assert np.allclose(bulk, one, atol=1e-9)


@settings(max_examples=80, deadline=None)
@given(
    duty=duties() | st.just(Duty(always=True)),
    a=st.lists(st.floats(0, 80 * WEEK, allow_nan=False), min_size=1, max_size=30),
    b=st.lists(st.floats(0, 80 * WEEK, allow_nan=False), min_size=1, max_size=30),
    length=st.floats(0, 400),
)
def test_duty_hours_between_many_is_bit_for_bit_the_scalar_one(duty, a, b, length):
    """The model logs partner-wait intervals and converts them in bulk at the end: the
    numbers must be exactly those one call per interval gave (including b <= a and
    windows touching the ends of the interval)."""
    cal = DutyCalendar.from_spec(duty)
    k = min(len(a), len(b))
    lo = np.array(a[:k] + a[:k] + [s + 7 * WEEK for s in cal.starts] + [0.0])
    hi = np.array(b[:k] + [x + length for x in a[:k]] + [e + 9 * WEEK for e in cal.ends] + [0.0])
    bulk = cal.duty_hours_between_many(lo, hi)
    one = np.array([cal.duty_hours_between(x, y) for x, y in zip(lo, hi, strict=True)])
    assert bulk.tobytes() == one.tobytes()


@FEW
@given(duty=duties(), t=times | st.floats(0, 80 * WEEK))
def test_on_duty_is_its_window_arithmetic(duty, t):
    """``on_duty`` is inlined for speed; it must answer as the window lookup does,
    including at window starts and ends."""
    cal = DutyCalendar.from_spec(duty)
    for x in (t, *cal.starts, *cal.ends, *(s + 3 * WEEK for s in cal.starts)):
        assert cal.on_duty(x) == (x < cal._window(cal._index(x))[1])


@FEW
@given(
    duty=duties() | st.just(Duty(always=True)),
    t=st.just(0.0) | times,
    hours=st.lists(st.just(0.0) | st.floats(1e-6, 3000), min_size=1, max_size=30),
)
def test_add_duty_hours_many_is_bit_for_bit_the_scalar_one(duty, t, hours):
    """Diverted work is mapped onto the calendar in bulk: exactly the scalar numbers."""
    cal = DutyCalendar.from_spec(duty)
    hours = hours + [cal.weekly_duty_hours, 3 * cal.weekly_duty_hours, *cal.before[1:]]
    bulk = cal.add_duty_hours_many(t, np.array(hours))
    one = np.array([cal.add_duty_hours(t, h) for h in hours])
    assert bulk.tobytes() == one.tobytes()


@given(
    duty=duties() | st.just(Duty(always=True)),
    pairs=st.lists(
        st.tuples(st.just(0.0) | times, st.just(0.0) | st.floats(1e-6, 3000)),
        min_size=1,
        max_size=30,
    ),
)
def test_add_duty_hours_each_is_bit_for_bit_the_scalar_one(duty, pairs):
    """Patrol finds are mapped onto the grid's calendar in bulk, each from its own start:
    exactly the scalar numbers (times on window starts and ends included)."""
    cal = DutyCalendar.from_spec(duty)
    edges = [(s + WEEK, h) for s, (_, h) in zip(cal.starts + cal.ends, pairs * 8, strict=False)]
    t, hours = (np.array(x) for x in zip(*pairs, *edges, strict=True))
    bulk = cal.add_duty_hours_each(t, hours)
    one = np.array([cal.add_duty_hours(float(a), float(h)) for a, h in zip(t, hours, strict=True)])
    assert bulk.tobytes() == one.tobytes()


@FEW
@given(duty=duties(), t=st.lists(st.floats(0, 80 * WEEK), min_size=1, max_size=30))
def test_cumulative_is_the_window_arithmetic_bit_for_bit(duty, t):
    """Busy duty hours are counted with ``cumulative``: pinned to the arithmetic it was
    written as (window index, then its week and pattern window by divmod)."""
    cal = DutyCalendar.from_spec(duty)
    t = np.array(t + [s + 2 * WEEK for s in cal.starts] + [e + WEEK for e in cal.ends])
    if cal.always:  # every hour is duty (shifts around the clock, every day)
        assert cal.cumulative(t).tobytes() == t.tobytes()
        return
    n = len(cal.starts)
    starts, ends = np.asarray(cal.starts), np.asarray(cal.ends)
    week = np.floor(t / WEEK)
    j = week * n + np.searchsorted(starts, t - week * WEEK, side="right") - 1
    wk, i = np.divmod(j, n)
    i = i.astype(np.int64)
    inside = np.clip(t - (wk * WEEK + starts[i]), 0.0, ends[i] - starts[i])
    want = wk * cal.weekly_duty_hours + np.asarray(cal.before)[i] + inside
    assert cal.cumulative(t).tobytes() == want.tobytes()
