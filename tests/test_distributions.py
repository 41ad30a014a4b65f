"""Every distribution samples what it says, from the generator it is given."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

from sim.scenario.distributions import Distribution

DIST = TypeAdapter(Distribution)

CASES = [
    ({"dist": "fixed", "value": 2.5}, 2.5, 0.0),
    ({"dist": "exponential", "mean": 3.0}, 3.0, 3.0),
    ({"dist": "lognormal", "mean": 2.0, "cv": 0.5}, 2.0, 1.0),
    ({"dist": "gamma", "mean": 4.0, "cv": 0.25}, 4.0, 1.0),
    ({"dist": "uniform", "low": 1.0, "high": 3.0}, 2.0, 2 / np.sqrt(12)),
    ({"dist": "triangular", "low": 0.0, "mode": 1.0, "high": 2.0}, 1.0, np.sqrt(1 / 6)),
    ({"dist": "empirical", "values": [1.0, 5.0], "weights": [3, 1]}, 2.0, np.sqrt(3.0)),
]


@pytest.mark.parametrize(("spec", "mean", "sd"), CASES)
def test_sample_mean_and_sd(spec, mean, sd):
    d = DIST.validate_python(spec)
    x = d.sample(np.random.default_rng(1), 200_000)
    assert d.mean == pytest.approx(mean)
    assert x.mean() == pytest.approx(mean, abs=5 * sd / np.sqrt(len(x)) + 1e-12)
    assert x.std() == pytest.approx(sd, rel=0.02, abs=1e-12)
    assert (x >= 0).all()


@pytest.mark.parametrize(
    "spec",
    [
        {"dist": "exponential", "mean": -1},
        {"dist": "lognormal", "mean": 1},
        {"dist": "uniform", "low": 3, "high": 1},
        {"dist": "triangular", "low": 0, "mode": 3, "high": 2},
        {"dist": "empirical", "values": [1, 2], "weights": [1]},
        {"dist": "weibull", "mean": 1},
        {"dist": "fixed", "value": 1, "extra": 2},
        {"dist": "gamma", "mean": 1, "cv": 1e-200},  # shape 1/cv² divides by zero
        {"dist": "gamma", "mean": 1, "cv": 1e200},  # cv² overflows
        {"dist": "lognormal", "mean": 1, "cv": 0.009},
        {"dist": "lognormal", "mean": 1, "cv": 10.5},
        {"dist": "lognormal", "mean": 1e300, "cv": 1},  # draws overflow to inf
        {"dist": "fixed", "value": 1e308},
        {"dist": "empirical", "values": [1, 2], "weights": [1e308, 1e308]},  # sum is inf
        {"dist": "exponential", "mean": True},  # a boolean is never a number
        {"dist": "fixed", "value": "2"},  # nor is text
    ],
)
def test_bad_parameters_are_rejected(spec):
    with pytest.raises(ValidationError):
        DIST.validate_python(spec)


@pytest.mark.parametrize(
    "spec",
    [
        {"dist": "gamma", "mean": 1e6, "cv": 0.01},
        {"dist": "gamma", "mean": 1e6, "cv": 10},
        {"dist": "lognormal", "mean": 1e6, "cv": 10},
        {"dist": "lognormal", "mean": 1e-300, "cv": 0.01},
        {"dist": "exponential", "mean": 1e6},
        {"dist": "triangular", "low": 0, "mode": 1e6, "high": 1e6},
        {"dist": "empirical", "values": [0, 1e6], "weights": [1e300, 1e300]},
    ],
)
def test_whatever_validates_samples_finite_times(spec):
    """The bounds are the sampler's: at their extremes every draw is a finite time >= 0."""
    d = DIST.validate_python(spec)
    x = d.sample(np.random.default_rng(7), 100_000)
    assert np.isfinite(x).all() and (x >= 0).all()
    assert np.isfinite(d.mean)


def test_an_int_is_a_number():
    assert DIST.validate_python({"dist": "exponential", "mean": 2}).mean == 2.0
