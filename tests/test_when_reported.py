"""Indicators by when a report came: the classification, the numbers, and where they show.

A report is ``on_duty`` in its unit's office hours (its duty calendar and the holidays,
whatever the rota), else
``off_duty_weekday`` on a workday or ``weekend_holiday`` on a Saturday or Sunday not
worked in lieu, or on a public holiday (``sim.world.dates``).
"""

from __future__ import annotations

import copy
import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from helpers import EXAMPLES, example_raw, simulate_raw

import sim
from sim.report.terminal import compare_table, summary_table
from sim.scenario.load import from_mapping
from sim.scenario.schema import Calendar, Duty
from sim.staffing import parse_target
from sim.stats.catalogue import HEADLINE, ROTA_COST, WHEN_REPORTED, label
from sim.stats.indicators import INCIDENT_COLUMNS, summarise_replication
from sim.world import build_world
from sim.world.dates import DAY_KINDS, WORKDAY, day_kinds
from sim.world.duty import DutyCalendar
from sim.world.periods import (
    NOT_REPORTED,
    OFF_DUTY_WEEKDAY,
    ON_DUTY,
    REPORT_PERIODS,
    WEEKEND_HOLIDAY,
    on_duty_many,
    report_periods,
)

ON, OFF, WEEKEND = (REPORT_PERIODS.index(p) for p in (ON_DUTY, OFF_DUTY_WEEKDAY, WEEKEND_HOLIDAY))
DAY, WEEK = 24.0, 168.0
TUE, WED, SAT = 1 * DAY, 2 * DAY, 5 * DAY
# 2018-12-31 (the default day 0) is a Monday: week 2's Wednesday is 2019-01-09
HOLIDAY_WED = dt.date(2019, 1, 9)
LIEU_SAT = dt.date(2019, 1, 19)  # week 3's Saturday, worked in lieu


def _world(calendar: dict | None = None):
    raw = example_raw()
    if calendar is not None:
        raw["calendar"] = calendar
    return build_world(from_mapping(copy.deepcopy(raw), base_dir=EXAMPLES))


def _classify(world, times_h: list[float]) -> list[int]:
    t = np.asarray(times_h, dtype=float)
    cals = [u.office for u in world.units]
    return list(report_periods(cals, np.zeros(len(t), dtype=np.int64), t, world.scenario.calendar))


def test_reports_on_duty_off_duty_on_a_workday_and_at_the_weekend():
    world = _world()
    assert world.scenario.duty.weekdays[:5] == ["mon", "tue", "wed", "thu", "fri"]
    assert "sat" not in world.scenario.duty.weekdays
    got = _classify(world, [TUE + 10, TUE + 22, SAT + 10, WEEK + SAT + 22, math.nan])
    assert got == [ON, OFF, WEEKEND, WEEKEND, NOT_REPORTED]


def test_a_holiday_is_a_day_off_and_a_day_worked_in_lieu_a_workday():
    world = _world(
        {"holidays": [{"name": "test", "first": str(HOLIDAY_WED)}], "workdays": [str(LIEU_SAT)]}
    )
    holiday = 9 * DAY  # run day of 2019-01-09
    lieu = 19 * DAY
    assert (holiday % WEEK, lieu % WEEK) == (WED, SAT)
    # 22:00 is off duty whatever the day: the kind of day decides between the two
    assert _classify(world, [holiday + 22, lieu + 22, WED + 22]) == [WEEKEND, OFF, OFF]
    # 10:00 on a holiday Wednesday: the units' rota observes the holiday
    assert _classify(world, [holiday + 10, WED + 10]) == [WEEKEND, ON]


class _DaysOff:
    """A calendar on duty 08:00-17:00 every day but the days listed."""

    def __init__(self, days_off: set[int]) -> None:
        self.days_off = days_off

    def on_duty(self, t: float) -> bool:
        day = math.floor(t / DAY)
        return day not in self.days_off and 8 <= t - day * DAY < 17

    def next_start(self, t: float) -> float:
        day = math.floor(t / DAY)
        for d in range(day, day + 400):
            start = d * DAY + 8
            if start > t and d not in self.days_off:
                return start
        return math.inf

    def next_end(self, t: float) -> float:
        start = t if self.on_duty(t) else self.next_start(t)
        return math.floor(start / DAY) * DAY + 17


def test_the_classification_asks_the_units_calendar_whatever_kind_it_is():
    """Any calendar with ``on_duty``, ``next_start`` and ``next_end`` will do (a rota that
    observes holidays, a seven-day week): a report in its duty hours is on duty even on a
    Saturday, and off duty on a workday it has off."""
    dates = Calendar(holidays=[{"name": "test", "first": HOLIDAY_WED}])
    cal = _DaysOff({2})  # the first Wednesday off, the holiday Wednesday (day 9) worked
    t = np.array([SAT + 10, WED + 10, WED + 20, 9 * DAY + 10, 9 * DAY + 20, TUE + 7.99])
    got = report_periods([cal], np.zeros(len(t), dtype=np.int64), t, dates)
    assert list(got) == [ON, OFF, OFF, ON, WEEKEND, OFF]


@pytest.mark.parametrize(
    "duty",
    [
        Duty(),
        Duty(always=True),
        Duty(shifts=[{"start_hour": 8, "end_hour": 12}, {"start_hour": 13.5, "end_hour": 17}]),
        Duty(
            shifts=[{"start_hour": 0, "end_hour": 6}, {"start_hour": 20, "end_hour": 24}],
            weekdays=["sat", "sun", "mon"],
        ),
    ],  # fmt: skip
)
def test_on_duty_in_bulk_is_the_calendars_own_answer(duty: Duty):
    cal = DutyCalendar.from_spec(duty)
    rng = np.random.default_rng(3)
    edges = np.array([s for d in range(21) for s in (d * DAY + 8, d * DAY + 17, d * DAY + 24)])
    t = np.concatenate([rng.uniform(0, 3 * WEEK, 2000), edges, np.nextafter(edges, 0)])
    assert (on_duty_many(cal, t) == np.array([cal.on_duty(x) for x in t])).all()


def test_the_record_column_says_when_each_report_came_by_its_own_units_calendar():
    raw = example_raw()
    raw["horizon_days"], raw["warmup_days"] = 40, 0
    raw["calendar"] = {"holidays": [{"name": "test", "first": str(HOLIDAY_WED)}]}
    world = _world(raw["calendar"])
    inc = simulate_raw(raw).incidents
    units = {u.name: u for u in world.units}
    kind = day_kinds(world.scenario.calendar, 41)
    want = []
    for t, unit in zip(inc["reported_h"], inc["unit"].astype(str), strict=True):
        if math.isnan(t):
            want.append("")
        elif units[unit].calendar.on_duty(t):
            want.append(ON_DUTY)
        else:
            workday = DAY_KINDS[kind[int(t // DAY)]] == WORKDAY
            want.append(OFF_DUTY_WEEKDAY if workday else WEEKEND_HOLIDAY)
    assert list(inc["reported_when"].astype(str)) == want
    assert {ON_DUTY, OFF_DUTY_WEEKDAY, WEEKEND_HOLIDAY} <= set(want)


# ------------------------------------------------------------------ indicators by hand


def _records() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Six incidents after the warm-up (one before it): reported on duty twice, off duty
    on a workday twice (one never attended), at the weekend once, never reported once."""
    nan = math.nan
    rows = [  # reported_h, team_formed_h, arrived_h, reported_when
        (10.0, 10.5, 11.0, "on_duty"),
        (34.0, 35.0, 37.0, "on_duty"),
        (22.0, 32.0, 33.0, "off_duty_weekday"),
        (46.0, nan, nan, "off_duty_weekday"),
        (130.0, 160.0, 162.0, "weekend_holiday"),
        (nan, nan, nan, ""),
        (1.0, 1.0, 900.0, "weekend_holiday"),  # in the warm-up: left out
    ]
    n = len(rows)
    cols = {c: np.zeros(n) for c in INCIDENT_COLUMNS}
    cols["reported_h"] = np.array([r[0] for r in rows])
    cols["team_formed_h"] = np.array([r[1] for r in rows])
    cols["arrived_h"] = np.array([r[2] for r in rows])
    cats = lambda values, names: pd.Categorical(values, categories=names)  # noqa: E731
    inc = pd.DataFrame(
        {
            **cols,
            "channel": cats(["citizen"] * n, ["citizen", ""]),
            "reported_when": cats([r[3] for r in rows], [*REPORT_PERIODS, ""]),
            "in_warmup": np.arange(n) == n - 1,
            "replication": 0,
            **{s: cats(["a"] * n, ["a"]) for s in ("county", "unit", "township", "type")},
            "severity": cats(["minor"] * n, ["minor"]),
        }
    )
    off = pd.DataFrame(
        {
            "county": ["a", "a"],
            "unit": ["u", "u"],
            "duty_hours": [80.0, 80.0],
            "utilisation": [0.5, 0.5],
            **{c: [1.0, 1.0] for c in ("onsite_hours", "travel_hours", "paperwork_hours")},
            **{c: [0.0, 0.0] for c in ("inspection_hours", "diverted_hours")},
            "overtime_hours": [3.0, 5.0],
            "callouts": [2, 4],
        }
    )
    ins = pd.DataFrame({"in_warmup": [False], "done": [True]})
    return inc, ins, off


def test_indicators_by_when_reported_on_a_hand_made_table():
    inc, ins, off = _records()
    window = (0.0, 2 * WEEK)  # two weeks measured
    s = summarise_replication(inc, ins, off, window)
    got = s[s["scope"] == "all"].set_index("indicator")["value"]
    assert got["share_reported_on_duty"] == pytest.approx(2 / 5)
    assert got["share_reported_off_duty_weekday"] == pytest.approx(2 / 5)
    assert got["share_reported_weekend_holiday"] == pytest.approx(1 / 5)
    assert got["response_h_mean_on_duty"] == pytest.approx((1.0 + 3.0) / 2)
    assert got["response_h_mean_off_duty_weekday"] == pytest.approx(11.0)  # one attended
    assert got["response_h_mean_weekend_holiday"] == pytest.approx(32.0)
    assert got["team_wait_h_mean_on_duty"] == pytest.approx((0.5 + 1.0) / 2)
    assert got["team_wait_h_mean_off_duty_weekday"] == pytest.approx(10.0)
    assert got["team_wait_h_mean_weekend_holiday"] == pytest.approx(30.0)
    # the periods' means weighted by their attended reports are the overall mean
    assert got["response_h_mean"] == pytest.approx((1 + 3 + 11 + 32) / 4)
    assert got["overtime_hours_mean"] == pytest.approx(4.0)
    assert got["callouts_per_officer_week"] == pytest.approx((2 + 4) / 2 / 2)
    by_unit = s[(s["scope"] == "unit")].set_index("indicator")["value"]
    assert by_unit["callouts_per_officer_week"] == pytest.approx(1.5)


def test_a_staffing_target_can_be_about_reports_of_one_period():
    inc, _, _ = _records()
    target = parse_target("mean(response_h | reported_when=on_duty/weekend_holiday) <= 4")
    assert sorted(target.values(inc, 2 * WEEK)["value"]) == [1.0, 3.0, 32.0]


def test_a_period_without_reports_has_no_mean_rather_than_zero():
    inc, ins, off = _records()
    inc = inc[inc["reported_when"] != "weekend_holiday"]
    s = summarise_replication(inc, ins, off, (0.0, WEEK))
    got = s[s["scope"] == "all"].set_index("indicator")["value"]
    assert got["share_reported_weekend_holiday"] == 0.0
    assert math.isnan(got["response_h_mean_weekend_holiday"])


# ------------------------------------------------------------------ where the split shows


def _results() -> sim.Results:
    rows = []
    for v, scale in (("today", 1.0), ("weekend_team", 0.5)):
        for ind in {*HEADLINE, *WHEN_REPORTED, *ROTA_COST}:
            mean = scale * (10.0 if ind.startswith("response") else 0.3)
            rows.append(("all", "all", ind, mean, 0.9 * mean, 1.1 * mean, 3, v))
    cols = ["scope", "group", "indicator", "mean", "ci95_low", "ci95_high", "replications"]
    summary = pd.DataFrame(rows, columns=[*cols, "variant"])
    manifest = {"replications": 3, "seed": 1, "wall_time_s": 1.0}
    return sim.Results(
        summary=summary,
        summary_by_replication=pd.DataFrame(),
        scenarios={"today": {}, "weekend_team": {}},
        manifest=manifest,
    )


def test_summary_and_compare_tables_show_the_split_and_what_a_rota_costs():
    res = _results()
    for text in (compare_table(res), summary_table(res)):
        for ind in (*[f"response_h_mean_{p}" for p in REPORT_PERIODS], *ROTA_COST):
            assert label(ind) in text, ind
    line = next(
        x for x in compare_table(res).splitlines() if x.startswith(label("response_h_mean_on_duty"))
    )
    assert "10.0" in line and "5.00" in line


def test_a_rota_splits_the_same_reports_as_the_office_week():
    """Office hours, not whoever is on duty, decide the period: a weekend team serving on
    Saturday leaves a Saturday report a weekend report, so every rota variant splits the
    same reports and paired differences by period compare like with like."""
    raw = example_raw()
    raw["duty"]["rota"] = {"weekend_team": {"officers": 2, "per": "county"}}
    rota = build_world(from_mapping(copy.deepcopy(raw), base_dir=EXAMPLES))
    assert rota.units[0].calendar.on_duty(SAT + 10)  # the weekend team is on duty
    assert _classify(rota, [TUE + 10, TUE + 22, SAT + 10]) == [ON, OFF, WEEKEND]
    plain, rostered = (simulate_raw(r, seed=3) for r in (example_raw(), raw))
    pd.testing.assert_series_equal(
        plain.incidents["reported_when"], rostered.incidents["reported_when"]
    )
