"""Deployment models as unit layouts.

Each model is a small object answering three questions about a unit: which
townships it covers, where its base is, and where its officers are posted.
Adding a model means adding one class to ``DEPLOYMENT_MODELS``, not an ``if``
in the simulation: the dispatcher only ever sees officers at points.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..errors import ScenarioError
from ..scenario.schema import LoadedScenario, Unit


@dataclass(frozen=True)
class Base:
    township: str | None
    lat_deg: float
    lon_deg: float


def bureau(loaded: LoadedScenario, county: str) -> Base:
    spec = loaded.scenario.counties[county]
    if spec.bureau_township is None:
        return Base(None, spec.bureau_lat_deg, spec.bureau_lon_deg)  # type: ignore[arg-type]
    return township_point(loaded, spec.bureau_township)


def township_point(loaded: LoadedScenario, name: str) -> Base:
    row = next(t for t in loaded.townships if t.township == name)
    return Base(name, row.lat_deg, row.lon_deg)


class DeploymentModel(Protocol):
    def coverage(self, name: str, unit: Unit, loaded: LoadedScenario) -> tuple[str, ...]: ...

    def base(self, name: str, unit: Unit, county: str, loaded: LoadedScenario) -> Base: ...

    def posts(
        self, name: str, unit: Unit, county: str, loaded: LoadedScenario
    ) -> list[tuple[Base, int]]: ...


class _SingleBase:
    """Every officer of the unit is posted at its base."""

    def posts(
        self, name: str, unit: Unit, county: str, loaded: LoadedScenario
    ) -> list[tuple[Base, int]]:
        _no_posts(name, unit)
        return [(self.base(name, unit, county, loaded), unit.officers)]  # type: ignore[attr-defined]


def _no_posts(name: str, unit: Unit) -> None:
    if unit.posts is not None:
        raise ScenarioError(
            f"units.{name}.posts",
            f"only integrated units post officers at several bases, not {unit.model}",
        )


def _listed(name: str, unit: Unit) -> tuple[str, ...]:
    if not unit.townships:
        raise ScenarioError(f"units.{name}.townships", f"a {unit.model} unit must list townships")
    return tuple(unit.townships)


def _no_base_township(name: str, unit: Unit) -> None:
    if unit.base_township is not None:
        raise ScenarioError(
            f"units.{name}.base_township",
            f"a {unit.model} unit is based at its county bureau; only stationed units "
            "take a base_township",
        )


class Stationed(_SingleBase):
    """派驻: an office inside one of the townships it covers."""

    def coverage(self, name: str, unit: Unit, loaded: LoadedScenario) -> tuple[str, ...]:
        return _listed(name, unit)

    def base(self, name: str, unit: Unit, county: str, loaded: LoadedScenario) -> Base:
        if unit.base_township is None:
            raise ScenarioError(f"units.{name}.base_township", "a stationed unit needs a base")
        if unit.base_township not in unit.townships:
            raise ScenarioError(
                f"units.{name}.base_township",
                f"{unit.base_township!r} is not among the unit's townships",
            )
        return township_point(loaded, unit.base_township)


class Squadron(_SingleBase):
    """划片: a squadron at the county bureau responsible for a zone of townships."""

    def coverage(self, name: str, unit: Unit, loaded: LoadedScenario) -> tuple[str, ...]:
        return _listed(name, unit)

    def base(self, name: str, unit: Unit, county: str, loaded: LoadedScenario) -> Base:
        _no_base_township(name, unit)
        return bureau(loaded, county)


def _whole_county(name: str, unit: Unit, loaded: LoadedScenario) -> tuple[str, ...]:
    if unit.townships:
        return tuple(unit.townships)
    if unit.county is None:
        raise ScenarioError(
            f"units.{name}.county", f"a {unit.model} unit with no townships needs its county"
        )
    return tuple(t.township for t in loaded.townships if t.county == unit.county)


class Central(_SingleBase):
    """统筹: one pool at the bureau for the whole county (or the townships listed)."""

    def coverage(self, name: str, unit: Unit, loaded: LoadedScenario) -> tuple[str, ...]:
        return _whole_county(name, unit, loaded)

    def base(self, name: str, unit: Unit, county: str, loaded: LoadedScenario) -> Base:
        _no_base_township(name, unit)
        return bureau(loaded, county)


class Integrated:
    """综合执法: one county-wide team under unified command, posted at several bases;
    the dispatcher sends the nearest free officers wherever they are."""

    def coverage(self, name: str, unit: Unit, loaded: LoadedScenario) -> tuple[str, ...]:
        return _whole_county(name, unit, loaded)

    def base(self, name: str, unit: Unit, county: str, loaded: LoadedScenario) -> Base:
        _no_base_township(name, unit)
        return bureau(loaded, county)

    def posts(
        self, name: str, unit: Unit, county: str, loaded: LoadedScenario
    ) -> list[tuple[Base, int]]:
        if unit.posts is None:
            return [(bureau(loaded, county), unit.officers)]
        county_towns = {t.township for t in loaded.townships if t.county == county}
        for town, n in unit.posts.items():
            if town not in county_towns:
                raise ScenarioError(
                    f"units.{name}.posts.{town}", f"not a township of the unit's county {county!r}"
                )
            if n < 1:
                raise ScenarioError(f"units.{name}.posts.{town}", "must post at least 1 officer")
        if sum(unit.posts.values()) != unit.officers:
            raise ScenarioError(
                f"units.{name}.posts",
                f"posts add up to {sum(unit.posts.values())} officers, the unit has "
                f"{unit.officers}",
            )
        return [(township_point(loaded, t), n) for t, n in unit.posts.items()]


DEPLOYMENT_MODELS: dict[str, DeploymentModel] = {
    "stationed": Stationed(),
    "squadron": Squadron(),
    "central": Central(),
    "integrated": Integrated(),
}
