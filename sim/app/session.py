"""The explorer's levers as a comparison: the starting scenario against the user's edits.

The page holds a starting scenario (bundled or uploaded, already validated) and the levers
it shows. ``write_plan`` turns them into files a researcher can rerun, in the session's
folder: the resolved starting scenario with its region CSV, the resolved edited scenario,
and a compare file of both with the starting scenario as the reference variant, so every
difference the page shows is "edited minus starting" on the same incidents. Only what the
user changed goes into the edited variant; counties not chosen stay as they were. Nothing
here imports Streamlit, so the logic is tested on its own.
"""

from __future__ import annotations

import copy
import shutil
import tempfile
import weakref
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ScenarioError
from ..examples import bundled
from ..experiment.folder import dump_yaml
from ..experiment.plans import compare_variants
from ..registry import DEPLOYMENT_MODELS, SHORTFALL_POLICIES
from ..scenario import LoadedScenario, load_scenario
from ..scenario.schema import Patrol, Rota

BUNDLED: dict[str, str] = {
    "Pujiang, three zoned squadrons (the model comparison's base)": (
        "examples/pujiang_squadrons.yaml"
    ),
    "Pujiang, offices stationed in townships": "examples/pujiang_stationed.yaml",
    "Pujiang, one central pool": "examples/pujiang_central.yaml",
    "Jinhua baseline, 9 counties (calibrated)": "jinhua/baseline.yaml",
}
"""Bundled starting scenarios, by the label the page shows (relative to ``sim.bundled``)."""

AS_IS = "as_is"
ROTAS: dict[str, tuple[str, dict[str, Any]]] = {
    "none": ("Office week, every officer on call off duty", {}),
    "weekend_team": (
        "A weekend duty team of two for the county",
        {"weekend_team": {"officers": 2, "per": "county"}},
    ),
    "night_on_call": (
        "A night on-call team of two for the county",
        {"night_on_call": {"officers": 2, "per": "county"}},
    ),
    "staggered_week": ("A seven-day staggered week", {"staggered_week": True}),
}
"""Duty rotas a county can be given (``duty.rota``); ``AS_IS`` keeps a rota none of these."""

ROTA_LABELS = {AS_IS: "As in the scenario", **{k: v[0] for k, v in ROTAS.items()}}
MODELS = tuple(DEPLOYMENT_MODELS.names())
SHORTFALLS = tuple(SHORTFALL_POLICIES.names())
REFERENCE, EDITED = "starting", "edited"  # the two variants' names
REGION = "townships.csv"  # the region CSV's name beside the written scenarios


@dataclass(frozen=True)
class CountyLevers:
    model: str
    officers: int
    rota: str


@dataclass(frozen=True)
class Levers:
    """What the page lets a user change; ``counties`` holds the chosen counties only."""

    shortfall: str
    sensor_coverage: float
    reward_multiplier: float
    fulltime_grid: bool
    counties: dict[str, CountyLevers] = field(default_factory=dict)
    replications: int = 10
    seed: int = 20190121


@dataclass(frozen=True)
class PlanFiles:
    compare: Path
    starting: Path
    edited: Path
    region: Path


class SessionFolder:
    """The session's temporary folder, removed when the session (this object) goes."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="enforcement-sim-app-"))
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.path, True)


def load_bundled(label: str) -> LoadedScenario:
    """A bundled starting scenario by its label on the page."""
    return load_scenario(bundled(BUNDLED[label]))


def hand_units(loaded: LoadedScenario, county: str) -> list[str]:
    """Hand-written units serving ``county`` (they win over its ``deployment``)."""
    county_of = {t.township: t.county for t in loaded.townships}
    return [
        name
        for name, u in loaded.scenario.units.items()
        if u.county == county or any(county_of.get(t) == county for t in u.townships)
    ]


def rota_name(rota: Rota) -> str:
    """The ``ROTAS`` key of a rota, or ``AS_IS`` for one the page does not offer."""
    for name, (_, spec) in ROTAS.items():
        if rota == Rota.model_validate(spec):
            return name
    return AS_IS


def starting_county(loaded: LoadedScenario, county: str) -> CountyLevers:
    """A county's levers as the starting scenario has them."""
    sc = loaded.scenario
    names = hand_units(loaded, county)
    if names:
        units = [sc.units[n] for n in names]
        model = Counter(u.model for u in units).most_common(1)[0][0]
        duty = units[0].duty or sc.duty
        return CountyLevers(model, sum(u.officers for u in units), rota_name(duty.rota))
    dep = sc.counties[county].deployment
    if dep is None:  # a county with no enforcement unit of its own
        return CountyLevers(MODELS[0], 0, rota_name(sc.duty.rota))
    return CountyLevers(dep.model, dep.officers, rota_name((dep.duty or sc.duty).rota))


def starting_levers(loaded: LoadedScenario, replications: int = 10) -> Levers:
    """The scenario-wide levers as the starting scenario has them (no county chosen)."""
    d = loaded.scenario.discovery
    return Levers(
        shortfall=loaded.scenario.enforcement.shortfall_policy,
        sensor_coverage=float(d.sensors.coverage_share),
        reward_multiplier=float(d.citizens.reward_multiplier),
        fulltime_grid=d.patrol.environmental_share >= 1.0,
        replications=replications,
        seed=loaded.scenario.seed,
    )


def _with_rota(duty: Any, rota: str) -> dict[str, Any]:
    return {**duty.model_dump(mode="json"), "rota": copy.deepcopy(ROTAS[rota][1])}


def _county_changes(loaded: LoadedScenario, levers: Levers) -> dict[str, Any]:
    """The edited variant's ``counties`` and ``units`` (each only if changed)."""
    sc = loaded.scenario
    units = {n: u.model_dump(mode="json", exclude_defaults=True) for n, u in sc.units.items()}
    counties: dict[str, Any] = {}
    units_changed = False
    for county, want in levers.counties.items():
        have = starting_county(loaded, county)
        new_rota = want.rota if want.rota not in (have.rota, AS_IS) else None
        moved = (want.model, want.officers) != (have.model, have.officers)
        names = hand_units(loaded, county)
        if names and not moved and new_rota:  # keep the hand-written units, change their rota
            for n in names:
                units[n]["duty"] = _with_rota(sc.units[n].duty or sc.duty, new_rota)
            units_changed = True
        elif moved or new_rota:
            for n in names:
                del units[n]
            units_changed = units_changed or bool(names)
            dep: dict[str, Any] = {"model": want.model, "officers": want.officers}
            if new_rota:
                start = sc.counties[county].deployment
                dep["duty"] = _with_rota((start.duty if start else None) or sc.duty, new_rota)
            counties[county] = {"deployment": dep}
    out: dict[str, Any] = {"counties": counties} if counties else {}
    return out | ({"units": units} if units_changed else {})


def edits(loaded: LoadedScenario, levers: Levers) -> dict[str, Any]:
    """The edited variant: only what differs from the starting scenario."""
    start = starting_levers(loaded)
    out = _county_changes(loaded, levers)
    discovery: dict[str, Any] = {}
    if levers.shortfall != start.shortfall:
        out["enforcement"] = {"shortfall_policy": levers.shortfall}
    if abs(levers.sensor_coverage - start.sensor_coverage) > 1e-9:
        discovery["sensors"] = {"coverage_share": levers.sensor_coverage}
    if abs(levers.reward_multiplier - start.reward_multiplier) > 1e-9:
        discovery["citizens"] = {"reward_multiplier": levers.reward_multiplier}
    if levers.fulltime_grid != start.fulltime_grid:
        share = 1.0 if levers.fulltime_grid else Patrol().environmental_share
        discovery["patrol"] = {"environmental_share": share}
    if discovery:
        out["discovery"] = discovery
    return out


def describe(loaded: LoadedScenario, levers: Levers) -> str:
    """One line naming the user's changes, for the edited variant's description."""
    start, parts = starting_levers(loaded), []
    for county, want in levers.counties.items():
        have = starting_county(loaded, county)
        if (want.model, want.officers) != (have.model, have.officers):
            parts.append(f"{county}: {want.officers} officers, {want.model}")
        if want.rota not in (have.rota, AS_IS):
            parts.append(f"{county}: {ROTA_LABELS[want.rota].lower()}")
    if levers.shortfall != start.shortfall:
        parts.append(f"shortfall policy {levers.shortfall}")
    if abs(levers.sensor_coverage - start.sensor_coverage) > 1e-9:
        parts.append(f"sensors in {levers.sensor_coverage:.0%} of townships")
    if abs(levers.reward_multiplier - start.reward_multiplier) > 1e-9:
        parts.append(f"reward multiplier {levers.reward_multiplier:g}")
    if levers.fulltime_grid != start.fulltime_grid:
        parts.append("full-time grid officers" if levers.fulltime_grid else "part-time grid")
    return "Edited: " + ("; ".join(parts) if parts else "no change from the starting scenario")


def _resolved(loaded: LoadedScenario, name: str, levers: Levers) -> dict[str, Any]:
    """A scenario as one self-contained file beside its region CSV (no ``extends``)."""
    out = loaded.scenario.model_dump(mode="json", by_alias=True)
    out.update(name=name, seed=levers.seed, replications=levers.replications)
    out["region"] = {**out["region"], "townships_csv": REGION}
    return out


def region_csv(loaded: LoadedScenario) -> Path:
    if loaded.source is None:
        raise ScenarioError("region.townships_csv", "the scenario has no file to read it beside")
    return loaded.source.parent / loaded.scenario.region.townships_csv


def write_plan(folder: Path, loaded: LoadedScenario, levers: Levers) -> PlanFiles:
    """The comparison as files in ``folder`` (created): validated like the CLI's ``compare``
    would, so a bad lever is the same one-line error (naming ``compare.yaml``)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = PlanFiles(
        folder / "compare.yaml", folder / "starting.yaml", folder / "edited.yaml", folder / REGION
    )
    files.region.write_bytes(region_csv(loaded).read_bytes())
    start = _resolved(loaded, REFERENCE, levers)
    start["description"] = f"The starting scenario ({loaded.scenario.name})"
    files.starting.write_text(dump_yaml(start), encoding="utf-8")
    plan = {
        "name": "explorer",
        "base": files.starting.name,
        "seed": levers.seed,
        "replications": levers.replications,
        "variants": {
            REFERENCE: {},
            EDITED: {"description": describe(loaded, levers), **edits(loaded, levers)},
        },
    }
    files.compare.write_text(dump_yaml(plan), encoding="utf-8")
    _, variants = compare_variants(files.compare, [])
    files.edited.write_text(dump_yaml(_resolved(variants[1].loaded, EDITED, levers)), "utf-8")
    return files
