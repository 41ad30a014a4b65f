"""Arrival profiles: incidents start when the profile says, as an exact Poisson process.

The counts by hour of day and by weekday are tested against the profile with a
chi-square test, and the same counts against a flat profile must be rejected: a model
that ignored the profile fails here. Seeds are fixed, so every test is deterministic;
the thresholds are those of the tests, not tuned to the draws.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import numpy as np
import pytest
from helpers import EXAMPLES, example_raw
from scipy import stats

from sim.errors import ScenarioError
from sim.model.arrivals import count_factors, draw_arrivals, rate_shape, working_weekday
from sim.model.incidents import Incidents, generate_incidents
from sim.model.streams import Streams
from sim.scenario.load import from_mapping
from sim.scenario.schema import ArrivalProfile, Calendar
from sim.world import World, build_world

HOURS = [0.3] * 6 + [1.0] * 12 + [2.5] * 6  # quiet nights, busy evenings
WEEK = [1.0, 1.0, 1.0, 1.0, 1.0, 1.6, 2.0]
P_ACCEPT = 1e-3  # a correct model fails by chance once in a thousand seeds
P_REJECT = 1e-9


def world_of(raw: dict[str, Any]) -> World:
    return build_world(from_mapping(copy.deepcopy(raw), base_dir=EXAMPLES))


def profiled(profiles: dict[str, dict], rate: float = 1.0, **top: Any) -> dict[str, Any]:
    """The example with busy incident types, each given its profile (``None``: none)."""
    raw = example_raw()
    for name, spec in raw["incident_types"].items():
        spec["rate_per_day"] = rate
        if profiles.get(name) is not None:
            spec["arrival_profile"] = profiles[name]
    raw.update(top)
    return raw


def incidents_of(raw: dict[str, Any], seed: int = 7) -> tuple[World, Incidents]:
    world = world_of(raw)
    return world, generate_incidents(world, Streams(seed, 0))


def of_type(world: World, inc: Incidents, name: str) -> np.ndarray:
    return inc.start_h[inc.type == list(world.scenario.incident_types).index(name)]


@pytest.fixture(scope="module")
def shaped() -> tuple[World, Incidents]:
    profile = {"hour_of_day": HOURS, "day_of_week": WEEK}
    return incidents_of(profiled({"noise": profile, "wastewater": profile}))


@pytest.mark.parametrize("name", ["noise", "wastewater"])
def test_counts_by_hour_follow_the_profile_and_reject_a_flat_one(shaped, name):
    world, inc = shaped
    hour = (of_type(world, inc, name) % 24).astype(int)
    seen = np.bincount(hour, minlength=24)
    assert seen.sum() > 3000
    want = np.array(HOURS) / sum(HOURS) * seen.sum()
    assert stats.chisquare(seen, want).pvalue > P_ACCEPT
    flat = np.full(24, seen.sum() / 24)
    assert stats.chisquare(seen, flat).pvalue < P_REJECT


def test_counts_by_weekday_follow_the_profile_and_reject_a_flat_one(shaped):
    world, inc = shaped
    n_days = int(world.scenario.horizon_days)
    days_of = np.bincount(np.arange(n_days) % 7, minlength=7)  # 365 days: one extra Monday
    day = (of_type(world, inc, "noise") // 24).astype(int) % 7
    seen = np.bincount(day, minlength=7)
    want = days_of * np.array(WEEK)
    assert stats.chisquare(seen, want / want.sum() * seen.sum()).pvalue > P_ACCEPT
    assert stats.chisquare(seen, days_of / days_of.sum() * seen.sum()).pvalue < P_REJECT


def test_a_type_without_a_profile_stays_uniform_next_to_one_with(shaped):
    world, inc = shaped
    hour = (of_type(world, inc, "air_odour") % 24).astype(int)
    seen = np.bincount(hour, minlength=24)
    assert stats.chisquare(seen).pvalue > P_ACCEPT


def test_normalised_profile_keeps_the_expected_count_and_a_plain_one_scales_it():
    doubled = {"hour_of_day": [2.0] * 24, "day_of_week": WEEK}
    expected = 1.0 * 13.9 * 365  # rate_per_day x total township weight x horizon_days
    plain = 2.0 * sum(WEEK[d % 7] for d in range(365)) / 365
    for normalise, factor in ((True, 1.0), (False, plain)):
        raw = profiled({"noise": {**doubled, "normalise": normalise}})
        world, inc = incidents_of(raw)
        assert count_factors(world.scenario)["noise"] == pytest.approx(factor, rel=1e-12)
        n = len(of_type(world, inc, "noise"))
        mean = expected * factor
        assert abs(n - mean) < 4.5 * np.sqrt(mean), (normalise, n, mean)


def test_mean_multiplier_over_a_run_is_exact():
    profile = ArrivalProfile(hour_of_day=[0.0] * 12 + [2.0] * 12, day_of_week=WEEK)
    shape = rate_shape(profile, Calendar(), 28 * 24.0)
    assert shape.mean == pytest.approx(1.0 * sum(WEEK) / 7)
    half_day = rate_shape(profile, Calendar(), 27 * 24.0 + 12.0)  # the last day's night only
    assert half_day.day_mass[-1] == 0.0


def test_dated_window_surge_is_visible():
    surge = {"windows": [{"name": "campaign", "first": "2019-03-04", "last": "2019-03-17",
                          "multiplier": 5.0}]}  # fmt: skip
    world, inc = incidents_of(profiled({"wastewater": surge}))
    day = (of_type(world, inc, "wastewater") // 24).astype(int)
    first = (dt.date(2019, 3, 4) - dt.date(2018, 12, 31)).days
    inside = np.isin(day, np.arange(first, first + 14))
    ratio = inside.sum() / 14 / ((~inside).sum() / (365 - 14))
    assert 4.0 < ratio < 6.0


@pytest.mark.parametrize("start, surge_from", [("2019-06-24", 7), ("2019-01-07", None)])
def test_month_profile_reads_dates_from_the_calendar_start(start, surge_from):
    july = [1.0] * 6 + [10.0] + [1.0] * 5
    raw = profiled({"noise": {"month_of_year": july}}, rate=20.0, horizon_days=14, warmup_days=0)
    raw["calendar"] = {"start_date": start}
    world, inc = incidents_of(raw)
    day = (of_type(world, inc, "noise") // 24).astype(int)
    late, early = (day >= 7).sum(), (day < 7).sum()
    if surge_from is None:  # both weeks in January
        assert 0.8 < late / early < 1.25
    else:  # June 24-30, then July 1-7
        assert 8.0 < late / early < 12.5


def test_holidays_count_as_sundays_and_days_in_lieu_as_mondays():
    cal = Calendar(holidays=[{"name": "New Year", "first": "2019-01-01"}], workdays=["2019-01-05"])
    assert working_weekday(cal, 7).tolist() == [0, 6, 2, 3, 4, 0, 6]
    profile = ArrivalProfile(day_of_week=[1.0] * 6 + [3.0])
    assert rate_shape(profile, cal, 7 * 24.0).day.tolist() == [1, 3, 1, 1, 1, 1, 3]


def test_arrivals_stay_inside_a_horizon_that_ends_mid_day():
    rng = np.random.default_rng(3)
    evenings = ArrivalProfile(hour_of_day=[0.0] * 20 + [1.0] * 4, normalise=False)
    early = ArrivalProfile(hour_of_day=[0.0] * 4 + [1.0] * 2 + [0.0] * 18, normalise=False)
    horizon = 10 * 24.0 + 5.5
    for profile, hours in ((evenings, (20, 24)), (early, (4, 6))):
        t = draw_arrivals(rng, 50.0, rate_shape(profile, Calendar(), horizon), False)
        assert len(t) > 1000 and np.all(np.diff(t) >= 0) and t.max() < horizon
        assert np.all(((t % 24) >= hours[0]) & ((t % 24) < hours[1]))
    assert (t >= 10 * 24.0 + 5).sum() > 0  # the last half hour is used, and no more


def test_variants_differing_in_enforcement_see_the_same_incidents():
    raw = profiled({"noise": {"hour_of_day": HOURS}}, rate=0.05)
    other = copy.deepcopy(raw)
    other["enforcement"] = {"shortfall_policy": "go_alone", "dispatch_order": "severity"}
    for unit in other["units"].values():
        unit["officers"] += 2
    _, a = incidents_of(raw)
    _, b = incidents_of(other)
    for field in ("start_h", "township", "type", "severity", "self_end_h", "onsite_h"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))


def test_changing_one_types_profile_leaves_the_other_types_alone():
    w1, a = incidents_of(profiled({"noise": {"hour_of_day": HOURS}}, rate=0.05))
    w2, b = incidents_of(profiled({"noise": {"day_of_week": WEEK}}, rate=0.05))
    for name in ("wastewater", "air_odour", "solid_waste"):
        np.testing.assert_array_equal(of_type(w1, a, name), of_type(w2, b, name))
    assert not np.array_equal(of_type(w1, a, "noise"), of_type(w2, b, "noise"))


def test_profile_zero_over_the_run_cannot_be_normalised():
    july_only = [0.0] * 6 + [1.0] + [0.0] * 5
    raw = profiled({"noise": {"month_of_year": july_only}}, horizon_days=60)
    with pytest.raises(ScenarioError, match="cannot be normalised") as err:
        incidents_of(raw)
    assert err.value.path == "incident_types.noise.arrival_profile"
    raw["incident_types"]["noise"]["arrival_profile"]["normalise"] = False
    world, inc = incidents_of(raw)
    assert len(of_type(world, inc, "noise")) == 0 and len(inc) > 0
