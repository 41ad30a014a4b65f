"""The closed forms themselves, against values that need no formula to trust.

If these were wrong the whole suite would compare the model with the wrong
numbers, so each is pinned to a special case or a published table value.
"""

from __future__ import annotations

import math

import pytest

from sim.validation import theory


def test_erlang_c_with_one_server_is_the_utilisation():
    assert theory.erlang_c(0.7, 1.0, 1) == pytest.approx(0.7)


def test_erlang_c_with_two_servers_matches_the_closed_form():
    # M/M/2: P(wait) = 2 rho^2 / (1 + rho)
    rho = 0.8
    assert theory.erlang_c(1.6, 1.0, 2) == pytest.approx(2 * rho**2 / (1 + rho))


def test_erlang_c_matches_the_factorial_formula_where_it_is_safe():
    a, c = 2.7, 3
    tail = a**c / math.factorial(c) / (1 - a / c)
    direct = tail / (sum(a**k / math.factorial(k) for k in range(c)) + tail)
    assert theory.erlang_c(a, 1.0, c) == pytest.approx(direct)


def test_erlang_c_survives_many_servers():
    # 200 servers at rho 0.95: factorials overflow a float, the recursion does not
    p = theory.erlang_c(190.0, 1.0, 200)
    assert 0 < p < 1


def test_mm1_mean_wait_is_rho_over_mu_minus_lambda():
    v = theory.mmc(0.8, 1.0, 1)
    assert v.wait_h == pytest.approx(0.8 / 0.2)
    assert v.waiting == pytest.approx(0.8**2 / 0.2)


def test_pollaczek_khinchine_reduces_to_mm1_and_halves_for_md1():
    mm1 = theory.mmc(0.8, 1.0, 1)
    assert theory.pollaczek_khinchine(0.8, 1.0, 1.0).wait_h == pytest.approx(mm1.wait_h)
    assert theory.pollaczek_khinchine(0.8, 1.0, 0.0).wait_h == pytest.approx(mm1.wait_h / 2)


def test_pairs_of_an_odd_head_count_are_the_even_one_below():
    assert theory.pairs(1.6, 1.0, 5) == theory.pairs(1.6, 1.0, 4)
    assert theory.pairs(1.6, 1.0, 4).wait_h == pytest.approx(theory.mmc(1.6, 1.0, 2).wait_h)
    assert theory.pairs(1.6, 1.0, 4).busy_officers == pytest.approx(3.2)


def test_unstable_queues_are_refused():
    with pytest.raises(ValueError):
        theory.erlang_c(3.0, 1.0, 3)
    with pytest.raises(ValueError):
        theory.pollaczek_khinchine(1.0, 1.0, 0.0)
