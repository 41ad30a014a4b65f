"""Deployment models as unit layouts.

Each model is a small object answering two questions about a unit: which
townships it covers and where its base is. Adding a model (the integrated team
of a later issue) means adding one class to ``DEPLOYMENT_MODELS``, not an ``if``
in the simulation.
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


class Stationed:
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


class Squadron:
    """划片: a squadron at the county bureau responsible for a zone of townships."""

    def coverage(self, name: str, unit: Unit, loaded: LoadedScenario) -> tuple[str, ...]:
        return _listed(name, unit)

    def base(self, name: str, unit: Unit, county: str, loaded: LoadedScenario) -> Base:
        _no_base_township(name, unit)
        return bureau(loaded, county)


class Central:
    """统筹: one pool at the bureau for the whole county (or the townships listed)."""

    def coverage(self, name: str, unit: Unit, loaded: LoadedScenario) -> tuple[str, ...]:
        if unit.townships:
            return tuple(unit.townships)
        if unit.county is None:
            raise ScenarioError(
                f"units.{name}.county", "a central unit with no townships needs its county"
            )
        return tuple(t.township for t in loaded.townships if t.county == unit.county)

    def base(self, name: str, unit: Unit, county: str, loaded: LoadedScenario) -> Base:
        _no_base_township(name, unit)
        return bureau(loaded, county)


DEPLOYMENT_MODELS: dict[str, DeploymentModel] = {
    "stationed": Stationed(),
    "squadron": Squadron(),
    "central": Central(),
}
