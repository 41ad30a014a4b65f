"""The enforcement side against queueing theory (the quick subset; the full
validation suite is a later issue).

With one township, no travel or paperwork, immediate reports and officers on
duty around the clock, the model is an M/M/c queue; with teams of two taken all
at once from c officers it is M/M/floor(c/2). The tolerance is the 99% t
interval over replications (batch means, warm-up dropped) plus 3% of the exact
value for initial-condition bias; a model that held one officer idle while
waiting for a partner, or served out of order, is off by far more.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import queue_scenario

import sim
from sim.scenario.load import from_mapping


def erlang_c_wait(lam: float, mu: float, c: int) -> float:
    """Mean wait in queue of M/M/c."""
    a = lam / mu
    rho = a / c
    tail = a**c / math.factorial(c) / (1 - rho)
    p_wait = tail / (sum(a**k / math.factorial(k) for k in range(c)) + tail)
    return p_wait / (c * mu - lam)


def simulated_waits(raw, replications: int) -> np.ndarray:
    loaded = from_mapping(raw)
    res = sim.run(loaded, replications=replications, seed=99)
    inc = res.incidents[~res.incidents["in_warmup"] & res.incidents["team_formed_h"].notna()]
    wait = inc["team_formed_h"] - inc["reported_h"]
    return wait.groupby(inc["replication"]).mean().to_numpy()


def assert_matches(waits: np.ndarray, exact: float) -> None:
    from scipy import stats

    half = stats.t.ppf(0.995, len(waits) - 1) * waits.std(ddof=1) / np.sqrt(len(waits))
    assert abs(waits.mean() - exact) <= half + 0.03 * exact, (waits.mean(), exact, half)


@pytest.mark.parametrize(("lam", "c"), [(1.5, 3), (2.7, 3)])
def test_single_officer_teams_match_erlang_c(tmp_path, lam, c):
    raw = queue_scenario(
        tmp_path,
        arrivals_per_hour=lam,
        officers=c,
        team_size=1,
        onsite={"dist": "exponential", "mean": 1.0},
        days=400,
    )
    assert_matches(simulated_waits(raw, 6), erlang_c_wait(lam, 1.0, c))


@pytest.mark.parametrize("officers", [4, 5])
def test_pairs_from_c_officers_behave_as_floor_c_over_two_servers(tmp_path, officers):
    raw = queue_scenario(
        tmp_path,
        arrivals_per_hour=1.6,
        officers=officers,
        team_size=2,
        onsite={"dist": "exponential", "mean": 1.0},
        days=400,
    )
    # an odd officer out adds no capacity: 5 officers are 2 teams, like 4
    assert_matches(simulated_waits(raw, 6), erlang_c_wait(1.6, 1.0, officers // 2))
