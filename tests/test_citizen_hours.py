"""Citizens report when they are awake: the report hazard follows the clock.

The report times of ``ClockHazard`` are tested against the exact distribution of a first
passage through the profile's cumulative hazard, computed here hour by hour from the
multipliers (chi-square; the same counts against the constant hazard must be rejected).
An all-ones profile must give today's times, the mean rate over whole weeks must stay
``report_rate_per_day``, and in a simulated year no citizen reports in an hour of zero
hazard. Seeds are fixed, so every test is deterministic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import example_raw, simulate_raw
from scipy import stats

from sim.model.hazard import ClockHazard
from sim.scenario.schema import Calendar

HOURS = [0.2] * 7 + [1.5] * 12 + [0.8] * 5  # asleep at night, awake by day
WEEK = [1.0, 1.0, 1.0, 1.0, 1.0, 1.5, 1.8]
P_ACCEPT = 1e-3  # a correct model fails by chance once in a thousand seeds
P_REJECT = 1e-9
RATE_PER_H = 1 / 40  # mean wait of 40 h at multiplier 1: reports spread over days
RUN_DAYS = 70


def hourly(hours: list[float] | None, week: list[float] | None, n_days: int) -> np.ndarray:
    """The multiplier of every hour of the run, written out independently of the model
    (no holidays: the weekday is run day mod 7)."""
    h = np.ones(24) if hours is None else np.array(hours) / np.mean(hours)
    w = np.ones(7) if week is None else np.array(week) / np.mean(week)
    return (w[np.arange(n_days) % 7][:, None] * h[None, :]).ravel()


def first_passage_probs(mult: np.ndarray, start_h: float, rate_per_h: float) -> np.ndarray:
    """P(the first report falls in hour slot j) for a report hazard of ``rate_per_h`` x
    ``mult`` from ``start_h``: 1 - exp(-H) differenced at the slot edges."""
    edges = np.arange(len(mult) + 1, dtype=float)
    cum = np.concatenate(([0.0], np.cumsum(mult)))
    k = int(start_h)
    at_start = cum[k] + mult[k] * (start_h - k)
    h = np.clip(cum - at_start, 0.0, None) * rate_per_h
    survive = np.exp(-h)
    survive[edges <= start_h] = 1.0
    return survive[:-1] - survive[1:]


def draws(hours, week, start_h: float, n: int = 40_000, seed: int = 3) -> np.ndarray:
    clock = ClockHazard.of(hours, week, Calendar(), RUN_DAYS * 24.0)
    mass = np.random.default_rng(seed).exponential(1.0, n) / RATE_PER_H
    return clock.first_passage_h(np.full(n, start_h), mass)


@pytest.mark.parametrize("start_h", [0.0, 13.37, 5 * 24 + 22.5])
def test_report_hours_and_weekdays_follow_the_profile_and_reject_a_flat_one(start_h):
    t = draws(HOURS, WEEK, start_h)
    assert (t >= start_h).all() and (t < RUN_DAYS * 24).all()
    p = first_passage_probs(hourly(HOURS, WEEK, RUN_DAYS), start_h, RATE_PER_H)
    flat = first_passage_probs(hourly(None, None, RUN_DAYS), start_h, RATE_PER_H)
    slot = t.astype(int)
    for key in (lambda j: j % 24, lambda j: (j // 24) % 7):  # hour of day, weekday
        seen = np.bincount(key(slot), minlength=24)
        groups = key(np.arange(len(p)))
        want = np.bincount(groups, weights=p, minlength=24)
        flat_want = np.bincount(groups, weights=flat, minlength=24)
        used = want > 0
        n = seen.sum()
        assert stats.chisquare(seen[used], want[used] / want.sum() * n).pvalue > P_ACCEPT
        assert stats.chisquare(seen[used], flat_want[used] / flat_want.sum() * n).pvalue < P_REJECT


def test_the_same_draw_reports_later_when_it_is_larger():
    """One Exp(1) per incident, read against the cumulative hazard: the order of the draws
    is the order of the reports (what common random numbers rely on)."""
    mass = np.sort(np.random.default_rng(5).exponential(40.0, 5000))
    clock = ClockHazard.of(HOURS, WEEK, Calendar(), RUN_DAYS * 24.0)
    t = clock.first_passage_h(np.full(len(mass), 30.25), mass)
    assert (np.diff(t) >= 0).all()
    assert np.isinf(clock.first_passage_h(np.array([3.0]), np.array([np.inf]))).all()


def test_an_all_ones_profile_is_the_constant_hazard():
    rng = np.random.default_rng(11)
    start = rng.random(10_000) * 24 * RUN_DAYS
    mass = rng.exponential(200.0, 10_000)  # some reports fall beyond the run
    t = ClockHazard.of([1.0] * 24, [2.0] * 7, Calendar(), RUN_DAYS * 24.0).first_passage_h(
        start, mass
    )
    np.testing.assert_allclose(t, start + mass, rtol=0, atol=1e-9)


def test_the_mean_report_rate_over_whole_weeks_is_kept():
    """Reports as a renewal chain: each the first passage from the one before. Over whole
    weeks their count is Poisson with mean rate x hours, whatever the profile."""
    weeks, chains = 8, 400
    clock = ClockHazard.of(HOURS, WEEK, Calendar(), weeks * 7 * 24.0)
    rng = np.random.default_rng(17)
    t, count = np.zeros(chains), 0
    while True:
        t = clock.first_passage_h(t, rng.exponential(1.0, chains) / RATE_PER_H)
        inside = t < weeks * 7 * 24
        if not inside.any():
            break
        count += int(inside.sum())
        t = t[inside]
        chains = len(t)
    expected = 400 * weeks * 7 * 24 * RATE_PER_H
    assert abs(count - expected) < 4 * np.sqrt(expected)


def busy(citizens: dict | None = None) -> dict:
    raw = example_raw()
    for spec in raw["incident_types"].values():
        spec["rate_per_day"] *= 6
    raw["discovery"]["citizens"].update(citizens or {})
    return raw


def citizen_found(records) -> pd.DataFrame:
    inc = records.incidents
    return inc[(inc.channel == "citizen") & inc.discovered_h.notna()]  # by the horizon


def test_in_a_run_nobody_reports_in_an_hour_of_zero_hazard():
    night = [0.0] * 7 + [1.0] * 17
    found = citizen_found(simulate_raw(busy({"hour_of_day": night})))
    flat = citizen_found(simulate_raw(busy()))
    assert len(found) > 300
    assert ((found.discovered_h % 24) >= 7).all()
    assert (found.discovered_h >= found.start_h).all()
    assert ((flat.discovered_h % 24) < 7).sum() > 50  # the flat hazard does report at night


def test_in_a_run_an_all_ones_profile_changes_nothing():
    ones = {"hour_of_day": [1.0] * 24, "day_of_week": [1.0] * 7}
    with_profile = simulate_raw(busy(ones)).incidents
    without = simulate_raw(busy()).incidents
    pd.testing.assert_frame_equal(with_profile, without, check_exact=False, rtol=1e-12)
