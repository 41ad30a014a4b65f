"""Deployment models: each one class that owns everything that differs between models.

A model knows its name, how reports and maps show it (label, marker), its default
zone size, how it turns a county's zones and head count into units (``layout``),
which townships a unit covers, where its base is and where its officers are posted,
and what a resolved unit writes back as YAML. It registers itself in
``sim.registry.DEPLOYMENT_MODELS``; the schema, the layout generator, the world
builder, the figures and the command line ask the registry and never compare a
model's name. The dispatcher only ever sees officers at points.

To add a model, subclass ``DeploymentModel`` (the defaults describe a squadron: a
unit per zone, at the county bureau), set the facts, override what differs and
decorate the class with ``@DEPLOYMENT_MODELS.register``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from ..errors import ScenarioError
from ..registry import DEPLOYMENT_MODELS
from ..scenario.schema import LoadedScenario, Unit
from .layouts import CountyMap, split_officers

if TYPE_CHECKING:
    from .build import UnitLayout


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


class DeploymentModel:
    """A deployment model. The defaults: units list their townships, are based at the
    county bureau and post every officer at the base."""

    name: ClassVar[str]  # as written in scenarios (`model: squadron`)
    label: ClassVar[str]  # plain language, for reports: "squadrons at the bureau (划片)"
    marker: ClassVar[str]  # matplotlib marker of its bases on maps
    marker_label: ClassVar[str]  # legend of that marker: "squadron base"
    zone_townships: ClassVar[tuple[int, int] | None] = (2, 3)
    """Default least and most townships per zone; ``None``: one zone, the whole county."""
    diverted_exposure: ClassVar[float] = 0.3
    """Probability that a township's routine task reaches an officer of the unit covering it
    (``enforcement.township_demand``). An assumption, for the article's diagnosis: the
    closer officers sit to the township's government, the more of its routine work they
    are handed. Default, a squadron at the bureau with a zone of its own: the zone's
    townships know whom to call, but the officers are not in their offices (0.3)."""
    interference_exposure: ClassVar[float] = 0.2
    """How far the unit's cases are open to township interference (属地干扰), as a share of
    ``enforcement.interference.probability``. An assumption, for the article's reasoning
    that officers sent down into townships come under the townships' sway: default, a
    squadron at the bureau, not in any township's offices but working one zone's townships
    day after day (0.2)."""

    def layout(self, county: CountyMap, officers: int, team_size: int) -> list[dict]:
        """Generated units as ``Unit`` fields (``officers``, ``townships`` and, where the
        model takes them, ``base_township`` or ``posts``), in the order they are named.
        Default: a unit per zone, officers spread evenly, spares to the busiest zones."""
        staffed = split_officers(officers, [z.weight for z in county.zones], 1)
        return [
            {"officers": n, "townships": z.townships, **self.zone_unit(z.centre)}
            for z, n in zip(county.zones, staffed, strict=True)
        ]

    def zone_unit(self, centre: str) -> dict:
        """Extra fields of the unit the default ``layout`` makes for a zone."""
        return {}

    def coverage(self, name: str, unit: Unit, loaded: LoadedScenario) -> tuple[str, ...]:
        if not unit.townships:
            raise ScenarioError(
                f"units.{name}.townships", f"a {unit.model} unit must list townships"
            )
        return tuple(unit.townships)

    def base(self, name: str, unit: Unit, county: str, loaded: LoadedScenario) -> Base:
        if unit.base_township is not None:
            raise ScenarioError(
                f"units.{name}.base_township",
                f"a {unit.model} unit is based at its county bureau; only stationed units "
                "take a base_township",
            )
        return bureau(loaded, county)

    def posts(
        self, name: str, unit: Unit, county: str, loaded: LoadedScenario
    ) -> list[tuple[Base, int]]:
        if unit.posts is not None:
            raise ScenarioError(
                f"units.{name}.posts",
                f"only integrated units post officers at several bases, not {unit.model}",
            )
        return [(self.base(name, unit, county, loaded), unit.officers)]

    def unit_fields(self, unit: UnitLayout, township_names: tuple[str, ...]) -> dict:
        """Fields beyond model, county, officers and townships that reproduce ``unit``
        when written back as YAML (``enforcement-sim layout``)."""
        return {}


def _whole_county(name: str, unit: Unit, loaded: LoadedScenario) -> tuple[str, ...]:
    if unit.townships:
        return tuple(unit.townships)
    if unit.county is None:
        raise ScenarioError(
            f"units.{name}.county", f"a {unit.model} unit with no townships needs its county"
        )
    return tuple(t.township for t in loaded.townships if t.county == unit.county)


@DEPLOYMENT_MODELS.register
class Stationed(DeploymentModel):
    """派驻: an office inside one of the townships it covers (at the zone's centre)."""

    name = "stationed"
    label = "stationed offices (派驻)"
    marker = "^"
    marker_label = "stationed office"
    zone_townships = (2, 4)
    diverted_exposure = 1.0  # sits in the township's offices: first in line for its work
    interference_exposure = 1.0  # housed by, and living with, the township it must police

    def zone_unit(self, centre: str) -> dict:
        return {"base_township": centre}

    def base(self, name: str, unit: Unit, county: str, loaded: LoadedScenario) -> Base:
        if unit.base_township is None:
            raise ScenarioError(f"units.{name}.base_township", f"a {unit.model} unit needs a base")
        if unit.base_township not in unit.townships:
            raise ScenarioError(
                f"units.{name}.base_township",
                f"{unit.base_township!r} is not among the unit's townships",
            )
        return township_point(loaded, unit.base_township)

    def unit_fields(self, unit: UnitLayout, township_names: tuple[str, ...]) -> dict:
        return {"base_township": unit.base.township}


@DEPLOYMENT_MODELS.register
class Squadron(DeploymentModel):
    """划片: a squadron at the county bureau responsible for a zone of townships."""

    name = "squadron"
    label = "squadrons at the bureau (划片)"
    marker = "s"
    marker_label = "squadron base"


@DEPLOYMENT_MODELS.register
class Central(DeploymentModel):
    """统筹: one pool at the bureau for the whole county (or the townships listed)."""

    name = "central"
    label = "one central pool (统筹)"
    marker = "D"
    marker_label = "central pool"
    zone_townships = None
    diverted_exposure = 0.1  # at the bureau, no zone: only the odd task reaches it
    interference_exposure = 0.0  # answers to the county bureau alone, tied to no township

    def layout(self, county: CountyMap, officers: int, team_size: int) -> list[dict]:
        return [{"officers": officers, "townships": county.townships}]

    def coverage(self, name: str, unit: Unit, loaded: LoadedScenario) -> tuple[str, ...]:
        return _whole_county(name, unit, loaded)


@DEPLOYMENT_MODELS.register
class Integrated(DeploymentModel):
    """综合执法: one county-wide team under unified command, posted at several bases
    (the zones' centres); the dispatcher sends the nearest free officers wherever they
    are."""

    name = "integrated"
    label = "one integrated team (综合执法)"
    marker = "P"
    marker_label = "integrated-team post"
    # independent, under unified command: the reform's point is that townships cannot hand
    # their own work to it
    diverted_exposure = 0.0
    interference_exposure = 0.0  # the reform's independent team (整合上收): immune

    def layout(self, county: CountyMap, officers: int, team_size: int) -> list[dict]:
        posted = split_officers(officers, [z.weight for z in county.zones], team_size)
        posts = {z.centre: n for z, n in zip(county.zones, posted, strict=True)}
        return [{"officers": officers, "townships": county.townships, "posts": posts}]

    def coverage(self, name: str, unit: Unit, loaded: LoadedScenario) -> tuple[str, ...]:
        return _whole_county(name, unit, loaded)

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

    def unit_fields(self, unit: UnitLayout, township_names: tuple[str, ...]) -> dict:
        posts: dict[str, int] = {}
        for home in unit.officer_homes:
            key = (
                township_names[home]
                if home < len(township_names)
                else unit.base.township or "bureau"
            )
            posts[key] = posts.get(key, 0) + 1
        return {"posts": posts}
