"""Placement: where one county's officers should sit, at a given head count and model.

Why: DESIGN question 3 asks *where* officers should be posted, and the layout generator
only places them by geometry (zone medoids). ``place`` starts from the generator's
answer and searches locally (``place_moves``: move a base, move a border township to a
neighbouring unit, move a team of officers), screening every move with the hypercube
and simulating only the best ``top`` on common random numbers (the same seed and
replications for every layout, so incidents, handovers and call-out delays are the
same). A move is taken when the paired difference in the first target's statistic
improves with its 95% interval clear of zero (the best such move of a round); the
search stops when no screened move does. The result is compared, on the same runs,
with the generated layout and with the county's units as the scenario has them today.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import ScenarioError
from ..model import simulate
from ..registry import DEPLOYMENT_MODELS
from ..scenario import LoadedScenario, load_scenario
from ..scenario.schema import SEVERITIES, Scenario
from ..world import World, build_world, units_as_yaml
from .evaluate import targets_met
from .hypercube_world import county_queue
from .place_moves import Layout, moves, screen_h, unit_points
from .target import Target
from .targets_file import DEFAULT_TARGETS, parse_targets

# minimised when no --target is given; the limit only decides "met" (an assumption: a
# day for the average report), the staff command's default bundle is judged alongside
DEFAULT_PLACE_TARGETS: tuple[str, ...] = ("mean(response_h) <= 24", *DEFAULT_TARGETS)


@dataclass(frozen=True)
class Paired:
    """Candidate minus reference in the first target's statistic, per replication pooled:
    mean and 95% t interval (negative: the candidate is better)."""

    diff: float
    low: float
    high: float

    @property
    def better(self) -> bool:
        return self.high < 0


@dataclass
class Placement:
    """The answer: the chosen layout, where the search started, and what it gained."""

    county: str
    model: str
    officers: int
    target: str
    start: Layout
    chosen: Layout
    value_start: float
    value_chosen: float
    versus_generated: Paired
    today: Layout | None = None
    value_today: float | None = None
    versus_today: Paired | None = None
    steps: list[dict[str, Any]] = field(default_factory=list)
    checks: pd.DataFrame | None = None  # every target on the chosen layout
    simulated: int = 0  # layouts simulated
    seconds: float = 0.0
    # for the before/after map: each layout's scenario and mean response per township
    scenarios: dict[str, LoadedScenario] = field(default_factory=dict)
    township_h: dict[str, pd.Series] = field(default_factory=dict)


class _Runs:
    """Layouts simulated on common random numbers, each once (memoised)."""

    def __init__(self, loaded: LoadedScenario, county: str, seed: int, reps: int,
                 targets: list[Target]) -> None:  # fmt: skip
        self.loaded, self.county, self.seed, self.reps = loaded, county, seed, reps
        self.targets = targets
        raw = loaded.scenario.model_dump(mode="json", by_alias=True)
        county_of = {t.township: t.county for t in loaded.townships}
        units = {
            n: u
            for n, u in (raw.get("units") or {}).items()
            if u.get("county") != county and not any(county_of.get(t) == county
                                                      for t in u.get("townships") or ())
        }  # fmt: skip
        raw["units"] = units
        raw["counties"] = {c: dict(s) for c, s in raw["counties"].items()}
        raw["counties"][county]["deployment"] = None
        self.raw = raw
        self.memo: dict[str, tuple[np.ndarray, dict[str, pd.DataFrame]]] = {}

    def scenario(self, layout: Layout | None = None, deployment: dict | None = None):
        """The scenario with ``layout`` as the county's units (or its ``deployment``)."""
        raw = copy.deepcopy(self.raw)
        raw["units"].update(copy.deepcopy(layout or {}))
        if deployment is not None:
            raw["counties"][self.county]["deployment"] = deployment
        scenario = Scenario.model_validate(raw)
        return self.loaded.model_copy(update={"scenario": scenario})

    def world(self, layout: Layout | None = None, deployment: dict | None = None) -> World:
        return build_world(self.scenario(layout, deployment))

    def township_h(self, layout: Layout) -> pd.Series:
        """Mean response per township of the county (reports after the warm-up)."""
        inc = self.run(layout)[1]["incidents"]
        inc = inc[~inc["in_warmup"] & inc["reported_h"].notna() & (inc["county"] == self.county)]
        return (inc["arrived_h"] - inc["reported_h"]).groupby(inc["township"].astype(str)).mean()

    def stats(self, layout: Layout, world: World | None = None) -> np.ndarray:
        """The first target's statistic in the county, one value per replication."""
        return self.run(layout, world)[0]

    def run(self, layout: Layout, world: World | None = None):
        key = json.dumps(layout, sort_keys=True)
        if key not in self.memo:
            w = world or self.world(layout)
            recs = [simulate(w, self.seed, r) for r in range(self.reps)]
            names = ("incidents", "officers", "inspections", "grid")
            records = {k: pd.concat([getattr(x, k) for x in recs]) for k in names}
            sc = w.scenario
            values = self.targets[0].values_of(records, (sc.warmup_hours, sc.horizon_hours))
            mine = values[values["county"] == self.county].groupby("replication")["value"]
            t = self.targets[0]
            per = mine.mean() if t.stat == "mean" else mine.quantile(t.q)
            per = per.reindex(range(self.reps))
            self.memo[key] = (per.to_numpy(dtype=float), records)
        return self.memo[key]


def paired(candidate: np.ndarray, reference: np.ndarray, sign: float = 1.0) -> Paired:
    """Mean paired difference (``sign`` -1 for a target where higher is better, so that
    negative is always better) with a 95% t interval over replications."""
    d = sign * (np.asarray(candidate) - np.asarray(reference))
    d = d[np.isfinite(d)]
    if len(d) < 2:
        return Paired(float(np.mean(d)) if len(d) else np.nan, -np.inf, np.inf)
    half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    m = float(d.mean())
    return Paired(m, m - half, m + half)


def place(
    scenario: str | Path | LoadedScenario,
    county: str,
    officers: int,
    model: str,
    target: str | Sequence[str] | None = None,
    *,
    replications: int | None = None,
    seed: int | None = None,
    top: int = 3,
    max_moves: int = 30,
    overrides: Sequence[str] = (),
) -> Placement:
    """Choose ``county``'s bases, zones and posts for ``officers`` under ``model`` that
    minimise the first target's statistic (``target``: one or several; none:
    ``DEFAULT_PLACE_TARGETS``). ``top`` moves per round are simulated, at most
    ``max_moves`` are taken. Errors are ``ScenarioError`` (one line)."""
    started = time.perf_counter()
    loaded = scenario if isinstance(scenario, LoadedScenario) else load_scenario(
        Path(scenario), overrides=list(overrides))  # fmt: skip
    sc = loaded.scenario
    DEPLOYMENT_MODELS.lookup(model, "--model")
    if DEPLOYMENT_MODELS[model].zone_townships is None and model != "integrated":
        raise ScenarioError("--model", f"a {model} pool sits at the county bureau: nothing to "
                            "place (use integrated for one team at chosen posts)")  # fmt: skip
    if county not in sc.counties:
        raise ScenarioError("--county", f"no county {county!r} in the scenario "
                            f"(expected one of {', '.join(sc.counties)})")  # fmt: skip
    reps = replications or sc.replications
    if reps < 2:
        raise ScenarioError("--replications", "a paired interval needs at least 2 replications")
    if top < 1 or officers < 1:
        raise ScenarioError("--officers", "officers and moves screened must be at least 1")
    towns = tuple(t.township for t in loaded.townships)
    names = {"severities": SEVERITIES, "types": tuple(sc.incident_types),
             "counties": tuple(sc.counties), "townships": towns}  # fmt: skip
    given = [target] if isinstance(target, str) else list(target or ())
    targets = parse_targets(given or DEFAULT_PLACE_TARGETS, **names)
    if targets[0].lower_limit:
        raise ScenarioError("--target", f"placement minimises the first target, and "
                            f"{targets[0].text!r} is a lower limit: put an upper-limit "
                            "target first")  # fmt: skip
    sign = 1.0
    runs = _Runs(loaded, county, sc.seed if seed is None else seed, reps, targets)
    now = sc.counties[county].deployment
    bounds = {}
    if now is not None and now.model == model:  # the county's own zone bounds, if it has them
        bounds = {"zone_townships_min": now.zone_townships_min,
                  "zone_townships_max": now.zone_townships_max}  # fmt: skip
    try:
        w0 = runs.world(deployment={"model": model, "officers": officers, **bounds})
    except ValueError as err:
        raise ScenarioError("--officers", str(err)) from None
    start = {n: u for n, u in units_as_yaml(w0).items() if u["county"] == county}
    base = runs.stats(start, w0)
    # the screen: reported share and service time from the generated layout's runs
    inc = runs.run(start)[1]["incidents"]
    inc = inc[(~inc["in_warmup"]) & (inc["county"] == county)]
    share = float(inc["reported_h"].notna().mean()) if len(inc) else 1.0
    queue = county_queue(w0, county, reported_share=max(share, 1e-6))
    bureau = next((u.officer_homes[0] for u in w0.units
                   if u.county == county and u.officer_homes), -1)  # fmt: skip
    service_h = _service_h(w0, queue, start, bureau)
    team = sc.enforcement.team_size
    current, cur = start, base
    steps: list[dict[str, Any]] = []
    for round_ in range(max_moves):
        cands = list(moves(current, w0, team))
        scored = sorted(((screen_h(m.layout, w0, queue, bureau, service_h), k)
                         for k, m in enumerate(cands)))  # fmt: skip
        best = None
        for h, k in scored[:top]:
            try:
                values = runs.stats(cands[k].layout)
            except (ScenarioError, ValueError):
                continue  # a layout the world builder refuses is no candidate
            p = paired(values, cur, sign)
            steps.append({"round": round_ + 1, "move": cands[k].text, "screen_h": h,
                          "diff": p.diff, "ci95_low": p.low, "ci95_high": p.high,
                          "accepted": False})  # fmt: skip
            if p.better and (best is None or p.diff < best[0].diff):
                best = (p, k, len(steps) - 1, values)
        if best is None:
            break
        steps[best[2]]["accepted"] = True
        current, cur = cands[best[1]].layout, best[3]
    records = runs.run(current)[1]
    checks = targets_met(records, targets, (sc.warmup_hours, sc.horizon_hours), [county])
    out = Placement(county, model, officers, targets[0].text, start, current,
                    float(np.nanmean(base)), float(np.nanmean(cur)),
                    paired(cur, base, sign), steps=steps, checks=checks)  # fmt: skip
    today = _today(loaded, county)
    if today:
        t_values = runs.stats(today)
        out.today, out.value_today = today, float(np.nanmean(t_values))
        out.versus_today = paired(cur, t_values, sign)
    for which, layout in (("generated", start), ("chosen", current)):
        out.scenarios[which] = runs.scenario(layout)
        out.township_h[which] = runs.township_h(layout)
    out.simulated = len(runs.memo)
    out.seconds = time.perf_counter() - started
    return out


def _service_h(world: World, queue, layout: Layout, bureau: int) -> float:
    """The screen's mean service time: on-site plus paperwork, weighted by incident rates,
    plus a round trip to the rate-weighted mean nearest server of ``layout``."""
    types = world.scenario.incident_types.values()
    rate = np.array([t.rate_per_day for t in types])
    work = np.array([t.onsite_hours.mean + t.paperwork_hours.mean for t in types])
    points = sorted({p for u in layout.values() for p in unit_points(u, world, bureau)})
    km = world.road_km[np.ix_(points, list(queue.townships))].min(axis=0)
    trip_km = 2 * float(queue.arrivals_per_hour @ km) / max(queue.arrivals_per_hour.sum(), 1e-12)
    return float(rate @ work / rate.sum()) + trip_km / world.scenario.travel.speed_kmh


def _today(loaded: LoadedScenario, county: str) -> Layout | None:
    """The county's units as the scenario has them (hand-written or generated), if any."""
    try:
        world = build_world(loaded)
    except (ScenarioError, ValueError):
        return None
    mine = {n: u for n, u in units_as_yaml(world).items() if u["county"] == county}
    return mine or None
