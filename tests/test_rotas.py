"""Duty rotas: weekend teams, night on-call teams, staggered weeks, call-out limits and
public holidays do what they say, the audit catches an officer off the rota, and the
default rota stays on the shared-calendar path (bit for bit: tests/test_backtest.py).

Small scenarios (the Pujiang example as three stationed offices) and by-hand checks
from the tables, not from the rota's own calendars, wherever a check can be so written.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd
import pytest
from helpers import EXAMPLES, example_raw, stationed_offices

from sim.audit import AuditError, audit
from sim.errors import ScenarioError
from sim.model import simulate
from sim.model.enforcement import EnforcementUnits
from sim.model.rostered import RosteredUnits
from sim.scenario.load import from_mapping
from sim.world import build_world
from sim.world.duty import DutyCalendar
from sim.world.rota import office_days
from sim.world.windows import WindowCalendar

DAY, WEEK = 24.0, 168.0
OFFICES = {"east": 3, "north": 3, "city": 4}


def raw_with(rota: dict | None = None, **extra) -> dict:
    """The example county, busier, as three offices, for 150 days."""
    raw = example_raw()
    raw["units"] = stationed_offices(**OFFICES)
    raw["horizon_days"] = 150
    for spec in raw["incident_types"].values():
        spec["rate_per_day"] *= 2
    if rota is not None:
        raw["duty"]["rota"] = rota
    raw.update(extra)
    return raw


def world_of(raw: dict):
    return build_world(from_mapping(copy.deepcopy(raw), base_dir=EXAMPLES))


def run(raw: dict, seed: int = 3):
    world = world_of(raw)
    rec = simulate(world, seed, 0)
    check(world, rec)
    return world, rec


def check(world, rec, asg: pd.DataFrame | None = None) -> None:
    sc = world.scenario
    audit(
        rec.incidents, rec.officers, rec.assignments if asg is None else asg,
        shortfall_policy=sc.enforcement.shortfall_policy,
        window_hours=(sc.warmup_hours, sc.horizon_hours), world=world,
    )  # fmt: skip


def jobs(rec) -> pd.DataFrame:
    asg = rec.assignments
    return asg[asg["kind"].isin(["incident", "inspection"])]


def in_shift(t: np.ndarray) -> np.ndarray:
    """Inside the example's office hours (08:30-12:00, 13:30-17:30) of its day."""
    h = np.mod(t, DAY)
    return ((h >= 8.5) & (h < 12.0)) | ((h >= 13.5) & (h < 17.5))


# --- the explicit-window calendar ------------------------------------------------------


def test_window_calendar_answers_as_the_weekly_one() -> None:
    weekly = DutyCalendar.from_spec(world_of(raw_with()).units[0].duty)
    windows = []
    t = 0.0
    while t < 5 * WEEK:
        start = t if weekly.on_duty(t) else weekly.next_start(t)
        windows.append((start, weekly.next_end(start)))
        t = windows[-1][1]
    cal = WindowCalendar.of(windows)
    rng = np.random.default_rng(1)
    t = np.sort(rng.uniform(0, 4 * WEEK, 400))
    t[:4] = [8.5, 12.0, 17.5, 0.0]  # window edges
    for x in t:
        assert cal.on_duty(x) == weekly.on_duty(x)
        assert cal.next_start(x) == weekly.next_start(x)
        assert cal.next_end(x) == weekly.next_end(x)
        for h in (0.0, 0.5, 7.5, 30.0):
            assert cal.add_duty_hours(x, h) == pytest.approx(weekly.add_duty_hours(x, h))
    assert (cal.on_duty_many(t) == weekly.on_duty_many(t)).all()
    assert (weekly.on_duty_many(t) == [weekly.on_duty(x) for x in t]).all()
    np.testing.assert_allclose(cal.cumulative(t), weekly.cumulative(t), atol=1e-9)
    a, b = t[:-1], t[1:] + 30.0
    np.testing.assert_allclose(
        cal.duty_hours_between_many(a, b), weekly.duty_hours_between_many(a, b), atol=1e-9
    )
    np.testing.assert_allclose(
        cal.add_duty_hours_many(100.0, [0.0, 1.0, 50.0]),
        [weekly.add_duty_hours(100.0, h) for h in (0.0, 1.0, 50.0)],
    )
    assert cal.add_duty_hours(0.0, 1e6) == math.inf  # beyond the last window: no duty
    assert cal.next_start(10 * WEEK) == math.inf


# --- the default rota -------------------------------------------------------------------


def test_the_default_rota_keeps_the_shared_calendar_path() -> None:
    world = world_of(raw_with({}))  # written out, but every piece at its default
    assert world.rota is None
    assert all(isinstance(u.calendar, DutyCalendar) for u in world.units)


# --- weekend teams ----------------------------------------------------------------------


def test_a_county_weekend_team_serves_weekend_reports_without_call_outs() -> None:
    _, base = run(raw_with())
    world, rec = run(raw_with({"weekend_team": {"officers": 2, "per": "county"}}))
    for r, teams in ((base, 0), (rec, 1)):
        j = jobs(r)
        weekend = (np.floor(j["start_h"] / DAY) % 7 >= 5).to_numpy()
        served = weekend & in_shift(j["start_h"].to_numpy()) & ~j["callout"].to_numpy()
        assert (served.sum() > 10) == bool(teams), served.sum()
    inc = rec.incidents
    assert inc["county_team_officers"].sum() > 0  # officers crossing units as a team
    assert inc["borrowed_officers"].sum() == 0  # and not counted as mutual aid
    # the team rotates weekly: each week's weekend work by at most two officers
    j = jobs(rec)
    weekend = j[(np.floor(j["start_h"] / DAY) % 7 >= 5) & ~j["callout"]]
    per_week = weekend.groupby(np.floor(weekend["start_h"] / WEEK))["officer"].nunique()
    assert per_week.max() <= 2 and weekend["officer"].nunique() > 2
    overtime = rec.officers["duty_hours"].sum() - base.officers["duty_hours"].sum()
    assert overtime > 0  # weekend duty is duty of the team's officers


# --- night on-call ----------------------------------------------------------------------


def test_only_the_night_on_call_team_is_called_out() -> None:
    busy = raw_with({"night_on_call": {"officers": 2, "handover_hour": 8.5}})
    busy["duty"]["on_call"]["severities"] = ["moderate", "major"]
    world, rec = run(busy)
    calls = jobs(rec)[jobs(rec)["callout"]]
    assert len(calls) > 20
    first = 0
    for name, n in OFFICES.items():  # the rotation by hand: day d, officers (2d, 2d+1) mod n
        mine = calls[calls["officer"].str.startswith(f"{name}-")]
        day = np.floor((mine["start_h"].to_numpy() - 8.5) / DAY).astype(int)
        k = mine["officer"].str.rsplit("-", n=1).str[1].astype(int).to_numpy() - 1
        expected = ((day * 2) % n == k) | ((day * 2 + 1) % n == k)
        assert expected.all(), mine[~expected].head()
        first += n
    _, everyone = run(busy | {"duty": busy["duty"] | {"rota": {}}})
    called = jobs(everyone)[jobs(everyone)["callout"]]
    assert len(called) >= len(calls)


def test_the_audit_catches_an_officer_off_the_rota_called_out(monkeypatch) -> None:
    raw = raw_with({"night_on_call": {"officers": 2}})
    raw["duty"]["on_call"]["severities"] = ["moderate", "major"]
    world = world_of(raw)
    # every officer off duty may be called, as under the default rota: not this rota
    off_duty = staticmethod(lambda o, now: not o.calendar.on_duty(now))
    monkeypatch.setattr(RosteredUnits, "_callable", off_duty)
    rec = simulate(world, 3, 0)
    with pytest.raises(AuditError, match="not on call"):
        check(world, rec)


# --- limits -----------------------------------------------------------------------------


LIMITED = {"max_callouts_per_week": 1, "rest_after_callout_hours": 12.0}


def busy_nights(rota: dict) -> dict:
    raw = raw_with(rota)
    raw["duty"]["on_call"]["severities"] = ["minor", "moderate", "major"]
    for spec in raw["incident_types"].values():
        spec["rate_per_day"] *= 2
    return raw


def weekly_callouts(rec) -> pd.Series:
    calls = jobs(rec)[jobs(rec)["callout"]]
    return calls.groupby(["officer", np.floor(calls["start_h"] / WEEK)]).size()


def test_call_out_limits_hold() -> None:
    _, free = run(busy_nights({"night_on_call": {"officers": 2}}))
    assert weekly_callouts(free).max() > 1  # the limit would bind
    world, rec = run(busy_nights({"night_on_call": {"officers": 2}, **LIMITED}))
    assert weekly_callouts(rec).max() == 1
    asg = rec.assignments.sort_values(["officer", "start_h"])
    for _, mine in asg.groupby("officer"):
        calls = np.flatnonzero(mine["callout"].to_numpy())
        back = mine["end_h"].to_numpy()[calls + 1][:-1]  # the way back after each
        assert (mine["start_h"].to_numpy()[calls][1:] >= back + 12.0 - 1e-9).all()
    assert rec.officers["callouts"].sum() > 0


def test_the_audit_catches_broken_limits(monkeypatch) -> None:
    world = world_of(busy_nights({"night_on_call": {"officers": 2}, **LIMITED}))
    rec = simulate(world, 3, 0)
    check(world, rec)
    asg = rec.assignments
    calls = asg.index[asg["callout"]]
    twice = pd.concat([asg, asg.loc[[calls[0]]].assign(start_h=asg.loc[calls[0], "start_h"])])
    with pytest.raises(AuditError, match="more than 1 call-out"):
        check(world, rec, twice)
    # the model forgets to count call-outs and to rest: the audit must see it
    monkeypatch.setattr(RosteredUnits, "_called_out", EnforcementUnits._called_out)
    rec = simulate(world, 3, 0)
    with pytest.raises(AuditError, match="call-out"):
        check(world, rec)


def test_the_audit_catches_work_off_duty() -> None:
    world, rec = run(raw_with({"weekend_team": {"officers": 2}}))
    asg = rec.assignments.copy()
    k = asg.index[asg["callout"]][0]
    asg.loc[k, "callout"] = False  # a call-out recorded as regular duty
    with pytest.raises(AuditError, match="off the officer's regular duty"):
        check(world, rec, asg)
    asg = rec.assignments.copy()
    k = asg.index[(asg["kind"] == "incident") & ~asg["callout"]][0]
    asg.loc[k, "callout"] = True  # regular duty recorded as a call-out
    with pytest.raises(AuditError, match="on duty or not on call"):
        check(world, rec, asg)


# --- holidays and staggered weeks -------------------------------------------------------

SPRING_FESTIVAL = {
    "holidays": [{"name": "Spring Festival", "first": "2019-02-04", "last": "2019-02-10"}],
    "workdays": ["2019-02-02", "2019-02-03"],
}


@pytest.mark.parametrize("rota", [None, {"weekend_team": {"officers": 2}}])
def test_public_holidays_are_observed(rota) -> None:
    """2019-02-04..10 (run days 35-41) off, the weekend before (days 33-34) worked."""
    raw = raw_with(rota, calendar=SPRING_FESTIVAL)
    raw["enforcement"]["diverted_share"] = 0.3  # work on every duty day
    _, plain = run(raw_with(rota) | {"enforcement": raw["enforcement"]})
    world, rec = run(raw)

    def regular_work_on(r, first: int, last: int) -> pd.DataFrame:
        a = r.assignments
        t = a["start_h"]
        return a[
            (t >= first * DAY) & (t < (last + 1) * DAY) & ~a["callout"] & (a["kind"] != "return")
        ]

    assert len(regular_work_on(plain, 35, 39)) > 20  # a working week without the holiday
    assert len(regular_work_on(rec, 33, 34)) > 5  # the weekend worked in lieu
    assert len(regular_work_on(plain, 33, 34)) == 0 if rota is None else True
    on_holiday = regular_work_on(rec, 35, 41)
    if rota is None:
        assert on_holiday.empty
        assert not world.units[0].calendar.on_duty(36 * DAY + 10)
    else:  # the weekend team covers the holiday, two officers a week of each office
        assert len(on_holiday) > 5
        office = on_holiday["officer"].str.rsplit("-", n=1).str[0]
        assert on_holiday.groupby(office)["officer"].nunique().max() <= 2


def test_a_staggered_week_covers_every_day_at_the_same_head_count() -> None:
    world, rec = run(raw_with({"staggered_week": True}))
    noon = np.arange(150) * DAY + 10.0
    for u, unit in enumerate(world.units):
        assert world.rota.presence[u].on_duty_many(noon).all(), unit.name
    first = 0
    for unit in world.units:
        for g in range(first, first + unit.officers):
            worked = world.rota.officers[g].regular.on_duty_many(noon[:140])
            assert (worked.reshape(20, 7).sum(axis=1) == 5).all()  # 5 days of every 7
        first += unit.officers
    j = jobs(rec)
    weekend = (np.floor(j["start_h"] / DAY) % 7 >= 5) & ~j["callout"]
    assert weekend.sum() > 10
    _, base = run(raw_with())  # the same head count works the same hours, spread out
    assert rec.officers["duty_hours"].sum() == pytest.approx(
        base.officers["duty_hours"].sum(), rel=0.02
    )
    assert office_days(world.units[0].duty, world.scenario.calendar, 7).sum() == 5


# --- validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rota", "field", "words"),
    [
        ({"weekend_team": {"officers": 4}}, "duty.rota.weekend_team.officers", "from 3"),
        ({"night_on_call": {"officers": 1}}, "duty.rota.night_on_call.officers", "never"),
        (
            {"weekend_team": {"officers": 11, "per": "county"}},
            "duty.rota.weekend_team.officers",
            "from 10",
        ),
    ],
)
def test_teams_that_cannot_be_formed_are_refused(rota: dict, field: str, words: str) -> None:
    with pytest.raises(ScenarioError) as err:
        world_of(raw_with(rota))
    assert err.value.path == field and words in err.value.message


def test_county_teams_must_agree_and_rotas_need_a_week() -> None:
    raw = raw_with({"weekend_team": {"officers": 2, "per": "county"}})
    raw["units"]["east"]["duty"] = copy.deepcopy(raw["duty"])
    raw["units"]["east"]["duty"]["rota"]["weekend_team"]["officers"] = 3
    with pytest.raises(ScenarioError, match="one team") as err:
        world_of(raw)
    assert err.value.path.endswith("duty.rota.weekend_team")
    for rota in ({"staggered_week": True, "weekend_team": {"officers": 2}},):
        with pytest.raises(ScenarioError, match="staggered"):
            world_of(raw_with(rota))
    raw = raw_with({"staggered_week": True})
    raw["duty"]["always"] = True
    with pytest.raises(ScenarioError, match="around the clock"):
        world_of(raw)
