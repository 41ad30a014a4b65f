"""Larson's hypercube (sim/staffing/hypercube.py) against a chain built here from scratch,
against textbook queues, and against the simulation where its assumptions hold."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest

from sim.staffing import hypercube as hc
from sim.staffing.hypercube_world import county_posts, county_queue, rank_layouts
from sim.validation import hypercube_des, theory
from tests.helpers import EXAMPLES, example_raw

LAM = np.array([0.5, 0.3, 0.8, 0.2])  # calls/h from four atoms
PREF = np.array([[0, 1, 2], [1, 0, 2], [2, 1, 0], [1, 2, 0]])
TRAVEL = np.array([[0.1, 0.3, 0.5, 0.4], [0.3, 0.1, 0.3, 0.2], [0.5, 0.4, 0.1, 0.2]])


def brute_force(lam, mean_h, pref, variant, max_queue=200):
    """The chain state by state: (busy tuple, calls waiting), a dense generator, the
    queue truncated far out in its geometric tail. Returns utilisation, served share
    [unit, atom] and P(all busy) at an arrival."""
    n, mu = pref.shape[1], 1 / np.asarray(mean_h, float)
    states = [(b, 0) for b in itertools.product((0, 1), repeat=n)]
    if variant == "queue":
        states += [((1,) * n, k) for k in range(1, max_queue + 1)]
    at = {s: k for k, s in enumerate(states)}
    q = np.zeros((len(states), len(states)))
    for (busy, waiting), k in at.items():
        for j, rate in enumerate(lam):
            free = [i for i in pref[j] if not busy[i]]
            if free:
                nxt = list(busy)
                nxt[free[0]] = 1
                q[k, at[(tuple(nxt), 0)]] += rate
            elif variant == "queue" and waiting < max_queue:
                q[k, at[(busy, waiting + 1)]] += rate
        for i in range(n):
            if busy[i] and waiting:
                q[k, at[(busy, waiting - 1)]] += mu[i]
            elif busy[i]:
                nxt = list(busy)
                nxt[i] = 0
                q[k, at[(tuple(nxt), 0)]] += mu[i]
    q -= np.diag(q.sum(axis=1))
    a = np.vstack([q.T, np.ones(len(states))])
    p = np.linalg.lstsq(a, np.r_[np.zeros(len(states)), 1.0], rcond=None)[0]
    util = np.array([sum(p[k] for (b, _), k in at.items() if b[i]) for i in range(n)])
    share = np.zeros((n, len(lam)))
    full = sum(p[k] for (b, _), k in at.items() if all(b))
    for (busy, _), k in at.items():
        for j in range(len(lam)):
            free = [i for i in pref[j] if not busy[i]]
            if free:
                share[free[0], j] += p[k]
            elif variant == "queue":
                share[:, j] += p[k] * mu / mu.sum()
    return util, share, full


@pytest.mark.parametrize("variant", hc.VARIANTS)
@pytest.mark.parametrize("n", [2, 3])
def test_exact_hypercube_matches_a_chain_built_state_by_state(variant, n):
    mean_h = np.array([0.8, 1.0, 1.5])[:n]  # units of different speeds
    pref = np.array([[u for u in row if u < n] for row in PREF])
    res = hc.solve(LAM, mean_h, pref, TRAVEL[:n], variant=variant, method="exact")
    util, share, full = brute_force(LAM, mean_h, pref, variant)
    assert res.utilisation == pytest.approx(util, abs=1e-9)
    assert res.served_share == pytest.approx(share, abs=1e-9)
    assert res.p_all_busy == pytest.approx(full, abs=1e-9)
    served = share.sum(axis=0)
    assert res.travel_h == pytest.approx((share * TRAVEL[:n]).sum(axis=0) / served)


@pytest.mark.parametrize("n", [1, 3, 6])
def test_with_one_service_rate_the_hypercube_is_m_m_n(n):
    rng = np.random.default_rng(n)
    dist = rng.uniform(1, 10, (n, 8))
    lam = rng.uniform(0.1, 0.4, 8)
    lam *= 0.7 * n / lam.sum()
    for method in ("exact", "approx"):
        res = hc.solve(lam, 1.0, hc.preference_lists(dist), dist / 40, method=method)
        mmn = theory.mmc(lam.sum(), 1.0, n)
        assert res.p_all_busy == pytest.approx(mmn.p_wait)
        assert res.wait_h == pytest.approx(mmn.wait_h)
        assert res.served_share.sum(axis=0) == pytest.approx(np.ones(8))
    loss = hc.solve(lam, 1.0, hc.preference_lists(dist), dist / 40, variant="loss")
    assert loss.p_all_busy == pytest.approx(hc.busy_distribution(lam.sum(), 1.0, n, "loss")[n])


@pytest.mark.parametrize("variant", hc.VARIANTS)
def test_larsons_approximation_is_close_to_the_exact_hypercube(variant):
    rng = np.random.default_rng(7)
    dist = rng.uniform(1, 20, (7, 15))
    lam = rng.uniform(0.05, 0.3, 15)
    lam *= 0.6 * 7 / lam.sum()
    pref = hc.preference_lists(dist)
    exact = hc.solve(lam, 1.0, pref, dist / 40, variant=variant, method="exact")
    approx = hc.solve(lam, 1.0, pref, dist / 40, variant=variant, method="approx")
    assert approx.p_all_busy == pytest.approx(exact.p_all_busy)
    assert approx.utilisation == pytest.approx(exact.utilisation, abs=0.02)
    assert approx.served_share == pytest.approx(exact.served_share, abs=0.03)
    assert approx.mean_response_h == pytest.approx(exact.mean_response_h, rel=0.03)


def test_correction_factors_start_at_one_and_bad_input_is_refused():
    assert hc.correction_factors(2.0, 1.0, 4, "queue")[0] == pytest.approx(1.0)
    assert hc.correction_factors(2.0, 1.0, 4, "loss")[0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="unstable"):
        hc.solve(np.array([3.0]), 1.0, np.array([[0, 1]]), np.zeros((2, 1)))
    with pytest.raises(ValueError, match="common mean service"):
        hc.solve(LAM, [1.0, 2.0, 1.0], PREF, TRAVEL, method="approx")


def _integrated_world():
    from sim.scenario.load import from_mapping
    from sim.world import build_world

    raw = example_raw()
    towns = ["Puyang", "Huangzhai", "Tanxi"]
    raw["units"] = {"team": {"model": "integrated", "county": "Pujiang", "officers": 3,
                             "posts": dict.fromkeys(towns, 1)}}  # fmt: skip
    raw["enforcement"] = {**raw.get("enforcement", {}), "team_size": 1}
    return build_world(from_mapping(raw, base_dir=EXAMPLES))


def test_a_county_of_the_world_becomes_atoms_and_servers_and_layouts_rank():
    world = _integrated_world()
    q = county_queue(world, "Pujiang", reported_share=0.5)
    assert len(q.townships) == 15
    per_day = sum(t.rate_per_day for t in world.scenario.incident_types.values())
    assert q.arrivals_per_hour.sum() == pytest.approx(
        per_day * world.township_weight[list(q.townships)].sum() / 48
    )
    assert len(county_posts(world, "Pujiang")) == 3
    spread = ["Puyang", "Huangzhai", "Tanxi"]
    huddled = ["Puyang", "Puyang", "Puyang"]
    ranked = rank_layouts(world, "Pujiang", [huddled, spread], 2.0, queue=q)
    assert [k for k, _ in ranked] == [1, 0]  # spreading the posts shortens the trips
    assert ranked[0][1] < ranked[1][1]


def test_the_simulation_agrees_with_the_hypercube_where_its_assumptions_hold():
    """Short run of the stated case (the full one, and the departures, with --runslow)."""
    case = replace(hypercube_des.cases()[0], measure_days=30, replications=6)
    rows = hypercube_des.compare(case)
    failed = [r for r in rows if not r["passed"]]
    assert not failed, failed


@pytest.mark.slow
def test_long_runs_agree_where_the_hypercube_holds_and_depart_where_stated():
    for case in hypercube_des.cases():
        rows = hypercube_des.compare(case)
        if case.holds:
            assert all(r["passed"] for r in rows), [r for r in rows if not r["passed"]]
        else:  # each departure shows in some quantity
            assert not all(r["passed"] for r in rows), case.key


@pytest.mark.slow
def test_the_hypercube_ranks_pujiang_layouts_as_the_simulation_does():
    """Measured 0.96 on these ten layouts (docs/validation.md); a screen worth using."""
    import pandas as pd

    from sim.validation.hypercube_rank import candidate_layouts, ranking_agreement

    towns = list(pd.read_csv(EXAMPLES / "pujiang_townships.csv")["township"])
    layouts = candidate_layouts(towns, 3, 10, seed=18)
    agreement = ranking_agreement(example_raw(), EXAMPLES, "Pujiang", layouts, replications=10)
    assert agreement.spearman >= 0.8
