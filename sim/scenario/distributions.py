"""One way to write every random quantity in a scenario.

Every duration or delay in a scenario file is written the same way,
``{dist: lognormal, mean: 2.0, cv: 0.5}``, and validated into one of the small
classes below. Each knows its mean (so documentation and theory checks can use
it) and draws a vector of samples from a generator it is given, never from a
global one: the model decides which random stream feeds which quantity.

Lognormal and gamma are parameterised by mean and coefficient of variation
because those are the numbers a field study reports; the conversion to the
libraries' native parameters lives here and nowhere else.

Every parameter is bounded so that whatever validates can be sampled: times are
hours and at most ``MAX_HOURS``, and a cv lies in ``[MIN_CV, MAX_CV]`` (see
``_MeanCv``), so the sampler never divides by zero, never overflows and never
draws an infinite time.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, Strict, model_validator

MAX_HOURS = 1e6
"""Largest time any parameter may give (about 114 years): far beyond any horizon, and
small enough that even a rare draw from the widest lognormal stays finite."""
MIN_CV, MAX_CV = 0.01, 10.0

Number = Annotated[float, Strict()]  # ``true`` and ``"5"`` are not numbers; 5 is
NonNegative = Annotated[Number, Field(ge=0, le=MAX_HOURS)]
Positive = Annotated[Number, Field(gt=0, le=MAX_HOURS)]


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @property
    def mean(self) -> float:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError


class Fixed(_Dist):
    """Always the same value (deterministic service, a fixed delay, or zero)."""

    dist: Literal["fixed"]
    value: NonNegative

    @property
    def mean(self) -> float:
        return self.value

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.full(n, self.value, dtype=float)


class Exponential(_Dist):
    """Memoryless; the textbook case the validation suite checks against."""

    dist: Literal["exponential"]
    mean_: Positive = Field(alias="mean")

    @property
    def mean(self) -> float:
        return self.mean_

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.exponential(self.mean_, n)


class _MeanCv(_Dist):
    """Given by mean and coefficient of variation, the numbers a field study reports.

    The cv is bounded because the samplers need it to be: a gamma's shape is 1/cv², which
    is 0 (a division by zero) for a cv of 1e-200 and overflows for 1e200. Below 0.01 a
    time is as good as fixed (write ``fixed``); above 10 a lognormal's mean rests on
    draws too rare to appear in any run (σ > 2.1), so its simulated mean would not be
    the mean written.
    """

    dist: str
    mean_: Positive = Field(alias="mean")
    cv: Number = Field(ge=MIN_CV, le=MAX_CV)

    @property
    def mean(self) -> float:
        return self.mean_


class Lognormal(_MeanCv):
    """Right-skewed times given by mean and coefficient of variation."""

    dist: Literal["lognormal"]

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        sigma2 = math.log1p(self.cv**2)
        mu = math.log(self.mean_) - sigma2 / 2
        return rng.lognormal(mu, math.sqrt(sigma2), n)


class Gamma(_MeanCv):
    """Gamma given by mean and coefficient of variation (shape = 1/cv²)."""

    dist: Literal["gamma"]

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        shape = 1.0 / self.cv**2
        return rng.gamma(shape, self.mean_ / shape, n)


class Uniform(_Dist):
    dist: Literal["uniform"]
    low: NonNegative
    high: NonNegative

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError("high must be >= low")
        return self

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.uniform(self.low, self.high, n)


class Triangular(_Dist):
    dist: Literal["triangular"]
    low: NonNegative
    mode: NonNegative
    high: NonNegative

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not (self.low <= self.mode <= self.high) or self.low == self.high:
            raise ValueError("need low <= mode <= high and low < high")
        return self

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.triangular(self.low, self.mode, self.high, n)


class Empirical(_Dist):
    """Resample observed values, optionally weighted (e.g. from case files)."""

    dist: Literal["empirical"]
    values: list[NonNegative] = Field(min_length=1)
    weights: list[Annotated[Number, Field(ge=0)]] | None = None  # relative, not hours

    @model_validator(mode="after")
    def _weights(self) -> Empirical:
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError("weights must have one entry per value")
            with np.errstate(over="ignore"):  # as ``_p`` sums them; inf is refused below
                total = float(np.asarray(self.weights, dtype=float).sum())
            if total <= 0:
                raise ValueError("weights must not all be zero")
            if not math.isfinite(total):  # w / w.sum() would be all zero
                raise ValueError(f"weights must add up to a finite number (they add up to {total})")
        return self

    def _p(self) -> np.ndarray | None:
        if self.weights is None:
            return None
        w = np.asarray(self.weights, dtype=float)
        return w / w.sum()

    @property
    def mean(self) -> float:
        p = self._p()
        v = np.asarray(self.values, dtype=float)
        return float(v.mean() if p is None else v @ p)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.choice(np.asarray(self.values, dtype=float), size=n, p=self._p())


Distribution = Annotated[
    Fixed | Exponential | Lognormal | Gamma | Uniform | Triangular | Empirical,
    Field(discriminator="dist"),
]
"""Any of the shared distributions, chosen by the ``dist`` key."""

DIST_NAMES = ("fixed", "exponential", "lognormal", "gamma", "uniform", "triangular", "empirical")
