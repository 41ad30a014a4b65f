"""A study's design as scenario variants: every sample point (x every compared variant).

Each point is the base (or each variant of a compare file) loaded with the point's
input values as ``--set`` overrides, so it is validated exactly as a scenario file is:
a value outside a field's bounds is one line naming the study file and the input.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ScenarioError
from ..experiment.experiment import Variant
from ..experiment.guards import check_points
from ..experiment.plans import compare_variants, is_compare_file
from ..scenario import load_scenario
from ..scenario.load import load_variant
from . import design
from .inputs import InputSpace
from .study import Output, StudyPlan, parse_outputs, read_study


@dataclass(frozen=True)
class Design:
    """Everything a study runs, made before any run."""

    file: Path
    plan: StudyPlan
    space: InputSpace
    outputs: list[Output]
    subjects: list[str]  # the base's variant names (one for a scenario)
    compared: bool
    unit: np.ndarray  # points x inputs, on the unit hypercube
    values: list[dict[str, Any]]  # each point's input values
    variants: list[Variant]  # point-major: point 0's subjects, then point 1's...
    seed: int
    replications: int
    decision: Output | None

    @property
    def point_names(self) -> list[str]:
        width = len(str(len(self.values) - 1))
        return [f"p{k:0{width}d}" for k in range(len(self.values))]


def make_design(
    path: Path,
    overrides: list[str] | None = None,
    force: bool = False,
    *,
    seed: int | None = None,
    replications: int | None = None,
    corners: bool = False,
) -> Design:
    """The study's design and its variants; ``seed`` and ``replications`` (the run
    options') override the study's, which override the base's. ``corners`` makes only
    two points, every input at its lowest and at its highest, for a quick check of the
    ranges (``validate``) without loading every point."""
    path, overrides = Path(path), list(overrides or [])
    plan = read_study(path)
    base = path.parent / plan.base
    if not base.is_file():
        raise ScenarioError("base", f"no scenario or compare file {plan.base!r}", str(path))
    space = InputSpace(plan.inputs)
    seed_option = seed
    compared = is_compare_file(base)
    over: dict[str, dict[str, Any]] = {}
    if compared:
        cplan, subjects_v = compare_variants(base, list(overrides))
        subjects_v = _chosen(subjects_v, plan.only_variants, path)
        over = dict(cplan.variants)
        scenario_file = base.parent / cplan.base
        seed = plan.seed if plan.seed is not None else cplan.seed
        reps = plan.replications or cplan.replications
    else:
        loaded = load_scenario(base, overrides=list(overrides))
        subjects_v = [Variant(loaded.scenario.name, loaded)]
        seed, reps = plan.seed, plan.replications
    first = subjects_v[0].loaded.scenario
    seed = next(s for s in (seed_option, seed, first.seed) if s is not None)
    reps = replications or reps or first.replications
    outputs = parse_outputs(plan.outputs, subjects_v[0].loaded, path)
    decision = _decision(plan, outputs, compared, path)
    n_points = design.points(plan.method, space.dimension, plan.samples, plan.levels)
    try:
        check_points(n_points * len(subjects_v), "samples", force)
    except ScenarioError as err:
        raise err.located(str(path)) from None
    if corners:
        unit = np.array([[0.0] * space.dimension, [1.0] * space.dimension])
    else:
        unit = design.sample(plan.method, space.names, plan.samples, plan.levels, seed)
    values = space.values(unit)
    resolved = {v.name: v.loaded.scenario.model_dump(mode="json", by_alias=True)
                for v in subjects_v}  # fmt: skip
    width = len(str(len(values) - 1))
    variants = []
    for k, vals in enumerate(values):
        point = f"p{k:0{width}d}"
        for v in subjects_v:
            try:
                sets = space.overrides(vals, resolved[v.name])
            except ScenarioError as err:
                raise err.located(str(path)) from None
            name = f"{v.name}@{point}" if compared else point
            try:
                if compared:
                    loaded = load_variant(
                        scenario_file, over[v.name], v.name, [*overrides, *sets], base
                    )
                else:
                    loaded = load_scenario(base, overrides=[*overrides, *sets], name=point)
            except ScenarioError as err:
                field = space.field_of(err.path)
                if field is None:
                    raise
                msg = err.message.removesuffix(" (value from --set)")
                shown = vals[field.removeprefix("inputs.")]
                raise ScenarioError(
                    field, f"{msg} (value {shown!r}, at point {point})", str(path)
                ) from None
            variants.append(Variant(name, loaded, {"point": point, "subject": v.name, **vals}))
    return Design(path, plan, space, outputs, [v.name for v in subjects_v], compared, unit,
                  values, variants, int(seed), int(reps), decision)  # fmt: skip


def check_study(path: Path, overrides: list[str], force: bool) -> str:
    """Check a study file short of running it: the design's size, the base, the outputs,
    and every variant with all inputs at their lowest and at their highest."""
    d = make_design(path, overrides, force, corners=True)
    plan = d.plan
    n = design.points(plan.method, d.space.dimension, plan.samples, plan.levels)
    return f"{n} points x {len(d.subjects)} variant(s)"


def _chosen(variants: list[Variant], names: list[str] | None, path: Path) -> list[Variant]:
    if names is None:
        return variants
    by = {v.name: v for v in variants}
    for k, name in enumerate(names):
        if name not in by:
            raise ScenarioError(f"only_variants.{k}", f"no variant {name!r} in the compare file "
                                f"(it has {', '.join(by)})", str(path))  # fmt: skip
    if len(set(names)) < len(names):
        raise ScenarioError("only_variants", "a variant is named twice", str(path))
    return [by[n] for n in names]


def _decision(plan: StudyPlan, outputs: list[Output], compared: bool, path: Path) -> Output | None:
    if not compared:
        if plan.only_variants is not None:
            raise ScenarioError("only_variants", "choosing variants needs a compare file as `base`",
                                str(path))  # fmt: skip
        if plan.decision is not None:
            raise ScenarioError("decision", "robust decisions need a compare file as `base`",
                                str(path))  # fmt: skip
        return None
    text = (plan.decision.indicator if plan.decision else None) or outputs[0].text
    chosen = next((o for o in outputs if o.text == text), None)
    if chosen is None:
        raise ScenarioError("decision.indicator", f"{text!r} is not one of the outputs",
                            str(path))  # fmt: skip
    if chosen.lower_is_better is None:
        raise ScenarioError("decision.indicator", f"{text!r} is neither better higher nor "
                            "lower (indicator catalogue); rank on another output",
                            str(path))  # fmt: skip
    return chosen
