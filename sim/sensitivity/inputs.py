"""Uncertain inputs: which scenario fields are doubtful, and over what values.

An input is one factor of a study: a dotted path (``discovery.sensors.detection_probability``),
or several paths that move together (every county's sensor coverage), given a range
(uniform; a range of whole numbers stays whole) or a distribution. ``scale`` makes the
factor a multiplier of each path's own value in the base scenario, so "incident rates
x0.7 to x1.3" is one factor over four incident types without rewriting their rates.

Samplers work on the unit hypercube; ``InputSpace.values`` turns a unit row into input
values (inverse CDF), and ``settings`` into the ``PATH=VALUE`` overrides a scenario
is loaded with. Shared by ``sensitivity`` and by calibration, which fits the same inputs.
"""

from __future__ import annotations

import json
import math
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, Strict, model_validator

from ..errors import ScenarioError

UNBOUNDED_TAIL = 0.005
"""A normal or lognormal input is sampled between its 0.5% and 99.5% quantiles: a
Morris grid puts points at the ends of the unit interval, where their quantile is
infinite."""


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Triangular(_Spec):
    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high or self.low == self.high:
            raise ValueError("needs low <= mode <= high and low < high")
        return self

    def quantile(self, u: np.ndarray) -> np.ndarray:
        lo, c, hi = self.low, self.mode, self.high
        f = (c - lo) / (hi - lo)
        left = lo + np.sqrt(u * (hi - lo) * (c - lo))
        right = hi - np.sqrt((1 - u) * (hi - lo) * (hi - c))
        return np.where(u < f, left, right)


class Normal(_Spec):
    dist: Literal["normal"]
    mean: float
    sd: float = Field(gt=0)
    low: float | None = Field(None, description="Truncated below here (optional).")
    high: float | None = Field(None, description="Truncated above here (optional).")

    def quantile(self, u: np.ndarray) -> np.ndarray:
        from scipy.special import ndtr, ndtri

        a = 0.0 if self.low is None else float(ndtr((self.low - self.mean) / self.sd))
        b = 1.0 if self.high is None else float(ndtr((self.high - self.mean) / self.sd))
        if b <= a:
            raise ScenarioError("dist", "low and high leave no probability")
        p = a + np.clip(u, UNBOUNDED_TAIL, 1 - UNBOUNDED_TAIL) * (b - a)
        return self.mean + self.sd * ndtri(p)


class LogNormal(_Spec):
    dist: Literal["lognormal"]
    mean: float = Field(gt=0)
    cv: float = Field(gt=0, le=10)

    def quantile(self, u: np.ndarray) -> np.ndarray:
        from scipy.special import ndtri

        sigma = math.sqrt(math.log1p(self.cv**2))
        mu = math.log(self.mean) - sigma**2 / 2
        return np.exp(mu + sigma * ndtri(np.clip(u, UNBOUNDED_TAIL, 1 - UNBOUNDED_TAIL)))


Whole = Annotated[int, Strict()]  # 1.0 is not whole: a range written [1.0, 3.0] is real
InputDist = Annotated[Triangular | Normal | LogNormal, Field(discriminator="dist")]


class UncertainInput(_Spec):
    """One factor: the field(s) it sets and the values it may take."""

    path: str | None = Field(
        None, description="Dotted path of the field (default: the input's own name)."
    )
    paths: list[str] | None = Field(
        None, min_length=1, description="Several dotted paths that move together (one factor)."
    )
    range: tuple[Whole, Whole] | tuple[float, float] | None = Field(
        None, description="Low and high, uniform between them; whole numbers stay whole."
    )
    dist: InputDist | None = Field(
        None, description="A distribution instead of a range: triangular, normal or lognormal."
    )
    scale: bool = Field(
        False, description="The value multiplies each path's value in the base scenario."
    )
    why: str | None = Field(None, description="Why this range (its source or its reasoning).")

    @model_validator(mode="after")
    def _one_of(self) -> UncertainInput:
        if self.path is not None and self.paths is not None:
            raise ValueError("give `path` or `paths`, not both")
        if (self.range is None) == (self.dist is None):
            raise ValueError("give exactly one of `range` or `dist`")
        if self.range is not None and not self.range[0] < self.range[1]:
            raise ValueError(f"range low {self.range[0]} must be below high {self.range[1]}")
        return self

    @property
    def whole(self) -> bool:
        return self.range is not None and all(isinstance(x, int) for x in self.range)

    def value(self, u: float) -> float | int:
        """The input's value at ``u`` in [0, 1] (its quantile)."""
        if self.range is None:
            return float(self.dist.quantile(np.array([u]))[0])  # type: ignore[union-attr]
        lo, hi = self.range
        if self.whole:  # every whole number equally likely, the ends included
            return int(min(hi, lo + math.floor(u * (hi - lo + 1))))
        return float(lo + u * (hi - lo))


class InputSpace:
    """The factors of a study, in order, with the paths each one sets."""

    def __init__(self, inputs: dict[str, UncertainInput]) -> None:
        self.inputs = inputs
        self.names = list(inputs)
        self.paths = {n: i.paths or [i.path or n] for n, i in inputs.items()}

    @property
    def dimension(self) -> int:
        return len(self.names)

    def values(self, unit: np.ndarray) -> list[dict[str, float | int]]:
        """One ``{input: value}`` per row of a unit-hypercube sample."""
        return [
            {n: self.inputs[n].value(float(u)) for n, u in zip(self.names, row, strict=True)}
            for row in np.atleast_2d(unit)
        ]

    def settings(self, values: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
        """``{path: value}`` for a point; a ``scale`` input multiplies the base's value
        (``base`` is the resolved base scenario; a whole number stays whole)."""
        out: dict[str, Any] = {}
        for name, value in values.items():
            for path in self.paths[name]:
                if self.inputs[name].scale:
                    own = base_value(base, path, f"inputs.{name}")
                    scaled = own * value
                    value_here = round(scaled) if isinstance(own, int) else float(scaled)
                    out[path] = value_here
                else:
                    out[path] = value
        return out

    def overrides(self, values: dict[str, Any], base: dict[str, Any]) -> list[str]:
        """A point as ``--set`` overrides."""
        return [f"{p}={json.dumps(v)}" for p, v in self.settings(values, base).items()]

    def field_of(self, path: str) -> str | None:
        """The study field (``inputs.<name>``) that sets ``path`` or a field under it."""
        for name, paths in self.paths.items():
            if any(path == p or path.startswith(p + ".") for p in paths):
                return f"inputs.{name}"
        return None


def base_value(resolved: dict[str, Any], path: str, field: str) -> int | float:
    """The number at a dotted path of a resolved scenario (list items by index)."""
    node: Any = resolved
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise ScenarioError(field, f"`scale` needs a value at {path!r} in the base scenario")
    if isinstance(node, bool) or not isinstance(node, int | float):
        raise ScenarioError(field, f"`scale` needs a number at {path!r}, found {node!r}")
    return node
