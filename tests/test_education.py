"""Education (the article's proposal 4): fewer violations start after a ramp-up.

The programme thins the incident stream drawn as without it, so: with no programme (or a
factor of 1) the incidents are bit-identical; before its start nothing changes; after it,
the count of a listed type is Poisson with mean rate x the integral of the factor. A model
that ignored the programme fails the count test by about 30 standard deviations. Seeds are
fixed: the tests are deterministic, their bounds are 5 standard deviations.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import numpy as np
import pytest
from helpers import EXAMPLES, example_raw

from sim.errors import ScenarioError
from sim.model.arrivals import education_factor
from sim.model.incidents import Incidents, generate_incidents
from sim.model.streams import Streams
from sim.scenario.load import from_mapping
from sim.world import World, build_world

WEIGHT = 13.9  # total township weight of the example region
START = dt.date(2019, 3, 1)  # run day 60 (day 0 is 2018-12-31)
START_DAY, RAMP_DAYS, M = 60, 120, 0.5
FIELDS = ("start_h", "township", "type", "severity", "self_end_h", "onsite_h", "paperwork_h")


def busy(education: dict[str, Any] | None, profile: bool = False) -> dict[str, Any]:
    """The example with every type at 1 incident per day per unit weight."""
    raw = example_raw()
    for spec in raw["incident_types"].values():
        spec["rate_per_day"] = 1.0
    if profile:
        raw["incident_types"]["air_odour"]["arrival_profile"] = {"hour_of_day": [1] * 12 + [3] * 12}
    if education is not None:
        raw["education"] = education
    return raw


def programme(multiplier: float = M, ramp_days: float = RAMP_DAYS) -> dict[str, Any]:
    return {
        "start_date": START.isoformat(),
        "ramp_days": ramp_days,
        "rate_multiplier": {"noise": multiplier},
    }


def run(raw: dict[str, Any], seed: int = 11) -> tuple[World, Incidents]:
    world = build_world(from_mapping(copy.deepcopy(raw), base_dir=EXAMPLES))
    return world, generate_incidents(world, Streams(seed, 0))


def same(a: Incidents, b: Incidents, mask_a: Any = slice(None), mask_b: Any = slice(None)):
    for name in FIELDS:
        np.testing.assert_array_equal(getattr(a, name)[mask_a], getattr(b, name)[mask_b])


@pytest.fixture(scope="module")
def off() -> tuple[World, Incidents]:
    return run(busy(None))


@pytest.fixture(scope="module")
def on() -> tuple[World, Incidents]:
    return run(busy(programme()))


def noise(world: World, inc: Incidents) -> np.ndarray:
    return inc.type == list(world.scenario.incident_types).index("noise")


def test_a_factor_of_one_leaves_every_incident_bit_identical(off):
    _, inc = run(busy(programme(multiplier=1.0)))
    same(inc, off[1])


def test_without_a_profile_the_programme_thins_the_pooled_stream_and_keeps_the_rest(off, on):
    """Kept incidents are the off run's own (CRN); other types are untouched."""
    (world, base), (_, edu) = off, on
    keep = ~noise(world, base) | np.isin(base.start_h, edu.start_h)
    same(edu, base, mask_b=keep)
    same(edu, base, ~noise(world, edu), ~noise(world, base))


def test_before_the_start_nothing_changes(off, on):
    (_, base), (_, edu) = off, on
    before = START_DAY * 24.0
    same(edu, base, edu.start_h < before, base.start_h < before)
    assert (base.start_h < before).sum() > 1000


def test_the_count_falls_by_the_integral_of_the_factor(off, on):
    """Expected noise count: rate x weight x (days before + ramp x (1+m)/2 + days after x m)."""
    (world, base), (_, edu) = off, on
    horizon = world.scenario.horizon_days
    after = horizon - START_DAY - RAMP_DAYS
    expected = WEIGHT * (START_DAY + RAMP_DAYS * (1 + M) / 2 + after * M)
    seen = int(noise(world, edu).sum())
    assert abs(seen - expected) < 5 * np.sqrt(expected)
    without = WEIGHT * horizon  # what a model ignoring the programme would give
    assert without - expected > 25 * np.sqrt(expected)
    assert noise(world, base).sum() - seen > 25 * np.sqrt(expected)


def test_the_ramp_is_linear_then_flat(off, on):
    """Share of the off run's noise incidents kept, per third of the ramp and after it."""
    (world, base), (_, edu) = off, on
    t0, ramp = START_DAY * 24.0, RAMP_DAYS * 24.0
    edges = [t0, t0 + ramp / 3, t0 + 2 * ramp / 3, t0 + ramp, world.scenario.horizon_hours]
    for lo, hi in zip(edges, edges[1:], strict=False):
        n_off = ((base.start_h >= lo) & (base.start_h < hi) & noise(world, base)).sum()
        n_on = ((edu.start_h >= lo) & (edu.start_h < hi) & noise(world, edu)).sum()
        mid = min(((lo + hi) / 2 - t0) / ramp, 1.0) if hi <= t0 + ramp else 1.0
        p = 1 + (M - 1) * mid
        assert abs(n_on - p * n_off) < 5 * np.sqrt(n_off * p * (1 - p)) + 1


def test_the_factor_at_start_mid_ramp_and_after():
    world, _ = run(busy(programme(multiplier=0.2, ramp_days=10)))
    t = np.array([0.0, 60 * 24.0, 65 * 24.0, 70 * 24.0, 300 * 24.0])
    kind = np.full(len(t), list(world.scenario.incident_types).index("noise"))
    np.testing.assert_allclose(education_factor(world.scenario, t, kind), [1, 1, 0.6, 0.2, 0.2])
    np.testing.assert_allclose(education_factor(world.scenario, t, kind * 0), 1.0)
    step, _ = run(busy(programme(multiplier=0.2, ramp_days=0)))
    np.testing.assert_allclose(
        education_factor(step.scenario, t - 1e-9, kind), [1, 1, 0.2, 0.2, 0.2]
    )


def test_with_arrival_profiles_the_programme_thins_each_types_stream():
    (world, base), (_, edu) = run(busy(None, profile=True)), run(busy(programme(), profile=True))
    same(edu, base, ~noise(world, edu), ~noise(world, base))
    assert noise(world, edu).sum() < 0.8 * noise(world, base).sum()


def test_an_unknown_type_is_named_with_its_path():
    raw = busy({**programme(), "rate_multiplier": {"noize": 0.5}})
    with pytest.raises(ScenarioError) as err:
        from_mapping(raw, base_dir=EXAMPLES)
    assert err.value.path == "education.rate_multiplier.noize"
    assert "noise" in err.value.message
