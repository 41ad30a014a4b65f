"""The model, simplified to textbook queues, against their exact values.

Every case of ``sim.validation.cases`` is run once per session (spread over the
machine's cores) and each of its checks is one test, so a failure names the
case and the quantity. Tolerances are derived from the run length, as the
docstring of ``sim.validation.checks`` explains. With ``--runslow`` the long
form runs too, as ``enforcement-sim validate-model --long`` does (twice the
replications, four times the window: every interval about 2.8 times tighter,
a few minutes). ``python -m sim.validation`` writes the same checks to
docs/validation.md.
"""

from __future__ import annotations

import pytest

from sim.validation.cases import cases
from sim.validation.checks import LITTLE, METRICS, Check
from sim.validation.report import odd_officer_check, validate

SUITE = cases()
CHECKS = [(c.key, m) for c in SUITE for m in (*METRICS, *LITTLE)]
IDS = [f"{k}-{m}" for k, m in CHECKS]


def _verdicts(long: bool) -> dict[tuple[str, str], Check]:
    return {(c.case, c.metric): c for rs in validate(cases(long=long)) for c in rs}


@pytest.fixture(scope="session")
def verdicts() -> dict[tuple[str, str], Check]:
    return _verdicts(long=False)


@pytest.fixture(scope="session")
def long_verdicts() -> dict[tuple[str, str], Check]:
    return _verdicts(long=True)


def _explain(c: Check) -> str:
    if c.kind == "little":
        return f"{c.case} {c.quantity}: L - lambda W = {c.value:.3g}, edge bound {c.high:.3g}"
    return (
        f"{c.case} {c.quantity}: exact {c.exact:.4g}, simulated {c.value:.4g} "
        f"[{c.low:.4g}, {c.high:.4g}] + allowance {c.allowance:.3g}"
    )


@pytest.mark.parametrize(("case", "metric"), CHECKS, ids=IDS)
def test_simplified_model_matches_queueing_theory(verdicts, case, metric):
    check = verdicts[(case, metric)]
    assert check.passed, _explain(check)


@pytest.mark.slow
@pytest.mark.parametrize(("case", "metric"), CHECKS, ids=IDS)
def test_long_runs_match_queueing_theory_within_tighter_intervals(long_verdicts, case, metric):
    check = long_verdicts[(case, metric)]
    assert check.passed, _explain(check)


def test_an_odd_officer_out_adds_no_capacity_path_by_path():
    by_key = {c.key: c for c in SUITE}
    check = odd_officer_check(by_key["pairs-4"], by_key["pairs-5"])
    assert check.passed, f"waits differ by up to {check.value:g} h"
