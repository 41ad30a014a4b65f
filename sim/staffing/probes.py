"""Probes: the whole city simulated with each county at a chosen head count.

A probe is a scenario variant: every searched county gets a layout generated
for one deployment model and its own head count (hand-written units of that
county are dropped), all on the same seed, so every probe sees the same
incidents (common random numbers). Runs go through the experiments' run store,
so a restarted search, or a second search with another target, reruns nothing.

Counties share no officers and no random numbers (incidents are drawn up front;
call-out delays and diverted work come from streams keyed by unit and officer),
so one run measures every county at once, each at its own head count. Mutual aid
across county lines breaks that: then each county is probed with the others at
the scenario's own head counts, one variant per county.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..experiment.experiment import Batch, Variant
from ..experiment.options import RunOptions
from ..registry import SHORTFALL_POLICIES
from ..scenario import LoadedScenario
from ..scenario.schema import Scenario
from ..stats.catalogue import STAFFING_CONTEXT as CONTEXT
from ..world import World
from ..world.layouts import zone_count
from .evaluate import check, estimate
from .target import Target

__all__ = ["CONTEXT", "Estimate", "Probes", "estimate"]


@dataclass(frozen=True)
class Estimate:
    """The first target's statistic for one county at one head count, pooled over
    replications, whether *every* target holds there (``met``), each target's own
    ``(value, low, high, met)`` in ``checks`` and the county's ``CONTEXT`` indicators."""

    value: float
    low: float
    high: float
    incidents_per_replication: float
    met: bool
    context: tuple[float, ...] = ()
    checks: tuple[tuple[float, float, float, bool], ...] = ()
    empty: bool = False  # no target had anything to measure

    @property
    def others_met(self) -> bool:
        """Every target but the first holds (the allocation bounds the first itself)."""
        return all(c[3] for c in self.checks[1:])

    def failing(self, targets: list[Target]) -> list[str]:
        """The targets that fail here, as written."""
        return [t.text for t, c in zip(targets, self.checks, strict=False) if not c[3]]


def scenario_head_counts(world: World) -> dict[str, int]:
    """Officers per county in the scenario as written (hand-written and generated units)."""
    out = dict.fromkeys(world.county_names, 0)
    for unit in world.units:
        out[unit.county] += len(unit.officer_homes)
    return out


def least_officers(sc: Scenario) -> int:
    """The smallest county that can act at all, as its shortfall policy sees it."""
    policy = SHORTFALL_POLICIES[sc.enforcement.shortfall_policy]
    return policy.least_staff(sc.largest_team(), sc.enforcement.team_size)


def counties_independent(world: World) -> bool:
    """False when mutual aid could lend officers across a county line."""
    sc = world.scenario
    if not SHORTFALL_POLICIES[sc.enforcement.shortfall_policy].crosses_units:
        return True
    max_km = sc.enforcement.mutual_aid.max_km
    if max_km is None:
        return len(world.county_names) == 1
    n = len(world.township_names)
    county = world.township_county
    other = county[:, None] != county[None, :]
    return not bool(np.any(other & (world.road_km[:n, :n] <= max_km)))


class Probes:
    """Runs probes and keeps, per (model, county, officers), the first target's values and
    every target's verdict (``targets``: all must hold; the first is the one the
    allocation and the curves show)."""

    def __init__(
        self,
        loaded: LoadedScenario,
        target: Target | list[Target],
        counties: list[str],
        *,
        ex: Any,
        options: RunOptions,
        base: dict[str, int],
        independent: bool,
    ) -> None:
        """``options`` with the seed and replications filled in (``RunOptions.defaults``)."""
        assert options.replications is not None
        self.targets = list(target) if isinstance(target, list) else [target]
        self.loaded, self.target, self.counties = loaded, self.targets[0], counties
        self.ex, self.options, self.n = ex, options, options.replications
        self.base, self.independent = base, independent
        self.values: dict[tuple[str, str, int], pd.DataFrame] = {}
        self.estimates: dict[tuple[str, str, int], Estimate] = {}
        self.failures: list[dict[str, Any]] = []
        self.runs = 0
        self.reused = 0
        self._raw = loaded.scenario.model_dump(mode="json", by_alias=True)
        self._hand = _hand_units_by_county(loaded)

    def probe(self, requests: list[tuple[str, dict[str, int]]]) -> None:
        """Run each ``(model, {county: officers})`` and record what it measured."""
        if not requests:
            return
        variants = [
            Variant(f"{model}-{k}", self._variant(model, counts, f"{model}-{k}"))
            for k, (model, counts) in enumerate(requests)
        ]
        done: dict[tuple[str, int], dict[str, pd.DataFrame]] = {}
        batch = Batch(variants, self.ex, self.options)
        batch.run(self.n, done)
        self.runs += len(done) - batch.reused
        self.reused += batch.reused
        self.failures += batch.failures
        if batch.failures:
            return
        sc = self.loaded.scenario
        window = (sc.warmup_hours, sc.horizon_hours)
        workload = any(t.workload for t in self.targets)
        names = ("incidents", "officers", "inspections", "grid") if workload else ("incidents",)
        for v, (model, counts) in zip(variants, requests, strict=True):
            runs = [done[(v.name, r)] for r in range(self.n)]
            records = {
                k: pd.concat([run[k] for run in runs])
                for k in names
                if all(run.get(k) is not None for run in runs)
            }
            values = [t.values_of(records, window) for t in self.targets]
            summary = pd.concat([done[(v.name, r)]["summary"] for r in range(self.n)])
            summary = summary[(summary["scope"] == "county") & summary["indicator"].isin(CONTEXT)]
            context = summary.groupby(["group", "indicator"])["value"].mean()
            for county in self._measured(counts):
                key = (model, county, counts[county])
                if key in self.estimates:
                    continue
                mine = [
                    x[x["county"] == county][["replication", "value"]].reset_index(drop=True)
                    for x in values
                ]
                checks = [check(t, m) for t, m in zip(self.targets, mine, strict=True)]
                first = checks[0]
                empty = not any(c["measured"] for c in checks)
                self.values[key] = mine[0]
                extra = tuple(float(context.get((county, i), np.nan)) for i in CONTEXT)
                self.estimates[key] = Estimate(
                    first["value"], first["ci95_low"], first["ci95_high"],
                    len(mine[0]) / self.n,
                    not empty and all(c["met"] for c in checks),
                    extra,
                    tuple((c["value"], c["ci95_low"], c["ci95_high"], c["met"]) for c in checks),
                    empty,
                )  # fmt: skip

    def _measured(self, counts: dict[str, int]) -> list[str]:
        """Counties whose result here is the county's result at its head count."""
        mine = [c for c in counts if c in self.counties]
        if self.independent:
            return mine
        off_base = [c for c in mine if counts[c] != self.base[c]]
        return mine if not off_base else off_base if len(off_base) == 1 else []

    def deployment(self, county: str, model: str, officers: int) -> dict[str, Any]:
        """The county's ``deployment`` for a probe: its own zone bounds if it already uses
        this model, the model's defaults otherwise."""
        dep = self._raw["counties"][county].get("deployment") or {}
        same = dep.get("model") == model
        return {
            "model": model,
            "officers": int(officers),
            "zone_townships_min": dep.get("zone_townships_min") if same else None,
            "zone_townships_max": dep.get("zone_townships_max") if same else None,
        }

    def families(self, model: str, least: int, most: int) -> dict[str, list[tuple[int, int]]]:
        """Per county, head-count ranges sharing one layout (``zone_count``), ascending."""
        team = self.loaded.scenario.enforcement.team_size
        towns = Counter(t.county for t in self.loaded.townships)
        out = {}
        for county in self.counties:
            dep = self.deployment(county, model, least)
            ranges: list[tuple[int, int]] = []
            last = None
            for n in range(least, most + 1):
                k = zone_count(model, towns[county], n, team, dep["zone_townships_min"],
                               dep["zone_townships_max"])  # fmt: skip
                if k == last:
                    ranges[-1] = (ranges[-1][0], n)
                else:
                    ranges.append((n, n))
                last = k
            out[county] = ranges
        return out

    def _variant(self, model: str, counts: dict[str, int], name: str) -> LoadedScenario:
        raw = dict(self._raw, name=name)
        counties = {c: dict(spec) for c, spec in raw["counties"].items()}
        units = dict(raw.get("units") or {})
        for county, officers in counts.items():
            counties[county]["deployment"] = self.deployment(county, model, officers)
            for unit in self._hand.get(county, ()):
                units.pop(unit, None)
        raw["counties"], raw["units"] = counties, units
        scenario = Scenario.model_validate(raw)
        return self.loaded.model_copy(update={"scenario": scenario})


def _hand_units_by_county(loaded: LoadedScenario) -> dict[str, list[str]]:
    county_of = {t.township: t.county for t in loaded.townships}
    out: dict[str, list[str]] = {}
    for name, unit in loaded.scenario.units.items():
        counties = {county_of[t] for t in unit.townships if t in county_of}
        if unit.county is not None:
            counties.add(unit.county)
        for c in counties:
            out.setdefault(c, []).append(name)
    return out
