"""``staff``: how many officers each county needs, and where a fixed total does most good.

The answer for a county is the smallest head count at which *every* target holds at the
pessimistic end of its 95% interval (the upper end; the lower end of a ``>=`` target),
all judged on the same runs and found per deployment model by bracketing and bisection
on common random numbers. The target that *binds* is the one that fails one officer
fewer. Within a county the layout generator decides where its officers sit (zones of the
model, spare officers to the busiest zones).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ScenarioError
from ..experiment.executors import make_executor
from ..experiment.folder import results_folder
from ..experiment.guards import checked_world
from ..experiment.manifest import build_manifest
from ..experiment.options import RunOptions, run_options
from ..experiment.runner import load
from ..registry import DEPLOYMENT_MODELS
from ..scenario import LoadedScenario
from ..scenario.schema import SEVERITIES
from .binding import binding, checks_at_answers
from .probes import (
    CONTEXT,
    Estimate,
    Probes,
    counties_independent,
    estimate,
    least_officers,
    scenario_head_counts,
)
from .results import Staffing
from .search import frontier, run_searches
from .target import Target
from .targets_file import DEFAULT_TARGETS, parse_targets, read_targets_file


def staff(
    scenario: str | Path | LoadedScenario,
    target: str | Sequence[str] | None = None,
    options: RunOptions | None = None,
    *,
    targets_file: str | Path | None = None,
    models: Sequence[str] | None = None,
    max_officers: int = 60,
    total: int | None = None,
    allocation: bool = True,
    **kwargs: Any,
) -> Staffing:
    """Fewest officers per county meeting every target (``target``: one or several, and
    those of ``targets_file``; neither: ``DEFAULT_TARGETS``) under each model (default: all
    four), then, unless ``allocation`` is off, the allocation of ``total`` officers (default: the
    scenario's own total in the searched counties) that makes the worst county best.
    How to run is ``options`` and/or its fields as keywords, as for ``sim.run``; the
    search runs a fixed number of replications, so it takes no ``precision``."""
    started = time.perf_counter()
    options = run_options(options, **kwargs)
    if options.precision is not None:
        raise ScenarioError("precision", "the staffing search runs a fixed number of replications")
    loaded = load(scenario, options)
    sc = loaded.scenario
    world = checked_world(loaded, options.force, size=False)
    names = {"severities": SEVERITIES, "types": tuple(sc.incident_types),
             "counties": world.county_names, "townships": world.township_names}  # fmt: skip
    given = [target] if isinstance(target, str) else list(target or ())
    targets = parse_targets(given, **names)
    if targets_file is not None:
        targets += parse_targets(read_targets_file(Path(targets_file)), targets_file, **names)
    if not targets:
        targets = parse_targets(DEFAULT_TARGETS, **names)
    tgt = targets[0]
    if allocation and tgt.lower_limit:
        raise ScenarioError(
            "--target",
            f"the allocation makes the worst county best on the first target, and "
            f"{tgt.text!r} is a lower limit: put an upper-limit target first, or use "
            "--no-allocation",
        )
    models = list(models or DEPLOYMENT_MODELS.names())
    for m in models:
        DEPLOYMENT_MODELS.lookup(m, "--model")
    least = least_officers(sc)
    if max_officers < least:
        raise ScenarioError(
            "--max-officers", f"{max_officers} is below the {least} a county needs to form a team"
        )
    counties = list(_searched(targets) or world.county_names)
    now = scenario_head_counts(world)
    base = {c: max(least, now[c]) for c in world.county_names}
    independent = counties_independent(world)
    if total is None:
        total = sum(now[c] for c in counties)
    if allocation:
        _check_total(total, least, max_officers, len(counties), independent)
    options = options.defaults(sc.seed, sc.replications)
    held = results_folder(options.out, options.overwrite)  # its runs; save() writes whole files
    with held, make_executor(options.jobs, options.dask) as ex:
        probes = Probes(
            loaded, targets, counties, ex=ex, options=options, base=base, independent=independent
        )
        families = {
            (m, c): ranges
            for m in models
            for c, ranges in probes.families(m, least, max_officers).items()
        }
        searches = run_searches(probes, families, lambda e: e.met)
        steps = []
        if allocation and not probes.failures:
            for m in models:
                steps.append(frontier(probes, m, total, families))
                if probes.failures:
                    break
    years = (sc.horizon_hours - sc.warmup_hours) / (24 * 365)
    table = _answers(probes, searches, models, counties, now, max_officers, years)
    result = Staffing(
        target=" and ".join(t.text for t in targets),
        label=tgt.label,
        limit=tgt.limit,
        table=table,
        targets=checks_at_answers(probes, table),
        totals=_totals(probes, table, models, counties),
        curves=_curves(probes, years),
        allocation=pd.concat(steps, ignore_index=True) if steps else pd.DataFrame(),
        manifest=build_manifest(
            kind="staff",
            variants=models,
            sources={"scenario": str(loaded.source) if loaded.source else None},
            seed=options.seed,
            replications=options.replications,
            executor=ex.name,
            jobs=options.jobs,
            wall_time_s=round(time.perf_counter() - started, 3),
            runs_reused=probes.reused,
            run_wall_s=None,
            simpy_events=None,
            failures=probes.failures,
        )
        | {
            "target": " and ".join(t.text for t in targets),
            "targets": [t.text for t in targets],
            "confidence": "upper end of a 95% bootstrap interval over replications "
            "(lower end for a >= target)",
            "counties": counties,
            "independent_counties": independent,
            "least_officers": least,
            "max_officers": max_officers,
            "allocation_total": total if allocation else None,
            "runs": probes.runs,
        },
        scenario=sc.model_dump(mode="json", by_alias=True),
    )
    if options.out is not None:
        result.save(options.out)
    return result


def _searched(targets: list[Target]) -> list[str] | None:
    """Counties named by ``county=`` filters (every target's, in order), or None: all."""
    named = [t.counties() for t in targets]
    if any(n is None for n in named):
        return None
    return list(dict.fromkeys(c for n in named for c in n or ()))


def _check_total(total: int, least: int, most: int, counties: int, independent: bool) -> None:
    if not independent:
        raise ScenarioError(
            "--total",
            "an allocation needs counties that lend no officers to each other; mutual aid "
            "crosses county lines here (enforcement.mutual_aid.max_km): use --no-allocation",
        )
    if not least * counties <= total <= most * counties:
        raise ScenarioError(
            "--total",
            f"{total} officers cannot be spread over {counties} counties with {least} to "
            f"{most} each (between {least * counties} and {most * counties})",
        )


def _answers(probes, searches, models, counties, now, most, years) -> pd.DataFrame:
    rows = []
    for m in models:
        for c in counties:
            b = searches[(m, c)]
            need = b.answer
            est = probes.estimates.get((m, c, need)) if need is not None else None
            below = probes.estimates.get((m, c, need - 1)) if need is not None else None
            at_most = probes.estimates.get((m, c, most))
            shown = est or at_most
            status = (
                "no incidents" if b.empty
                else "met" if need is not None
                else "failed" if probes.failures
                else f"not reachable up to {most}"
            )  # fmt: skip
            rows.append(
                {
                    "model": m,
                    "county": c,
                    "officers_now": now[c],
                    "officers_needed": need,
                    "status": status,
                    "binding": binding(probes, m, c, need),
                    "estimate": shown.value if shown else np.nan,
                    "ci95_low": shown.low if shown else np.nan,
                    "ci95_high": shown.high if shown else np.nan,
                    "one_fewer_ci95_high": below.high if below else np.nan,
                    "incidents_per_year": (shown.incidents_per_replication / years)
                    if shown
                    else np.nan,
                    **_context(shown),
                }
            )
    table = pd.DataFrame(rows)
    table["officers_needed"] = table["officers_needed"].astype("Int64")
    return table


def _totals(probes, table: pd.DataFrame, models, counties) -> pd.DataFrame:
    """Per model: the city total needed, and the city-wide indicator at that allocation."""
    rows = []
    for m in models:
        mine = table[table["model"] == m]
        reachable = bool((mine["status"] == "met").all())
        alloc = dict(zip(mine["county"], mine["officers_needed"], strict=True))
        value = low = high = np.nan
        if reachable:
            pooled = pd.concat(
                [probes.values[(m, c, int(n))] for c, n in alloc.items()], ignore_index=True
            )
            value, low, high = estimate(probes.target, pooled)
        rows.append(
            {
                "model": m,
                "officers_now": int(mine["officers_now"].sum()),
                "officers_needed": int(mine["officers_needed"].sum()) if reachable else None,
                "counties_met": int((mine["status"] == "met").sum()),
                "counties": len(counties),
                "city_estimate": value,
                "city_ci95_low": low,
                "city_ci95_high": high,
            }
        )
    out = pd.DataFrame(rows)
    out["officers_needed"] = out["officers_needed"].astype("Int64")
    return out


def _context(e: Estimate | None) -> dict[str, float]:
    """The county's other indicators at that head count (all reports, all officers)."""
    if e is None or not e.context:
        return dict.fromkeys(CONTEXT, np.nan)
    return dict(zip(CONTEXT, e.context, strict=True))


def _curves(probes: Probes, years: float) -> pd.DataFrame:
    rows = [
        {
            "model": m,
            "county": c,
            "officers": n,
            "estimate": e.value,
            "ci95_low": e.low,
            "ci95_high": e.high,
            "met": e.met,
            "incidents_per_year": e.incidents_per_replication / years,
            **_context(e),
        }
        for (m, c, n), e in probes.estimates.items()
    ]
    cols = ["model", "county", "officers", "estimate", "ci95_low", "ci95_high", "met",
            "incidents_per_year", *CONTEXT]  # fmt: skip
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(["model", "county", "officers"], ignore_index=True)
