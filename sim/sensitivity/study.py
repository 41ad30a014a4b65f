"""The study file: a base, the uncertain inputs, the outputs, the design.

Validated like every other file: an unknown key or a bad value is one line naming the
file and the field path. Outputs are headline indicators (``response_h_mean``) or a
statistic in the staffing target grammar without its limit
(``p90(response_h | severity=major)``), checked against the base scenario's names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import ScenarioError
from ..experiment.plans import read_plan
from ..scenario import LoadedScenario
from ..scenario.files import read_yaml
from ..scenario.schema import NAME_PATTERN
from ..staffing.target import Target, parse_target
from ..staffing.workload import WORKLOADS
from ..stats.catalogue import HIGHER, LOWER, QUANTITIES, entry
from .inputs import UncertainInput

DEFAULT_OUTPUTS = ("response_h_mean",)


class _Plan(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Decision(_Plan):
    indicator: str | None = Field(
        None, description="Indicator the variants are ranked on (default: the first output)."
    )


class StudyPlan(_Plan):
    name: str | None = Field(
        None, pattern=NAME_PATTERN, description="Results folder name (default: the file's stem)."
    )
    description: str | None = Field(None, description="What the study asks.")
    base: str = Field(description="Base scenario or compare file, relative to this file.")
    method: Literal["morris", "sobol"] = Field(
        "morris", description="`morris` screening or `sobol` (Saltelli) variance indices."
    )
    samples: int = Field(
        ge=1,
        le=100_000,
        description="Morris trajectories, or Sobol' base samples (a power of two); points: "
        "samples x (inputs + 1) for morris, samples x (inputs + 2) for sobol.",
    )
    levels: int = Field(4, ge=2, le=100, description="Grid levels of a Morris design.")
    seed: int | None = Field(
        None, ge=0, description="Root seed of the runs and of the design (default: the base's)."
    )
    replications: int | None = Field(
        None, ge=1, description="Replications at every point (default: the base's)."
    )
    inputs: dict[str, UncertainInput] = Field(
        min_length=1, description="The uncertain inputs (factors), by name."
    )
    outputs: list[str] = Field(
        default_factory=lambda: list(DEFAULT_OUTPUTS),
        min_length=1,
        description="Indicators (docs/reference/indicators.md), or statistics of a "
        "per-incident quantity in the staffing target grammar without its limit, e.g. "
        "`p90(response_h)` or `mean(team_wait_h)`, filtered as targets are.",
    )
    only_variants: list[str] | None = Field(
        None,
        min_length=2,
        description="Only these variants of the compare file as base, in this order "
        "(default: all).",
    )
    decision: Decision | None = Field(
        None, description="Robust decisions (a compare file as base): the ranking indicator."
    )


@dataclass(frozen=True)
class Output:
    """An output column: an indicator (``target`` None) or a statistic of records."""

    text: str
    target: Target | None = None

    @property
    def lower_is_better(self) -> bool | None:
        if self.target is not None:
            return True  # every per-incident quantity is a time or a breach: less is better
        e = entry(self.text)
        return {LOWER: True, HIGHER: False}.get(e.better) if e else None


def read_study(path: Path) -> StudyPlan:
    plan = read_plan(path, StudyPlan)
    if plan.method == "sobol" and plan.samples & (plan.samples - 1):
        raise ScenarioError("samples", f"{plan.samples}: Sobol' samples must be a power of two "
                            "(e.g. 16, 32, 64)", str(path))  # fmt: skip
    for name in plan.inputs:
        if not name or any(c.isspace() for c in name):
            raise ScenarioError(f"inputs.{name}", "names have no spaces", str(path))
    return plan


def is_study_file(path: Path) -> bool:
    """A study file names a base, inputs and a design (``samples``); a calibration file,
    which names targets, is not one."""
    try:
        raw = read_yaml(path)
    except ScenarioError:
        return False
    return isinstance(raw, dict) and {"base", "inputs"} <= raw.keys() and "targets" not in raw


def parse_outputs(texts: list[str], loaded: LoadedScenario, file: Path) -> list[Output]:
    """Each output checked: an indicator of the catalogue, or a statistic of a quantity."""
    sc = loaded.scenario
    names = {
        "types": tuple(sc.incident_types),
        "counties": tuple(sorted({t.county for t in loaded.townships})),
        "townships": tuple(t.township for t in loaded.townships),
    }
    out = []
    for k, text in enumerate(texts):
        where = f"outputs.{k}"
        if "(" in text:
            after = text[text.rfind(")") + 1 :].strip()
            if after:
                raise ScenarioError(where, f"an output is a statistic without a limit: drop "
                                    f"{after!r}", str(file))  # fmt: skip
            if text[text.find("(") + 1 :].split("|")[0].split(")")[0].strip() in WORKLOADS:
                raise ScenarioError(where, "a workload quantity is a staffing target only; use "
                                    "its indicator (e.g. utilisation_mean)", str(file))  # fmt: skip
            try:
                target = parse_target(f"{text} <= 1", **names)
            except ScenarioError as err:
                msg = err.message
                if msg.startswith("cannot read"):
                    msg = (f"cannot read {text!r}: write STAT(QUANTITY | FILTER, ...), e.g. "
                           "'p90(response_h | severity=major)'")  # fmt: skip
                raise ScenarioError(where, msg, str(file)) from None
            out.append(Output(text.strip(), target))
            continue
        e = entry(text)
        if e is None or text in QUANTITIES:
            hint = " (a per-incident quantity: write a statistic, e.g. mean(...))"
            raise ScenarioError(
                where,
                f"unknown indicator {text!r}"
                + (hint if text in QUANTITIES else "; see docs/reference/indicators.md"),
                str(file),
            )
        out.append(Output(text))
    if len({o.text for o in out}) < len(out):
        raise ScenarioError("outputs", "an output is named twice", str(file))
    return out
