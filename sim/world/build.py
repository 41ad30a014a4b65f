"""The static world: townships, units, officers' posts and the distances between them.

Built once per scenario and shared by every replication. Every location — a
township, or a bureau that is not at a township point — is a *point*; officers
live at points, and one road-distance matrix over all points serves every
question the dispatcher asks, so the SimPy model does table look-ups, never
geometry, on its hot path.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..errors import ScenarioError
from ..registry import DEPLOYMENT_MODELS, SHORTFALL_POLICIES
from ..scenario.schema import SEVERITIES, Duty, LoadedScenario, Scenario, Unit
from .deployment import Base, bureau
from .duty import DutyCalendar
from .geo import great_circle_km
from .grid import GridLayout, build_grid
from .layouts import generate_units
from .rota import DutyRota, RotaUnit, build_rota, office_calendar
from .windows import WindowCalendar


@dataclass(frozen=True)
class UnitLayout:
    name: str
    model: str
    county: str
    base: Base
    base_point: int
    townships: tuple[int, ...]
    officer_homes: tuple[int, ...]  # the point each officer is posted at
    duty: Duty
    calendar: DutyCalendar | WindowCalendar  # when someone may serve the unit on duty
    # the unit's office hours (its duty calendar and holidays, without the rota): what a
    # report's time is classified by, so every rota variant splits the same reports alike
    office: DutyCalendar | WindowCalendar
    on_call: frozenset[int]  # severity indices that call officers out off duty
    diverted_share: float
    neighbours: tuple[int, ...]  # other units, nearest base first, for mutual aid
    independent: bool = False  # answers to no township: immune to township interference

    @property
    def officers(self) -> int:
        return len(self.officer_homes)


@dataclass(frozen=True)
class TownshipDemandLayout:
    """Each township's routine work (``enforcement.township_demand``), resolved: how much it
    generates and how likely a task is to reach the officers of the unit covering it."""

    hours_per_week: np.ndarray  # per township, weight and weak grid applied
    exposure: np.ndarray  # per township: its unit's deployment model's exposure


@dataclass(frozen=True)
class World:
    scenario: Scenario
    township_names: tuple[str, ...]
    township_county: np.ndarray  # int index into county_names
    township_weight: np.ndarray
    township_lat: np.ndarray
    township_lon: np.ndarray
    county_names: tuple[str, ...]
    units: tuple[UnitLayout, ...]
    unit_of_township: np.ndarray  # int index into units
    road_km: np.ndarray  # [point, point] one-way road km (townships are points 0..T-1)
    grid: GridLayout  # patrol capacity and sensor coverage per township
    rota: DutyRota | None = None  # each officer's duty; None: the default rota
    demand: TownshipDemandLayout | None = None  # township demand; None: the share model

    @property
    def n_townships(self) -> int:
        return len(self.township_names)


def build_world(
    loaded: LoadedScenario,
    counties: Collection[str] | None = None,
    region_grid: GridLayout | None = None,
) -> World:
    """Resolve unit layouts (hand-written or generated) and check that they can work.

    ``counties``: only these counties' townships and units (a batch of a partitioned
    run). County indices stay the region's; township indices are the batch's own (its
    rows of the region table, in order); the grid layout is the region's (``region_grid``
    when already built), cut down: sensors placed by share go to the region's heaviest."""
    sc = loaded.scenario
    county_of = {t.township: t.county for t in loaded.townships}
    specs = dict(sc.units)
    grid = None
    if counties is not None:
        keep = set(counties)
        mine = np.array([t.county in keep for t in loaded.townships])
        grid = (build_grid(loaded) if region_grid is None else region_grid).take(mine)
        specs = {n: u for n, u in specs.items() if _unit_counties(u, county_of) & keep}
        # every look-up below is within a county: the batch's rows are enough
        towns = tuple(t for t in loaded.townships if t.county in keep)
        loaded = loaded.model_copy(update={"townships": towns})
    towns = loaded.townships
    names = tuple(t.township for t in towns)
    specs.update(_generated_units(loaded, specs, counties))

    points: dict[tuple[float, float], int] = {}
    lat: list[float] = []
    lon: list[float] = []

    def point(base: Base) -> int:
        if base.township is not None:
            return index[base.township]
        key = (base.lat_deg, base.lon_deg)
        if key not in points:
            points[key] = len(names) + len(points)
            lat.append(base.lat_deg)
            lon.append(base.lon_deg)
        return points[key]

    index = {n: i for i, n in enumerate(names)}
    covered_by: dict[str, str] = {}
    drafts = []
    for uname, unit in specs.items():
        model = DEPLOYMENT_MODELS[unit.model]
        coverage = model.coverage(uname, unit, loaded)
        county = _one_county(uname, unit, coverage, county_of)
        for town in coverage:
            if town in covered_by:
                raise ScenarioError(
                    f"units.{uname}.townships",
                    f"township {town!r} is also covered by unit {covered_by[town]!r}",
                )
            covered_by[town] = uname
        _check_staff(uname, unit, sc)
        base = model.base(uname, unit, county, loaded)
        homes = [point(b) for b, n in model.posts(uname, unit, county, loaded) for _ in range(n)]
        drafts.append((uname, unit, county, base, point(base), coverage, homes))
    uncovered = [n for n in names if n not in covered_by]
    if uncovered:
        more = f" (and {len(uncovered) - 1} more)" if len(uncovered) > 1 else ""
        raise ScenarioError("units", f"township {uncovered[0]!r} is covered by no unit{more}")

    all_lat = np.array([t.lat_deg for t in towns] + lat)
    all_lon = np.array([t.lon_deg for t in towns] + lon)
    road = great_circle_km(all_lat[:, None], all_lon[:, None], all_lat[None, :], all_lon[None, :])
    road_km = np.maximum(road * sc.travel.circuity_factor, sc.travel.min_trip_km)
    base_points = np.array([d[4] for d in drafts])
    aid_km = sc.enforcement.mutual_aid.max_km
    if grid is None:
        grid = build_grid(loaded)
    strength = grid.source_hours_per_grid_week()
    shift = sc.enforcement.burden_shifting

    cache: dict = {}  # calendars of the same windows are one object
    rota = build_rota(
        sc,
        [
            RotaUnit(
                d[0],
                d[2],
                d[1].duty or sc.duty,
                len(d[6]),
                f"units.{d[0]}.duty" if d[1].duty else "duty",
            )
            for d in drafts
        ],  # fmt: skip
        cache,
    )
    units = []
    offices: dict[int, DutyCalendar | WindowCalendar] = {}  # most units share sc.duty
    for u, (uname, unit, county, base, base_point, coverage, homes) in enumerate(drafts):
        duty = unit.duty or sc.duty
        if id(duty) not in offices:  # a pure function of the duty: its windows once
            offices[id(duty)] = office_calendar(duty, sc, cache)
        office = offices[id(duty)]
        calendar = rota.service[u] if rota else office
        dist = road_km[base_point, base_points]
        order = [v for v in np.argsort(dist, kind="stable") if v != u]
        units.append(
            UnitLayout(
                name=uname,
                model=unit.model,
                county=county,
                base=base,
                base_point=base_point,
                townships=tuple(index[t] for t in coverage),
                officer_homes=tuple(homes),
                duty=duty,
                calendar=calendar,
                office=office,
                on_call=frozenset(SEVERITIES.index(s) for s in duty.on_call.severities),
                diverted_share=_diverted_share(
                    sc.enforcement.diverted_share
                    if unit.diverted_share is None
                    else unit.diverted_share,
                    shift,
                    strength[[index[t] for t in coverage]],
                ),  # fmt: skip
                neighbours=tuple(int(v) for v in order if aid_km is None or dist[v] <= aid_km),
                independent=unit.independent,
            )
        )
    unit_index = {u.name: i for i, u in enumerate(units)}
    region = _township_fields(sc, towns)
    return World(
        **region,
        units=tuple(units),
        unit_of_township=np.array([unit_index[covered_by[n]] for n in names], dtype=np.int64),
        road_km=road_km,
        grid=grid,
        rota=rota,
        demand=_township_demand(
            sc,
            region["township_weight"],
            strength[: len(names)],
            [units[unit_index[covered_by[n]]].model for n in names],
        ),
    )


def _diverted_share(base: float, shift, strength: np.ndarray) -> float:
    """Diverted share of a unit, raised where its townships' grids are weak."""
    if not shift.enabled:
        return base
    weak = float(_weakness(float(strength.mean()), shift.full_strength_hours_per_grid_week))
    return min(0.95, base + shift.max_extra_share * weak)


def _weakness(strength, full_strength: float):
    """How far a grid falls short of full strength: 0 (full) to 1 (does nothing). The one
    burden-shifting link, whether it raises a share of officers' time or a township's
    demand."""
    return np.maximum(0.0, 1.0 - np.asarray(strength, dtype=float) / full_strength)


def _township_demand(
    sc: Scenario, weight: np.ndarray, strength: np.ndarray, models: list[str]
) -> TownshipDemandLayout | None:
    """Township demand per township, or None when the scenario keeps the share model. The
    two models of diverted work never run together: the same work would be counted twice."""
    spec = sc.enforcement.township_demand
    if spec is None:
        return None
    shared = [f"units.{n}.diverted_share" for n, u in sc.units.items() if u.diverted_share]
    if sc.enforcement.diverted_share > 0:
        shared.insert(0, "enforcement.diverted_share")
    if sc.enforcement.burden_shifting.enabled:
        shared.append("enforcement.burden_shifting.enabled")
    if shared:
        raise ScenarioError(
            "enforcement.township_demand",
            f"replaces the share-of-time model, so {shared[0]} must be off (the weak-grid "
            "link is `weak_grid_factor` here)",
        )
    weak = _weakness(strength, spec.full_strength_hours_per_grid_week)
    exposure = [
        spec.exposure.get(m, DEPLOYMENT_MODELS[m].diverted_exposure) for m in models
    ]  # fmt: skip
    return TownshipDemandLayout(
        hours_per_week=spec.hours_per_week * weight * (1.0 + spec.weak_grid_factor * weak),
        exposure=np.array(exposure, dtype=float),
    )


def _one_county(uname: str, unit: Unit, coverage, county_of: dict[str, str]) -> str:
    counties = {county_of[t] for t in coverage}
    if not counties:
        raise ScenarioError(f"units.{uname}.townships", "the unit covers no township")
    if len(counties) > 1:
        raise ScenarioError(
            f"units.{uname}.townships",
            f"townships span several counties ({', '.join(sorted(counties))})",
        )
    county = counties.pop()
    if unit.county is not None and unit.county != county:
        raise ScenarioError(f"units.{uname}.county", f"the unit's townships are in {county!r}")
    return county


def _check_staff(uname: str, unit: Unit, sc: Scenario) -> None:
    """A unit must be able to send someone to the largest job: under `wait` that takes
    a whole team of its own; a policy that may go short or borrow needs fewer
    (``min_free``)."""
    policy = SHORTFALL_POLICIES[sc.enforcement.shortfall_policy]
    need = policy.min_free(sc.largest_team())
    if unit.officers < need:
        raise ScenarioError(
            f"units.{uname}.officers",
            f"{unit.officers} officer(s) can never form a legal team of {need} under "
            f"shortfall_policy {policy.name!r}",
        )


@lru_cache(maxsize=256)
def _cached_units(county: str, towns: tuple, bureau: tuple, model: str, officers: int, **kw):
    """Layouts are pure functions of their inputs and cost tens of milliseconds a county:
    variants and sweep points that share a county's layout compute it once."""
    return generate_units(county, list(towns), bureau, model, officers, **kw)


def region_world(loaded: LoadedScenario) -> World:
    """The whole region's townships and grid, without units or distances: what the draws
    made before a run need (``sim.model.upfront``), cheap even for the whole country."""
    towns = loaded.townships
    return World(
        **_township_fields(loaded.scenario, towns),
        units=(),
        unit_of_township=np.full(len(towns), -1, dtype=np.int64),
        road_km=np.zeros((0, 0)),
        grid=build_grid(loaded),
    )


def _township_fields(sc: Scenario, towns) -> dict:
    """A world's per-township fields, from the region table's rows; county indices are
    the scenario's (the same in a batch of counties as in the whole region)."""
    county_index = {c: i for i, c in enumerate(sc.counties)}
    return {
        "scenario": sc,
        "township_names": tuple(t.township for t in towns),
        "township_county": np.array([county_index[t.county] for t in towns], dtype=np.int64),
        "township_weight": np.array([t.weight for t in towns]),
        "township_lat": np.array([t.lat_deg for t in towns]),
        "township_lon": np.array([t.lon_deg for t in towns]),
        "county_names": tuple(sc.counties),
    }


def _unit_counties(unit: Unit, county_of: dict[str, str]) -> set[str]:
    return {county_of[t] for t in unit.townships if t in county_of} | (
        {unit.county} if unit.county is not None else set()
    )


def _generated_units(
    loaded: LoadedScenario, hand: dict[str, Unit], only: Collection[str] | None = None
) -> dict[str, Unit]:
    """Units for counties that give a `deployment` and have no hand-written unit (of the
    counties ``only``, when given)."""
    sc = loaded.scenario
    county_of = {t.township: t.county for t in loaded.townships}
    hand_counties = {county_of[t] for u in hand.values() for t in u.townships} | {
        u.county for u in hand.values() if u.county is not None
    }
    out: dict[str, Unit] = {}
    only = None if only is None else set(only)
    rows: dict[str, list] = {}
    for t in loaded.townships:
        rows.setdefault(t.county, []).append((t.township, t.lat_deg, t.lon_deg, t.weight))
    for county, spec in sc.counties.items():
        dep = spec.deployment
        if dep is None or county in hand_counties or (only is not None and county not in only):
            continue
        towns = rows.get(county, [])
        b = bureau(loaded, county)
        try:
            generated = _cached_units(
                county,
                tuple(towns),
                (b.lat_deg, b.lon_deg),
                dep.model,
                dep.officers,
                team_size=sc.enforcement.team_size,
                zone_min=dep.zone_townships_min,
                zone_max=dep.zone_townships_max,
            )
        except ValueError as err:
            raise ScenarioError(f"counties.{county}.deployment", str(err)) from None
        for name, raw in generated.items():
            if name in hand or name in out:
                raise ScenarioError(
                    f"counties.{county}.deployment", f"generated unit {name!r} clashes by name"
                )
            out[name] = Unit.model_validate(
                {**raw, "independent": dep.independent, "duty": dep.duty}
            )
    return out


def units_as_yaml(world: World) -> dict[str, dict]:
    """The resolved units in the scenario's own ``units:`` form, to copy and hand-edit."""
    out: dict[str, dict] = {}
    names = world.township_names
    for unit in world.units:
        spec: dict = {"model": unit.model, "county": unit.county, "officers": unit.officers}
        spec["townships"] = [names[t] for t in unit.townships]
        spec.update(DEPLOYMENT_MODELS[unit.model].unit_fields(unit, names))
        if unit.independent:
            spec["independent"] = True
        out[unit.name] = spec
    return out
