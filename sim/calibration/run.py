"""``calibrate``: the calibration verb of the Python API, mirroring the command line."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import ScenarioError
from ..experiment.executors import Executor, make_executor
from ..experiment.experiment import Variant
from ..experiment.folder import results_folder
from ..experiment.guards import check_points
from ..experiment.manifest import build_manifest
from ..experiment.options import RunOptions, run_options
from ..scenario import load_scenario
from ..sensitivity.inputs import InputSpace
from . import matching
from .best import scenario_text
from .plan import CalibrationPlan, read_calibration
from .results import Calibration
from .runs import Setup, run_points, variants
from .statistics import parse_statistic


def calibrate(
    calibration_file: str | Path, options: RunOptions | None = None, **kwargs: Any
) -> Calibration:
    """Fit a calibration file's inputs to its published targets by history matching:
    waves of space-filling points, each run with replications on common random numbers,
    the implausible ones ruled out and the box refocused on the rest. Returns the points
    with their implausibilities, the fit at the best point and the calibrated scenario;
    with ``out`` the folder is written and a killed calibration resumes from its run
    store. ``seed`` and ``replications`` in the options override the file's."""
    started = time.perf_counter()
    options = run_options(options, **kwargs)
    path = Path(calibration_file)
    plan = read_calibration(path)
    setup = _setup(path, plan, options.overrides)
    base = setup.resolved
    seed = next(s for s in (options.seed, plan.seed, base["seed"]) if s is not None)
    reps = options.replications or plan.replications or base["replications"]
    options = options.defaults(seed, reps)
    m = plan.method
    try:
        check_points(m.points * m.waves, "method.points", options.force)
    except ScenarioError as err:
        raise err.located(str(path)) from None
    _check_ends(setup)
    space = setup.space
    with (
        results_folder(options.out, options.overwrite),
        make_executor(options.jobs, options.dask) as ex,
    ):
        w = _waves(setup, plan, options, ex)
        executor, facts = ex.name, w.facts
        table = pd.concat(w.tables, ignore_index=True)
        best_at = int(table["I_max"].to_numpy().argmin())
        table["best"] = np.arange(len(table)) == best_at
        per_rep = pd.concat(w.per_reps, ignore_index=True)
        per_rep = per_rep[["wave", *[c for c in per_rep.columns if c != "wave"]]]
        best = table.iloc[best_at]
        runs = per_rep[per_rep["point"] == best["point"]]
        more = m.fit_replications or 0
        if more > reps and not facts["failures"]:
            wider = replace(options, replications=more)
            runs, got = run_points(setup, [w.made[best["point"]]], ex, wider)
            _add(facts, got)
        fit = _fit(plan, runs)
        result = Calibration(
            calibration=table,
            calibration_by_replication=per_rep,
            fit=fit,
            ranges=pd.concat(w.ranges, ignore_index=True),
            plan=plan.model_dump(mode="json", exclude_none=True),
            scenario_text=scenario_text(setup, plan, best, table, fit, options.out),
            manifest=build_manifest(
                kind="calibration",
                calibration=str(path),
                base=str(setup.base.resolve()),
                method=m.name,
                inputs=space.names,
                targets=list(plan.targets),
                waves_run=int(table["wave"].max()),
                stopped=w.stop,
                points=len(table),
                accepted=int(table["accepted"].sum()),
                best_point=str(best["point"]),
                seed=int(seed),
                replications=int(reps),
                jobs=options.jobs,
                executor=executor,
                wall_time_s=round(time.perf_counter() - started, 3),
                **facts,
            ),
        )
        if options.out is not None:
            result.save(options.out)
    return result


@dataclass
class _Waves:
    """What the waves ran: per wave its points' table, runs and ranges; every point's
    variant by name; the run facts; why the waves stopped."""

    tables: list[pd.DataFrame] = field(default_factory=list)
    per_reps: list[pd.DataFrame] = field(default_factory=list)
    ranges: list[pd.DataFrame] = field(default_factory=list)
    made: dict[str, Variant] = field(default_factory=dict)
    facts: dict[str, Any] = field(
        default_factory=lambda: {"failures": [], "runs_reused": 0, "run_wall_s": 0.0}
    )
    stop: str = "all waves run"


def _waves(setup: Setup, plan: CalibrationPlan, options: RunOptions, ex: Executor) -> _Waves:
    """Run the waves: design (screened by the emulator from wave 2), run, score, refocus;
    stop early when runs fail or no point is accepted."""
    m, space, w = plan.method, setup.space, _Waves()
    low, high = np.zeros(space.dimension), np.ones(space.dimension)
    for wave in range(1, m.waves + 1):
        rng = np.random.default_rng([int(options.seed or 0), wave])
        unit, emulated = _wave_design(plan, w.tables, low, high, rng)
        values = space.values(unit)
        names = [f"w{wave}p{k:0{len(str(m.points - 1))}d}" for k in range(m.points)]
        points = variants(setup, names, values)
        w.made.update((v.name, v) for v in points)
        per_rep, got = run_points(setup, points, ex, options)
        _add(w.facts, got)
        table = _score(plan, per_rep, names, values, wave).assign(I_emulated=emulated)
        table[[f"u_{n}" for n in space.names]] = unit  # where the point is in the box
        w.tables.append(table)
        w.per_reps.append(per_rep.assign(wave=wave))
        w.ranges.append(_ranges(space, low, high, table, wave))
        accepted = table["accepted"].to_numpy()
        if w.facts["failures"]:
            w.stop = f"runs failed in wave {wave}"
            break
        if not accepted.any():
            w.stop = f"no point accepted in wave {wave}"
            break
        low, high = matching.refocus(unit[accepted], m.margin)
    return w


def _add(facts: dict[str, Any], got: dict[str, Any]) -> None:
    for key in ("failures", "runs_reused", "run_wall_s"):
        facts[key] += got[key]


def _wave_design(
    plan: CalibrationPlan, tables: list[pd.DataFrame], low: np.ndarray, high: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """A wave's points on the unit cube, and the emulator's maximum implausibility at each
    (NaN in wave 1, or without an emulator)."""
    m = plan.method
    if not tables or m.emulator == "none":
        return matching.design(m.design, low, high, m.points, rng), np.full(m.points, np.nan)
    cand = matching.design(m.design, low, high, m.points * m.candidates, rng)
    done = pd.concat(tables, ignore_index=True)
    unit_done = done[[c for c in done.columns if c.startswith("u_")]].to_numpy(dtype=float)
    worst = np.zeros(len(cand))
    for t, spec in plan.targets.items():
        imp = matching.emulated_implausibility(
            unit_done, done[t].to_numpy(dtype=float), spec.published, spec.obs_sd,
            spec.discrepancy_sd, cand,
        )  # fmt: skip
        if imp is None:  # too few points to fit: the box's design as it is
            return matching.design(m.design, low, high, m.points, rng), np.full(m.points, np.nan)
        worst = np.maximum(worst, imp)
    chosen = matching.screen(cand, worst, m.points, m.cutoff)
    return cand[chosen], worst[chosen]


def check_calibration(path: Path, overrides: list[str] | None = None, force: bool = False) -> int:
    """Check a calibration file without running it (``validate``): the plan, the targets'
    statistics and every input at both ends of its range; the number of points it runs."""
    path = Path(path)
    plan = read_calibration(path)
    setup = _setup(path, plan, tuple(overrides or ()))
    try:
        check_points(plan.method.points * plan.method.waves, "method.points", force)
    except ScenarioError as err:
        raise err.located(str(path)) from None
    _check_ends(setup)
    return plan.method.points * plan.method.waves


def _check_ends(setup: Setup) -> None:
    """Load the base with each input at the lowest and the highest value it can take (the
    others mid-range), so a range a field refuses is one line before any run."""
    d = setup.space.dimension
    unit = np.full((2 * d, d), 0.5)
    for k in range(d):
        unit[2 * k, k], unit[2 * k + 1, k] = 0.0, 1.0
    names = ["lowest", "highest"] * d
    variants(setup, names, setup.space.values(unit))


def _setup(path: Path, plan: CalibrationPlan, overrides: tuple[str, ...]) -> Setup:
    base = path.parent / plan.base
    if not base.is_file():
        raise ScenarioError("base", f"no scenario file {plan.base!r}", str(path))
    loaded = load_scenario(base, overrides=list(overrides))
    statistics = {
        name: parse_statistic(t.statistic, f"targets.{name}.statistic", loaded, path)
        for name, t in plan.targets.items()
    }
    resolved = loaded.scenario.model_dump(mode="json", by_alias=True)
    return Setup(path, base, tuple(overrides), InputSpace(plan.inputs), resolved, statistics)


def _score(
    plan: CalibrationPlan, per_rep: pd.DataFrame, names: list[str], values: list[dict],
    wave: int,
) -> pd.DataFrame:  # fmt: skip
    """One row per point: its inputs, each target's mean and implausibility, accepted."""
    out = pd.DataFrame({"wave": wave, "point": names})
    out = pd.concat([out, pd.DataFrame(values)], axis=1)
    worst = np.zeros(len(names))
    for t, spec in plan.targets.items():
        wide = per_rep.pivot(index="point", columns="replication", values=t).reindex(names)
        mean, var_of_mean, _ = matching.mean_and_var(wide.to_numpy(dtype=float))
        imp = matching.implausibility(
            mean, var_of_mean, spec.published, spec.obs_sd, spec.discrepancy_sd
        )
        out[t], out[f"I_{t}"] = mean, imp
        worst = np.maximum(worst, imp)
    out["I_max"] = worst
    out["accepted"] = worst <= plan.method.cutoff
    return out


def _ranges(space: InputSpace, low, high, table: pd.DataFrame, wave: int) -> pd.DataFrame:
    """Per input: the box this wave sampled (in the input's values) and what it accepted."""
    box_low, box_high = space.values(low)[0], space.values(high)[0]
    acc = table[table["accepted"]]
    rows = []
    for n in space.names:
        rows.append({"wave": wave, "input": n, "box_low": box_low[n], "box_high": box_high[n],
                     "points": len(table), "accepted": len(acc),
                     "accepted_low": acc[n].min() if len(acc) else np.nan,
                     "accepted_high": acc[n].max() if len(acc) else np.nan})  # fmt: skip
    return pd.DataFrame(rows)


def _fit(plan: CalibrationPlan, runs: pd.DataFrame) -> pd.DataFrame:
    """Per target at the best point: published, simulated mean with a t interval, and the
    implausibility over these runs."""
    rows = []
    for t, spec in plan.targets.items():
        y = runs[t].to_numpy(dtype=float)
        y = y[np.isfinite(y)]
        n, mean = len(y), float(np.mean(y)) if len(y) else np.nan
        mean_a, var_a, _ = matching.mean_and_var(y[None, :])
        imp = matching.implausibility(
            mean_a, var_a, spec.published, spec.obs_sd, spec.discrepancy_sd
        )
        half = (float(stats.t.ppf(0.975, n - 1) * np.std(y, ddof=1) / np.sqrt(n))
                if n > 1 else np.nan)  # fmt: skip
        band = spec.band or (spec.published - 2 * spec.obs_sd, spec.published + 2 * spec.obs_sd)
        rows.append({"target": t, "statistic": spec.statistic, "published": spec.published,
                     "band_low": band[0], "band_high": band[1], "obs_sd": spec.obs_sd,
                     "discrepancy_sd": spec.discrepancy_sd, "simulated": mean,
                     "ci95_low": mean - half, "ci95_high": mean + half,
                     "replications": n, "implausibility": float(imp[0]),
                     "in_band": bool(band[0] <= mean <= band[1]),
                     "source": spec.source})  # fmt: skip
    return pd.DataFrame(rows)
