"""A frontier file: a base scenario, levers with the values to try, and the targets.

Validated like every plan (unknown keys and bad values are one-line errors naming the
file and the field); the targets are parsed against the base scenario's names before
anything runs, so a typo in a target costs a second, not a grid of runs.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

from ..errors import ScenarioError
from ..experiment.experiment import Variant
from ..experiment.guards import check_points
from ..experiment.plans import _Plan, grid_points, point_variants, read_plan
from ..scenario.files import read_yaml
from ..scenario.schema import NAME_PATTERN, SEVERITIES
from ..staffing.target import Target, parse_target
from ..world import build_world


class FrontierPlan(_Plan):
    name: str | None = Field(
        None, pattern=NAME_PATTERN, description="Results folder name (default: the file's stem)."
    )
    base: str = Field(description="Base scenario, relative to this file; it needs `costs`.")
    seed: int | None = Field(None, ge=0)
    replications: int | None = Field(None, ge=1)
    levers: dict[str, Annotated[list[Any], Field(min_length=1)]] = Field(
        min_length=1,
        description="Values of each lever, a dotted path of the scenario (e.g. "
        "`counties.Wuyi.deployment.officers`); every combination is a point.",
    )
    targets: list[str] = Field(
        min_length=1,
        description="Targets in the staffing grammar that must all hold; the first is the "
        "frontier's response axis.",
    )


def read_frontier(
    path: Path, overrides: list[str], force: bool = False
) -> tuple[FrontierPlan, list[Target], list[Variant]]:
    """The plan, its parsed targets and its points as variants (one-line errors)."""
    plan = read_plan(path, FrontierPlan)
    base = path.parent / plan.base
    if not base.is_file():
        raise ScenarioError("base", f"no scenario file {plan.base!r}", str(path))
    try:
        check_points(math.prod(len(v) for v in plan.levers.values()), "levers", force)
    except ScenarioError as err:
        raise err.located(str(path)) from None
    variants = point_variants(path, base, grid_points(plan.levers), overrides, "levers")
    first = variants[0].loaded
    if first.scenario.costs is None:
        raise ScenarioError("base", f"{plan.base!r} has no `costs` block to cost it by", str(path))
    world = build_world(first)
    targets = []
    for k, text in enumerate(plan.targets):
        try:
            targets.append(
                parse_target(
                    text,
                    severities=SEVERITIES,
                    types=tuple(first.scenario.incident_types),
                    counties=world.county_names,
                    townships=world.township_names,
                )
            )
        except ScenarioError as err:
            raise ScenarioError(f"targets.{k}", err.message, str(path)) from None
    return plan, targets, variants


def is_frontier_file(path: Path) -> bool:
    """A frontier file names levers and targets (a sweep names a grid, a study inputs)."""
    try:
        raw = read_yaml(path)
    except ScenarioError:
        return False
    return isinstance(raw, dict) and "levers" in raw and "targets" in raw


def check_frontier(path: Path, overrides: list[str], force: bool = False) -> int:
    """Read a frontier file as ``frontier`` would, short of running it: every point loaded,
    the base's costs and every target checked. Returns the number of points."""
    return len(read_frontier(path, overrides, force)[2])
