"""The static world: townships, units and the distances between them.

Built once per scenario and shared by every replication. It holds plain arrays
so the SimPy model does table look-ups, never geometry, on its hot path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ScenarioError
from ..scenario.schema import LoadedScenario, Scenario
from .deployment import DEPLOYMENT_MODELS, Base
from .duty import DutyCalendar
from .geo import great_circle_km


@dataclass(frozen=True)
class UnitLayout:
    name: str
    model: str
    county: str
    base: Base
    officers: int
    townships: tuple[int, ...]
    calendar: DutyCalendar


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
    trip_km: np.ndarray  # [unit, township] one-way road km from the unit's base

    @property
    def n_townships(self) -> int:
        return len(self.township_names)


def build_world(loaded: LoadedScenario) -> World:
    """Resolve unit layouts and check that the enforcement side can work at all."""
    sc = loaded.scenario
    towns = loaded.townships
    names = tuple(t.township for t in towns)
    index = {n: i for i, n in enumerate(names)}
    county_names = tuple(sc.counties)
    county_index = {c: i for i, c in enumerate(county_names)}
    county_of = {t.township: t.county for t in towns}

    covered_by: dict[str, str] = {}
    units: list[UnitLayout] = []
    for uname, unit in sc.units.items():
        model = DEPLOYMENT_MODELS[unit.model]
        coverage = model.coverage(uname, unit, loaded)
        counties = {county_of[t] for t in coverage}
        if len(counties) > 1:
            raise ScenarioError(
                f"units.{uname}.townships",
                f"townships span several counties ({', '.join(sorted(counties))})",
            )
        county = counties.pop()
        if unit.county is not None and unit.county != county:
            raise ScenarioError(f"units.{uname}.county", f"the unit's townships are in {county!r}")
        for town in coverage:
            if town in covered_by:
                raise ScenarioError(
                    f"units.{uname}.townships",
                    f"township {town!r} is also covered by unit {covered_by[town]!r}",
                )
            covered_by[town] = uname
        if unit.officers < sc.enforcement.team_size and sc.enforcement.shortfall_policy == "wait":
            raise ScenarioError(
                f"units.{uname}.officers",
                f"{unit.officers} officer(s) can never form a legal team of "
                f"{sc.enforcement.team_size} under shortfall_policy 'wait'",
            )
        units.append(
            UnitLayout(
                name=uname,
                model=unit.model,
                county=county,
                base=model.base(uname, unit, county, loaded),
                officers=unit.officers,
                townships=tuple(index[t] for t in coverage),
                calendar=DutyCalendar.from_spec(unit.duty or sc.duty),
            )
        )
    uncovered = [n for n in names if n not in covered_by]
    if uncovered:
        more = f" (and {len(uncovered) - 1} more)" if len(uncovered) > 1 else ""
        raise ScenarioError("units", f"township {uncovered[0]!r} is covered by no unit{more}")

    lat = np.array([t.lat_deg for t in towns])
    lon = np.array([t.lon_deg for t in towns])
    base_lat = np.array([u.base.lat_deg for u in units])[:, None]
    base_lon = np.array([u.base.lon_deg for u in units])[:, None]
    road = great_circle_km(base_lat, base_lon, lat[None, :], lon[None, :])
    road *= sc.travel.circuity_factor
    trip_km = np.maximum(road, sc.travel.min_trip_km)
    unit_index = {u.name: i for i, u in enumerate(units)}
    return World(
        scenario=sc,
        township_names=names,
        township_county=np.array([county_index[t.county] for t in towns], dtype=np.int64),
        township_weight=np.array([t.weight for t in towns]),
        township_lat=lat,
        township_lon=lon,
        county_names=county_names,
        units=tuple(units),
        unit_of_township=np.array([unit_index[covered_by[n]] for n in names], dtype=np.int64),
        trip_km=trip_km,
    )
