"""The discovery side of the static world: grid capacity, sensor coverage.

Everything a discovery channel needs per township is reduced here, once, to a few
numbers: how often a patrol visits any one site (per working hour of the grid
officers), the chance a visit finds an active incident, which townships have
sensors. The model then draws each incident's discovery time in closed form.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
from pydantic import ValidationError

from ..errors import ScenarioError
from ..scenario.messages import from_validation_error
from ..scenario.schema import SEVERITIES, LoadedScenario, Patrol
from .duty import DutyCalendar


@dataclass(frozen=True)
class GridLayout:
    specs: tuple[Patrol, ...]  # the distinct patrol specs
    spec_of: np.ndarray  # per township: index into specs
    calendars: tuple[DutyCalendar, ...]  # distinct working calendars
    calendar_of: np.ndarray  # per township: index into calendars
    grids: np.ndarray
    grid_officers: np.ndarray
    station_staff: np.ndarray
    env_per_work_hour: np.ndarray  # environmental person-hours per working hour
    source_per_work_hour: np.ndarray  # of which on pollution-source inspection
    visit_rate: np.ndarray  # visits to one given site per working hour
    detection: np.ndarray  # chance a visit finds an active incident
    periodic: np.ndarray  # bool: periodic rather than random visits
    settle_share: np.ndarray  # [township, severity]
    sensor_covered: np.ndarray  # bool per township
    sensor_sees: np.ndarray  # bool per incident type

    def take(self, idx: np.ndarray) -> GridLayout:
        """The layout of some townships: a batch of counties keeps the region's layout
        (sensor coverage by share picks the heaviest townships of the whole region)."""
        per_town = {f.name: getattr(self, f.name)[idx] for f in fields(self)
                    if f.name not in ("specs", "calendars", "sensor_sees")}  # fmt: skip
        return replace(self, **per_town)

    def source_hours_per_grid_week(self) -> np.ndarray:
        """Grid strength: source-inspection hours per grid and week, per township."""
        weekly = np.array([self.calendars[c].weekly_duty_hours for c in self.calendar_of])
        return self.source_per_work_hour * weekly / self.grids


def build_grid(loaded: LoadedScenario) -> GridLayout:
    sc = loaded.scenario
    disc = sc.discovery
    _check_citizen_types(loaded)
    base = disc.patrol.model_dump(by_alias=True)
    by_county: dict[str, Patrol] = {}
    for county, spec in sc.counties.items():
        if spec.patrol is None:
            by_county[county] = disc.patrol
            continue
        try:
            by_county[county] = Patrol.model_validate({**base, **spec.patrol})
        except ValidationError as err:
            e = from_validation_error(err, {**base, **spec.patrol}, root=Patrol)
            raise ScenarioError(f"counties.{county}.patrol.{e.path}", e.message) from None
    specs = [by_county[t.county] for t in loaded.townships]
    distinct: list[Patrol] = []
    for spec in by_county.values():  # by identity: counties without an override share one
        if not any(spec is d for d in distinct):
            distinct.append(spec)
    position = {id(d): k for k, d in enumerate(distinct)}
    calendars: list[DutyCalendar] = []
    calendar_of = []
    of_spec: dict[int, DutyCalendar] = {}  # townships of a county share its spec: once each
    for s in specs:
        if id(s) not in of_spec:
            of_spec[id(s)] = DutyCalendar.from_spec(s.duty)
        cal = of_spec[id(s)]
        if cal not in calendars:
            calendars.append(cal)
        calendar_of.append(calendars.index(cal))

    grids = np.array([s.grids_per_township for s in specs], dtype=float)
    officers = grids * np.array([s.officers_per_grid for s in specs])
    station = np.array([s.station_staff_per_township for s in specs])
    env_share = np.array([s.environmental_share for s in specs])
    source_share = np.array([s.source_inspection_share for s in specs])
    station_share = np.array([s.station_source_share for s in specs])
    env = officers * env_share + station
    source = officers * env_share * source_share + station * station_share
    sites = grids * np.array([s.sites_per_grid for s in specs])
    visit_hours = np.array([s.visit_hours for s in specs])
    return GridLayout(
        specs=tuple(distinct),
        spec_of=np.array([position[id(s)] for s in specs], dtype=np.int64),
        calendars=tuple(calendars),
        calendar_of=np.array(calendar_of, dtype=np.int64),
        grids=grids,
        grid_officers=officers,
        station_staff=station,
        env_per_work_hour=env,
        source_per_work_hour=source,
        visit_rate=source / visit_hours / sites,
        detection=np.array([s.detection_probability for s in specs]),
        periodic=np.array([s.pattern == "periodic" for s in specs]),
        settle_share=np.array([[s.settle_share.get(v, 0.0) for v in SEVERITIES] for s in specs]),
        sensor_covered=_sensor_coverage(loaded),
        sensor_sees=_sensor_types(loaded),
    )


def _check_citizen_types(loaded: LoadedScenario) -> None:
    types = loaded.scenario.incident_types
    for name in loaded.scenario.discovery.citizens.type_multipliers:
        if name not in types:
            raise ScenarioError(
                f"discovery.citizens.type_multipliers.{name}", "unknown incident type"
            )


def _sensor_coverage(loaded: LoadedScenario) -> np.ndarray:
    sensors = loaded.scenario.discovery.sensors
    names = [t.township for t in loaded.townships]
    if sensors.townships is not None:
        for i, town in enumerate(sensors.townships):
            if town not in names:
                raise ScenarioError(
                    f"discovery.sensors.townships.{i}", f"unknown township {town!r}"
                )
        return np.array([n in set(sensors.townships) for n in names])
    weight = np.array([t.weight for t in loaded.townships])
    k = int(round(sensors.coverage_share * len(names)))
    order = np.argsort(-weight, kind="stable")
    covered = np.zeros(len(names), dtype=bool)
    covered[order[:k]] = True
    return covered


def _sensor_types(loaded: LoadedScenario) -> np.ndarray:
    sc = loaded.scenario
    seen = sc.discovery.sensors.types
    types = list(sc.incident_types)
    if seen is None:
        return np.ones(len(types), dtype=bool)
    for i, name in enumerate(seen):
        if name not in types:
            raise ScenarioError(f"discovery.sensors.types.{i}", f"unknown incident type {name!r}")
    return np.array([t in set(seen) for t in types])
