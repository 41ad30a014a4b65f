"""The suite has teeth: runs broken on purpose fail it.

The model is not touched. Each broken run is an ordinary scenario with one
mistake a model could make (a rate mis-scaled, a team of one where the law
needs two, the warm-up not dropped), judged against the intact case's theory
and tolerances; and the Little's-law checks are fed records corrupted the way
a bookkeeping bug would corrupt them.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from sim.model import simulate
from sim.validation.cases import broken_cases, default_cases
from sim.validation.checks import judge, measure
from sim.validation.report import build, validate

BROKEN = broken_cases()


@pytest.mark.parametrize(("why", "case"), BROKEN, ids=[c.key for _, c in BROKEN])
def test_a_broken_run_fails_the_check_of_its_intact_case(why, case):
    (verdicts,) = validate([case])
    assert not all(c.passed for c in verdicts), f"not caught: {why}"


def test_the_same_short_runs_unbroken_pass():
    """The broken runs fail because they are broken, not because they are short."""
    intact = [replace(case, patch={}) for _, case in BROKEN[:2]]
    for verdicts in validate(intact):
        assert all(c.passed for c in verdicts), [c.quantity for c in verdicts if not c.passed]


@pytest.fixture(scope="module")
def one_run():
    case = replace({c.key: c for c in default_cases()}["mm3-medium"], measure_days=40)
    world = build(case)
    rec = simulate(world, case.seed, 0)
    return case, rec, (world.scenario.warmup_hours, world.scenario.horizon_hours)


def test_little_queue_check_catches_arrivals_flagged_against_their_times(one_run):
    case, rec, window = one_run
    inc = rec.incidents.copy()
    inc["in_warmup"] = False  # flags that forget the warm-up the window leaves out
    checks = {c.metric: c for c in judge(case, [measure(inc, rec.officers, window)] * 2)}
    assert not checks["little_queue"].passed


def test_little_onsite_check_catches_officer_hours_booked_twice(one_run):
    case, rec, window = one_run
    off = rec.officers.copy()
    off.loc[0, "onsite_hours"] *= 2  # one officer's site time counted twice
    checks = {c.metric: c for c in judge(case, [measure(rec.incidents, off, window)] * 2)}
    assert not checks["little_onsite"].passed
