"""Compare and sweep files: how an experiment's variants are written down.

A compare file names a base scenario and variants that override it; a sweep
file names a base scenario and parameters over dotted paths, as a grid of
values or a Latin hypercube over ranges. Both are validated like scenarios:
unknown keys and bad values are one-line errors naming the file and the field.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from pathlib import Path
from typing import Annotated, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

from ..errors import ScenarioError
from ..scenario.files import read_yaml
from ..scenario.load import load_scenario, load_variant
from ..scenario.messages import from_validation_error
from ..scenario.schema import NAME_MAX, NAME_PATTERN
from .experiment import Variant
from .guards import check_points

NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


class _Plan(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class ComparePlan(_Plan):
    name: str | None = Field(
        None, pattern=NAME_PATTERN, description="Results folder name (default: the file's stem)."
    )
    base: str = Field(description="Base scenario, relative to this file.")
    seed: int | None = Field(None, ge=0)
    replications: int | None = Field(None, ge=1)
    variants: dict[str, dict[str, Any]] = Field(
        min_length=1, description="Named overrides of the base; `{}` is the base itself."
    )


class Lhs(_Plan):
    samples: int = Field(ge=1)
    seed: int = Field(0, ge=0)
    ranges: dict[str, tuple[StrictInt, StrictInt] | tuple[float, float]] = Field(
        min_length=1, description="Low and high of each parameter; whole numbers stay whole."
    )


class SweepPlan(_Plan):
    name: str | None = Field(None, pattern=NAME_PATTERN)
    base: str
    seed: int | None = Field(None, ge=0)
    replications: int | None = Field(None, ge=1)
    grid: dict[str, Annotated[list[Any], Field(min_length=1)]] | None = Field(
        None, description="Values of each dotted path (at least one); every combination is a point."
    )
    lhs: Lhs | None = Field(None, description="A Latin hypercube over ranges instead.")


def read_plan(path: Path, model: type[BaseModel]):
    """A plan file (compare, sweep, study, calibration) validated against ``model``; any
    error is one line naming the file and the field."""
    raw = None
    try:
        raw = read_yaml(path)
        return model.model_validate(raw)
    except ScenarioError as err:
        raise err.located(str(path)) from None
    except ValidationError as err:
        raise from_validation_error(err, raw, root=model).located(str(path)) from None


def is_compare_file(path: Path) -> bool:
    try:
        return "variants" in read_yaml(path)
    except ScenarioError:
        return False


def is_sweep_file(path: Path) -> bool:
    try:
        raw = read_yaml(path)
    except ScenarioError:
        return False
    return isinstance(raw, dict) and ("grid" in raw or "lhs" in raw) and "base" in raw


def compare_variants(path: Path, overrides: list[str]) -> tuple[ComparePlan, list[Variant]]:
    plan = read_plan(path, ComparePlan)
    base = path.parent / plan.base
    if not base.is_file():
        raise ScenarioError("base", f"no scenario file {plan.base!r}", str(path))
    out = []
    for name, over in plan.variants.items():
        _check_name(name, f"variants.{name}", path)
        loaded = load_variant(base, over, name, overrides, plan_file=path)
        out.append(Variant(name, loaded))
    return plan, out


def files_as_variants(paths: list[Path], overrides: list[str]) -> list[Variant]:
    variants = []
    for p in paths:
        loaded = load_scenario(p, overrides=overrides)
        name = loaded.scenario.name
        if name in {v.name for v in variants}:
            name = f"{name}-{len(variants) + 1}"
        variants.append(Variant(name, loaded))
    return variants


def sweep_variants(
    path: Path, overrides: list[str], force: bool = False
) -> tuple[SweepPlan, list[Variant]]:
    """A sweep file's points as variants; their number is checked (``force``) before any
    is made."""
    plan = read_plan(path, SweepPlan)
    if (plan.grid is None) == (plan.lhs is None):
        raise ScenarioError("grid", "give exactly one of `grid` or `lhs`", str(path))
    base = path.parent / plan.base
    if not base.is_file():
        raise ScenarioError("base", f"no scenario file {plan.base!r}", str(path))
    try:
        if plan.grid is not None:
            check_points(math.prod(len(v) for v in plan.grid.values()), "grid", force)
        else:
            check_points(plan.lhs.samples, "lhs.samples", force)  # type: ignore[union-attr]
    except ScenarioError as err:
        raise err.located(str(path)) from None
    points = _grid(plan.grid) if plan.grid is not None else _lhs(plan.lhs)  # type: ignore[arg-type]
    field = "grid" if plan.grid is not None else "lhs.ranges"
    return plan, point_variants(path, base, points, overrides, field)


def point_variants(
    path: Path, base: Path, points: list[dict[str, Any]], overrides: list[str], field: str
) -> list[Variant]:
    """Each point (dotted path -> value) as a variant ``p<k>`` of the ``base`` scenario; a
    bad value is one line naming the plan file and ``field.<path>`` (sweeps, frontiers)."""
    variants = []
    width = len(str(len(points) - 1))
    for k, params in enumerate(points):
        sets = [f"{p}={json.dumps(v)}" for p, v in params.items()]
        try:
            loaded = load_scenario(base, overrides=[*overrides, *sets], name=f"p{k:0{width}d}")
        except ScenarioError as err:
            bad = next((p for p in params if err.path.startswith(p)), None)
            if bad is None:
                raise
            raise ScenarioError(
                f"{field}.{bad}",
                f"value {params[bad]!r}: {err.message.removesuffix(' (value from --set)')}",
                str(path),
            ) from None
        variants.append(Variant(f"p{k:0{width}d}", loaded, params))
    return variants


def grid_points(grid: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Every combination of the values of each dotted path (the first path varies slowest)."""
    return _grid(grid)


def _grid(grid: dict[str, list[Any]]) -> list[dict[str, Any]]:
    keys = list(grid)
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*grid.values())]


def _lhs(lhs: Lhs) -> list[dict[str, Any]]:
    keys = list(lhs.ranges)
    from scipy.stats import qmc  # a second to import: only for Latin hypercube plans

    unit = qmc.LatinHypercube(d=len(keys), seed=lhs.seed).random(lhs.samples)
    lows = np.array([lhs.ranges[k][0] for k in keys])
    highs = np.array([lhs.ranges[k][1] for k in keys])
    values = qmc.scale(unit, lows, highs) if np.all(highs > lows) else lows + unit * (highs - lows)
    ints = [all(isinstance(x, int) for x in lhs.ranges[k]) for k in keys]
    out = []
    for row in values:
        out.append({k: (round(float(x)) if is_int else float(x))
                    for k, x, is_int in zip(keys, row, ints, strict=True)})  # fmt: skip
    return out


def _check_name(name: str, where: str, path: Path) -> None:
    if len(name) > NAME_MAX or not re.fullmatch(NAME, name):
        rule = f"variant names may use letters, digits, '-', '_' and '.' (at most {NAME_MAX})"
        raise ScenarioError(where, rule, str(path))
