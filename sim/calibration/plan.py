"""The calibration file: a base scenario, the inputs to fit, the published targets, the method.

Validated like every other file: an unknown key or a bad value is one line naming the
file and the field path. The inputs are the sensitivity study's (``sim.sensitivity.inputs``:
dotted paths, ranges or distributions, groups of paths moving together, ``scale``), so a
doubtful input is written once whether it is screened or fitted.

A target's observation uncertainty is a ``band`` (read as a 95% interval: its half-width
is 2 standard deviations) or an ``sd``; ``discrepancy_sd`` is the model's own error
(what the model cannot reproduce at any input), 0 by default.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import ScenarioError
from ..experiment.plans import read_plan
from ..scenario.files import read_yaml
from ..scenario.schema import NAME_PATTERN
from ..sensitivity.inputs import UncertainInput

BAND_SDS = 2.0
"""A published band is read as a 95% interval: half its width is two standard deviations."""


class _Plan(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class TargetSpec(_Plan):
    """One published figure the model should reproduce."""

    statistic: str = Field(
        description="What is measured in each run: a yearly count such as `count(cases)` "
        "(attended incidents in the measured year) with optional filters, a headline "
        "indicator (`response_h_mean`) or a statistic in the staffing target grammar without "
        "its limit (see the table of target statistics)."
    )
    published: float = Field(description="The published value.")
    band: tuple[float, float] | None = Field(
        None, description="Low and high of the published value's range, read as a 95% interval."
    )
    sd: float | None = Field(None, gt=0, description="Observation standard deviation.")
    discrepancy_sd: float = Field(
        0.0, ge=0, description="Model discrepancy standard deviation (0: none assumed)."
    )
    source: str = Field(min_length=1, description="Where the published value comes from.")

    @model_validator(mode="after")
    def _uncertainty(self) -> TargetSpec:
        if (self.band is None) == (self.sd is None):
            raise ValueError("give exactly one of `band` or `sd` (the observation uncertainty)")
        if self.band is not None and not self.band[0] < self.published < self.band[1]:
            raise ValueError(
                f"band {list(self.band)} must have low < published ({self.published:g}) < high"
            )
        return self

    @property
    def obs_sd(self) -> float:
        if self.sd is not None:
            return self.sd
        low, high = self.band  # type: ignore[misc]
        return (high - low) / (2 * BAND_SDS)


class Method(_Plan):
    """History matching: waves of points, each cut by an implausibility threshold."""

    name: Literal["history_matching"] = Field(
        "history_matching", description="The method (history matching with waves)."
    )
    waves: int = Field(2, ge=1, le=5, description="Waves of points; each refocuses the box.")
    points: int = Field(
        20, ge=2, le=2000, description="Points per wave (Latin hypercube or Sobol' sequence)."
    )
    design: Literal["lhs", "sobol"] = Field(
        "lhs", description="How a wave's points fill its box: `lhs` or scrambled `sobol`."
    )
    cutoff: float = Field(3.0, gt=0, description="Implausibility above which a point is ruled out.")
    margin: float = Field(
        0.1,
        ge=0,
        le=1,
        description="The next wave's box: the accepted points' bounding box widened by this "
        "share of its width on each side.",
    )
    emulator: Literal["regression", "none"] = Field(
        "regression",
        description="From wave 2, screen many candidates in the box with a regression of each "
        "target on the inputs (linear or quadratic, fitted to every point run so far) and run "
        "a spread of those it does not rule out (`none`: run the box's design as it is).",
    )
    candidates: int = Field(
        50, ge=1, le=1000, description="Candidates screened per point a wave runs."
    )
    fit_replications: int | None = Field(
        None,
        ge=2,
        le=1000,
        description="Replications of the best point for the fit table (default: as every "
        "point's); the points' own are reused, so more only add runs at that one point.",
    )


class CalibrationPlan(_Plan):
    name: str | None = Field(
        None, pattern=NAME_PATTERN, description="Results folder name (default: the file's stem)."
    )
    description: str | None = Field(None, description="What is calibrated, and to what.")
    base: str = Field(description="Base scenario file, relative to this file.")
    seed: int | None = Field(
        None, ge=0, description="Root seed of the runs and the design (default: the base's)."
    )
    replications: int | None = Field(
        None, ge=1, description="Replications at every point (default: the base's)."
    )
    inputs: dict[str, UncertainInput] = Field(
        min_length=1, description="The inputs fitted (as in a sensitivity study), by name."
    )
    targets: dict[str, TargetSpec] = Field(
        min_length=1, description="The published figures to reproduce, by name."
    )
    method: Method = Field(default_factory=Method, description="History matching settings.")


def read_calibration(path: Path) -> CalibrationPlan:
    plan = read_plan(path, CalibrationPlan)
    for group, names in (("inputs", plan.inputs), ("targets", plan.targets)):
        for name in names:
            if not name or any(c.isspace() for c in name):
                raise ScenarioError(f"{group}.{name}", "names have no spaces", str(path))
    return plan


def is_calibration_file(path: Path) -> bool:
    """A calibration file names a base, inputs and targets."""
    try:
        raw = read_yaml(path)
    except ScenarioError:
        return False
    return isinstance(raw, dict) and {"base", "inputs", "targets"} <= raw.keys()
