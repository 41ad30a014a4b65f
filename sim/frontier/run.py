"""Run a frontier: every point of the lever grid, costed and judged against the targets.

The points are a sweep's (``sim.experiment.plans.point_variants``) run through the
experiments' ``Batch`` on common random numbers and the run store, so a restarted
frontier reruns nothing. A point *meets* the targets when every one holds at the
pessimistic end of its 95% interval, as ``staff`` judges a head count. A point is on the
*frontier* when no other point is at most as costly and at most as bad on the first
target's statistic, and better on one of them (the non-dominated set).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..experiment.executors import make_executor
from ..experiment.experiment import Batch
from ..experiment.folder import make_folder, results_folder, write_file
from ..experiment.manifest import build_manifest
from ..experiment.options import RunOptions, run_options
from ..staffing.probes import estimate
from ..staffing.target import Target
from .plan import read_frontier

RECORD_TABLES = ("incidents", "officers", "inspections", "grid")


@dataclass
class FrontierResult:
    """``points``: one row per point (its levers, ``annual_cost_yuan``, each target's
    ``t<k>_estimate``/``_ci95_low``/``_ci95_high``/``_met``, ``all_met``, ``on_frontier``,
    ``cheapest_meeting``); ``targets`` as written, in order."""

    points: pd.DataFrame
    targets: list[str]
    labels: list[str]
    levers: list[str]
    manifest: dict[str, Any]

    @property
    def frontier(self) -> pd.DataFrame:
        """The non-dominated points, cheapest first."""
        on = self.points[self.points["on_frontier"]]
        return on.sort_values("annual_cost_yuan", ignore_index=True)

    @property
    def cheapest(self) -> pd.Series | None:
        """The cheapest point meeting every target, or None."""
        hit = self.points[self.points["cheapest_meeting"]]
        return hit.iloc[0] if len(hit) else None

    def save(self, folder: str | Path) -> Path:
        folder = make_folder(Path(folder))
        write_file(folder / "points.csv", partial(self.points.to_csv, index=False))
        write_file(folder / "frontier.csv", partial(self.frontier.to_csv, index=False))
        meta = {**self.manifest, "targets": self.targets, "labels": self.labels,
                "levers": self.levers}  # fmt: skip
        write_file(folder / "manifest.json", json.dumps(meta, indent=2) + "\n")
        return folder


def evaluate(
    target: Target, records: dict[str, pd.DataFrame], window_hours: tuple[float, float]
) -> tuple[float, float, float, bool]:
    """One target at one point: estimate, 95% interval and whether it holds (at the
    pessimistic end, as ``staff`` judges). ``records`` are concatenated over replications.
    A single-target stand-in for the multi-target evaluation of ``sim.staffing``."""
    if hasattr(target, "values_of"):  # workload targets, where the staffing layer has them
        values = target.values_of(records, window_hours)
    else:
        values = target.values(records["incidents"], window_hours[1])
    if not len(values):
        return np.nan, np.nan, np.nan, False
    value, low, high = estimate(target, values[["replication", "value"]].reset_index(drop=True))
    bound = target.bound(low, high) if hasattr(target, "bound") else high
    return float(value), float(low), float(high), bool(target.met(bound))


def non_dominated(cost: np.ndarray, response: np.ndarray) -> np.ndarray:
    """True where no other point has cost and response both at most this one's and one of
    them lower (both minimised); a point without a response is never on the frontier."""
    cost, response = np.asarray(cost, dtype=float), np.asarray(response, dtype=float)
    ok = np.isfinite(cost) & np.isfinite(response)
    c, r = np.where(ok, cost, np.inf), np.where(ok, response, np.inf)
    no_worse = (c[:, None] <= c[None, :]) & (r[:, None] <= r[None, :])  # [j, i]: j vs i
    better = (c[:, None] < c[None, :]) | (r[:, None] < r[None, :])
    dominated = (no_worse & better & ok[:, None]).any(axis=0)
    return ok & ~dominated


def frontier(plan_file: str | Path, options: RunOptions | None = None, **kwargs: Any):
    """Run a frontier file (``enforcement-sim frontier``); with ``out``, write its folder."""
    started = time.perf_counter()
    options = run_options(options, **kwargs)
    path = Path(plan_file)
    plan, targets, variants = read_frontier(path, list(options.overrides), options.force)
    first = variants[0].loaded.scenario
    opt = options.defaults(
        plan.seed if plan.seed is not None else first.seed, plan.replications or first.replications
    )
    n = opt.replications
    assert n is not None
    window = (first.warmup_hours, first.horizon_hours)
    done: dict[tuple[str, int], dict[str, pd.DataFrame]] = {}
    with results_folder(opt.out, opt.overwrite), make_executor(opt.jobs, opt.dask) as ex:
        batch = Batch(variants, ex, opt, keep=(*RECORD_TABLES, "summary"))
        batch.run(n, done)
        rows = []
        for v in variants:
            runs = [done[(v.name, r)] for r in range(n) if (v.name, r) in done]
            rows.append(_row(v.name, v.params, runs, targets, window))
        points = _mark(pd.DataFrame(rows), targets)
        result = FrontierResult(
            points=points,
            targets=[t.text for t in targets],
            labels=[t.label for t in targets],
            levers=list(plan.levers),
            manifest=build_manifest(
                kind="frontier",
                variants=[v.name for v in variants],
                sources={"plan": str(path)},
                seed=opt.seed,
                replications=n,
                executor=ex.name,
                jobs=opt.jobs,
                wall_time_s=round(time.perf_counter() - started, 3),
                runs_reused=batch.reused,
                run_wall_s=None,
                simpy_events=None,
                failures=batch.failures,
            )
            | {"confidence": "pessimistic end of a 95% bootstrap interval over replications"},
        )
        if opt.out is not None:
            result.save(opt.out)
    return result


def _row(name, params, runs, targets, window) -> dict[str, Any]:
    row: dict[str, Any] = {"point": name, **params, "replications": len(runs)}
    if not runs:
        row["annual_cost_yuan"] = np.nan
        for k in range(len(targets)):
            row.update({f"t{k + 1}_estimate": np.nan, f"t{k + 1}_ci95_low": np.nan,
                        f"t{k + 1}_ci95_high": np.nan, f"t{k + 1}_met": False})  # fmt: skip
        return row
    summary = pd.concat([r["summary"] for r in runs])
    cost = summary.loc[summary["indicator"] == "annual_cost_yuan", "value"]
    row["annual_cost_yuan"] = float(cost.mean()) if len(cost) else np.nan
    records = {t: pd.concat([r[t] for r in runs], ignore_index=True) for t in RECORD_TABLES}
    for k, target in enumerate(targets, start=1):
        value, low, high, met = evaluate(target, records, window)
        row.update({f"t{k}_estimate": value, f"t{k}_ci95_low": low, f"t{k}_ci95_high": high,
                    f"t{k}_met": met})  # fmt: skip
    return row


def _mark(points: pd.DataFrame, targets: list[Target]) -> pd.DataFrame:
    """``all_met``, ``on_frontier`` (cost vs the first target) and ``cheapest_meeting``."""
    met = np.ones(len(points), dtype=bool)
    for k in range(1, len(targets) + 1):
        met &= points[f"t{k}_met"].to_numpy(dtype=bool)
    first = points["t1_estimate"].to_numpy(dtype=float)
    sign = -1.0 if getattr(targets[0], "lower_limit", False) else 1.0  # a >= target: maximise
    cost = points["annual_cost_yuan"].to_numpy(dtype=float)
    points = points.assign(all_met=met, on_frontier=non_dominated(cost, sign * first))
    cheapest = np.zeros(len(points), dtype=bool)
    if met.any():
        cheapest[int(np.argmin(np.where(met, cost, np.inf)))] = True
    return points.assign(cheapest_meeting=cheapest)
