"""The property run of ``test_properties`` on 1,000 generated scenarios instead of 60:
the same strategy and the same property, deeper (``--runslow``; several minutes)."""

from __future__ import annotations

import pytest
import test_properties as properties
from hypothesis import HealthCheck, given, settings

THOROUGH = 1000


@pytest.mark.slow
@settings(max_examples=THOROUGH, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(properties.scenarios())
def test_a_thousand_random_scenarios_run_pass_the_audit_and_repeat(case):
    properties.test_random_scenarios_run_pass_the_audit_and_repeat.hypothesis.inner_test(case)
